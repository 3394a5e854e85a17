"""`ScriptedLLM`: order, pacing, stop sequences, usage, and exhaustion."""

from __future__ import annotations

import time

import pytest

from agentc.errors import LLMError
from agentc.llm import Message, ScriptedLLM, complete

ASK = [Message("user", "say something")]


async def test_completions_in_order_with_usage():
    llm = ScriptedLLM(["one two three", lambda messages: f"echo {messages[-1].content}"])
    first = await complete(llm, ASK)
    second = await complete(llm, ASK)
    assert (first.text, second.text) == ("one two three", "echo say something")
    assert first.usage.completion_tokens == 3 and first.usage.prompt_tokens == 2
    assert llm.calls == [ASK, ASK]
    with pytest.raises(LLMError, match="called 3 times but was given 2"):
        await complete(llm, ASK)


async def test_pacing_by_time_to_first_token_and_tokens_per_second():
    llm = ScriptedLLM(["a b c d e f g h i j"], ttft=0.1, tokens_per_second=50)
    began = time.perf_counter()
    arrivals = []
    async for chunk in llm.stream(ASK):
        if chunk.text:
            arrivals.append(time.perf_counter() - began)
    assert arrivals[0] >= 0.1
    assert arrivals[-1] >= 0.1 + 9 / 50
    assert len(arrivals) > 1


async def test_stop_and_max_tokens():
    llm = ScriptedLLM(["1. f()\n2. join()\n<END_OF_PLAN> trailing", "a b c d"])
    assert (await complete(llm, ASK, stop=["<END_OF_PLAN>"])).text == "1. f()\n2. join()\n"
    assert (await complete(llm, ASK, max_tokens=2)).text == "a b"
