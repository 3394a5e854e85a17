"""`score`: one item's plan against its gold calls, by the item's rules.

An invalid plan fails as such (and predicts nothing for Seal-Tools'
counts); otherwise BFCL items go through the AST check and the others
through the call-by-call comparison. The DAG metric and Seal-Tools'
counts are computed for every item, whatever its rules, so the summary can
show all three metrics side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from agentc.evals.bfcl import check_bfcl
from agentc.evals.calls import Counts, check_calls, count_calls
from agentc.evals.dag import same_dag
from agentc.evals.items import Call, EvalItem
from agentc.evals.verdict import Verdict


@dataclass(frozen=True)
class Score:
    """The verdict, whether the DAG matched, and Seal-Tools' counts."""

    verdict: Verdict
    dag_match: bool
    counts: Counts


def score(item: EvalItem, calls: Sequence[Call], plan_error: str | None = None) -> Score:
    """Score `calls` (the tasks of a plan) for `item`; `plan_error` is the
    `PlanError` text when the plan did not parse or check."""
    if plan_error is not None:
        return Score(Verdict.fail("invalid plan", plan_error), False, count_calls(item, []))
    verdict = check_bfcl(item, calls) if item.rules == "bfcl" else check_calls(item, calls)
    return Score(verdict, same_dag(calls, item.calls), count_calls(item, calls))
