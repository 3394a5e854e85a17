"""`LangChainLLM`: any langchain-core `BaseChatModel` as an agentc `LLM`.

So a user who already configured a LangChain chat model (with its provider,
keys, callbacks) can plan and join with it unchanged. The model streams
through `astream`; `stop` is passed on and also enforced here, because not
every chat model honours it; `max_tokens` is enforced here by the estimated
count (`agentc.llm.base.split_tokens`), because chat models take their
length limit under different names at construction time. Usage comes from
the chunks' `usage_metadata` (summed, as LangChain merges chunks), or is
estimated when the model reports none. Grammars and JSON schemas are not
passed on: callers parse and check what comes back.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import TYPE_CHECKING, Any, AsyncIterator

from agentc.errors import AgentcError, LLMError
from agentc.llm.base import LLMChunk, Message, Usage, count_tokens, split_tokens, stop_prefix_length

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage


class LangChainLLM:
    """Wraps `chat_model`, a langchain-core `BaseChatModel`."""

    def __init__(self, chat_model: "BaseChatModel") -> None:
        self.chat_model = chat_model

    async def stream(
        self,
        messages: list[Message],
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        grammar: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMChunk]:
        stops = [s for s in stop or [] if s]
        text, sent = "", 0
        prompt_tokens = output_tokens = 0
        reported = False
        try:
            async with aclosing(self.chat_model.astream(_to_langchain(messages), stop=stops or None)) as chunks:
                async for chunk in chunks:
                    usage = getattr(chunk, "usage_metadata", None)
                    if usage:
                        reported = True
                        prompt_tokens += usage.get("input_tokens", 0)
                        output_tokens += usage.get("output_tokens", 0)
                    text += _text(chunk.content)
                    end = _limit(text, stops, max_tokens)
                    if end is not None:
                        text = text[:end]
                        break
                    safe = len(text) - stop_prefix_length(text, stops)
                    if max_tokens is not None:  # trailing space may belong to a token past the limit
                        safe = min(safe, len(text.rstrip()))
                    if safe > sent:
                        yield LLMChunk(text[sent:safe])
                        sent = safe
        except AgentcError:
            raise
        except Exception as exc:
            name = type(self.chat_model).__name__
            raise LLMError(f"the LangChain chat model {name} failed: {type(exc).__name__}: {exc}") from exc
        if len(text) > sent:
            yield LLMChunk(text[sent:])
        if not reported:
            prompt_tokens = count_tokens(" ".join(m.content for m in messages))
            output_tokens = count_tokens(text)
        yield LLMChunk("", usage=Usage(prompt_tokens, output_tokens))


def _to_langchain(messages: list[Message]) -> list["BaseMessage"]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in messages]


def _text(content: Any) -> str:
    """The text of a chunk's content: a string, or a list of content blocks."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def _limit(text: str, stops: list[str], max_tokens: int | None) -> int | None:
    """Where the text must end: at the first stop string, or after
    `max_tokens` estimated tokens; None while neither is reached."""
    ends = [at for at in (text.find(s) for s in stops) if at != -1]
    if max_tokens is not None:
        counted = length = 0
        for piece in split_tokens(text):
            if piece.strip():
                if counted == max_tokens:
                    ends.append(length)
                    break
                counted += 1
            length += len(piece)
    return min(ends) if ends else None


