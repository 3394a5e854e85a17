"""Contacts: vCard files (portable) and the lookup tools.

The portable address book is every `.vcf` file under `home/contacts`
(one or many cards a file), read with vobject on each lookup so edits show
at once. Names match fuzzily (rapidfuzz), so "Lutfi" finds "Lutfi Eren
Erdogan". Each card is read on its own: a malformed card is skipped (and
named when a lookup finds nobody, since it may be the one wanted) while
every other card still answers. Files are UTF-8; one that is not is read
as Latin-1, the usual encoding of older exports (nothing here writes them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from agentc.tools.desktop.backend import Contact
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

MATCH_CUTOFF = 80.0
"""Least rapidfuzz WRatio score (0-100) for a name to count as a match."""

_BEGIN = re.compile(r"BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
_END = re.compile(r"END\s*:\s*VCARD\s*", re.IGNORECASE)


class VCardBook:
    """The contacts in the vCard files under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self) -> tuple[list[Contact], list[str]]:
        """Every contact that could be read, and a sentence for each card
        that could not (file, line and why)."""
        import vobject

        found: list[Contact] = []
        skipped: list[str] = []
        if not self.folder.is_dir():
            return found, skipped
        for file in sorted(self.folder.rglob("*.vcf")):
            for line, text in _cards(_text(file)):
                try:
                    found.append(_contact(vobject.readOne(text)))
                except Exception as exc:  # vobject raises several unrelated types for bad input
                    skipped.append(f"{file.name} line {line}: {_reason(exc)}")
        return found, skipped

    def find(self, name: str) -> list[Contact]:
        """Contacts whose name fits `name`, best first. When none does and
        some cards could not be read, a `DesktopError` names those cards."""
        from rapidfuzz import fuzz, process

        people, skipped = self.read()
        ranked = process.extract(
            name, [c.name for c in people], scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=MATCH_CUTOFF, limit=5
        )
        if not ranked and skipped:
            raise DesktopError(
                f"no contact matches {name!r}, and {len(skipped)} card(s) under {self.folder} could not be read "
                f"({'; '.join(skipped[:3])}); fix those cards or check the spelling"
            )
        return [people[index] for _, _, index in ranked]


def _reason(exc: Exception) -> str:
    """vobject's message without its own line count (which is within the card, not the file)."""
    return re.sub(r"^At line \d+: ", "", str(exc)) or type(exc).__name__


def _text(file: Path) -> str:
    """The file's text: UTF-8, or Latin-1 (which reads any bytes) for older exports."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _cards(text: str) -> Iterator[tuple[int, str]]:
    """`(first line, text)` of each BEGIN:VCARD ... END:VCARD block; an
    unclosed block runs to the end of the file (and then fails to parse)."""
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if start is None:
            if _BEGIN.fullmatch(line):
                start, lines = number, [line]
            elif line.strip():
                yield number, line  # text outside any card: reported, not silently dropped
            continue
        lines.append(line)
        if _END.fullmatch(line):
            yield start, "\r\n".join(lines) + "\r\n"
            start = None
    if start is not None:
        yield start, "\r\n".join(lines) + "\r\n"


def _contact(card: object) -> Contact:
    contents = getattr(card, "contents", {})
    name = str(card.fn.value) if "fn" in contents else " ".join(  # type: ignore[attr-defined]
        str(p) for p in (card.n.value.given, card.n.value.family) if p  # type: ignore[attr-defined]
    )
    emails = tuple(str(e.value) for e in contents.get("email", []))
    phones = tuple(str(t.value) for t in contents.get("tel", []))
    return Contact(name=name.strip(), emails=emails, phones=phones)


def contact_tools(desk: "Desk") -> list[Tool]:
    @tool(idempotent=True)
    def get_phone_number(name: str) -> str:
        """Look up a person's phone number in the user's contacts.

        Args:
            name: the person's name, e.g. "Lutfi" or "Ann Lee"
        """
        return desk.phone_of(name)

    @tool(idempotent=True)
    def get_email_address(name: str) -> str:
        """Look up a person's email address in the user's contacts.

        Args:
            name: the person's name, e.g. "Lutfi" or "Ann Lee"
        """
        return desk.email_of(name)

    return [get_phone_number, get_email_address]
