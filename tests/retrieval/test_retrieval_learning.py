"""What keeps the learned retrievers honest: held-out scores, the tuned fusion, training curves."""

from __future__ import annotations

import numpy as np
import pytest

from agentc.retrieval import Example, HybridRetriever, MLCRetriever, SentenceEncoder, ToolCard, ToolRefiner
from agentc.retrieval.base import as_examples, split_name, tool_text
from agentc.retrieval.bm25 import tokenize
from agentc.retrieval.toolvectors import ToolVectors

TOOLS = [
    ToolCard("getWeather", "Weather forecast for a city."),
    ToolCard("send_email", "Send an email message."),
    ToolCard("flightSearch", "Find flights between airports."),
]


def test_held_out_score_leaves_the_query_out_of_its_tools(encoder: SentenceEncoder) -> None:
    examples = [
        Example("Will it rain in Rome?", ("getWeather",)),
        Example("How hot is Cairo today?", ("getWeather",)),
        Example("Mail Ann the report", ("send_email",)),
    ]
    vectors = ToolVectors.build(TOOLS, examples, encoder, prior_weight=1.0)
    queries = encoder.encode([e.query for e in examples])
    plain = queries @ vectors.usage_matrix().T
    held = vectors.held_out_scores(queries, vectors.rows_of(examples))
    # The only example of send_email: left out, only the description is left.
    assert np.isclose(held[2, 1], vectors.description[1] @ queries[2], atol=1e-6)
    # getWeather without query 0 is the normalised sum of query 1 and the description.
    expected = queries[1] + vectors.description[0]
    assert np.isclose(held[0, 0], expected @ queries[0] / np.linalg.norm(expected), atol=1e-6)
    assert held[0, 0] < plain[0, 0]
    # Tools a query did not use are scored as usual.
    assert np.isclose(held[0, 2], plain[0, 2])


def test_hybrid_picks_alpha_on_the_examples_unless_given(encoder: SentenceEncoder, metatool, metatool_split) -> None:
    train, _ = metatool_split
    tuned = HybridRetriever(encoder)
    tuned.fit(metatool.tools, train)
    assert 0.0 <= tuned.alpha <= 1.0
    fixed = HybridRetriever(encoder, alpha=0.25)
    fixed.fit(metatool.tools, train)
    assert fixed.alpha == 0.25


def test_refiner_and_mlc_training_lowers_the_loss(encoder: SentenceEncoder, metatool, metatool_split) -> None:
    train, _ = metatool_split
    for retriever in (ToolRefiner(encoder, epochs=20), MLCRetriever(encoder, epochs=20)):
        retriever.fit(metatool.tools, train)
        assert len(retriever.train_log) == 20
        assert retriever.train_log[-1] < 0.85 * retriever.train_log[0], retriever.train_log


def test_examples_as_a_mapping_merge_shared_queries() -> None:
    merged = as_examples({"a": ["q1", "q2"], "b": ["q2"]})
    assert merged == [Example("q1", ("a",)), Example("q2", ("a", "b"))]


def test_tool_text_and_tokens_split_identifiers() -> None:
    assert split_name("getHealthWorkforce") == "get health workforce"
    assert split_name("PDF&URLTool") == "pdf url tool"
    assert tool_text(ToolCard("send_email", "Send an  email.")) == "send email: Send an email."
    assert tokenize("The Weather forecasts for cities") == ["weather", "forecast", "city"]


def test_vectorised_ndcg_matches_the_metric() -> None:
    from agentc.retrieval.hybrid import mean_ndcg
    from agentc.retrieval.metrics import ndcg_at_k

    rng = np.random.default_rng(0)
    scores = rng.standard_normal((50, 30))
    gold = np.zeros((50, 30), dtype=bool)
    for i in range(50):
        gold[i, rng.choice(30, size=1 + i % 3, replace=False)] = True
    names = [str(j) for j in range(30)]
    expected = np.mean(
        [
            ndcg_at_k([names[j] for j in np.argsort(-s)], {names[j] for j in np.flatnonzero(g)}, 5)
            for s, g in zip(scores, gold)
        ]
    )
    assert mean_ndcg(scores, gold, 5) == pytest.approx(expected)
