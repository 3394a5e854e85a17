"""One site's SQLite database: seeded once, restored to the seed on `reset()`.

The live data sits in a file so the server and evaluators can each open their
own connection; a pristine in-memory copy taken right after seeding is copied
back with SQLite's online backup, which takes milliseconds for these sizes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


class SiteDatabase:
    """A seeded database file plus its pristine in-memory copy."""

    def __init__(self, path: Path, seed_fn: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        with self.connect() as conn:
            seed_fn(conn)
        self._pristine = sqlite3.connect(":memory:", check_same_thread=False)
        with self.connect() as conn:
            conn.backup(self._pristine)

    def connect(self) -> _Connection:
        """A new connection to the live data; use as `with db.connect() as conn:` (commits, then closes)."""
        conn = sqlite3.connect(self.path, timeout=5.0, factory=_Connection)
        conn.row_factory = sqlite3.Row
        return conn

    def reset(self) -> None:
        """Copy the pristine seeded data over the live data."""
        live = sqlite3.connect(self.path, timeout=5.0)
        try:
            self._pristine.backup(live)
        finally:
            live.close()

    def close(self) -> None:
        """Drop the pristine copy."""
        self._pristine.close()


class _Connection(sqlite3.Connection):
    """A connection whose `with` block commits (or rolls back) and then closes it."""

    def __exit__(self, exc_type, exc, tb):  # type: ignore[no-untyped-def]
        try:
            return super().__exit__(exc_type, exc, tb)
        finally:
            self.close()
