"""The one interface both desktop backends implement, and the data it carries.

The tools (one module per app area) validate and resolve their arguments,
then call a `DesktopBackend`: `PortableBackend` works on real files and
protocols anywhere, `MacOSBackend` drives the macOS apps through
`osascript`. Both return plain text the planner can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Contact:
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarEvent:
    title: str
    start: datetime
    end: datetime
    location: str = ""
    notes: str = ""
    attendees: tuple[str, ...] = ()
    uid: str = ""


@dataclass(frozen=True)
class EventList:
    """The events in a time range, and a sentence for each event of the
    calendar that could not be read (so one bad event hides only itself)."""

    events: list[CalendarEvent]
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reminder:
    title: str
    due: datetime | None = None
    notes: str = ""
    uid: str = ""


@dataclass(frozen=True)
class OutgoingMail:
    to: tuple[str, ...]
    subject: str
    body: str
    cc: tuple[str, ...] = ()
    attachments: tuple[Path, ...] = field(default=())


@runtime_checkable
class DesktopBackend(Protocol):
    """What the desktop tools need from a platform.

    `find_contacts` returns candidates for a name, best first (empty when
    none fits); every other method performs the action and returns a short
    confirmation, or raises `DesktopError` saying why it could not.
    """

    name: str

    def find_contacts(self, name: str) -> list[Contact]: ...

    def send_sms(self, phone: str, body: str) -> str: ...

    def compose_sms(self, phone: str, body: str) -> str: ...

    def send_mail(self, mail: OutgoingMail) -> str: ...

    def compose_mail(self, mail: OutgoingMail) -> str: ...

    def create_event(self, event: CalendarEvent) -> str: ...

    def list_events(self, start: datetime, end: datetime) -> EventList: ...

    def create_reminder(self, reminder: Reminder) -> str: ...

    def create_note(self, title: str, body: str) -> str: ...

    def read_note(self, title: str) -> str: ...

    def append_note(self, title: str, text: str) -> str: ...

    def open(self, target: str) -> str: ...
