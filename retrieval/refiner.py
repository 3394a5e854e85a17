"""ToolRefiner: a small trained model re-ranks the first stage's top candidates.

Moon et al. (2024) re-rank Tool2Vec's top-K with a fine-tuned DeBERTa; no
such model can be downloaded here, and a light scorer trains on a laptop
CPU in seconds. For each (query, candidate tool) pair it reads the query
vector, the tool's Tool2Vec vector, their product, the query times the
tool's description vector, and five numbers (Tool2Vec cosine, description
cosine, normalised BM25, the first stage's fused score, how many examples
the tool has), and a one-hidden-layer MLP scores the pair, added to the
first stage's score times a learned scale, so training starts from the
first stage's ranking and learns a correction. It is trained listwise: a
softmax over each training query's candidates, the tools the query used as
targets.

Two things keep training honest. The first stage is the hybrid retriever
(Tool2Vec + BM25), and each training query is scored with itself left out
of its tools' vectors (see `ToolVectors.held_out_scores`), so the scorer
learns from the scores a new query will see. And since it reads features,
not tool identities, a tool added later with `add_tool` is scored like any
other, without retraining.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from agentc.retrieval.base import Example, Examples, ToolLike, as_examples
from agentc.retrieval.encoder import Encoder
from agentc.retrieval.hybrid import HybridRetriever
from agentc.retrieval.persist import read_state, write_state
from agentc.retrieval.threads import one_torch_thread, single_threaded
from agentc.retrieval.training import require_torch, training_epochs

N_SCALARS = 5
FUSED = 3  # the column of the first stage's score among the scalars
INITIAL_PRIOR_SCALE = 20.0


def _scorer(dim: int, hidden: int) -> Any:
    """The pair scorer: features of (query, tool) -> one logit."""
    torch = require_torch()

    class PairScorer(torch.nn.Module):  # type: ignore[name-defined]  # torch is imported on demand
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(4 * dim + N_SCALARS, hidden),
                torch.nn.ReLU(),
                torch.nn.Dropout(0.1),
                torch.nn.Linear(hidden, 1),
            )
            # Start from the first stage's ranking: the MLP learns a correction to it.
            self.prior_scale = torch.nn.Parameter(torch.tensor(INITIAL_PRIOR_SCALE))

        def forward(self, query: Any, usage: Any, description: Any, scalars: Any) -> Any:
            q = query.unsqueeze(1).expand_as(usage)
            features = torch.cat([q, usage, q * usage, q * description, scalars], dim=-1)
            return self.net(features).squeeze(-1) + self.prior_scale * scalars[..., FUSED]

    return PairScorer()


class ToolRefiner:
    """Hybrid first stage, then a trained pair scorer over its top `candidates`."""

    method = "refiner"

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        candidates: int = 20,
        hidden: int = 128,
        epochs: int | None = None,
        batch_size: int = 64,
        learning_rate: float = 1e-3,
        max_train_queries: int = 8_000,
        seed: int = 0,
    ) -> None:
        self.first_stage = HybridRetriever(encoder)
        self.candidates = candidates
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.max_train_queries = max_train_queries
        self.seed = seed
        self._weights: dict[str, np.ndarray] | None = None
        self.train_log: list[float] = []

    @property
    def encoder(self) -> Encoder:
        return self.first_stage.encoder

    @property
    def tool_names(self) -> list[str]:
        return self.first_stage.tool_names

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None:
        """Fit the first stage, then train the scorer on the examples' candidates.

        With no examples there is nothing to learn from: search is then the
        first stage's ranking until `fit` is called with examples.
        """
        examples = as_examples(examples)
        self.first_stage.fit(tools, examples)
        self._weights = None
        if examples:
            with one_torch_thread():
                self._train(examples)

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None:
        self.first_stage.add_tool(tool, examples)

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        query_vector = self.encoder.encode([query])[0]
        depth = max(k, self.candidates)
        found = self.first_stage.fused_candidates(query, query_vector, depth)
        names = self.first_stage.dense.vectors.names
        if self._weights is None or len(found.rows) == 0:
            return [(names[r], float(s)) for r, s in zip(found.rows[:k], found.fused[:k])]
        vectors = self.first_stage.dense.vectors
        rows = found.rows
        with single_threaded():
            description = vectors.description[rows]
            scalars = self._scalars(
                found.cosine, description @ query_vector, found.lexical, found.fused, vectors.count[rows]
            )
            logits = score_pairs(self._weights, query_vector, self.first_stage.dense.matrix[rows], description, scalars)
        order = np.argsort(-logits, kind="stable")[:k]
        return [(names[rows[i]], float(logits[i])) for i in order]

    @staticmethod
    def _scalars(
        usage_cos: np.ndarray, desc_cos: np.ndarray, lexical: np.ndarray, fused: np.ndarray, count: np.ndarray
    ) -> np.ndarray:
        columns = [usage_cos, desc_cos, lexical, fused, np.log1p(count) / 5.0]
        return np.stack([np.asarray(c, dtype=np.float32) for c in columns], axis=-1)

    def _train(self, examples: list[Example]) -> None:
        torch = require_torch()
        rng = np.random.default_rng(self.seed)
        if len(examples) > self.max_train_queries:
            pick = rng.choice(len(examples), self.max_train_queries, replace=False)
            examples = [examples[i] for i in sorted(pick)]
        lists = self._training_lists(examples)
        vectors = self.first_stage.dense.vectors
        usage_matrix = torch.from_numpy(vectors.usage_matrix())
        description = torch.from_numpy(vectors.description)
        query = torch.from_numpy(lists["query"])
        candidates = torch.from_numpy(lists["candidates"])
        held_out = torch.from_numpy(lists["held_out"])
        held_out_slot = torch.from_numpy(lists["held_out_slot"])
        scalars = torch.from_numpy(lists["scalars"])
        gold = torch.from_numpy(lists["gold"])
        torch.manual_seed(self.seed)
        model = _scorer(query.shape[1], self.hidden)
        optimiser = torch.optim.AdamW(model.parameters(), lr=self.learning_rate, weight_decay=1e-4)
        n = len(examples)
        batches = max(1, n // self.batch_size)
        self.train_log = []
        model.train()
        for _ in range(self.epochs or training_epochs(batches, steps=600, least=3, most=15)):
            total = 0.0
            for batch in np.array_split(rng.permutation(n), batches):
                index = torch.from_numpy(batch)
                rows = candidates[index]
                usage = usage_matrix[rows]
                slots = held_out_slot[index]
                replaced = slots >= 0
                usage[replaced] = held_out[slots[replaced]]
                logits = model(query[index], usage, description[rows], scalars[index])
                target = gold[index] / gold[index].sum(dim=1, keepdim=True)
                loss = -(target * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                total += loss.item() * len(batch)
            self.train_log.append(total / n)
        self._weights = {name: value.detach().numpy().copy() for name, value in model.state_dict().items()}

    def _training_lists(self, examples: list[Example]) -> dict[str, np.ndarray]:
        """Each training query's candidates, scalar features and targets, scored held-out.

        Every list holds all the query's tools (added if the first stage
        missed them: a list without an answer teaches nothing) and the first
        stage's best other candidates. Held-out Tool2Vec vectors of the gold
        tools are kept apart (`held_out`, indexed by `held_out_slot`) so the
        candidate vectors themselves are gathered per batch, not stored.
        """
        vectors = self.first_stage.dense.vectors
        alpha = self.first_stage.alpha
        rows_of = vectors.rows_of(examples)
        queries = self.encoder.encode([e.query for e in examples]).astype(np.float32)
        depth = min(self.candidates, len(vectors))
        n = len(examples)
        candidates = np.zeros((n, depth), dtype=np.int64)
        scalars = np.zeros((n, depth, N_SCALARS), dtype=np.float32)
        gold = np.zeros((n, depth), dtype=np.float32)
        held_out_slot = np.full((n, depth), -1, dtype=np.int64)
        held_out: list[np.ndarray] = []
        for start in range(0, n, 512):
            stop = min(n, start + 512)
            usage_cos = vectors.held_out_scores(queries[start:stop], rows_of[start:stop])
            lexical = np.stack([self.first_stage.lexical.scores(e.query) for e in examples[start:stop]])
            lexical /= np.maximum(lexical.max(axis=1, keepdims=True), 1e-12)
            fused = alpha * usage_cos + (1.0 - alpha) * lexical
            for offset, gold_rows in enumerate(rows_of[start:stop]):
                i = start + offset
                answers = list(dict.fromkeys(gold_rows))[:depth]
                ranked = np.argsort(-fused[offset], kind="stable")[: depth + len(answers)]
                others = [r for r in ranked if r not in answers][: depth - len(answers)]
                cand = np.array(answers + others, dtype=np.int64)
                count = vectors.count[cand].copy()
                for slot in range(len(answers)):
                    gold[i, slot] = 1.0
                    count[slot] = max(0, count[slot] - 1)
                    held_out_slot[i, slot] = len(held_out)
                    held_out.append(_held_out_vector(vectors, int(cand[slot]), queries[i]))
                candidates[i] = cand
                scalars[i] = self._scalars(
                    usage_cos[offset, cand],
                    vectors.description[cand] @ queries[i],
                    lexical[offset, cand],
                    fused[offset, cand],
                    count,
                )
        return {
            "query": queries,
            "candidates": candidates,
            "scalars": scalars,
            "gold": gold,
            "held_out": np.stack(held_out).astype(np.float32),
            "held_out_slot": held_out_slot,
        }

    def save(self, path: str | Path) -> None:
        folder = Path(path)
        config = {
            "candidates": self.candidates,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "max_train_queries": self.max_train_queries,
            "seed": self.seed,
            "trained": self._weights is not None,
        }
        write_state(folder, self.method, config, dict(self._weights or {}))
        self.first_stage.save(folder / "first_stage")

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None) -> "ToolRefiner":
        folder = Path(path)
        config, arrays = read_state(folder, cls.method)
        trained = config.pop("trained")
        config.pop("method"), config.pop("format")
        refiner = cls(**config)
        refiner.first_stage = HybridRetriever.load(folder / "first_stage", encoder=encoder)
        refiner._weights = arrays if trained else None
        return refiner


def score_pairs(
    weights: dict[str, np.ndarray],
    query: np.ndarray,
    usage: np.ndarray,
    description: np.ndarray,
    scalars: np.ndarray,
) -> np.ndarray:
    """The trained scorer's forward pass in numpy, for one query and its candidates.

    Searching then needs no torch, and a saved refiner loads without it.
    """
    q = np.broadcast_to(query, usage.shape)
    features = np.concatenate([q, usage, q * usage, q * description, scalars], axis=1)
    hidden = np.maximum(features @ weights["net.0.weight"].T + weights["net.0.bias"], 0.0)
    correction = (hidden @ weights["net.3.weight"].T + weights["net.3.bias"])[:, 0]
    return correction + weights["prior_scale"] * scalars[:, FUSED]


def _held_out_vector(vectors: Any, row: int, query_vector: np.ndarray) -> np.ndarray:
    """Tool `row`'s Tool2Vec vector without one of its example queries."""
    if vectors.count[row] <= 1:
        return vectors.description[row]
    held_out = vectors.usage_sum[row] - query_vector + vectors.prior_weight * vectors.description[row]
    return (held_out / max(float(np.linalg.norm(held_out)), 1e-12)).astype(np.float32)
