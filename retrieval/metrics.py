"""Recall@K and NDCG@K exactly as Tool2Vec (Moon et al., 2024) defines them.

For one query with relevant tools G and ranking r_1, r_2, ...:

    Recall@K = |{r_1..r_K} ∩ G| / |G|
    NDCG@K   = DCG@K / IDCG@K,  DCG@K = Σ_{i≤K, r_i∈G} 1 / log2(i + 1),
               IDCG@K = Σ_{i ≤ min(K, |G|)} 1 / log2(i + 1)

Relevance is binary. A data set's score is the mean over its queries.
"""

from __future__ import annotations

import math
from typing import Collection, Sequence


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """The share of the relevant tools found in the first `k` results."""
    if not relevant:
        raise ValueError("recall is undefined for a query with no relevant tool")
    gold = set(relevant)
    return len(gold.intersection(ranked[:k])) / len(gold)


def ndcg_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Normalised discounted cumulative gain of the first `k` results, binary relevance."""
    if not relevant:
        raise ValueError("NDCG is undefined for a query with no relevant tool")
    gold = set(relevant)
    dcg = sum(1.0 / math.log2(i + 2) for i, name in enumerate(ranked[:k]) if name in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(gold))))
    return dcg / ideal
