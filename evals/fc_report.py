"""What `agentc eval fc` shows: the scores table by category and the report with every failure."""

from __future__ import annotations

from typing import Any, Sequence

from agentc.evals.report import esc, html_page, html_table
from agentc.evals.results import ItemResult
from agentc.evals.summary import Scores, Summary
from agentc.evals.table import NO_VALUE, ScoreTable, pct

SCORE_COLUMNS = ("n", "accuracy", "valid plans", "DAG", "API F1", "param F1", "s/item")


def score_table(summary: Summary) -> ScoreTable:
    """One row a category and a last "all" row; a score no row has (API
    and param F1 need pooled calls, which BFCL items do not have) is left out."""
    rows = [[name, *_cells(scores)] for name, scores in summary.by_category.items()]
    if len(summary.by_category) > 1:
        rows.append(["all", *_cells(summary.overall)])
    return ScoreTable(["category", *SCORE_COLUMNS], rows).without_empty_columns()


def html_report(summary: Summary, results: Sequence[ItemResult], *, title: str, setup: dict[str, Any]) -> str:
    """The page: setup, scores by category, then each failure with its reason and plan."""
    failures = [r for r in results if not r.passed]
    rows = [
        [esc(r.key), f'<span class="reason">{esc(r.reason or "")}</span>', f"<pre>{esc(r.detail)}</pre>", f"<pre>{esc(r.plan)}</pre>"]
        for r in failures
    ]
    return html_page(
        title,
        setup,
        [
            "<h2>Scores</h2>",
            score_table(summary).html(),
            f"<h2>Failures ({len(failures)})</h2>",
            html_table(["item", "reason", "detail", "plan"], rows, escape=False),
        ],
    )


def _cells(scores: Scores) -> list[str]:
    api, params = scores.api_f1(), scores.param_f1()
    return [
        str(scores.n),
        pct(scores.accuracy),
        pct(scores.valid_plan_rate),
        pct(scores.dag_accuracy),
        pct(api["f1"]) if api else NO_VALUE,
        pct(params["f1"]) if params else NO_VALUE,
        f"{scores.seconds_per_item:.2f}",
    ]
