"""Drawing a trace: a timeline of LLM calls and tasks, and the DAG as Mermaid.

`read_trace` checks that a file is a trace before anything is drawn, so a
wrong file gives one error instead of an empty table.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, NamedTuple

from pydantic import ValidationError
from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from agentc.plan import render, shortened
from agentc.trace import Trace

_STYLE = {"done": "green", "error": "red", "skipped": "yellow", "cancelled": "magenta", "running": "blue"}
_TRACE_KEYS = ("question", "tasks", "llm_calls")
"""Keys every saved trace has (`Trace.save` writes every field)."""
CALL_CHARS = 48
"""Longest call text in the timeline; the rest is cut with "…"."""
BAR_MIN, BAR_MAX = 8, 40
"""The time axis' width in columns: at least (else it is left out), at most."""
_FIXED_COLUMNS = 40
"""Columns that step, status, start→end and the table's padding take."""


def read_trace(text: str, source: str = "the file") -> Trace:
    """The trace saved in `text` (by `agentc run --trace` or `Trace.save`).

    Raises `ValueError` with one line naming `source` and what it holds
    instead: not JSON, JSON that is not a trace (`{}`, a list), or a trace
    with a field of the wrong type.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{source} is not JSON ({exc}); pass a trace written by `agentc run --trace FILE`") from None
    missing = [key for key in _TRACE_KEYS if key not in data] if isinstance(data, dict) else list(_TRACE_KEYS)
    if missing:
        found = f"an object without {', '.join(missing)}" if isinstance(data, dict) else f"a JSON {_json_kind(data)}"
        raise ValueError(
            f"{source} is not an agentc trace: it holds {found}; pass a trace written by `agentc run --trace FILE`"
        )
    try:
        return Trace.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "the trace"
        raise ValueError(f"{source} is not a valid agentc trace: {where}: {first.get('msg', 'invalid')}") from None


def timeline(trace: Trace, width: int = 100) -> Table:
    """One row per LLM call and task in start order: what it was (a call cut
    to `CALL_CHARS`), its status, start→end in seconds, its tries when a
    task was retried, its error under it, and a bar on the run's time axis.
    `width` is the terminal's: the bar gets a third of what the other
    columns leave, and is left out below 80 columns or so."""
    end = trace.finished_at or max(
        [r.finished_at or 0.0 for r in trace.tasks] + [c.finished_at or 0.0 for c in trace.llm_calls] + [1e-9]
    )
    retried = any(r.attempts > 1 for r in trace.tasks)
    bar = min(BAR_MAX, (width - _FIXED_COLUMNS - (7 if retried else 0)) // 3)
    table = Table(title=f"{shortened(trace.question, 60)} ({end:.2f} s)", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("step", no_wrap=True)
    table.add_column("what", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("start→end", no_wrap=True, justify="right")
    if retried:
        table.add_column("tries", no_wrap=True, justify="right")
    if bar >= BAR_MIN:
        table.add_column("timeline", width=bar, no_wrap=True)
    for row in sorted(_rows(trace, end), key=lambda row: row.at):
        cells: list[Any] = [row.step, row.what, Text(row.status, style=row.style), _span(row.start, row.stop)]
        if retried:
            cells.append(row.tries)
        if bar >= BAR_MIN:
            cells.append(_Bar(row.start, row.stop, end, row.style))
        table.add_row(*cells)
    return table


class _Row(NamedTuple):
    """One line of the timeline: an LLM call or a task."""

    at: float
    step: str
    what: Text
    status: str
    style: str
    start: float | None
    stop: float | None
    tries: str = ""


def _rows(trace: Trace, end: float) -> Iterable[_Row]:
    for call in trace.llm_calls:
        what = Text(f"LLM, {call.completion_tokens} tokens")
        if call.error:
            what.append(f"\nerror: {call.error}", style="red")
        status = "error" if call.error else "done" if call.finished_at is not None else "running"
        yield _Row(call.started_at, call.role, what, status, _STYLE[status] if call.error else "cyan", call.started_at, call.finished_at)
    for record in trace.tasks:
        args = ", ".join(f"{key}={render(value)}" for key, value in record.args.items())
        what = Text(shortened(f"{record.tool}({args})", CALL_CHARS))
        if record.same_as is not None and record.status == "done":
            what.append(f"\nsame call as ${record.same_as}, run once", style="dim")
        if record.error:
            what.append(f"\n{record.error}", style=_STYLE.get(record.status, "red"))
        yield _Row(
            record.started_at if record.started_at is not None else end,
            f"${record.idx}",
            what,
            record.status,
            _STYLE.get(record.status, "white"),
            record.started_at,
            record.finished_at,
            str(record.attempts) if record.attempts > 1 else "",
        )


class _Bar:
    """A bar placed on the run's time axis, drawn to the width its column gets."""

    def __init__(self, start: float | None, stop: float | None, end: float, style: str) -> None:
        self.start, self.stop, self.end, self.style = start, stop, end, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.start is None:
            yield Text("")
            return
        width = options.max_width
        a = min(width - 1, int(self.start / self.end * width))
        b = max(a + 1, min(width, int((self.stop if self.stop is not None else self.end) / self.end * width)))
        yield Text(" " * a + "█" * (b - a), style=self.style)


def mermaid(trace: Trace) -> str:
    """The task DAG as a Mermaid flowchart (paste into any Mermaid renderer)."""
    lines = ["flowchart LR"]
    for record in trace.tasks:
        label = f"${record.idx} {record.tool} ({record.status})".replace('"', "'")
        lines.append(f'    t{record.idx}["{label}"]')
    for record in trace.tasks:
        for dep in record.deps:
            lines.append(f"    t{dep} --> t{record.idx}")
        if record.same_as is not None:
            lines.append(f"    t{record.same_as} -. same call .-> t{record.idx}")
    return "\n".join(lines)


def _span(start: float | None, stop: float | None) -> str:
    """"0.12→0.45"; "0.12→" for what never finished; "" for what never started."""
    if start is None:
        return ""
    return f"{start:.2f}→" + ("" if stop is None else f"{stop:.2f}")


def _json_kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
