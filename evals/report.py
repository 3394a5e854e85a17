"""The `--report` HTML page: the summary table and every failed item.

One self-contained file (inline CSS, no scripts), every text escaped, so
it opens anywhere and a plan's text cannot break the page.
"""

from __future__ import annotations

import html
from typing import Any, Iterable, Sequence

from agentc.evals.results import ItemResult
from agentc.evals.summary import Scores, Summary

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.9em; }
.reason { font-weight: bold; color: #a00; }
"""


def html_report(summary: Summary, results: Sequence[ItemResult], *, title: str, setup: dict[str, Any]) -> str:
    """The page: setup, scores by category, then each failure with its reason and plan."""
    failures = [r for r in results if not r.passed]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "<p>" + ", ".join(f"{_e(k)}: <code>{_e(v)}</code>" for k, v in setup.items()) + "</p>",
        "<h2>Scores</h2>",
        _table(["category", *SCORE_COLUMNS], score_rows(summary), numeric_from=1),
        f"<h2>Failures ({len(failures)})</h2>",
        _table(
            ["item", "reason", "detail", "plan"],
            [
                [
                    _e(r.key),
                    f'<span class="reason">{_e(r.reason or "")}</span>',
                    f"<pre>{_e(r.detail)}</pre>",
                    f"<pre>{_e(r.plan)}</pre>",
                ]
                for r in failures
            ],
            escape=False,
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


SCORE_COLUMNS = ("n", "accuracy", "valid plans", "DAG", "API F1", "param F1", "s/item")


def score_rows(summary: Summary) -> list[list[str]]:
    """One row a category and a last "all" row, as text (shared with the terminal table)."""
    rows = [[name, *_cells(scores)] for name, scores in summary.by_category.items()]
    if len(summary.by_category) > 1:
        rows.append(["all", *_cells(summary.overall)])
    return rows


def _cells(scores: Scores) -> list[str]:
    api, params = scores.api_f1(), scores.param_f1()
    return [
        str(scores.n),
        _pct(scores.accuracy),
        _pct(scores.valid_plan_rate),
        _pct(scores.dag_accuracy),
        _pct(api["f1"]) if api else "–",
        _pct(params["f1"]) if params else "–",
        f"{scores.seconds_per_item:.2f}",
    ]


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _table(header: Iterable[str], rows: Iterable[list[str]], *, numeric_from: int | None = None, escape: bool = True) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = _e(cell) if escape else cell
            css = ' class="num"' if numeric_from is not None and i >= numeric_from else ""
            cells.append(f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)
