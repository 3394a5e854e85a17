"""Class 15: the streaming parser is linear in a long line, and a task id too
long to be one is rejected instead of being cut to a shorter, valid id."""

from __future__ import annotations

import time
from typing import Any, AsyncIterator

import pytest

from agentc import Agent, tool
from agentc.errors import PlanError
from agentc.llm import LLMChunk, Message
from agentc.parser import PlanParser, parse_plan


def _stream(text: str, size: int) -> tuple[list, PlanParser]:
    parser = PlanParser()
    calls = []
    for start in range(0, len(text), size):
        calls += parser.feed(text[start : start + size])
    return calls + parser.close(), parser


def test_one_very_long_line_streams_in_linear_time() -> None:
    long_value = "x" * 200_000
    plan = f'1. echo(text="{long_value}<END_OF")\n2. join()\n<END_OF_PLAN>\nignored'
    start = time.perf_counter()
    calls, parser = _stream(plan, 1)  # one character a chunk: the worst case
    elapsed = time.perf_counter() - start
    assert [c.idx for c in calls] == [1]
    assert calls[0].keywords == (("text", long_value + "<END_OF"),)
    assert parser.text == plan[: plan.index("<END_OF_PLAN>") + len("<END_OF_PLAN>")]
    # Coarse "no hang" bound: linear work takes well under a second here; the
    # quadratic parser took over ten seconds for this input.
    assert elapsed < 5.0, f"streaming 200k characters took {elapsed:.1f} s"


class OneCharacterLLM:
    """An LLM backend that streams its one completion a character a chunk (the worst case)."""

    def __init__(self, text: str) -> None:
        self.text = text

    async def stream(self, messages: list[Message], **options: Any) -> AsyncIterator[LLMChunk]:
        for character in self.text:
            yield LLMChunk(character)


async def test_an_agent_streaming_a_very_long_plan_line_stays_linear() -> None:
    @tool
    def size(text: str) -> int:
        """The length of a text."""
        return len(text)

    plan = f'1. size(text="{"x" * 200_000}")\n2. join($1)'
    start = time.perf_counter()
    result = await Agent(OneCharacterLLM(plan), [size], max_plan_tokens=None).arun("q")
    elapsed = time.perf_counter() - start
    assert result.answer == "200000"
    assert result.trace.plans == [plan] and result.trace.llm_calls[0].completion == plan
    assert elapsed < 5.0, f"a 200k-character plan line took {elapsed:.1f} s (over 10 s when quadratic)"


@pytest.mark.parametrize("task_id", ["10000009", "10000001", "9" * 5000])
def test_a_task_id_beyond_the_range_is_rejected_not_cut(task_id: str) -> None:
    with pytest.raises(PlanError, match="out of range 1..1000000") as error:
        parse_plan(f"{task_id}. f()\njoin()")
    assert error.value.line == 1
    assert len(str(error.value)) < 300 + len(task_id), "the error message stays readable"


def test_join_of_a_too_long_id_names_no_task() -> None:
    assert [c.idx for c in parse_plan("1000000. f()\njoin($1000000)")] == [1_000_000], "the largest id is fine"
    with pytest.raises(PlanError, match="names no task"):
        parse_plan("1000000. f()\njoin($10000001)")
