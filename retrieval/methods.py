"""Retrievers by name, as the CLI and the benchmark ask for them."""

from __future__ import annotations

from typing import Any

from agentc.retrieval.encoder import Encoder
from agentc.retrieval.errors import RetrievalError

METHODS: tuple[str, ...] = ("bm25", "description", "tool2vec", "hybrid", "refiner", "mlc")


def retriever_class(method: str) -> Any:
    """The class that implements `method` (imported on demand: torch only for the trained ones)."""
    if method == "bm25":
        from agentc.retrieval.bm25 import BM25Retriever

        return BM25Retriever
    if method in ("description", "tool2vec"):
        from agentc.retrieval.tool2vec import Tool2VecRetriever

        return Tool2VecRetriever
    if method == "hybrid":
        from agentc.retrieval.hybrid import HybridRetriever

        return HybridRetriever
    if method == "refiner":
        from agentc.retrieval.refiner import ToolRefiner

        return ToolRefiner
    if method == "mlc":
        from agentc.retrieval.mlc import MLCRetriever

        return MLCRetriever
    raise RetrievalError(f"unknown retrieval method {method!r}; choose one of {', '.join(METHODS)}")


def make_retriever(method: str, encoder: Encoder | None = None, **options: Any) -> Any:
    """A new, unfitted retriever of `method`; `encoder` is shared by the embedding methods."""
    cls = retriever_class(method)
    if method == "bm25":
        return cls(**options)
    if method == "description":
        return cls(encoder, use_examples=False, **options)
    return cls(encoder, **options)
