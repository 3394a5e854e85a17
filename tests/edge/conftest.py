"""Gemma 3 for the edge tests, assembled once per session into a private
cache (SmolLM2's fixtures are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.models import resolve_model


@pytest.fixture(scope="session")
def gemma3_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private cache folder, so the session assembles Gemma 3 for real."""
    return tmp_path_factory.mktemp("agentc-cache")


@pytest.fixture(scope="session")
def gemma3_path(gemma3_cache: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AGENTC_CACHE_DIR", str(gemma3_cache))
        return resolve_model("gemma3")


@pytest.fixture(scope="session")
def gemma3(gemma3_path: Path) -> Iterator[LlamaCppLLM]:
    llm = LlamaCppLLM(gemma3_path, n_ctx=2048, kv_cache="q4_0")
    yield llm
    llm.close()
