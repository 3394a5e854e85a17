"""`LangChainLLM` over langchain-core chat models: the generic fake one, and a
real small chat model (SmolLM2 through llama-cpp-python) that reports usage
the way provider models do."""

from __future__ import annotations

import re
from typing import Any, Iterator

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from llama_cpp import Llama

from agentc.edge.models import resolve_model
from agentc.errors import LLMError
from agentc.llm.base import LLM, Message, Usage, complete, count_tokens
from agentc.llm.langchain import LangChainLLM

QUESTION = [Message("system", "Be brief."), Message("user", "Greet the world.")]


def fake(*replies: str) -> LangChainLLM:
    return LangChainLLM(GenericFakeChatModel(messages=iter(replies)))


async def test_streams_the_chat_models_chunks() -> None:
    llm = fake("Hello there, world. Bye now")
    assert isinstance(llm, LLM)
    chunks = [c async for c in llm.stream(QUESTION)]
    texts = [c.text for c in chunks if c.text]
    assert "".join(texts) == "Hello there, world. Bye now"
    assert len(texts) >= 5
    prompt = count_tokens("Be brief. Greet the world.")
    assert chunks[-1].usage == Usage(prompt, count_tokens("Hello there, world. Bye now")), "estimated: the fake reports none"


@pytest.mark.parametrize(
    "stop,expected",
    [(["world"], "Hello there, "), (["there, world"], "Hello "), (["nope", "Bye"], "Hello there, world. ")],
)
async def test_stop_is_enforced_even_when_the_model_ignores_it(stop: list[str], expected: str) -> None:
    chunks = [c.text async for c in fake("Hello there, world. Bye now").stream(QUESTION, stop=stop)]
    assert "".join(chunks) == expected


async def test_max_tokens_cuts_by_the_estimated_count() -> None:
    answer = await complete(fake("Hello there, world. Bye now"), QUESTION, max_tokens=3)
    assert answer.text == "Hello there,"
    assert answer.usage.completion_tokens == 3


async def test_a_failing_chat_model_is_an_llm_error() -> None:
    llm = fake()  # no replies left: the model raises
    with pytest.raises(LLMError, match="the LangChain chat model GenericFakeChatModel failed"):
        await complete(llm, QUESTION)


class SmolChat(BaseChatModel):
    """SmolLM2 as a LangChain chat model; the last chunk carries usage_metadata."""

    llama: Any
    max_tokens: int = 20
    seen: list[list[str]] = []

    @property
    def _llm_type(self) -> str:
        return "smollm2-llama-cpp"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        chat = [{"role": roles[m.type], "content": str(m.content)} for m in messages]
        self.seen.append([f"{c['role']}: {c['content']}" for c in chat])
        result = self.llama.create_chat_completion(chat, max_tokens=self.max_tokens, temperature=0.0, stop=stop or [])
        counts = result["usage"]
        message = AIMessage(
            content=result["choices"][0]["message"]["content"],
            usage_metadata={
                "input_tokens": counts["prompt_tokens"],
                "output_tokens": counts["completion_tokens"],
                "total_tokens": counts["total_tokens"],
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        message = self._generate(messages, stop=stop).generations[0].message
        words = re.split(r"(\s)", str(message.content))
        for word in words[:-1]:
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))
        yield ChatGenerationChunk(message=AIMessageChunk(content=words[-1], usage_metadata=message.usage_metadata))


@pytest.fixture(scope="module")
def smol_llama() -> Iterator[Llama]:
    llama = Llama(str(resolve_model("smollm2")), n_ctx=1024, n_threads=1, n_threads_batch=1, verbose=False)
    yield llama
    llama.close()


async def test_usage_comes_from_the_models_usage_metadata(smol_llama: Llama) -> None:
    chat = SmolChat(llama=smol_llama, seen=[])
    answer = await complete(LangChainLLM(chat), QUESTION)
    direct = smol_llama.create_chat_completion(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Greet the world."}],
        max_tokens=20,
        temperature=0.0,
    )
    assert answer.text == direct["choices"][0]["message"]["content"]
    assert answer.usage == Usage(direct["usage"]["prompt_tokens"], direct["usage"]["completion_tokens"])
    assert chat.seen == [["system: Be brief.", "user: Greet the world."]]


async def test_roles_reach_the_model(smol_llama: Llama) -> None:
    chat = SmolChat(llama=smol_llama, seen=[], max_tokens=4)
    history = [Message("user", "Hi"), Message("assistant", "Hello!"), Message("user", "Again")]
    await complete(LangChainLLM(chat), history)
    assert chat.seen == [["user: Hi", "assistant: Hello!", "user: Again"]]
