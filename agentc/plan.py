"""The plan IR: tasks, references between them, and substitution of results.

A plan argument is a literal (str, int, float, bool, None, list, dict), a
`Ref` (an argument that is exactly `$N`: replaced by task N's value, type
kept), or a `Template` (a string with `$N` inside: replaced by its text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping


MAX_TASK_ID = 10**6
"""The largest task id a plan may use."""


def task_number(digits: str) -> int | None:
    """The number written as `digits`, or None when it is longer than any
    task id (MAX_TASK_ID); whether it is in range is for the caller to say.

    Decided on the text first, so a number of thousands of digits is never
    converted (Python refuses to convert integers over 4,300 digits) and a
    long number is never cut to a shorter, valid one."""
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(MAX_TASK_ID)):
        return None
    return int(significant)


def shown_digits(digits: str, limit: int = 12) -> str:
    """A number's digits for an error message, shortened when very long."""
    return digits if len(digits) <= limit else f"{digits[:limit]}… ({len(digits)} digits)"


@dataclass(frozen=True)
class Ref:
    """`$N`: the result of task N."""

    idx: int

    def __str__(self) -> str:
        return f"${self.idx}"


@dataclass(frozen=True)
class Template:
    """A string with references inside, e.g. `"weather in $1"`."""

    parts: tuple[str | Ref, ...]

    def __str__(self) -> str:
        return "".join(str(p) for p in self.parts)


@dataclass(frozen=True)
class ParsedCall:
    """One plan line as written: the call before it is bound to a tool's schema."""

    idx: int
    tool: str
    positional: tuple[Any, ...]
    keywords: tuple[tuple[str, Any], ...]
    thought: str | None
    line: int
    text: str

    @property
    def is_join(self) -> bool:
        return self.tool == "join"


@dataclass
class Task:
    """A checked task: a tool call with named arguments and its dependencies."""

    idx: int
    tool: str
    args: dict[str, Any]
    deps: tuple[int, ...]
    thought: str | None = None
    line: int = 0
    text: str = ""
    same_as: int | None = field(default=None)
    """Set when an identical earlier call exists: this task takes its result."""

    @property
    def call_text(self) -> str:
        """The call as plan text, e.g. `search(query="x", k=$1)`."""
        return f"{self.tool}({', '.join(f'{k}={render(v)}' for k, v in self.args.items())})"


def critical_path(tasks: Iterable[Task], duration: Callable[[int], float]) -> tuple[float, list[int]]:
    """The longest chain of dependent tasks by `duration(task id)`: its
    length and its task ids, first to last.

    That length bounds a run's makespan from below, however many tasks run
    at once. The tasks are checked ones: each depends only on tasks with
    smaller ids (the parser refuses anything else), so id order is a
    topological order and there is no cycle to find.
    """
    deps = {task.idx: task.deps for task in tasks}
    finish: dict[int, float] = {}
    previous: dict[int, int | None] = {}
    for idx in sorted(deps):
        before = max((d for d in deps[idx] if d in finish), key=finish.__getitem__, default=None)
        finish[idx] = (finish[before] if before is not None else 0.0) + duration(idx)
        previous[idx] = before
    if not finish:
        return 0.0, []
    end = max(finish, key=finish.__getitem__)
    path: list[int] = []
    node: int | None = end
    while node is not None:
        path.append(node)
        node = previous[node]
    return finish[end], path[::-1]


def references(value: Any) -> Iterator[int]:
    """Every task id `value` refers to, in order of appearance (repeats kept)."""
    if isinstance(value, Ref):
        yield value.idx
    elif isinstance(value, Template):
        for part in value.parts:
            if isinstance(part, Ref):
                yield part.idx
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from references(key)
            yield from references(item)


def substitute(value: Any, results: Mapping[int, Any]) -> Any:
    """Replace references in `value` by results: `Ref` by the value itself,
    references inside a `Template` by the value's text (`as_text`)."""
    if isinstance(value, Ref):
        return results[value.idx]
    if isinstance(value, Template):
        return "".join(as_text(results[p.idx]) if isinstance(p, Ref) else p for p in value.parts)
    if isinstance(value, list):
        return [substitute(v, results) for v in value]
    if isinstance(value, tuple):
        return tuple(substitute(v, results) for v in value)
    if isinstance(value, dict):
        return {substitute(k, results): substitute(v, results) for k, v in value.items()}
    return value


def as_text(value: Any) -> str:
    """The text of a result inside a longer string or an observation:
    strings as they are, JSON-able values as JSON, anything else by `str`."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def clipped(text: str, max_chars: int) -> str:
    """`text` cut to `max_chars`, saying how much was left out: what a
    prompt shows of an observation or argument, however large it is."""
    if len(text) <= max_chars:
        return text
    return text[:max_chars] + f" ... ({len(text) - max_chars} more characters)"


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in "…": what a terminal line
    shows of a call or a result (a prompt uses `clipped`, which says how
    much was left out)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_text(tool: str, args: Mapping[str, Any], max_chars: int) -> str:
    """`tool(k=v, ...)` as a prompt shows a call that ran: each argument (an
    earlier result, once `$N` was substituted) cut to `max_chars`."""
    return f"{tool}(" + ", ".join(f"{k}={clipped(render(v), max_chars)}" for k, v in args.items()) + ")"


def render(value: Any) -> str:
    """A plan-language literal for `value` (references shown as `$N`)."""
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, Template):
        inner = "".join(str(p) if isinstance(p, Ref) else p.replace("\\", "\\\\").replace('"', '\\"') for p in value.parts)
        return f'"{inner}"'
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(render(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render(k)}: {render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def to_plain(value: Any) -> Any:
    """`value` with references as their `$N` text: for traces and JSON."""
    if isinstance(value, (Ref, Template)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    return value
