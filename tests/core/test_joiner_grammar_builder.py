"""A joiner grammar given as a function is built for each joiner call from
the messages sent, and that grammar is what the LLM is asked to follow."""

from __future__ import annotations

from typing import Sequence

from agentc import Agent, tool
from agentc.llm import Message, ScriptedLLM


@tool
def multiply(a: float, b: float) -> float:
    """Multiply two numbers.

    Args:
        a: the first factor
        b: the second factor
    """
    return a * b


async def test_a_grammar_builder_sees_the_observations_of_each_joiner_call() -> None:
    seen: list[str] = []

    def build(messages: Sequence[Message]) -> str:
        text = "\n".join(m.content for m in messages)
        seen.append(text)
        return f'root ::= "{len(seen)}"'

    llm = ScriptedLLM(
        [
            "1. multiply(a=26.2, b=1.609344)\n2. join()\n<END_OF_PLAN>",
            "Thought: Done.\nAction: Finish(26.2 miles is 42.16 km.)",
        ]
    )
    result = await Agent(llm, [multiply], joiner_grammar=build).arun("How many km is 26.2 miles?")
    assert result.answer == "26.2 miles is 42.16 km."
    assert len(seen) == 1 and "42.1648" in seen[0]  # the observation reached the builder
    assert llm.grammars == [None, 'root ::= "1"']  # the plan is free, the joiner got the built grammar
