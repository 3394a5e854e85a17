"""What `agentc eval web` shows: the success table by site, and the report with every trajectory.

The report is the evaluations' one HTML page (`agentc.evals.report`) with
the web sections: the table by site, one row per task, and per task its
plans, actions (with the page after each and its screenshot, linked by its
path relative to the report), unreadable outputs and LLM calls.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from agentc.evals.report import esc, html_page, html_table, write_page
from agentc.evals.table import ScoreTable, pct
from agentc.evals.web.outcome import TaskOutcome, summary


def site_table(outcomes: Sequence[TaskOutcome]) -> ScoreTable:
    """One row per site and a last "all" row: n, passed, success, mean steps and seconds."""
    groups: dict[str, list[TaskOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.result.site, []).append(outcome)
    if len(groups) > 1:
        groups["all"] = list(outcomes)
    table = ScoreTable(["site", "n", "passed", "success", "steps/task", "s/task"])
    for site, group in groups.items():
        n = len(group)
        table.rows.append(
            [
                site,
                str(n),
                str(sum(o.result.passed for o in group)),
                pct(summary([o.result for o in group])["success_rate"]),
                f"{sum(o.result.steps for o in group) / n:.1f}",
                f"{sum(o.result.seconds for o in group) / n:.2f}",
            ]
        )
    return table


def html_report(outcomes: Sequence[TaskOutcome], *, title: str, setup: dict[str, Any], path: Path) -> str:
    """The report page for `outcomes`, to be written at `path` (screenshot links are relative to it)."""
    folder = path.resolve().parent
    rows = [
        [
            f'<a href="#t-{n}">{esc(o.result.key)}</a>',
            esc(o.result.site),
            _verdict(o, with_error=True),
            esc(o.result.answer if o.result.answer is not None else ""),
            esc(o.result.stop_reason or ""),
            esc(o.result.steps),
            esc(o.result.intent),
        ]
        for n, o in enumerate(outcomes, start=1)
    ]
    sections = [
        "<h2>Success by site</h2>",
        site_table(outcomes).html(),
        f"<h2>Tasks ({len(outcomes)})</h2>",
        html_table(["task", "site", "result", "answer", "stop", "steps", "intent"], rows, escape=False),
        "<h2>Trajectories</h2>",
        *(_trajectory(n, o, folder) for n, o in enumerate(outcomes, start=1)),
    ]
    return html_page(title, setup, sections)


def write_report(outcomes: Sequence[TaskOutcome], *, title: str, setup: dict[str, Any], path: Path) -> Path:
    return write_page(path, html_report(outcomes, title=title, setup=setup, path=path))


def _verdict(outcome: TaskOutcome, *, with_error: bool = False) -> str:
    result = outcome.result
    word = "pass" if result.passed else "error" if with_error and result.error else "fail"
    return f'<span class="{"pass" if result.passed else "fail"}">{word}</span>'


def _trajectory(n: int, outcome: TaskOutcome, folder: Path) -> str:
    """One task's section: its answer and counts, then what its run did."""
    r = outcome.result
    parts = [
        f'<h3 id="t-{n}">{esc(r.key)} · {_verdict(outcome)}</h3>',
        f"<p>{esc(r.intent)}</p>",
    ]
    if r.error:
        parts.append(f'<p class="fail">error: {esc(r.error)}</p>')
    parts.append(
        f"<p>answer: <code>{esc(r.answer)}</code> · stop: {esc(r.stop_reason)} · {r.steps} step(s), "
        f"{r.replans} replan(s), {r.llm_calls} LLM call(s), {r.seconds:.2f} s</p>"
    )
    if r.details:
        parts.append("<ul>" + "".join(f"<li>{esc(d)}</li>" for d in r.details) + "</ul>")
    run = outcome.run
    if run is None:
        return "\n".join(parts)
    if run.plans:
        plans = "".join(f"<p>plan {i}</p><pre>{esc(p)}</pre>" for i, p in enumerate(run.plans, start=1))
        parts.append(_details(f"plans ({len(run.plans)})", plans))
    steps = [
        [
            esc(s.step),
            f"<code>{esc(s.action)}</code>",
            esc(s.plan_step or "") + (f"<br><i>{esc(s.thought)}</i>" if s.thought else ""),
            f"{esc(s.title)}<br><small>{esc(s.url)}</small>",
            esc(s.error or ""),
            _screenshot(s.screenshot, s.step, folder),
        ]
        for s in run.actions
    ]
    parts.append(html_table(["#", "action", "plan step / thought", "page after", "error", "screenshot"], steps, escape=False))
    if run.parse_failures:
        items = "".join(f"<li><pre>{esc(f)}</pre></li>" for f in run.parse_failures)
        parts.append(_details(f"unreadable outputs ({len(run.parse_failures)})", f"<ul>{items}</ul>"))
    calls = run.trace.llm_calls
    if calls:
        shown = "".join(
            f"<p>{esc(c.role)} · {c.prompt_tokens} + {c.completion_tokens} tokens"
            + (f' · <span class="fail">{esc(c.error)}</span>' if c.error else "")
            + f"</p><pre>{esc(c.completion)}</pre>"
            for c in calls
        )
        parts.append(_details(f"LLM calls ({len(calls)})", shown))
    return "\n".join(parts)


def _details(summary_text: str, body: str) -> str:
    return f"<details><summary>{esc(summary_text)}</summary>{body}</details>"


def _screenshot(screenshot: str | None, step: int, folder: Path) -> str:
    if not screenshot:
        return ""
    link = esc(os.path.relpath(screenshot, folder))
    return f'<a href="{link}"><img src="{link}" alt="step {step}"></a>'
