"""Notes: Markdown files in `home/notes`, one a note, named after its title."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from agentc.tools.desktop.errors import DesktopError
from agentc.tools.desktop.paths import confine, safe_name
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk


class MarkdownNotes:
    """Notes as `<title>.md` files under `folder`, never outside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def path(self, title: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return confine(self.folder / f"{safe_name(title)}.md", [self.folder.resolve()])

    def create(self, title: str, body: str) -> Path:
        """A new note; an existing one is never overwritten, even by another
        process creating the same title at the same moment (exclusive create)."""
        path = self.path(title)
        try:
            with path.open("x", encoding="utf-8", newline="") as note:
                note.write(f"# {title}\n\n{body}\n")
        except FileExistsError:
            raise DesktopError(f"a note titled {title!r} exists already; use append_note_content to add to it") from None
        return path

    def read(self, title: str) -> str:
        path = self.path(title)
        if not path.is_file():
            known = sorted(p.stem for p in self.folder.glob("*.md"))
            raise DesktopError(f"no note titled {title!r}; existing notes: {', '.join(known) or 'none'}")
        with path.open(encoding="utf-8", newline="") as note:  # keep the text's own line ends
            return note.read()

    def append(self, title: str, text: str) -> Path:
        path = self.path(title)
        with self._lock:
            if not path.is_file():
                raise DesktopError(f"no note titled {title!r}; create it first with create_note")
            with path.open("a", encoding="utf-8", newline="") as note:
                note.write(f"\n{text}\n")
        return path


def note_tools(desk: "Desk") -> list[Tool]:
    @tool(side_effects=True)
    def create_note(title: str, content: str) -> str:
        """Create a new note.

        Args:
            title: the note's title
            content: the note's text
        """
        return desk.backend.create_note(title, content)

    @tool(idempotent=True)
    def open_note(title: str) -> str:
        """Open a note and return its text.

        Args:
            title: the note's title
        """
        return desk.backend.read_note(title)

    @tool(side_effects=True)
    def append_note_content(title: str, content: str) -> str:
        """Add text at the end of an existing note.

        Args:
            title: the note's title
            content: the text to add
        """
        return desk.backend.append_note(title, content)

    return [create_note, open_note, append_note_content]
