"""Contacts: vCard files (portable) and the lookup tools.

The portable address book is every `.vcf` file under `home/contacts`
(one or many cards a file), read with vobject on each lookup so edits show
at once. Names match fuzzily (rapidfuzz), so "Lutfi" finds "Lutfi Eren
Erdogan".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agentc.tools.desktop.backend import Contact
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

MATCH_CUTOFF = 80.0
"""Least rapidfuzz WRatio score (0-100) for a name to count as a match."""


class VCardBook:
    """The contacts in the vCard files under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def contacts(self) -> list[Contact]:
        import vobject

        found: list[Contact] = []
        if not self.folder.is_dir():
            return found
        for file in sorted(self.folder.rglob("*.vcf")):
            try:
                for card in vobject.readComponents(file.read_text(encoding="utf-8")):
                    found.append(_contact(card))
            except Exception as exc:  # vobject raises several unrelated types for bad input
                raise DesktopError(f"the vCard file {file} cannot be read ({exc}); fix or remove it") from exc
        return found

    def find(self, name: str) -> list[Contact]:
        """Contacts whose name fits `name`, best first."""
        from rapidfuzz import fuzz, process

        people = self.contacts()
        ranked = process.extract(
            name, [c.name for c in people], scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=MATCH_CUTOFF, limit=5
        )
        return [people[index] for _, _, index in ranked]


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
