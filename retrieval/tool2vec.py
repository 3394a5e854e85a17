"""Tool2Vec: a tool is the mean of the embeddings of the queries that used it.

Moon et al. (2024) observed that user queries and tool descriptions live in
different parts of the embedding space, so a query is closer to other
queries for the same tool than to the tool's description. A tool with no
usage examples falls back to its description vector, so new tools are
retrievable at once and gain accuracy as examples arrive; the description
also weighs in as `prior_weight` pseudo-queries (see `toolvectors`).

With `use_examples=False` the same class is the description-embedding
baseline (`method="description"`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from agentc.retrieval.base import Examples, ToolLike, as_examples
from agentc.retrieval.encoder import Encoder, SentenceEncoder
from agentc.retrieval.errors import RetrieverStateError
from agentc.retrieval.index import DEFAULT_FAISS_THRESHOLD, VectorIndex
from agentc.retrieval.persist import encoder_for, encoder_spec, read_state, write_state
from agentc.retrieval.toolvectors import ToolVectors


class Tool2VecRetriever:
    """Cosine search over usage-mean tool vectors (or description vectors)."""

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        use_examples: bool = True,
        prior_weight: float = 4.0,
        faiss_threshold: int = DEFAULT_FAISS_THRESHOLD,
    ) -> None:
        self.encoder = encoder if encoder is not None else SentenceEncoder()
        self.use_examples = use_examples
        self.prior_weight = prior_weight
        self.faiss_threshold = faiss_threshold
        self._vectors: ToolVectors | None = None
        self._index: VectorIndex | None = None

    @property
    def method(self) -> str:
        return "tool2vec" if self.use_examples else "description"

    @property
    def vectors(self) -> ToolVectors:
        """The per-tool vectors (for a second stage that reads them)."""
        if self._vectors is None:
            raise RetrieverStateError(f"the {self.method} retriever has no tools yet; call fit(tools, examples) first")
        return self._vectors

    @property
    def tool_names(self) -> list[str]:
        return list(self.vectors.names)

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None:
        """Encode the tools (and their usage examples) and build the index."""
        self._vectors = ToolVectors.build(
            tools, as_examples(examples), self.encoder, use_examples=self.use_examples, prior_weight=self.prior_weight
        )
        self._index = VectorIndex.from_matrix(self._matrix(), faiss_threshold=self.faiss_threshold)

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None:
        """Add a tool or more examples of a known one; searchable at once."""
        vectors, index = self.vectors, self._require_index()
        row, is_new = vectors.put_tool(tool, self.encoder)
        if examples and self.use_examples:
            vectors.add_usage(row, self.encoder.encode(list(examples)))
        vector = vectors.usage_vector(row) if self.use_examples else vectors.description[row]
        if is_new:
            index.append(vector)
        else:
            index.replace(row, vector)

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        """The `k` tools whose vectors are closest to the query's, best first."""
        rows, scores = self._require_index().search(self.encoder.encode([query])[0], k)
        names = self.vectors.names
        return [(names[r], float(s)) for r, s in zip(rows, scores)]

    @property
    def index(self) -> VectorIndex:
        """The search index over the tool vectors."""
        return self._require_index()

    @property
    def matrix(self) -> np.ndarray:
        """The tool vectors this retriever ranks by, one row a tool."""
        return self._require_index().matrix

    def save(self, path: str | Path) -> None:
        vectors = self.vectors
        config = {
            "use_examples": self.use_examples,
            "faiss_threshold": self.faiss_threshold,
            "encoder": encoder_spec(self.encoder),
            "names": vectors.names,
            "texts": vectors.texts,
        }
        write_state(path, self.method, config, vectors.arrays())

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None) -> "Tool2VecRetriever":
        config, arrays = read_state(path)
        if config["method"] not in ("tool2vec", "description"):
            raise RetrieverStateError(
                f"{path} holds a {config['method']!r} retriever; load it with load_retriever(path)"
            )
        retriever = cls(
            encoder_for(config, encoder), use_examples=config["use_examples"], faiss_threshold=config["faiss_threshold"]
        )
        retriever._vectors = ToolVectors.from_arrays(config["names"], config["texts"], arrays)
        retriever.prior_weight = retriever._vectors.prior_weight
        retriever._index = VectorIndex.from_matrix(retriever._matrix(), faiss_threshold=retriever.faiss_threshold)
        return retriever

    def _matrix(self) -> np.ndarray:
        return self.vectors.usage_matrix() if self.use_examples else self.vectors.description.copy()

    def _require_index(self) -> VectorIndex:
        if self._index is None:
            raise RetrieverStateError(f"the {self.method} retriever has no tools yet; call fit(tools, examples) first")
        return self._index
