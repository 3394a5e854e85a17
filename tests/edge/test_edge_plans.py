"""Grammar-constrained planning with the bundled models, end to end.

The few-shot prompt here is only for the test (the planner module owns the
real one). Whatever the model's plan means, the grammar must make it a plan
the streaming parser and the checker accept, and the joiner grammar an
answer the joiner reads.
"""

from __future__ import annotations

from typing import Literal

import pytest

from agentc import tool
from agentc.checks import PlanChecker
from agentc.edge.grammar import action_grammar, joiner_grammar, plan_grammar
from agentc.edge.llamacpp import LlamaCppLLM
from agentc.joiner import Finish, Replan, parse_decision
from agentc.llm.base import Message, complete
from agentc.parser import PlanParser
from agentc.plan import ParsedCall, Task
from agentc.planners.react import read_step
from agentc.tools import Tool


@tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> str:
    """Current weather in a city."""
    return city


@tool
def search(query: str, k: int = 3) -> list[str]:
    """Search the web and return the top k results."""
    return [query] * k


@tool
def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


@tool
def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


@tool
def send_email(to: list[str], subject: str, body: str, urgent: bool = False) -> str:
    """Send an email to a list of addresses."""
    return subject


@tool
def create_event(title: str, day: str, attendees: list[str] | None = None, hours: int = 1) -> str:
    """Create a calendar event."""
    return title


TOOLSETS: dict[str, tuple[list[Tool], list[str]]] = {
    "weather": (
        [get_weather, search],
        [
            "What's the weather in Paris and in Tokyo?",
            "Find news about the Mars rover and the weather in Houston in fahrenheit.",
        ],
    ),
    "math": (
        [add, multiply],
        ["What is 7 times 6, plus 10?", "Add 1.5 and 2.5, then multiply the result by 3."],
    ),
    "office": (
        [send_email, create_event, search],
        ["Email bob@example.com that the meeting moved to Friday.", "Schedule a 2 hour review on Monday with Ann and Bo."],
    ),
}


def planner_messages(tools: list[Tool], question: str) -> list[Message]:
    listing = "\n".join(f"- {t.signature()}: {t.description}" for t in tools)
    return [
        Message(
            "system",
            "You write plans of tool calls, one numbered call a line. Use $N for the result of task N. "
            f"End with join() and <END_OF_PLAN>.\nTools:\n{listing}",
        ),
        Message("user", "Question: What is 2 plus 3, times 4?"),
        Message("assistant", "1. add(a=2, b=3)\n2. multiply(a=$1, b=4)\n3. join()\n<END_OF_PLAN>"),
        Message("user", f"Question: {question}"),
    ]


async def stream_plan(llm: LlamaCppLLM, tools: list[Tool], question: str) -> tuple[str, list[Task]]:
    """Plan with the grammar, feeding the streaming parser as tokens arrive."""
    parser = PlanParser()
    checker = PlanChecker({t.name: t for t in tools})
    tasks: list[Task] = []
    text = ""
    grammar = plan_grammar(tools, max_tasks=6)
    async for chunk in llm.stream(planner_messages(tools, question), grammar=grammar, max_tokens=1024):
        text += chunk.text
        tasks += [checker.check(call) for call in parser.feed(chunk.text)]
    tasks += [checker.check(call) for call in parser.close()]
    return text, tasks


@pytest.mark.parametrize(
    "toolset,question", [(name, q) for name, (_, qs) in TOOLSETS.items() for q in qs], ids=lambda v: str(v)[:24]
)
async def test_smollm2_plans_are_always_valid(smollm2: LlamaCppLLM, toolset: str, question: str) -> None:
    tools = TOOLSETS[toolset][0]
    text, tasks = await stream_plan(smollm2, tools, question)
    assert text.endswith("<END_OF_PLAN>"), text
    assert 1 <= len(tasks) <= 6, text
    assert [t.idx for t in tasks] == list(range(1, len(tasks) + 1))
    assert {t.tool for t in tasks} <= {t.name for t in tools}
    assert text.count("join()") == 1


async def test_gemma3_plans_are_valid_too(gemma3: LlamaCppLLM) -> None:
    tools, questions = TOOLSETS["office"]
    for question in questions:
        text, tasks = await stream_plan(gemma3, tools, question)
        assert text.endswith("<END_OF_PLAN>") and tasks, text


async def test_smollm2_joiner_answers_are_readable(smollm2: LlamaCppLLM) -> None:
    messages = [
        Message(
            "system",
            "Answer the question from the observations. Reply with a Thought line, "
            "then Action: Finish(answer) or Action: Replan(reason).",
        ),
        Message(
            "user",
            'Question: What is the weather in Paris?\nObservations:\n1. get_weather(city="Paris") -> sunny, 24 C',
        ),
    ]
    answer = await complete(smollm2, messages, grammar=joiner_grammar(), max_tokens=150)
    decision = parse_decision(answer.text)
    assert isinstance(decision, (Finish, Replan))
    assert answer.text.startswith("Thought: ") and "\nAction: " in answer.text


@pytest.mark.parametrize("toolset", list(TOOLSETS))
async def test_smollm2_react_steps_are_readable(smollm2: LlamaCppLLM, toolset: str) -> None:
    tools, questions = TOOLSETS[toolset]
    listing = "\n".join(f"- {t.signature()}: {t.description}" for t in tools)
    messages = [
        Message(
            "system",
            "Each step, write `Thought: ...` then `Action: tool(argument=value)` or `Action: Finish[answer]`.\n"
            f"Tools:\n{listing}",
        ),
        Message("user", f"Question: {questions[0]}"),
    ]
    step_text = (await complete(smollm2, messages, grammar=action_grammar(tools), max_tokens=300)).text
    step = read_step(step_text)
    assert step.error is None, step_text
    if step.call is not None:  # the call must pass the same checks as a plan task
        name, positional, keywords, line = step.call
        task = PlanChecker({t.name: t for t in tools}).check(ParsedCall(1, name, positional, keywords, None, 1, line))
        assert task.tool in {t.name for t in tools} and not task.deps
