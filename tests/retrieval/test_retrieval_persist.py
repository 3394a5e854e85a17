"""Saved retrievers: errors that say what to do, and no pickles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentc.retrieval import (
    BM25Retriever,
    MLCRetriever,
    RetrieverStateError,
    SentenceEncoder,
    Tool2VecRetriever,
    ToolCard,
    ToolRefiner,
    load_retriever,
    make_retriever,
)
from agentc.retrieval.encoder import packaged_model_path

TOOLS = [ToolCard("get_weather", "Weather forecast for a city."), ToolCard("send_email", "Send an email.")]


@pytest.mark.parametrize("method", ["bm25", "tool2vec", "hybrid", "refiner", "mlc"])
def test_search_before_fit_says_to_fit(encoder: SentenceEncoder, method: str) -> None:
    with pytest.raises(RetrieverStateError, match="fit"):
        make_retriever(method, encoder).search("weather in Rome", 1)


def test_loading_a_folder_that_is_not_a_retriever(tmp_path: Path) -> None:
    with pytest.raises(RetrieverStateError, match="no retriever.json"):
        load_retriever(tmp_path)


def test_loading_with_the_wrong_class_names_the_right_way(encoder: SentenceEncoder, tmp_path: Path) -> None:
    bm25 = BM25Retriever()
    bm25.fit(TOOLS)
    bm25.save(tmp_path / "bm25")
    with pytest.raises(RetrieverStateError, match="load_retriever"):
        Tool2VecRetriever.load(tmp_path / "bm25", encoder=encoder)
    assert isinstance(load_retriever(tmp_path / "bm25"), BM25Retriever)


def test_loading_with_an_encoder_of_another_space_is_refused(encoder: SentenceEncoder, tmp_path: Path) -> None:
    retriever = Tool2VecRetriever(encoder)
    retriever.fit(TOOLS)
    retriever.save(tmp_path / "t2v")
    other = SentenceEncoder(packaged_model_path(), cache=False)  # same weights, named by path: another space id
    with pytest.raises(RetrieverStateError, match="saved with embeddings of"):
        load_retriever(tmp_path / "t2v", encoder=other)


def test_saved_state_is_json_and_plain_arrays(encoder: SentenceEncoder, tmp_path: Path) -> None:
    refiner = ToolRefiner(encoder, epochs=2)
    refiner.fit(TOOLS, {"get_weather": ["Will it rain?"], "send_email": ["Mail my boss"]})
    refiner.save(tmp_path / "refiner")
    config = json.loads((tmp_path / "refiner" / "retriever.json").read_text())
    assert config["method"] == "refiner" and config["trained"] is True
    assert sorted(p.name for p in (tmp_path / "refiner").iterdir()) == ["arrays.npz", "first_stage", "retriever.json"]
    loaded = load_retriever(tmp_path / "refiner")  # default encoder rebuilt from the saved spec
    assert loaded.search("Is it sunny in Lima?", 1)[0][0] == "get_weather"


def test_trained_retrievers_without_examples_still_rank(encoder: SentenceEncoder) -> None:
    for retriever in (ToolRefiner(encoder), MLCRetriever(encoder)):
        retriever.fit(TOOLS)
        assert retriever.search("Will it rain in Rome?", 2)[0][0] == "get_weather"
