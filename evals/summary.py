"""Scores of a run, per category and overall, from its item results.

Accuracy is the share of items that pass their checker; the valid-plan
rate the share whose plan parsed and checked; DAG accuracy the share whose
dependency graph matched the gold one; API and parameter F1 are Seal-Tools'
pooled metrics (counts summed over the items, then precision and recall).
BFCL items carry no pooled counts of their own meaning, so their F1s are
left out (None) where a category has only BFCL items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from agentc.evals.calls import Counts
from agentc.evals.results import ItemResult

@dataclass
class Scores:
    """Tallies of a set of item results."""

    n: int = 0
    passed: int = 0
    valid: int = 0
    dag: int = 0
    seconds: float = 0.0
    counts: Counts = field(default_factory=Counts)
    reasons: Counter[str] = field(default_factory=Counter)
    pooled: bool = False
    """Whether any item has Seal-Tools-style gold (so the F1s mean something)."""

    def add(self, result: ItemResult) -> None:
        self.n += 1
        self.passed += result.passed
        self.valid += result.valid_plan
        self.dag += result.dag_match
        self.seconds += result.seconds
        self.counts = self.counts + result.counts
        if result.reason:
            self.reasons[result.reason] += 1
        self.pooled = self.pooled or result.rules != "bfcl"

    @property
    def accuracy(self) -> float:
        return self.passed / self.n if self.n else 0.0

    @property
    def valid_plan_rate(self) -> float:
        return self.valid / self.n if self.n else 0.0

    @property
    def dag_accuracy(self) -> float:
        return self.dag / self.n if self.n else 0.0

    @property
    def seconds_per_item(self) -> float:
        return self.seconds / self.n if self.n else 0.0

    def api_f1(self) -> dict[str, float] | None:
        c = self.counts
        return _prf(c.api_correct, c.api_predicted, c.api_gold) if self.pooled else None

    def param_f1(self) -> dict[str, float] | None:
        c = self.counts
        return _prf(c.param_correct, c.param_predicted, c.param_gold) if self.pooled else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "valid_plan_rate": round(self.valid_plan_rate, 4),
            "dag_accuracy": round(self.dag_accuracy, 4),
            "api": self.api_f1(),
            "params": self.param_f1(),
            "seconds_per_item": round(self.seconds_per_item, 3),
            "failures": dict(self.reasons.most_common()),
        }


@dataclass
class Summary:
    """Overall scores and scores by category (in the order categories first appear)."""

    overall: Scores
    by_category: dict[str, Scores]

    def as_dict(self) -> dict[str, Any]:
        """The `--summary-json` document: `n`, `accuracy`, `valid_plan_rate`,
        `by_category`, and the other scores beside them."""
        return {**self.overall.as_dict(), "by_category": {k: v.as_dict() for k, v in self.by_category.items()}}


def summarise(results: Iterable[ItemResult]) -> Summary:
    overall = Scores()
    by_category: dict[str, Scores] = {}
    for result in results:
        overall.add(result)
        by_category.setdefault(result.category, Scores()).add(result)
    return Summary(overall, by_category)


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
