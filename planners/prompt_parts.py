"""The parts every planner prompt shows: the tool list, the example block,
what came of a tool call, the user's instructions and the earlier turns of
a conversation.

The compiler, ReAct and parallel-FC prompts fill their templates with these,
so the three styles show tools, examples and observations alike.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from agentc.conversation import Turn
from agentc.plan import as_text, clipped
from agentc.planners.templates import fill, load_template
from agentc.toolspec import ToolSpec
from agentc.trace import TaskRecord


def tool_lines(tools: Iterable[ToolSpec]) -> str:
    """One numbered line a tool: `N. name(arg: type, ...): description`."""
    lines = []
    for number, tool in enumerate(tools, start=1):
        description = " ".join(tool.description.split())
        lines.append(f"{number}. {tool.signature()}" + (f": {description}" if description else ""))
    return "\n".join(lines)


def examples_block(examples: Sequence[str]) -> str:
    """The few-shot examples as a prompt shows them after the tools; "" for none."""
    if not examples:
        return ""
    return "\nExamples:\n\n" + "\n\n".join(e.strip() for e in examples) + "\n"


def observation_text(record: TaskRecord, *, max_chars: int) -> str:
    """What the model is shown of a call: its result as text (cut to
    `max_chars`), or `Error: ...`."""
    if record.status != "done":
        return f"Error: {record.error or record.status}"
    return clipped(as_text(record.observation), max_chars)


def tools_prompt(template: str, tools: Iterable[ToolSpec], examples: Sequence[str] = (), instructions: str = "") -> str:
    """The prompt `template` (a name in `prompts/`) filled with the tool
    list, the examples and the user's instructions: the static prefix of
    a step-wise agent's every call."""
    return fill(
        load_template(template),
        tools=tool_lines(tools),
        examples=examples_block(examples),
        instructions=instructions_block(instructions),
    ).strip()


def instructions_block(instructions: str) -> str:
    """The user's standing instructions as a system prompt ends with them; "" for none."""
    text = instructions.strip()
    return f"\nInstructions:\n{text}\n" if text else ""


def conversation_block(history: Sequence[Turn]) -> str:
    """The earlier turns of a conversation, shown before the question; "" for none."""
    if not history:
        return ""
    return "Earlier in this conversation:\n" + "\n\n".join(turn.text() for turn in history) + "\n\n"
