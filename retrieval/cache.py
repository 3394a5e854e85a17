"""On-disk cache of sentence embeddings, keyed by model and text.

Encoding is the slow part of fitting and evaluating a retriever (thousands of
queries through a transformer), and the same tool descriptions and queries
come back run after run. One SQLite file per model keeps the vectors: SQLite
is in the standard library, safe with two processes writing at once, and a
batched `IN (...)` lookup of thousands of keys takes milliseconds.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from agentc.cache_dir import cache_dir
from agentc.retrieval.errors import EncoderError

_LOOKUP_CHUNK = 500  # SQLite allows at most 999 bound parameters per statement


def text_key(text: str) -> str:
    """The cache key of one text: its SHA-256, so any length and character is fine."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of one model, by text. `get` returns the hits; `put` stores new ones."""

    def __init__(self, model_id: str, directory: Path | None = None) -> None:
        self.model_id = model_id
        folder = (directory or cache_dir()) / "embeddings"
        self.path = folder / f"{text_key(model_id)[:24]}.sqlite"
        self._lock = threading.Lock()  # one connection, shared by the threads that encode
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('model_id', ?)", (model_id,))
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise EncoderError(
                f"cannot open the embedding cache {self.path}: {exc}; set AGENTC_CACHE_DIR to a writable "
                "folder, or pass cache=False to SentenceEncoder"
            ) from None

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of each text that has one, by text."""
        keys = {text_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        key_list = list(keys)
        for start in range(0, len(key_list), _LOOKUP_CHUNK):
            chunk = key_list[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk).fetchall()
            for key, blob in rows:
                found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector a text (float32)."""
        rows = [(text_key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        self._db.close()
