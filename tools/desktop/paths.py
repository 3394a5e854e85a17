"""Path confinement: nothing is read or written outside the allowed folders.

A path is resolved first (following every symlink and `..`), then checked,
so neither `../../etc/passwd` nor a symlink pointing out of a folder gets
through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from agentc.tools.desktop.errors import DesktopError


def confine(path: str | Path, roots: Iterable[Path], *, base: Path | None = None) -> Path:
    """`path` resolved, if it lies inside one of `roots`; a relative path is
    taken from `base` (default: the first root). Raises `DesktopError` if not."""
    roots = list(roots)
    candidate = Path(path).expanduser()
    if not candidate.is_absolute():
        candidate = (base or roots[0]) / candidate
    resolved = candidate.resolve()
    for root in roots:
        if resolved == root or resolved.is_relative_to(root):
            return resolved
    raise DesktopError(
        f"{str(path)!r} is outside the folders the assistant may use ({', '.join(map(str, roots))}); "
        "use a file inside them or add its folder to the file roots"
    )


def safe_name(text: str, *, fallback: str = "untitled") -> str:
    """A file name from free text: no separators, no leading dots, bounded length."""
    cleaned = "".join(c if c.isalnum() or c in " -_.,()'" else "-" for c in text.strip())
    cleaned = cleaned.strip(" .-")[:120]
    return cleaned or fallback
