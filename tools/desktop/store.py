"""Safe writes of the assistant's own files: one writer at a time, never a torn file.

Two toolkits in one process, or two `agentc assistant` processes on one
home, may change the same file at once. Each read-modify-write therefore
holds an inter-process lock (`filelock`: `flock` on POSIX, `LockFileEx` on
Windows, on a `<name>.lock` file beside it), and each new version is
written to a temporary file of its own, flushed to disk and renamed over
the old one, so a reader (or a crash) only ever sees the old file or the
new one, never half of either.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from agentc.tools.desktop.errors import DesktopError

LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another one before giving up with an error."""


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the inter-process lock of `path` (its folder is created if needed)."""
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise DesktopError(
            f"{path} stayed locked by another writer (another assistant changing it) for {timeout:g} s; "
            "try again once it has finished"
        ) from None
    try:
        yield
    finally:
        lock.release()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: a unique temporary file in the same
    folder, fsynced, then `os.replace`d over it. The file keeps its mode; a
    new file is readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles to sync)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
