"""Drafts of training items: a question, the calls that answer it, and the plan text.

A `Draft` keeps its calls as data so requests can be combined: each request
numbers its calls from 1 and refers to them as `$N`; `combine` renumbers them
into one plan and merges identical lookups (two requests about the same
person share one `get_email_address`), as a careful planner would.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from agentc.parser import numbered_plan

_REF = re.compile(r"\$(\d+)")


@dataclass(frozen=True)
class Call:
    """One tool call; string arguments may hold `$N` references to earlier calls."""

    tool: str
    args: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, tool: str, **args: Any) -> "Call":
        return cls(tool, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))

    def renumbered(self, new_ids: Callable[[int], int]) -> "Call":
        return Call(self.tool, tuple((k, _renumber(v, new_ids)) for k, v in self.args))

    def line(self) -> str:
        return f"{self.tool}(" + ", ".join(f"{k}={literal(v)}" for k, v in self.args) + ")"


@dataclass(frozen=True)
class Draft:
    """A question and its gold calls. `answer_task` is K of a closing
    `join($K)` (1-based), `answer` the right final answer where known,
    `parts` the answer's sentences, one per request (for combining), and
    `result` what a closing `join($K)` answers with: task K's result, as
    `number` writes it (the agent answers with it as it is, no joiner)."""

    question: str
    calls: tuple[Call, ...] = ()
    answer_task: int | None = None
    answer: str | None = None
    parts: tuple[str, ...] = field(default=())
    result: str | None = None

    def plan(self) -> str:
        return numbered_plan([c.line() for c in self.calls], self.answer_task)

    def tools(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.tool for c in self.calls))


@dataclass(frozen=True)
class Template:
    """A phrasing template of one intent; `make` fills its slots from an rng."""

    id: str
    intent: str
    make: Callable[[random.Random], Draft]


def combine(question: str, drafts: Sequence[Draft]) -> Draft:
    """One plan running every draft's calls, identical calls merged; the
    closing `join()` lets the joiner answer all the requests together."""
    calls: list[Call] = []
    for draft in drafts:
        mapping: dict[int, int] = {}
        for local, call in enumerate(draft.calls, 1):
            moved = call.renumbered(lambda n: mapping[n])
            if moved in calls:
                mapping[local] = calls.index(moved) + 1
            else:
                calls.append(moved)
                mapping[local] = len(calls)
    parts = tuple(p for d in drafts for p in (d.parts or ((d.answer,) if d.answer else ())))
    answer = " ".join(parts) if all(d.answer is not None for d in drafts) else None
    return Draft(question, tuple(calls), None, answer, parts)


def literal(value: Any) -> str:
    """`value` as a plan-language literal."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return number(value, places=6)
    raise TypeError(f"no plan literal for {value!r}")


def number(value: float, *, places: int | None = None) -> str:
    """`value` rounded to `places` decimals (default: as `convert_units`
    reports figures, at least 4 significant digits and 2 decimals, so an
    answer quotes an observation as it is), trailing zeros dropped, whole
    numbers without a point."""
    import math

    from agentc.tools.builtin.units import readable

    if places is None:
        magnitude = abs(float(value))
        places = max(2, 3 - math.floor(math.log10(magnitude))) if magnitude and math.isfinite(magnitude) else 2
        rounded = readable(float(value))
    else:
        rounded = round(float(value), places)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{places}f}".rstrip("0").rstrip(".")


def sentence(text: str) -> str:
    """`text` with a capital first letter."""
    return text[:1].upper() + text[1:]


def _renumber(value: Any, new_ids: Callable[[int], int]) -> Any:
    if isinstance(value, str):
        return _REF.sub(lambda m: f"${new_ids(int(m.group(1)))}", value)
    if isinstance(value, tuple):
        return tuple(_renumber(v, new_ids) for v in value)
    return value
