"""Models for the edge tests, loaded once per session (2 CPU cores: loading
is cheap, but there is no reason to repeat it)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from llama_cpp import Llama

from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.models import resolve_model


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    return resolve_model("smollm2")


@pytest.fixture(scope="session")
def smollm2(smollm2_path: Path) -> Iterator[LlamaCppLLM]:
    """SmolLM2-135M with the default 4-bit KV cache."""
    llm = LlamaCppLLM(smollm2_path, n_ctx=2048)
    yield llm
    llm.close()


@pytest.fixture(scope="session")
def vocab(smollm2_path: Path) -> Iterator[Llama]:
    """SmolLM2's vocabulary only: enough for llama.cpp's grammar engine."""
    llama = Llama(str(smollm2_path), vocab_only=True, verbose=False)
    yield llama
    llama.close()


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
    llm = LlamaCppLLM(gemma3_path, n_ctx=2048)
    yield llm
    llm.close()
