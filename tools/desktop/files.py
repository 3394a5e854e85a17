"""Files: find by fuzzy name, open, and summarize with the model, only under
the configured file roots. Opening a file starts an application on the
user's screen, so it is a side effect: the approver sees the resolved path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

MAX_FILES = 20_000
"""Most files looked at in one search, so a huge root cannot hang it."""
MAX_SUMMARY_INPUT = 6_000
"""Characters of a file the model reads to summarize it."""
TEXT_SUFFIXES = {".txt", ".md", ".rst", ".csv", ".json", ".html", ".org", ".log", ".py", ".tex"}


def find_files(roots: list[Path], name: str, limit: int = 5) -> list[Path]:
    """Files under `roots` whose name fits `name`, best first (symlinks out of the roots are not followed)."""
    from rapidfuzz import fuzz, process

    candidates: list[Path] = []
    for root in roots:
        for path in root.rglob("*"):
            if len(candidates) >= MAX_FILES:
                break
            if path.is_file() and not path.name.startswith(".") and path.resolve().is_relative_to(root):
                candidates.append(path)
    ranked = process.extract(
        name, [p.name for p in candidates], scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=60, limit=limit
    )
    return [candidates[index] for _, _, index in ranked]


def file_text(path: Path) -> str:
    """The text of a PDF (pypdf) or a text file."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        except PdfReadError as exc:
            raise DesktopError(f"{path.name} is not a readable PDF ({exc})") from exc
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise DesktopError(
            f"cannot summarize {path.name}: only PDF and text files ({', '.join(sorted(TEXT_SUFFIXES))}) can be read"
        )
    return path.read_text(encoding="utf-8", errors="replace")


def file_tools(desk: "Desk") -> list[Tool]:
    @tool(idempotent=True)
    def find_file(name: str) -> str:
        """Find the user's file whose name is most like the given one; returns its path.

        Args:
            name: part of the file name, e.g. "slides" or "tax report 2024"
        """
        found = find_files(desk.config.file_roots, name, limit=1)
        if not found:
            raise DesktopError(f"no file named like {name!r} under {', '.join(map(str, desk.config.file_roots))}")
        return str(found[0])

    @tool(side_effects=True, preview=lambda path: {"opens": str(desk.existing_file(path))})
    def open_file(path: str) -> str:
        """Open a file in its default application.

        Args:
            path: the file's path, e.g. one find_file returned
        """
        target = desk.existing_file(path)
        return desk.backend.open(str(target))

    @tool(idempotent=True)
    async def summarize_file(path: str) -> str:
        """Summarize a PDF or text file in a few sentences.

        Args:
            path: the file's path, e.g. one find_file returned
        """
        target = desk.existing_file(path)
        text = file_text(target).strip()
        if not text:
            raise DesktopError(f"{target.name} has no text to summarize")
        return await desk.summarize(text[:MAX_SUMMARY_INPUT], target.name)

    return [find_file, open_file, summarize_file]
