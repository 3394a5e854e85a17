"""The `agentc eval fc` scores table: a score no row has is left out."""

from __future__ import annotations

from agentc.evals.fc_report import score_table
from agentc.evals.summary import Scores, Summary
from agentc.evals.table import NO_VALUE, ScoreTable


def test_columns_without_a_value_are_left_out():
    table = ScoreTable(["site", "n", "F1", "s"], [["a", "2", NO_VALUE, "1.0"], ["b", "3", "", "2.0"]])
    assert table.without_empty_columns() == ScoreTable(["site", "n", "s"], [["a", "2", "1.0"], ["b", "3", "2.0"]])
    some = ScoreTable(["site", "F1"], [["a", NO_VALUE], ["b", "50.0%"]])
    assert some.without_empty_columns() == some


def test_bfcl_scores_show_no_f1_columns_and_pooled_ones_do():
    bfcl = Summary(Scores(n=2, passed=1, valid=2), {"simple": Scores(n=2, passed=1, valid=2)})
    assert score_table(bfcl).columns == ["category", "n", "accuracy", "valid plans", "DAG", "s/item"]
    assert score_table(bfcl).rows == [["simple", "2", "50.0%", "100.0%", "0.0%", "0.00"]]
    pooled = Summary(Scores(n=1, pooled=True), {"seal": Scores(n=1, pooled=True)})
    assert "API F1" in score_table(pooled).columns and "param F1" in score_table(pooled).columns
