"""The pick of the desktop example plans most like a question.

The planner sees a few of `agentc.tools.examples.DESKTOP_EXAMPLES` after
the tool list (TinyAgent's in-context example retrieval): the ones whose
question is closest to the user's, and only ones that call tools the
planner was shown.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from agentc.tools.examples import DESKTOP_EXAMPLES, example_feeders, example_question, example_uses, examples_for

__all__ = [
    "DESKTOP_EXAMPLES",
    "Similarity",
    "embedding_similarity",
    "example_feeders",
    "example_uses",
    "similar_examples",
    "word_overlap",
]

_WORD = re.compile(r"[a-z0-9]+")

Similarity = Callable[[str, Sequence[str]], Sequence[float]]
"""`(question, example questions) -> a score for each`, higher is closer."""


def word_overlap(question: str, others: Sequence[str]) -> list[float]:
    """Jaccard overlap of lower-cased words: a similarity that needs no model."""
    words = set(_WORD.findall(question.lower()))
    scores = []
    for other in others:
        theirs = set(_WORD.findall(other.lower()))
        scores.append(len(words & theirs) / max(1, len(words | theirs)))
    return scores


def similar_examples(
    question: str,
    tool_names: Iterable[str],
    *,
    k: int = 3,
    examples: Sequence[str] = DESKTOP_EXAMPLES,
    similarity: Similarity = word_overlap,
) -> list[str]:
    """The `k` examples whose question is most like `question`, among those
    that call only `tool_names`; the closest last, nearest the question."""
    usable = examples_for(tool_names, examples)
    if not usable:
        return []
    scores = similarity(question, [example_question(e) for e in usable])
    ranked = sorted(zip(scores, range(len(usable))), reverse=True)[:k]
    return [usable[i] for _, i in reversed(ranked)]


def embedding_similarity(encoder: object) -> Similarity:
    """A `Similarity` from a sentence encoder with `encode(texts) -> vectors`
    (e.g. `agentc.retrieval.SentenceEncoder`), by cosine."""
    import numpy as np

    def score(question: str, others: Sequence[str]) -> list[float]:
        vectors = np.asarray(encoder.encode([question, *others]), dtype=float)  # type: ignore[attr-defined]
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return [float(v) for v in vectors[1:] @ vectors[0]]

    return score
