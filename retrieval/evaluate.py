"""`evaluate_retrieval`: fit a retriever on training queries, rank test queries, score.

Encoding is done first, in batches, and timed apart (`encode_seconds`):
it is the same transformer cost for every embedding method, and once in
the disk cache it is gone. So `train_seconds` is the method's own fitting
and `ms_per_query` is the ranking of one query whose vector is known. The
encoder's cost for a new query is a separate, per-model figure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from agentc.retrieval.base import Example, Retriever, ToolLike, tool_text
from agentc.retrieval.errors import DatasetError
from agentc.retrieval.metrics import ndcg_at_k, recall_at_k

DEFAULT_KS: tuple[int, ...] = (1, 3, 5, 10)


@dataclass
class RetrievalReport:
    """Scores of one method on one test set; `summary()` is its JSON form."""

    method: str
    dataset: str
    n_tools: int
    n_train: int
    n_test: int
    recall: dict[int, float]
    ndcg: dict[int, float]
    ms_per_query: float
    train_seconds: float
    encode_seconds: float = 0.0
    rankings: list[list[str]] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        """`recall@K` and `ndcg@K` for each K, `ms_per_query`, `train_seconds` and the counts."""
        result: dict[str, Any] = {"method": self.method, "dataset": self.dataset}
        result.update({f"recall@{k}": v for k, v in self.recall.items()})
        result.update({f"ndcg@{k}": v for k, v in self.ndcg.items()})
        result.update(
            ms_per_query=self.ms_per_query,
            train_seconds=self.train_seconds,
            encode_seconds=self.encode_seconds,
            n_tools=self.n_tools,
            n_train=self.n_train,
            n_test=self.n_test,
        )
        return result


def evaluate_retrieval(
    retriever: Retriever,
    tools: Sequence[ToolLike],
    train: Sequence[Example],
    test: Sequence[Example],
    *,
    ks: Sequence[int] = DEFAULT_KS,
    method: str | None = None,
    dataset: str = "",
    on_query: Callable[[], None] | None = None,
) -> RetrievalReport:
    """Fit `retriever` on `tools` and `train`, then score its rankings of `test`.

    `on_query` is called after each test query (for a progress bar).
    """
    if not test:
        raise DatasetError("the test set is empty: give more queries or a larger test fraction")
    ks = sorted(set(ks))
    depth = max(ks)
    encoder = getattr(retriever, "encoder", None)
    started = time.perf_counter()
    if encoder is not None:
        encoder.encode([tool_text(t) for t in tools])
        encoder.encode([e.query for e in train])
        encoder.encode([e.query for e in test])
    encode_seconds = time.perf_counter() - started

    started = time.perf_counter()
    retriever.fit(tools, train)
    train_seconds = time.perf_counter() - started

    rankings: list[list[str]] = []
    searching = 0.0
    for example in test:
        started = time.perf_counter()
        ranked = [name for name, _ in retriever.search(example.query, depth)]
        searching += time.perf_counter() - started
        rankings.append(ranked)
        if on_query is not None:
            on_query()
    recall = {k: sum(recall_at_k(r, e.tools, k) for r, e in zip(rankings, test)) / len(test) for k in ks}
    ndcg = {k: sum(ndcg_at_k(r, e.tools, k) for r, e in zip(rankings, test)) / len(test) for k in ks}
    return RetrievalReport(
        method=method or str(getattr(retriever, "method", type(retriever).__name__)),
        dataset=dataset,
        n_tools=len(tools),
        n_train=len(train),
        n_test=len(test),
        recall=recall,
        ndcg=ndcg,
        ms_per_query=1000.0 * searching / len(test),
        train_seconds=train_seconds,
        encode_seconds=encode_seconds,
        rankings=rankings,
    )
