"""`desktop_tools`: the desktop assistant's tools over one backend.

`Desk` is what every tool shares: the backend, the settings, the model for
summaries, and the argument resolution all areas need (a name or an
address to an address, a phrase to a date, a path to a confined file).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from agentc.tools.desktop.backend import Contact, DesktopBackend
from agentc.tools.desktop.calendar import calendar_tools
from agentc.tools.desktop.config import DesktopConfig
from agentc.tools.desktop.contacts import contact_tools
from agentc.tools.desktop.dates import parse_when
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.desktop.files import file_tools
from agentc.tools.desktop.mail import mail_tools, one_address
from agentc.tools.desktop.maps import map_tools
from agentc.tools.desktop.meetings import meeting_tools
from agentc.tools.desktop.messages import message_tools
from agentc.tools.desktop.notes import note_tools
from agentc.tools.desktop.paths import confine
from agentc.tools.desktop.reminders import reminder_tools
from agentc.tools.tool import Tool

if TYPE_CHECKING:
    from agentc.llm import LLM

BackendName = Literal["auto", "portable", "macos"]


@dataclass
class Desk:
    backend: DesktopBackend
    config: DesktopConfig
    llm: "LLM | None" = None

    def contact(self, name: str) -> Contact:
        found = self.backend.find_contacts(name)
        if not found:
            raise DesktopError(f"no contact matches {name!r}; check the spelling or add them to the contacts")
        return found[0]

    def email_of(self, who: str) -> str:
        """The one address `who` stands for: `who` itself if it is one plain
        address, else the first address of the contact named `who`. A string
        holding several addresses (`"a@x.org, b@y.org"`, `"x" <a@x.org>`) is
        an error, never several envelope recipients."""
        who = who.strip()
        if "@" in who:
            return one_address(who)
        person = self.contact(who)
        if not person.emails:
            raise DesktopError(f"the contact {person.name!r} has no email address")
        return one_address(person.emails[0], given=f"the address of the contact {person.name!r}")

    def phone_of(self, who: str) -> str:
        """`who` if it is a phone number, else the first number of the contact named `who`."""
        who = who.strip()
        if who and all(c.isdigit() or c in "+-() ." for c in who) and any(c.isdigit() for c in who):
            return who
        person = self.contact(who)
        if not person.phones:
            raise DesktopError(f"the contact {person.name!r} has no phone number")
        return person.phones[0]

    def when(self, text: str) -> datetime:
        return parse_when(text, self.config.now())

    def existing_file(self, path: str) -> Path:
        """`path` inside the file roots (or home), and an existing file."""
        target = confine(path, [*self.config.file_roots, self.config.home])
        if not target.is_file():
            raise DesktopError(f"no file at {path!r}; use find_file to look it up by name")
        return target

    async def summarize(self, text: str, title: str) -> str:
        if self.llm is None:
            raise DesktopError("summarize_file needs a model; build the tools with desktop_tools(llm=...)")
        from agentc.llm import Message
        from agentc.llm.base import complete

        messages = [
            Message("system", "You summarize documents in three sentences or fewer. Answer with the summary only."),
            Message("user", f"Document {title}:\n\n{text}\n\nSummary:"),
        ]
        done = await complete(self.llm, messages, max_tokens=200)
        return done.text.strip()


def make_backend(config: DesktopConfig, name: BackendName = "auto") -> DesktopBackend:
    """The macOS apps on a Mac (`auto` or `macos`), real files everywhere else."""
    if name == "macos" or (name == "auto" and sys.platform == "darwin"):
        from agentc.tools.desktop.macos import MacOSBackend

        return MacOSBackend(config)
    from agentc.tools.desktop.portable import PortableBackend

    return PortableBackend(config)


def desktop_tools(
    config: DesktopConfig | None = None,
    *,
    backend: DesktopBackend | BackendName = "auto",
    llm: "LLM | None" = None,
) -> list[Tool]:
    """Every desktop tool over one backend. `llm` summarizes files."""
    config = config or DesktopConfig()
    chosen = make_backend(config, backend) if isinstance(backend, str) else backend
    desk = Desk(chosen, config, llm)
    makers = (
        contact_tools, message_tools, mail_tools, calendar_tools, reminder_tools,
        note_tools, file_tools, map_tools, meeting_tools,
    )
    return [t for make in makers for t in make(desk)]
