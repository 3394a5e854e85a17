"""Recall@K and NDCG@K against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from agentc.retrieval import ndcg_at_k, recall_at_k


def test_recall_counts_relevant_tools_found_in_the_first_k() -> None:
    ranked = ["a", "x", "b", "y", "c"]
    assert recall_at_k(ranked, {"a", "b", "c"}, 1) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, {"a", "b", "c"}, 2) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, {"a", "b", "c"}, 3) == pytest.approx(2 / 3)
    assert recall_at_k(ranked, {"a", "b", "c"}, 5) == pytest.approx(1.0)
    assert recall_at_k(ranked, {"z"}, 5) == 0.0


def test_ndcg_single_relevant_tool_at_rank_three() -> None:
    # DCG = 1/log2(4) = 0.5; IDCG = 1/log2(2) = 1.
    assert ndcg_at_k(["x", "y", "a"], {"a"}, 3) == pytest.approx(0.5)
    assert ndcg_at_k(["x", "y", "a"], {"a"}, 2) == 0.0


def test_ndcg_two_relevant_tools() -> None:
    # ranked a, x, b with gold {a, b}, K=3: DCG = 1 + 1/log2(4) = 1.5;
    # IDCG = 1 + 1/log2(3) = 1.6309...; NDCG = 0.9197...
    expected = 1.5 / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}, 3) == pytest.approx(expected)
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}, 3) == pytest.approx(0.91972, abs=1e-5)


def test_ndcg_ideal_is_capped_at_k() -> None:
    # Three relevant tools but K=1: IDCG counts one position, so a hit at rank 1 is perfect
    # while recall is only 1/3 (Tool2Vec's definitions).
    assert ndcg_at_k(["a", "b"], {"a", "b", "c"}, 1) == pytest.approx(1.0)
    assert recall_at_k(["a", "b"], {"a", "b", "c"}, 1) == pytest.approx(1 / 3)


def test_perfect_and_empty_rankings() -> None:
    assert ndcg_at_k(["a", "b"], {"a", "b"}, 5) == pytest.approx(1.0)
    assert ndcg_at_k([], {"a"}, 5) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(["a"], set(), 1)
