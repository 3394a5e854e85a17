"""Exact numpy search and the faiss graph above the size threshold agree."""

from __future__ import annotations

import numpy as np

from agentc.retrieval.index import VectorIndex, top_k


def _unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_top_k_is_sorted_and_breaks_ties_by_position() -> None:
    rows, values = top_k(np.array([0.1, 0.9, 0.5, 0.9, -1.0], dtype=np.float32), 3)
    assert rows.tolist() == [1, 3, 2]
    assert values.tolist() == [np.float32(0.9), np.float32(0.9), np.float32(0.5)]
    assert top_k(np.array([0.3], dtype=np.float32), 5)[0].tolist() == [0]


def test_exact_search_finds_the_nearest_rows() -> None:
    matrix = _unit_rows(500, 32, 0)
    index = VectorIndex.from_matrix(matrix)
    rows, scores = index.search(matrix[42], 3)
    assert rows[0] == 42
    assert np.isclose(scores[0], 1.0, atol=1e-5)
    assert np.allclose(scores, np.sort(matrix @ matrix[42])[::-1][:3], atol=1e-5)


def test_faiss_graph_above_the_threshold_matches_exact_search() -> None:
    matrix = _unit_rows(2000, 32, 1)
    exact = VectorIndex.from_matrix(matrix)
    graph = VectorIndex.from_matrix(matrix, faiss_threshold=1000)
    queries = _unit_rows(20, 32, 2)
    agree = sum(exact.search(q, 5)[0][0] == graph.search(q, 5)[0][0] for q in queries)
    assert graph._graph is not None  # the faiss graph really answered
    assert agree >= 19


def test_append_and_replace_reach_the_faiss_graph() -> None:
    matrix = _unit_rows(1200, 16, 3)
    index = VectorIndex.from_matrix(matrix, faiss_threshold=1000)
    new = _unit_rows(1, 16, 4)[0]
    assert index.search(new, 1)[0][0] != 1200
    assert index.append(new) == 1200
    assert index.search(new, 1)[0][0] == 1200
    index.replace(7, new)
    assert set(index.search(new, 2)[0].tolist()) == {7, 1200}
