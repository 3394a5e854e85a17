"""Prompts of the LLMCompiler planner and joiner.

Static text comes first (instructions, tool list, examples) and the question
last, so a backend with prefix caching reuses the same prefix on every call
with the same tools.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from agentc.llm import Message
from agentc.plan import as_text, clipped, render
from agentc.toolspec import ToolSpec
from agentc.trace import TaskRecord
from agentc.planners.templates import fill, load_template

END_OF_PLAN = "<END_OF_PLAN>"


def tool_lines(tools: Iterable[ToolSpec]) -> str:
    """One numbered line a tool: `N. name(arg: type, ...): description`."""
    lines = []
    for number, tool in enumerate(tools, start=1):
        signature = tool.signature() if hasattr(tool, "signature") else f"{tool.name}(...)"
        description = " ".join(tool.description.split())
        lines.append(f"{number}. {signature}" + (f": {description}" if description else ""))
    return "\n".join(lines)


def planner_system_prompt(tools: Sequence[ToolSpec], *, examples: Sequence[str] = ()) -> str:
    """The static part of the planner prompt: it depends only on the tools and examples."""
    shown = ""
    if examples:
        shown = "\nExamples:\n\n" + "\n\n".join(e.strip() for e in examples) + "\n"
    return fill(
        load_template("planner"),
        tools=tool_lines(tools),
        first_id="1",
        second_id="2",
        examples=shown,
    ).strip()


def planner_messages(
    tools: Sequence[ToolSpec],
    question: str,
    *,
    first_id: int = 1,
    done: Sequence[TaskRecord] = (),
    reason: str | None = None,
    examples: Sequence[str] = (),
) -> list[Message]:
    """The planner's messages; with `done` and `reason` they ask for a replan."""
    context = ""
    if done or reason:
        context = fill(
            load_template("planner_replan"),
            history=format_history(done) or "(none)",
            reason=reason or "the previous plan did not answer the question",
            first_id=str(first_id),
        )
    user = fill(load_template("planner_question"), question=question, context=context).strip()
    return [
        Message("system", planner_system_prompt(tools, examples=examples)),
        Message("user", user),
    ]


def joiner_messages(question: str, done: Sequence[TaskRecord], *, final: bool) -> list[Message]:
    """The joiner's messages. `final`: no replan is left, so it must finish."""
    rule = "No new plan is possible now: answer with Action: Finish(...)." if final else ""
    system = fill(load_template("joiner"), final_rule=rule).strip()
    user = fill(load_template("joiner_question"), question=question, history=format_history(done) or "(no tasks were run)")
    return [Message("system", system), Message("user", user.strip())]


def format_history(records: Sequence[TaskRecord], *, max_chars: int = 4000) -> str:
    """Each task's call and what came of it, as the planner and joiner read them.

    Observations and arguments (which hold earlier results once `$N` is
    substituted) are cut to `max_chars` each, so no tool result, however
    large, reaches a prompt whole."""
    lines = []
    for record in records:
        args = ", ".join(f"{k}={clipped(render(v), max_chars)}" for k, v in record.args.items())
        lines.append(f"{record.idx}. {record.tool}({args})")
        if record.thought:
            lines.insert(len(lines) - 1, f"Thought: {record.thought}")
        if record.status == "done":
            lines.append(f"Observation: {clipped(as_text(record.observation), max_chars)}")
        else:
            lines.append(f"Observation: Error: {record.error or record.status}")
    return "\n".join(lines)
