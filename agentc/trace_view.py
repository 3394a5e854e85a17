"""Drawing a trace: a timeline of LLM calls and tasks, and the DAG as Mermaid."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from agentc.trace import Trace

_STYLE = {"done": "green", "error": "red", "skipped": "yellow", "cancelled": "magenta"}


def timeline(trace: Trace, width: int = 50) -> Table:
    """One row per LLM call and task, with a bar placed on the run's time axis."""
    end = trace.finished_at or max(
        [r.finished_at or 0.0 for r in trace.tasks] + [c.finished_at or 0.0 for c in trace.llm_calls] + [1e-9]
    )
    table = Table(title=f"{trace.question[:60]} ({end:.2f} s)", show_lines=False)
    for column in ("step", "what", "start", "end"):
        table.add_column(column, no_wrap=True)
    table.add_column("timeline", no_wrap=True, min_width=width)

    def bar(start: float | None, stop: float | None, style: str) -> Text:
        if start is None:
            return Text("")
        a = int(start / end * width)
        b = max(a + 1, int((stop if stop is not None else end) / end * width))
        return Text(" " * a + "█" * (b - a), style=style)

    rows = [(c.started_at, c.role, "LLM" + (f" error: {c.error}" if c.error else ""), c.started_at, c.finished_at, "cyan") for c in trace.llm_calls]
    rows += [
        (r.started_at if r.started_at is not None else end, f"${r.idx}", f"{r.tool} [{r.status}]", r.started_at, r.finished_at, _STYLE.get(r.status, "white"))
        for r in trace.tasks
    ]
    for _, step, what, start, stop, style in sorted(rows, key=lambda row: row[0]):
        table.add_row(Text(step), Text(what), _seconds(start), _seconds(stop), bar(start, stop, style))
    return table


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


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
