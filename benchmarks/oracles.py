"""Oracle models: scripted completions that read each agent's prompt and write
the right next thing in that agent's own format.

They stand in for a capable hosted model so that a race measures the
orchestration, not model quality: every agent is driven through the same
canonical tool calls of the question (`benchmarks.workloads.Step`), and only
how those calls are orchestrated differs. An oracle knows the question's
solution plan, but its answers come from the observations it finds in the
prompt, so a lost or wrong observation gives a wrong answer.

- `compiler_script`: the agentc planner (the whole plan, with `$N`
  references and `context=[...]` for math, ending `join($N)` when the last
  calculation is the answer) and joiner (`Finish(...)`).
- `react_script`: one `Thought:` / `Action:` step at a time, values copied
  from the observations so far, then `Finish[...]`.
- `parallel_fc_script`: each turn, every call whose inputs are known, as a
  JSON list, then `{"answer": ...}`.

Thoughts are one short sentence wherever a format asks for one (ReAct steps,
the joiner, ReAct's last step); plans and JSON turns carry none.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Mapping

from agentc.llm import Message
from agentc.parser import numbered_plan
from workloads import Question, Step, fill_values, first_number

Script = Callable[[list[Message]], str]
_QUESTION = re.compile(r"^Question: (.*)$", re.MULTILINE)
_TASK = re.compile(r"^(\d+)\. \w+\(")


def find_question(messages: list[Message], questions: Mapping[str, Question]) -> Question:
    """The question the prompt asks (in its first user message, not in the examples)."""
    for message in messages:
        if message.role == "user":
            match = _QUESTION.search(message.content)
            if match and match.group(1).strip() in questions:
                return questions[match.group(1).strip()]
    raise LookupError("the oracle found no known question in the prompt's first user message")


# how each format writes a step


def plan_text(question: Question) -> str:
    """The agentc plan: every call at once, later ones referring to earlier
    results; a calculation's plan names its last step as the answer (`join($N)`)."""
    calls = []
    for step in question.steps:
        if step.tool == "search":
            calls.append(f'search(query="{step.query}")')
        else:
            refs = ", ".join(f"${j}" for j in step.inputs)
            calls.append(f'math(expression="{step.expression}", context=[{refs}])')
    return numbered_plan(calls, len(question.steps) if question.kind == "number" else None)


def literal_arguments(step: Step, values: Mapping[int, float]) -> dict[str, str]:
    """A step's arguments with the input values written in (what a model that
    read the observations writes when it cannot refer to them)."""
    if step.tool == "search":
        return {"query": step.query}
    return {"expression": fill_values(step.expression, [values[j] for j in step.inputs])}


def literal_call(step: Step, values: Mapping[int, float]) -> str:
    arguments = literal_arguments(step, values)
    return f"{step.tool}({', '.join(f'{k}={json.dumps(v)}' for k, v in arguments.items())})"


def levels(question: Question) -> list[list[int]]:
    """Step numbers by turn: a step runs in the turn after its last input."""
    level: dict[int, int] = {}
    for k, step in enumerate(question.steps, start=1):
        level[k] = 1 + max((level[j] for j in step.inputs), default=-1)
    return [[k for k in level if level[k] == t] for t in range(max(level.values()) + 1)]


def turn_json(question: Question, turn: list[int], values: Mapping[int, float]) -> str:
    steps = [question.steps[k - 1] for k in turn]
    calls = [{"name": step.tool, "arguments": literal_arguments(step, values)} for step in steps]
    return json.dumps(calls)


def _number_of(observation: str) -> float | None:
    return None if observation.startswith("Error:") else first_number(observation)


# the scripts


def compiler_script(questions: Mapping[str, Question]) -> Script:
    """Planner and joiner of `agentc.Agent` (told apart by the joiner's "Plan and results:")."""

    def write(messages: list[Message]) -> str:
        question = find_question(messages, questions)
        user = next(m.content for m in messages if m.role == "user")
        if "Plan and results:" not in user:
            return plan_text(question)
        values: dict[int, float] = {}
        task: int | None = None
        for line in user.split("Plan and results:", 1)[1].splitlines():
            match = _TASK.match(line)
            if match:
                task = int(match.group(1))
            elif line.startswith("Observation: ") and task is not None:
                number = _number_of(line[len("Observation: ") :])
                if number is not None:
                    values[task] = number
        answer, reason = question.answer_from(values)
        return f"Thought: {reason}.\nAction: Finish({answer})"

    return write


def react_script(questions: Mapping[str, Question]) -> Script:
    """`ReActAgent`: the next canonical step, or `Finish[...]` once all ran."""

    def write(messages: list[Message]) -> str:
        question = find_question(messages, questions)
        history = messages[2:]
        taken = sum(1 for m in history if m.role == "assistant")
        observed = [m.content.removeprefix("Observation: ") for m in history if m.role == "user"]
        values = {k: n for k, o in enumerate(observed, start=1) if (n := _number_of(o)) is not None}
        if taken < len(question.steps):
            step = question.steps[taken]
            try:
                action = literal_call(step, values)
            except KeyError:
                return "Thought: an observation I need is missing.\nAction: Finish[unknown]"
            return f"Thought: I need {step.need}.\nAction: {action}"
        answer, reason = question.answer_from(values)
        return f"Thought: {reason}.\nAction: Finish[{answer}]"

    return write


def parallel_fc_script(questions: Mapping[str, Question]) -> Script:
    """`ParallelFCAgent`: each turn, the calls whose inputs are known, then the answer."""

    def write(messages: list[Message]) -> str:
        question = find_question(messages, questions)
        turns = levels(question)
        history = messages[2:]
        taken = sum(1 for m in history if m.role == "assistant")
        values: dict[int, float] = {}
        replies = [m.content for m in history if m.role == "user" and m.content.startswith("Results:")]
        for turn, reply in zip(turns, replies):
            lines = [line.split(" -> ", 1)[1] for line in reply.splitlines()[1:] if " -> " in line]
            for k, observation in zip(turn, lines):
                if (number := _number_of(observation)) is not None:
                    values[k] = number
        if taken < len(turns):
            try:
                return turn_json(question, turns[taken], values)
            except KeyError:
                return json.dumps({"answer": "unknown"})
        answer, _ = question.answer_from(values)
        return json.dumps({"answer": answer})

    return write


SCRIPTS: dict[str, Callable[[Mapping[str, Question]], Script]] = {
    "compiler": compiler_script,
    "react": react_script,
    "parallel": parallel_fc_script,
}


# worked examples for the prompts


def example_for(style: str, question: Question) -> str:
    """The worked example of `question` in `style`'s format, with the
    observations the tools really give (`question.expected`)."""
    values = {k: n for k, o in enumerate(question.expected, start=1) if (n := first_number(o)) is not None}
    answer, reason = question.answer_from(values)
    lines = [f"Question: {question.text}"]
    if style == "compiler":
        lines.append(plan_text(question))
    elif style == "react":
        for k, step in enumerate(question.steps, start=1):
            lines.append(f"Thought: I need {step.need}.")
            lines.append(f"Action: {literal_call(step, values)}")
            lines.append(f"Observation: {question.expected[k - 1]}")
        lines += [f"Thought: {reason}.", f"Action: Finish[{answer}]"]
    elif style == "parallel":
        for turn in levels(question):
            lines.append(f"Reply: {turn_json(question, turn, values)}")
            lines.append("Results:")
            for k in turn:
                step = question.steps[k - 1]
                lines.append(f"{step.tool}({json.dumps(literal_arguments(step, values))}) -> {question.expected[k - 1]}")
        lines.append(f"Reply: {json.dumps({'answer': answer})}")
    else:
        raise ValueError(f"unknown agent style {style!r}; choose one of: {', '.join(SCRIPTS)}")
    return "\n".join(lines)
