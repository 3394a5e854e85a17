"""Hybrid retrieval: Tool2Vec and BM25 scores fused into one ranking.

Tool2Vec is strong for tools with usage examples; BM25 catches the exact
words of a tool that has none yet. The fused score is
`alpha * cosine + (1 - alpha) * bm25 / max(bm25)`, computed over the union
of each side's best candidates, so each side can rescue the other's misses.

Which side deserves more weight depends on the data (MetaTool's chatty
queries share few words with the descriptions, Seal-Tools' queries reuse
them), so `fit` picks `alpha` on the training queries, each scored with
itself left out of its tools' vectors, unless `alpha` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from agentc.retrieval.base import Example, Examples, ToolLike, as_examples
from agentc.retrieval.bm25 import BM25Retriever
from agentc.retrieval.encoder import Encoder
from agentc.retrieval.errors import RetrieverStateError
from agentc.retrieval.index import DEFAULT_FAISS_THRESHOLD, top_k
from agentc.retrieval.persist import read_state, write_state
from agentc.retrieval.threads import single_threaded
from agentc.retrieval.tool2vec import Tool2VecRetriever


DEFAULT_ALPHA = 0.7


def mean_ndcg(scores: np.ndarray, gold: np.ndarray, k: int) -> float:
    """Mean NDCG@k of score rows against boolean relevance rows (the metric of `metrics`, vectorised)."""
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1), axis=1)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (np.take_along_axis(gold, order, axis=1) * discounts).sum(axis=1)
    ideal = np.cumsum(discounts)[np.minimum(gold.sum(axis=1), k) - 1]
    return float((dcg / ideal).mean())


@dataclass(frozen=True)
class Candidates:
    """Rows of the best tools, best first: fused score, cosine, BM25 / max BM25."""

    rows: np.ndarray
    fused: np.ndarray
    cosine: np.ndarray
    lexical: np.ndarray


class HybridRetriever:
    """Tool2Vec + BM25 with score fusion. `alpha` weighs the embedding side."""

    method = "hybrid"

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        alpha: float | None = None,
        tune_queries: int = 2000,
        faiss_threshold: int = DEFAULT_FAISS_THRESHOLD,
    ) -> None:
        self.dense = Tool2VecRetriever(encoder, faiss_threshold=faiss_threshold)
        self.lexical = BM25Retriever()
        self.fixed_alpha = alpha
        self.alpha = DEFAULT_ALPHA if alpha is None else alpha
        self.tune_queries = tune_queries

    @property
    def encoder(self) -> Encoder:
        return self.dense.encoder

    @property
    def tool_names(self) -> list[str]:
        return self.dense.tool_names

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None:
        """Fit both halves; pick `alpha` on the examples unless it was given."""
        examples = as_examples(examples)
        self.dense.fit(tools, examples)
        self.lexical.fit(tools)
        if self.fixed_alpha is None and examples:
            self.alpha = self._tuned_alpha(examples)

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None:
        self.dense.add_tool(tool, examples)
        self.lexical.add_tool(tool)

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        found = self.fused_candidates(query, self.dense.encoder.encode([query])[0], k)
        names = self.dense.vectors.names
        return [(names[r], float(s)) for r, s in zip(found.rows, found.fused)]

    def fused_candidates(self, query: str, query_vector: np.ndarray, k: int) -> "Candidates":
        """The best `k` tools by fused score, best first, with both halves' scores."""
        pool = max(4 * k, 64)
        dense_rows, _ = self.dense.index.search(query_vector, pool)
        lexical_all = self.lexical.scores(query)
        if len(lexical_all) != len(self.dense.vectors):
            raise RetrieverStateError("the hybrid retriever's two halves disagree on the tools; fit it again")
        lexical_rows, _ = top_k(lexical_all, pool)
        rows = np.union1d(dense_rows, lexical_rows)
        with single_threaded():
            cosine = self.dense.matrix[rows] @ query_vector
        # The candidates include BM25's best tool, so their max is the max over all tools.
        top = float(lexical_all.max()) if lexical_all.size else 0.0
        lexical = lexical_all[rows] / top if top > 0 else np.zeros(len(rows), dtype=np.float32)
        fused = self.alpha * cosine + (1.0 - self.alpha) * lexical
        order, best = top_k(fused, k)
        return Candidates(rows[order], best, cosine[order], lexical[order])

    def _tuned_alpha(self, examples: list[Example]) -> float:
        """The grid value of `alpha` with the best NDCG@5 on (a sample of) the training queries."""
        if len(examples) > self.tune_queries:
            pick = np.random.default_rng(0).choice(len(examples), self.tune_queries, replace=False)
            examples = [examples[i] for i in sorted(pick)]
        vectors = self.dense.vectors
        rows = vectors.rows_of(examples)
        cosine = vectors.held_out_scores(self.dense.encoder.encode([e.query for e in examples]), rows)
        lexical = np.stack([self.lexical.scores(e.query) for e in examples])
        lexical /= np.maximum(lexical.max(axis=1, keepdims=True), 1e-12)
        gold = np.zeros_like(cosine, dtype=bool)
        for i, tool_rows in enumerate(rows):
            gold[i, tool_rows] = True
        best_alpha, best_score = DEFAULT_ALPHA, -1.0
        for alpha in np.linspace(0.0, 1.0, 11):
            score = mean_ndcg(alpha * cosine + (1.0 - alpha) * lexical, gold, 5)
            if score > best_score + 1e-9:
                best_alpha, best_score = float(alpha), score
        return best_alpha

    def save(self, path: str | Path) -> None:
        folder = Path(path)
        config = {"alpha": self.alpha, "fixed_alpha": self.fixed_alpha, "tune_queries": self.tune_queries}
        write_state(folder, self.method, config, {})
        self.dense.save(folder / "tool2vec")
        self.lexical.save(folder / "bm25")

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None) -> "HybridRetriever":
        folder = Path(path)
        config, _ = read_state(folder, cls.method)
        retriever = cls(alpha=config["fixed_alpha"], tune_queries=config["tune_queries"])
        retriever.alpha = config["alpha"]
        retriever.dense = Tool2VecRetriever.load(folder / "tool2vec", encoder=encoder)
        retriever.lexical = BM25Retriever.load(folder / "bm25")
        return retriever
