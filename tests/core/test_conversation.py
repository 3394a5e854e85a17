"""Conversations and instructions: earlier turns and the user's standing
instructions reach the planner and joiner prompts."""

from __future__ import annotations

import re

import pytest

from agentc import Agent, Conversation, LLMError, Turn, tool
from agentc.agent import build_agent
from agentc.llm import Message, ScriptedLLM


@tool
def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


@tool
def percent(value: float, pct: float) -> float:
    """pct percent of value."""
    return value * pct / 100


def follow_up_plan(messages: list[Message]) -> str:
    """A planner that can only answer the follow-up from the earlier answer
    in its prompt: it takes the figure after the last `Answer:`."""
    found = re.findall(r"^Answer: ([0-9.]+)", messages[1].content, re.MULTILINE)
    figure = found[-1] if found else "0"
    return f"1. percent(value={figure}, pct=10)\n2. join($1)\n<END_OF_PLAN>"


async def test_a_follow_up_plans_with_the_earlier_answer():
    llm = ScriptedLLM(
        [
            "1. multiply(a=26.2, b=1.609)\n2. join($1)\n<END_OF_PLAN>",
            follow_up_plan,
        ]
    )
    agent = Agent(llm, [multiply, percent])
    conv = Conversation(agent)
    first = await conv.aask("How many kilometres is 26.2 miles?")
    assert float(first.answer) == pytest.approx(42.1558)
    second = await conv.aask("And what is 10% of that?")
    second_prompt = llm.calls[1][1].content
    assert "Earlier in this conversation:\nQuestion: How many kilometres is 26.2 miles?" in second_prompt
    assert f"Answer: {first.answer}" in second_prompt
    assert "Result: multiply(a=26.2, b=1.609) = 42.1558" in second_prompt
    assert second_prompt.endswith("Question: And what is 10% of that?")
    assert float(second.answer) == pytest.approx(4.21558)
    assert [t.question for t in conv.turns] == ["How many kilometres is 26.2 miles?", "And what is 10% of that?"]


async def test_history_reaches_the_joiner_and_a_first_turn_has_none():
    llm = ScriptedLLM(["1. join()\n<END_OF_PLAN>", "Action: Finish(Ada)"] * 2)
    agent = Agent(llm, [multiply])
    await agent.arun("Who wrote the first program?")
    assert "Earlier in this conversation" not in llm.calls[0][1].content + llm.calls[1][1].content
    history = [Turn("What is my name?", "Your name is Grace.")]
    await agent.arun("Say my name.", history=history)
    joiner_prompt = llm.calls[3][1].content
    assert joiner_prompt.startswith(
        "Earlier in this conversation:\nQuestion: What is my name?\nAnswer: Your name is Grace.\n\nQuestion: Say my name."
    )


def test_sync_ask_keeps_turns():
    llm = ScriptedLLM(["1. multiply(a=2, b=3)\n2. join($1)\n<END_OF_PLAN>"])
    conv = Conversation(Agent(llm, [multiply]))
    assert conv.ask("What is 2 times 3?").answer == "6.0"
    assert conv.turns == [Turn("What is 2 times 3?", "6.0", ("multiply(a=2, b=3) = 6.0",))]


def test_oldest_turns_are_dropped_first_when_over_the_token_bound():
    conv = Conversation(Agent(ScriptedLLM([]), [multiply]), max_tokens=25, count_tokens=lambda text: len(text) // 4)
    for n in range(4):
        conv.add(Turn(f"question number {n}?", f"answer {n}"))  # "Question: ...\nAnswer: ...": 45 characters, 11 tokens
    assert [t.question for t in conv.turns] == ["question number 2?", "question number 3?"]
    assert conv.tokens == 22
    conv.add(Turn("x" * 200, "y"))  # one turn past the bound alone: nothing fits
    assert conv.turns == []


async def test_a_failed_turn_is_not_kept():
    conv = Conversation(Agent(ScriptedLLM([]), [multiply]))
    with pytest.raises(LLMError):
        await conv.aask("What is 2 times 3?")
    assert conv.turns == []


async def test_instructions_reach_planner_and_joiner_system_prompts():
    llm = ScriptedLLM(["1. multiply(a=2, b=3)\n2. join()\n<END_OF_PLAN>", "Action: Finish(6)"])
    await Agent(llm, [multiply], instructions="Give every distance in kilometres.").arun("What is 2 times 3?")
    planner_system, joiner_system = llm.calls[0][0], llm.calls[1][0]
    assert planner_system.role == joiner_system.role == "system"
    assert planner_system.content.endswith("Instructions:\nGive every distance in kilometres.")
    assert joiner_system.content.endswith("Instructions:\nGive every distance in kilometres.")


@pytest.mark.parametrize(
    "kind, completion",
    [("react", "Thought: done.\nAction: Finish[6]"), ("parallel", '{"answer": "6"}')],
)
async def test_instructions_reach_the_step_wise_agents(kind, completion):
    llm = ScriptedLLM([completion])
    agent = build_agent(kind, llm, [multiply], instructions="Answer in French.")
    assert (await agent.arun("What is 2 times 3?")).answer == "6"
    assert llm.calls[0][0].content.endswith("Instructions:\nAnswer in French.")


async def test_sync_ask_inside_a_loop_says_to_await():
    with pytest.raises(RuntimeError, match=r"Conversation.ask\(\) was called inside a running event loop"):
        Conversation(Agent(ScriptedLLM([]), [multiply])).ask("q")
