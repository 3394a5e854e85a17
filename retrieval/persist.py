"""How retrievers are saved and loaded: one folder, a JSON file and arrays.

`retriever.json` names the method, its settings and the encoder's vector
space; `arrays.npz` holds numpy arrays, trained weights included (read with
`allow_pickle=False`, so loading a retriever cannot run code, and needs no
torch). A retriever made of parts saves each part in a subfolder.
`load_retriever` reads the method and calls the right class's `load`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from agentc.retrieval.encoder import Encoder, SentenceEncoder
from agentc.retrieval.errors import RetrieverStateError

FORMAT_VERSION = 1


def write_state(path: str | Path, method: str, config: dict[str, Any], arrays: dict[str, np.ndarray]) -> Path:
    """Write `retriever.json` and `arrays.npz` into the folder `path` (created)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    state = {"method": method, "format": FORMAT_VERSION, **config}
    (folder / "retriever.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
    np.savez(folder / "arrays.npz", **arrays)
    return folder


def read_state(path: str | Path, method: str | None = None) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read what `write_state` wrote; check the method when one is expected."""
    folder = Path(path)
    config_file = folder / "retriever.json"
    if not config_file.is_file():
        raise RetrieverStateError(f"{folder} is not a saved retriever (no retriever.json); save one with .save(path)")
    config = json.loads(config_file.read_text(encoding="utf-8"))
    if config.get("format") != FORMAT_VERSION:
        raise RetrieverStateError(
            f"{folder} was saved in format {config.get('format')!r}, this agentc reads {FORMAT_VERSION}; "
            "refit and save again"
        )
    if method is not None and config.get("method") != method:
        raise RetrieverStateError(
            f"{folder} holds a {config.get('method')!r} retriever, not {method!r}; "
            "use agentc.retrieval.load_retriever(path) to load any kind"
        )
    arrays_file = folder / "arrays.npz"
    arrays: dict[str, np.ndarray] = {}
    if arrays_file.is_file():
        with np.load(arrays_file, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    return config, arrays


def encoder_for(config: dict[str, Any], encoder: Encoder | None) -> Encoder:
    """The encoder a loaded retriever uses: the given one if it matches the saved space."""
    saved = config.get("encoder") or {}
    if encoder is None:
        encoder = SentenceEncoder(saved.get("model"))
    if saved.get("model_id") and encoder.model_id != saved["model_id"]:
        raise RetrieverStateError(
            f"the retriever was saved with embeddings of {saved['model_id']!r} but the encoder given is "
            f"{encoder.model_id!r}; pass a matching encoder, or none to load the saved one"
        )
    return encoder


def encoder_spec(encoder: Encoder) -> dict[str, Any]:
    """What to record about an encoder: `SentenceEncoder.spec`, or just its model id."""
    spec = getattr(encoder, "spec", None)
    return dict(spec) if isinstance(spec, dict) else {"model": None, "model_id": encoder.model_id}


def load_retriever(path: str | Path, encoder: Encoder | None = None) -> Any:
    """Load any saved retriever; `encoder` must match the one it was saved with."""
    from agentc.retrieval.methods import retriever_class

    config, _ = read_state(path)
    return retriever_class(config["method"]).load(path, encoder=encoder)
