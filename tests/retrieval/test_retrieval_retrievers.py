"""Every retriever, on a real MetaTool slice: fit, rank, save, load, add a tool.

20 tools, so a random ranking puts the right tool first 5% of the time; each
method must do many times better on queries it was not trained on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentc.retrieval import (
    METHODS,
    Example,
    RetrievalDataset,
    Retriever,
    SentenceEncoder,
    ToolCard,
    evaluate_retrieval,
    load_retriever,
    make_retriever,
)

CHANCE_TOP1 = 1 / 20
# Top-1 accuracy on the 120 held-out queries each method must reach, at least 8x chance
# (measured on this slice: bm25 0.52, description 0.63, tool2vec/hybrid/MLC 0.75-0.76, refiner 0.80).
LEAST_TOP1 = {"bm25": 0.4, "description": 0.5, "tool2vec": 0.65, "hybrid": 0.65, "refiner": 0.65, "mlc": 0.65}


@pytest.fixture(scope="module")
def fitted(encoder: SentenceEncoder, metatool: RetrievalDataset, metatool_split) -> dict:
    train, test = metatool_split
    retrievers, reports = {}, {}
    for method in METHODS:
        retriever = make_retriever(method, encoder)
        reports[method] = evaluate_retrieval(retriever, metatool.tools, train, test, ks=(1, 5), dataset="metatool")
        retrievers[method] = retriever
    return {"retrievers": retrievers, "reports": reports}


@pytest.mark.parametrize("method", METHODS)
def test_ranks_the_right_tool_first_well_above_chance(fitted: dict, method: str) -> None:
    report = fitted["reports"][method]
    assert report.n_test == 120
    assert report.recall[1] >= LEAST_TOP1[method] >= 8 * CHANCE_TOP1, report.summary()
    assert report.recall[5] >= report.recall[1]


@pytest.mark.parametrize("method", METHODS)
def test_search_returns_k_known_tools_best_first(fitted: dict, metatool: RetrievalDataset, method: str) -> None:
    retriever = fitted["retrievers"][method]
    results = retriever.search("What's the weather going to be like in Paris tomorrow?", k=5)
    assert len(results) == 5
    names = [name for name, _ in results]
    assert len(set(names)) == 5
    assert set(names) <= {t.name for t in metatool.tools}
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert names[0] == "WeatherTool"
    assert sorted(retriever.tool_names) == sorted(t.name for t in metatool.tools)
    assert isinstance(retriever, Retriever)


@pytest.mark.parametrize("method", METHODS)
def test_save_and_load_give_the_same_ranking(
    fitted: dict, encoder: SentenceEncoder, metatool_split, tmp_path: Path, method: str
) -> None:
    retriever = fitted["retrievers"][method]
    retriever.save(tmp_path / method)
    loaded = load_retriever(tmp_path / method, encoder=encoder)
    assert type(loaded) is type(retriever)
    for example in metatool_split[1][:15]:
        before = retriever.search(example.query, 5)
        after = loaded.search(example.query, 5)
        assert [n for n, _ in after] == [n for n, _ in before]
        assert np.allclose([s for _, s in after], [s for _, s in before], atol=1e-4)


def _without(examples: list[Example], name: str) -> list[Example]:
    return [e for e in examples if name not in e.tools]


@pytest.mark.parametrize("method", METHODS)
def test_add_tool_makes_a_new_tool_retrievable_without_refit(
    encoder: SentenceEncoder, metatool: RetrievalDataset, metatool_split, method: str
) -> None:
    train, test = metatool_split
    new = next(t for t in metatool.tools if t.name == "MusicTool")
    retriever = make_retriever(method, encoder)
    retriever.fit([t for t in metatool.tools if t.name != new.name], _without(train, new.name))
    assert new.name not in retriever.tool_names
    learned = _learned_state(retriever)

    examples = [e.query for e in train if e.tools == (new.name,)][:5]
    retriever.add_tool(new, examples=examples)

    assert new.name in retriever.tool_names
    assert _unchanged(learned, _learned_state(retriever))  # nothing was retrained
    # Fit saw none of the new tool's queries, so all but the five examples are unseen.
    queries = [e.query for e in train + test if e.tools == (new.name,) and e.query not in examples]
    assert len(queries) == 15
    first = sum(retriever.search(q, 1)[0][0] == new.name for q in queries)
    assert first / len(queries) >= 0.5, (method, first, len(queries))


def _learned_state(retriever) -> dict[str, np.ndarray]:
    """Copies of what fit learned: trained weights and the tool vectors searched by."""
    state = {key: np.array(value, copy=True) for key, value in (getattr(retriever, "_weights", None) or {}).items()}
    for name, part in (
        ("tool2vec", retriever),
        ("hybrid", getattr(retriever, "dense", None)),
        ("refiner", getattr(getattr(retriever, "first_stage", None), "dense", None)),
        ("mlc", getattr(retriever, "tool2vec", None)),
    ):
        if part is not None and hasattr(part, "matrix"):
            state[f"{name}.matrix"] = part.matrix.copy()
    return state


def _unchanged(before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> bool:
    """Every array is as it was; per-tool arrays may have grown by the new tool's row."""
    if before.keys() != after.keys():
        return False
    for key, old in before.items():
        new = after[key]
        if old.ndim == 0:
            if not np.array_equal(old, new):
                return False
        elif new.shape[0] not in (old.shape[0], old.shape[0] + 1) or not np.array_equal(new[: old.shape[0]], old):
            return False
    return True


def test_add_tool_with_more_examples_updates_a_known_tool(encoder: SentenceEncoder, metatool, metatool_split) -> None:
    train, _ = metatool_split
    retriever = make_retriever("tool2vec", encoder)
    retriever.fit(metatool.tools, train)
    row = retriever.vectors.position["NewsTool"]
    before_count = int(retriever.vectors.count[row])
    before = retriever.matrix[row].copy()
    retriever.add_tool(ToolCard("NewsTool", "Latest news."), examples=["Any headlines about the election today?"])
    assert int(retriever.vectors.count[row]) == before_count + 1
    assert not np.allclose(retriever.matrix[row], before)
    assert len(retriever.tool_names) == len(metatool.tools)
