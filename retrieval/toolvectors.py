"""Per tool, the vectors the embedding retrievers rank by.

Each tool keeps its description vector and the running sum and count of the
vectors of its usage queries. Tool2Vec's tool vector is the mean of those
query vectors, re-normalised; keeping the sum (not the mean) is what makes
`add_tool(..., examples=...)` an O(1) update instead of a refit.

The description counts as `prior_weight` pseudo-queries in that mean. With
dozens of examples (MetaTool: ~70 a tool) it changes nothing; with one or
two (Seal-Tools) it stops a tool from being pulled onto the phrasing of its
few queries, which otherwise outranks every tool known only by its
description (Seal-Tools Recall@5: 0.52 with pure means, 0.63 with the prior).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from agentc.retrieval.base import Example, ToolLike, check_unique, tool_text
from agentc.retrieval.encoder import Encoder
from agentc.retrieval.errors import RetrievalError


class ToolVectors:
    """Names, texts, description vectors, usage sums and counts, row-aligned."""

    def __init__(self, dim: int, *, prior_weight: float = 4.0) -> None:
        self.prior_weight = prior_weight
        self.names: list[str] = []
        self.texts: list[str] = []
        self.position: dict[str, int] = {}
        self.description = np.zeros((0, dim), dtype=np.float32)
        self.usage_sum = np.zeros((0, dim), dtype=np.float32)
        self.count = np.zeros(0, dtype=np.int64)

    @classmethod
    def build(
        cls,
        tools: Sequence[ToolLike],
        examples: Sequence[Example],
        encoder: Encoder,
        *,
        use_examples: bool = True,
        prior_weight: float = 4.0,
    ) -> "ToolVectors":
        """Encode every tool's text and (when `use_examples`) every example query, in batches."""
        check_unique(tools)
        texts = [tool_text(t) for t in tools]
        description = encoder.encode(texts)
        vectors = cls(description.shape[1] if len(tools) else _dim_of(encoder), prior_weight=prior_weight)
        vectors.names = [t.name for t in tools]
        vectors.texts = texts
        vectors.position = {name: i for i, name in enumerate(vectors.names)}
        vectors.description = description
        vectors.usage_sum = np.zeros_like(description)
        vectors.count = np.zeros(len(tools), dtype=np.int64)
        if use_examples and examples:
            rows = vectors.rows_of(examples)
            query_vectors = encoder.encode([e.query for e in examples])
            for query_vector, tool_rows in zip(query_vectors, rows):
                for row in tool_rows:
                    vectors.usage_sum[row] += query_vector
                    vectors.count[row] += 1
        return vectors

    def __len__(self) -> int:
        return len(self.names)

    def rows_of(self, examples: Sequence[Example]) -> list[list[int]]:
        """The row of each tool each example names; an unknown name is an error."""
        rows = []
        for example in examples:
            try:
                rows.append([self.position[name] for name in example.tools])
            except KeyError as exc:
                raise RetrievalError(
                    f"usage example {example.query!r} names tool {exc.args[0]!r}, which is not among the "
                    "tools given; add that tool or drop the example"
                ) from None
        return rows

    def put_tool(self, tool: ToolLike, encoder: Encoder) -> tuple[int, bool]:
        """Add a tool, or update the text of a known one; return (row, is_new)."""
        text = tool_text(tool)
        vector = encoder.encode([text])
        row = self.position.get(tool.name)
        if row is not None:
            self.texts[row] = text
            self.description[row] = vector[0]
            return row, False
        self.position[tool.name] = len(self.names)
        self.names.append(tool.name)
        self.texts.append(text)
        self.description = np.concatenate([self.description, vector])
        self.usage_sum = np.concatenate([self.usage_sum, np.zeros_like(vector)])
        self.count = np.append(self.count, 0)
        return len(self.names) - 1, True

    def add_usage(self, row: int, query_vectors: np.ndarray) -> None:
        """Count more usage queries for one tool."""
        self.usage_sum[row] += query_vectors.sum(axis=0)
        self.count[row] += len(query_vectors)

    def usage_vector(self, row: int) -> np.ndarray:
        """Tool2Vec's vector of one tool: its normalised usage mean (the description a prior)."""
        if self.count[row] == 0:
            return self.description[row].copy()
        return _normalised(self.usage_sum[row] + self.prior_weight * self.description[row])

    def usage_matrix(self) -> np.ndarray:
        """`usage_vector` of every tool, as rows."""
        matrix = _normalised(self.usage_sum + self.prior_weight * self.description)
        unused = self.count == 0
        matrix[unused] = self.description[unused]
        return matrix

    def held_out_scores(self, query_vectors: np.ndarray, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Cosines of training queries with every tool vector, each query left out of its own tools.

        A training query is part of the mean of the tools it used, so its
        plain cosine with them is inflated (to 1.0 for a tool with one
        example). A learner trained on inflated scores trusts them too much
        at test time; leaving the query out gives the scores a new query sees.
        """
        scores = query_vectors @ self.usage_matrix().T
        for i, tool_rows in enumerate(rows):
            for row in tool_rows:
                if self.count[row] <= 1:  # this query was the only example: the description is what is left
                    held_out = self.description[row]
                else:
                    held_out = self.usage_sum[row] - query_vectors[i] + self.prior_weight * self.description[row]
                scores[i, row] = float(_normalised(held_out) @ query_vectors[i])
        return scores

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays `save` writes (names and texts go to JSON)."""
        return {
            "description": self.description,
            "usage_sum": self.usage_sum,
            "count": self.count,
            "prior_weight": np.array(self.prior_weight),
        }

    @classmethod
    def from_arrays(cls, names: list[str], texts: list[str], arrays: dict[str, np.ndarray]) -> "ToolVectors":
        vectors = cls(arrays["description"].shape[1], prior_weight=float(arrays["prior_weight"]))
        vectors.names, vectors.texts = list(names), list(texts)
        vectors.position = {name: i for i, name in enumerate(names)}
        vectors.description = arrays["description"].astype(np.float32)
        vectors.usage_sum = arrays["usage_sum"].astype(np.float32)
        vectors.count = arrays["count"].astype(np.int64)
        return vectors


def _normalised(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norm, 1e-12)).astype(np.float32)


def _dim_of(encoder: Encoder) -> int:
    return int(encoder.encode(["tool"]).shape[1])
