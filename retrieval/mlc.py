"""MLC: tool retrieval as multi-label classification of the query embedding.

One output per tool (Moon et al., 2024). Two choices make it fit this
framework. The classifier is cosine-based: a tool's output is
`scale * cos(h(q), w_tool) + b_tool`, where `h` is the query vector plus a
learned residual, and each `w_tool` starts as the tool's Tool2Vec vector.
So a tool with no training queries still has a sensible output (its
description) instead of a random one, and `add_tool` can give a new tool an
output at once, no retraining: its Tool2Vec vector becomes its weight row
(weight imprinting, Qi et al., 2018). Training is a softmax over all tools
with each query's tools as the target; tools with no training queries keep
their rows, which would otherwise only ever be pushed away from queries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from agentc.retrieval.base import Example, Examples, ToolLike, as_examples
from agentc.retrieval.encoder import Encoder
from agentc.retrieval.errors import RetrieverStateError
from agentc.retrieval.index import top_k
from agentc.retrieval.persist import read_state, write_state
from agentc.retrieval.threads import one_torch_thread, single_threaded
from agentc.retrieval.tool2vec import Tool2VecRetriever
from agentc.retrieval.training import require_torch, training_epochs


def _classifier(dim: int, hidden: int, initial_rows: np.ndarray, trainable_rows: np.ndarray) -> Any:
    torch = require_torch()

    class CosineClassifier(torch.nn.Module):  # type: ignore[name-defined]  # torch is imported on demand
        def __init__(self) -> None:
            super().__init__()
            self.adapter = torch.nn.Sequential(
                torch.nn.Linear(dim, hidden),
                torch.nn.GELU(approximate="tanh"),
                torch.nn.Dropout(0.1),
                torch.nn.Linear(hidden, dim),
            )
            torch.nn.init.zeros_(self.adapter[3].weight)  # h(q) starts as q: the Tool2Vec ranking
            torch.nn.init.zeros_(self.adapter[3].bias)
            self.rows = torch.nn.Parameter(torch.from_numpy(initial_rows.copy()))
            self.bias = torch.nn.Parameter(torch.zeros(len(initial_rows)))
            self.log_scale = torch.nn.Parameter(torch.tensor(float(np.log(20.0))))
            self.register_buffer("trainable", torch.from_numpy(trainable_rows.astype(np.float32))[:, None])

        def forward(self, query: Any) -> Any:
            h = torch.nn.functional.normalize(query + self.adapter(query), dim=-1)
            rows = self.rows * self.trainable + self.rows.detach() * (1 - self.trainable)
            rows = torch.nn.functional.normalize(rows, dim=-1)
            bias = self.bias * self.trainable[:, 0]
            return self.log_scale.exp() * h @ rows.T + bias

    return CosineClassifier()


class MLCRetriever:
    """A cosine multi-label classifier over the query embedding, one output per tool."""

    method = "mlc"

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        hidden: int = 512,
        epochs: int | None = None,
        batch_size: int = 128,
        learning_rate: float = 2e-3,
        seed: int = 0,
    ) -> None:
        self.tool2vec = Tool2VecRetriever(encoder)
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.seed = seed
        self._weights: dict[str, np.ndarray] = {}
        self.train_log: list[float] = []

    @property
    def encoder(self) -> Encoder:
        return self.tool2vec.encoder

    @property
    def tool_names(self) -> list[str]:
        return self.tool2vec.tool_names

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None:
        """Start every tool's output at its Tool2Vec vector, then train on the examples."""
        examples = as_examples(examples)
        self.tool2vec.fit(tools, examples)
        self._weights = {
            "rows": self.tool2vec.matrix.copy(),
            "bias": np.zeros(len(tools), dtype=np.float32),
            "scale": np.array(20.0, dtype=np.float32),
        }
        if examples:
            with one_torch_thread():
                self._train(examples)

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None:
        """Give a new tool an output: its Tool2Vec vector as weights, a typical bias."""
        self.tool2vec.add_tool(tool, examples)
        row = self.tool2vec.vectors.position[tool.name]
        vector = self.tool2vec.matrix[row]
        weights = self._weights
        if row < len(weights["rows"]):
            weights["rows"][row] = vector
            return
        weights["rows"] = np.concatenate([weights["rows"], vector[None]])
        weights["bias"] = np.append(weights["bias"], np.float32(np.median(weights["bias"])))

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        if not self._weights:
            raise RetrieverStateError("the mlc retriever has no tools yet; call fit(tools, examples) first")
        query_vector = self.encoder.encode([query])[0]
        with single_threaded():
            logits = self.logits(query_vector)
        rows, scores = top_k(logits, k)
        names = self.tool2vec.vectors.names
        return [(names[r], float(s)) for r, s in zip(rows, scores)]

    def logits(self, query_vector: np.ndarray) -> np.ndarray:
        """Every tool's output for one query vector (numpy: searching needs no torch)."""
        weights = self._weights
        h = query_vector
        if "adapter.0.weight" in weights:
            inner = h @ weights["adapter.0.weight"].T + weights["adapter.0.bias"]
            inner = 0.5 * inner * (1.0 + np.tanh(0.7978845608 * (inner + 0.044715 * inner**3)))  # GELU (tanh form)
            h = h + inner @ weights["adapter.3.weight"].T + weights["adapter.3.bias"]
            h = h / max(float(np.linalg.norm(h)), 1e-12)
        return float(weights["scale"]) * (weights["rows"] @ h) + weights["bias"]

    def _train(self, examples: list[Example]) -> None:
        torch = require_torch()
        vectors = self.tool2vec.vectors
        rows_of = vectors.rows_of(examples)
        queries = torch.from_numpy(self.encoder.encode([e.query for e in examples]).astype(np.float32))
        targets = torch.zeros(len(examples), len(vectors))
        for i, rows in enumerate(rows_of):
            targets[i, rows] = 1.0 / len(rows)
        torch.manual_seed(self.seed)
        model = _classifier(queries.shape[1], self.hidden, self.tool2vec.matrix, vectors.count > 0)
        optimiser = torch.optim.AdamW(model.parameters(), lr=self.learning_rate, weight_decay=1e-4)
        rng = np.random.default_rng(self.seed)
        n = len(examples)
        batches = max(1, n // self.batch_size)
        self.train_log = []
        model.train()
        for _ in range(self.epochs or training_epochs(batches)):
            total = 0.0
            for batch in np.array_split(rng.permutation(n), batches):
                index = torch.from_numpy(batch)
                logits = model(queries[index])
                loss = -(targets[index] * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                total += loss.item() * len(batch)
            self.train_log.append(total / n)
        with torch.no_grad():
            trainable = model.trainable[:, 0].numpy() > 0
            rows = model.rows.detach().numpy().copy()
            rows[~trainable] = self.tool2vec.matrix[~trainable]
            rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
            state = {name: value.detach().numpy().copy() for name, value in model.adapter.state_dict().items()}
            self._weights = {
                "rows": rows.astype(np.float32),
                "bias": (model.bias.detach().numpy() * trainable).astype(np.float32),
                "scale": np.array(float(model.log_scale.exp()), dtype=np.float32),
                **{f"adapter.{name}": value for name, value in state.items()},
            }

    def save(self, path: str | Path) -> None:
        folder = Path(path)
        config = {
            "hidden": self.hidden,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "seed": self.seed,
        }
        write_state(folder, self.method, config, self._weights)
        self.tool2vec.save(folder / "tool2vec")

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None) -> "MLCRetriever":
        folder = Path(path)
        config, arrays = read_state(folder, cls.method)
        config.pop("method"), config.pop("format")
        retriever = cls(**config)
        retriever.tool2vec = Tool2VecRetriever.load(folder / "tool2vec", encoder=encoder)
        retriever._weights = arrays
        return retriever
