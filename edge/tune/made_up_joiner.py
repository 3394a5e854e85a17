"""Joiner pairs over any tools' plans, with made-up results.

The synthesizer's joiner pairs all come from the built-in tools (a
calculator, a unit converter, ...), and a joiner tuned on them alone, given
a user's own tool, answered with figures it had seen in training or with
the joiner prompt's own example instead of what the tool returned. The
public sets' gold calls cover a few thousand tool shapes, and a user's grown
plans cover the user's own; each call here gets a made-up result (a number,
a short text, or a small JSON object), and the joiner's target answer
restates every result against what tells the calls apart
(`Lima: 17.0; Oslo: -3.5.`). Some plans get one failed call: the
target is then a `Replan(...)` naming what failed, or, when no replan is
left, a `Finish(...)` that says what could not be found and gives the rest.
Some get no call at all, as when the planner wrote a bare `join()` for a
question that needed a tool: the target is a `Replan(...)` naming the calls
the question needs (the planner plans them from that reason), or, when no
replan is left, a `Finish(...)` that says nothing was looked up, never a
made-up figure.

The answers are plain on purpose: what the joiner must learn from them is
to take its figures from the observations, every one of them, each with
the thing it belongs to.
"""

from __future__ import annotations

import random
from typing import Any, Sequence

from agentc.errors import AgentcError
from agentc.parser import parse_plan
from agentc.plan import references
from agentc.trace import TaskRecord
from agentc.edge.tune.pairs import Pair, Split
from agentc.retrieval.base import split_name
from agentc.edge.tune.synth import FINISH_THOUGHTS

OUTCOMES = (
    "available", "not available", "confirmed", "pending", "sold out", "open", "closed", "approved",
    "rejected", "in stock", "out of stock", "valid", "invalid", "completed", "scheduled", "cancelled",
)
ERRORS = (
    "TimeoutError: the service did not answer in time",
    "ValueError: no data for the given arguments",
    "ConnectionError: the server refused the connection",
    "KeyError: no record matches",
    "RuntimeError: HTTP 503 from the upstream service",
)
FAILED_SHARE = 0.2
"""Share of plans in which one call fails."""
UNRUN_SHARE = 0.1
"""Share of plans of which no call ran."""
UNRUN_ANSWER = "I have no results to answer from: no tool was run for this question."


PlannedQuestion = tuple[str, str, str]
"""An item's key, its question and its gold plan."""


def made_up_joiner_pairs(
    planned: Sequence[PlannedQuestion], count: int, *, seed: int, split: Split, source: str
) -> list[Pair]:
    """Up to `count` joiner pairs from `planned` items whose gold plan has
    calls and no references (their arguments are then the calls' own)."""
    from agentc.planners.llmcompiler import joiner_messages

    rng = random.Random(f"public-joiner:{seed}:{source}:{split}")
    usable = [(key, question, calls) for key, question, plan in planned if (calls := _plain_calls(plan))]
    rng.shuffle(usable)
    pairs = []
    for key, question, calls in usable[:count]:
        records = [
            TaskRecord(idx, tool, args, [], status="done", observation=_observation(tool, rng))
            for idx, tool, args in calls
        ]
        shown, final = records, False
        roll = rng.random()
        if roll < UNRUN_SHARE:
            shown, final = [], rng.random() < 0.3
            completion = _unrun_reply(records, final)
        elif roll < UNRUN_SHARE + FAILED_SHARE:
            failed = rng.choice(records)
            failed.status, failed.observation, failed.error = "error", None, rng.choice(ERRORS)
            final = rng.random() < 0.5
            completion = _failed_reply(records, failed, final)
        else:
            completion = f"Thought: {rng.choice(FINISH_THOUGHTS)}\nAction: Finish({_answer(records)})"
        messages = tuple(joiner_messages(question, shown, final=final))
        pairs.append(Pair(messages, completion, "joiner", source, f"{source}/{key}", split))
    return pairs


def _plain_calls(plan: str) -> list[tuple[int, str, dict[str, Any]]]:
    """The plan's calls as (id, tool, arguments), or [] when it has none or
    one refers to another's result."""
    try:
        parsed = [call for call in parse_plan(plan) if not call.is_join]
    except AgentcError:
        return []
    calls = []
    for call in parsed:
        args = dict(call.keywords)
        if any(next(references(value), None) is not None for value in args.values()) or call.positional:
            return []
        calls.append((call.idx, call.tool, args))
    return calls


def _observation(tool: str, rng: random.Random) -> Any:
    """A made-up result: mostly a number, else a short text or a small JSON object."""
    roll = rng.random()
    if roll < 0.55:
        return _number(rng)
    if roll < 0.75:
        return rng.choice(OUTCOMES)
    words = _words(tool).split()
    key = "_".join(words[-2:]) if len(words) > 1 else "result"
    return {key: _number(rng), "status": rng.choice(("ok", "complete"))}


def _number(rng: random.Random) -> int | float:
    kind = rng.random()
    if kind < 0.35:
        return rng.randint(1, 999)
    if kind < 0.5:
        return rng.randint(1000, 250000)
    if kind < 0.6:
        return -round(rng.uniform(0.5, 60), 1)
    return round(rng.uniform(0.01, 5000), rng.choice((1, 2, 2, 3)))


def _answer(records: Sequence[TaskRecord]) -> str:
    """Each call's result against what tells it apart from the others."""
    return "; ".join(f"{_subject(r, records)}: {_value_text(r.observation)}" for r in records) + "."


def _failed_reply(records: Sequence[TaskRecord], failed: TaskRecord, final: bool) -> str:
    """A `Replan` naming the failed call, or, on the last round, a `Finish`
    that says what is missing and gives the results there are."""
    subject = _subject(failed, records)
    reason = failed.error.split(": ", 1)[-1] if failed.error else "it failed"
    thought = f"Thought: The call for {subject} failed: {reason}."
    if not final:
        return f"{thought}\nAction: Replan(get {subject} again; {_words(failed.tool)} failed the last time)"
    rest = [r for r in records if r is not failed]
    answer = f"I could not get {subject}: {reason}."
    if rest:
        answer += " " + _answer(rest)
    return f"{thought}\nAction: Finish({answer})"


def _unrun_reply(wanted: Sequence[TaskRecord], final: bool) -> str:
    """A `Replan` naming the calls the question needs, or, on the last
    round, a `Finish` that says nothing was looked up."""
    thought = "Thought: No tool was run, so there is nothing to answer from."
    if final:
        return f"{thought}\nAction: Finish({UNRUN_ANSWER})"
    needs: dict[str, list[str]] = {}
    for record in wanted:
        same_tool = [r for r in wanted if r.tool == record.tool]
        subject = _subject(record, same_tool)
        if subject not in needs.setdefault(record.tool, []):
            needs[record.tool].append(subject)
    parts = [
        subjects[0] if len(subjects) == 1 else f"{_words(tool)} for {' and '.join(subjects)}"
        for tool, subjects in needs.items()
    ]
    return f"{thought}\nAction: Replan(call {'; '.join(parts)})"


def _subject(record: TaskRecord, records: Sequence[TaskRecord]) -> str:
    """What a result belongs to: the argument values that tell the call apart
    from other calls of its tool, else its first text value, else the tool."""
    same_tool = [r for r in records if r.tool == record.tool]
    if len(same_tool) > 1:
        differing = [
            _arg_text(value) for name, value in record.args.items() if any(r.args.get(name) != value for r in same_tool)
        ]
        if differing and len(records) > len(same_tool):
            return f"{_words(record.tool)} for {', '.join(differing)}"
        if differing:
            return ", ".join(differing)
    texts = [value for value in record.args.values() if isinstance(value, str) and value.strip()]
    if texts:
        return f"{_words(record.tool)} for {texts[0]}"
    return _words(record.tool)


def _arg_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " and ".join(_arg_text(v) for v in value)
    return str(value)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{str(k).replace('_', ' ')} {v}" for k, v in value.items())
    return str(value)


def _words(name: str) -> str:
    """A tool's name as words, less a leading "get": `getFDAApproval` -> `fda approval`."""
    words = split_name(name)
    return words[4:] if words.startswith("get ") else words
