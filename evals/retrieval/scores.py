"""What `agentc eval retrieval` records and shows: one line per method, the table, the report, the summary.

A `MethodResult` is one method's scores (`RetrievalReport.summary()`: its
`recall@K`, `ndcg@K`, latency, training time and counts) written flat as
one results-file line with its key (the method) and the run's setup, so a
re-run with the same `--results` file skips the methods already scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from agentc.evals.report import html_page
from agentc.evals.table import ScoreTable


@dataclass
class MethodResult:
    """One method's scores on the test queries."""

    key: str
    """The method's name, e.g. "tool2vec"."""
    scores: dict[str, Any]
    setup: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return True

    def to_json(self) -> str:
        return json.dumps({**self.scores, "key": self.key, "setup": self.setup})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MethodResult":
        """A results-file line back (a line without "key" or "setup" is no result: `KeyError`)."""
        scores = dict(data)
        key, setup = scores.pop("key"), scores.pop("setup")
        if not isinstance(setup, dict):
            raise TypeError(f"'setup' is a {type(setup).__name__}, not an object")
        return cls(str(key), scores, setup)


def score_table(results: Sequence[MethodResult], ks: Sequence[int]) -> ScoreTable:
    """The methods side by side: Recall@K and NDCG@K for each K, ms/query and training seconds."""
    table = ScoreTable(["method", *(f"R@{k}" for k in ks), *(f"NDCG@{k}" for k in ks), "ms/query", "train s"])
    for result in results:
        scores = result.scores
        table.rows.append(
            [
                result.key,
                *(f"{scores[f'recall@{k}']:.3f}" for k in ks),
                *(f"{scores[f'ndcg@{k}']:.3f}" for k in ks),
                f"{scores['ms_per_query']:.2f}",
                f"{scores['train_seconds']:.1f}",
            ]
        )
    return table


def summary(results: Sequence[MethodResult]) -> dict[str, Any]:
    """One method: its scores at the top level. Several: `{"dataset", "methods": {name: scores}}`."""
    if len(results) == 1:
        return dict(results[0].scores)
    return {"dataset": results[0].scores.get("dataset", ""), "methods": {r.key: dict(r.scores) for r in results}}


def html_report(results: Sequence[MethodResult], ks: Sequence[int], *, title: str, setup: dict[str, Any]) -> str:
    """The page: the setup, then the scores of every method."""
    return html_page(title, setup, ["<h2>Scores</h2>", score_table(results, ks).html()])
