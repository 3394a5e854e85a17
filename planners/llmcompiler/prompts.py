"""Prompts of the LLMCompiler planner and joiner.

Static text comes first (rules, tool list, examples, the user's
instructions), then the earlier turns of a conversation and the question
last, so a backend with prefix caching reuses the same prefix on every call
with the same tools. With an output type (`agentc.output`) the joiner
replies in JSON and its prompt shows the answer's schema.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from agentc.conversation import Turn
from agentc.llm import Message
from agentc.plan import call_text
from agentc.planners.prompt_parts import (
    conversation_block,
    examples_block,
    instructions_block,
    observation_text,
    tool_lines,
)
from agentc.planners.templates import fill, load_template
from agentc.toolspec import ToolSpec
from agentc.trace import TaskRecord


def planner_system_prompt(tools: Sequence[ToolSpec], *, examples: Sequence[str] = (), instructions: str = "") -> str:
    """The static part of the planner prompt: it depends only on the tools,
    examples and instructions."""
    return fill(
        load_template("planner"),
        tools=tool_lines(tools),
        first_id="1",
        second_id="2",
        examples=examples_block(examples),
        instructions=instructions_block(instructions),
    ).strip()


def planner_messages(
    tools: Sequence[ToolSpec],
    question: str,
    *,
    first_id: int = 1,
    done: Sequence[TaskRecord] = (),
    reason: str | None = None,
    examples: Sequence[str] = (),
    history: Sequence[Turn] = (),
    instructions: str = "",
) -> list[Message]:
    """The planner's messages; with `done` and `reason` they ask for a replan.
    `history` holds the earlier turns of a conversation."""
    context = ""
    if done or reason:
        context = fill(
            load_template("planner_replan"),
            history=format_history(done) or "(none)",
            reason=reason or "the previous plan did not answer the question",
            first_id=str(first_id),
        )
    user = fill(
        load_template("planner_question"), conversation=conversation_block(history), question=question, context=context
    ).strip()
    return [
        Message("system", planner_system_prompt(tools, examples=examples, instructions=instructions)),
        Message("user", user),
    ]


def joiner_messages(
    question: str,
    done: Sequence[TaskRecord],
    *,
    final: bool,
    history: Sequence[Turn] = (),
    instructions: str = "",
    output_schema: dict[str, Any] | None = None,
    json_reply: bool = False,
) -> list[Message]:
    """The joiner's messages. `final`: no replan is left, so it must finish.
    With `output_schema` (the JSON schema of a typed answer) the answer in
    `Finish(...)` is JSON that fits it, or, with `json_reply`, the whole
    reply is one JSON object (`agentc.output.OutputSpec.decision_schema`)."""
    schema = json.dumps(output_schema, ensure_ascii=False) if output_schema is not None else ""
    if json_reply:
        rule = 'No new plan is possible now: reply with "thought" and "answer".' if final else ""
        system = fill(
            load_template("joiner_json"), schema=schema, final_rule=rule, instructions=instructions_block(instructions)
        )
    else:
        rule = "No new plan is possible now: answer with Action: Finish(...)." if final else ""
        system = fill(
            load_template("joiner"),
            answer_format=fill(load_template("joiner_answer_format"), schema=schema) if schema else "",
            final_rule=rule,
            instructions=instructions_block(instructions),
        )
    user = fill(
        load_template("joiner_question"),
        conversation=conversation_block(history),
        question=question,
        history=format_history(done) or "(no tasks were run)",
    )
    return [Message("system", system.strip()), Message("user", user.strip())]


def joiner_retry_message(problem: str) -> Message:
    """What the joiner is told when its typed answer did not fit, to try once more."""
    return Message("user", fill(load_template("joiner_output_retry"), problem=problem.rstrip(".")).strip())


def format_history(records: Sequence[TaskRecord], *, max_chars: int = 4000) -> str:
    """Each task's call and what came of it, as the planner and joiner read them.

    Observations and arguments (which hold earlier results once `$N` is
    substituted) are cut to `max_chars` each, so no tool result, however
    large, reaches a prompt whole."""
    lines = []
    for record in records:
        lines.append(f"{record.idx}. {call_text(record.tool, record.args, max_chars)}")
        if record.thought:
            lines.insert(len(lines) - 1, f"Thought: {record.thought}")
        lines.append(f"Observation: {observation_text(record, max_chars=max_chars)}")
    return "\n".join(lines)
