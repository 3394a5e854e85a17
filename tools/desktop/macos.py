"""`MacOSBackend`: the desktop through the macOS apps, by `osascript`.

Every script is a constant file in `applescript/`; the values of a call
(names, subjects, bodies, paths) reach it only as `argv` items after the
script's path (`osascript SCRIPT ARG...`), so no text the user or the model
writes is ever compiled as AppleScript. The one process boundary is a
`CommandRunner`: a function from an argv list to the command's output.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from agentc.tools.desktop.backend import CalendarEvent, Contact, EventList, OutgoingMail, Reminder
from agentc.tools.desktop.calendar import describe_event
from agentc.tools.desktop.config import DesktopConfig
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.desktop.messages import sms_url

SCRIPTS = Path(__file__).parent / "applescript"

CommandRunner = Callable[[list[str]], str]
"""`(argv) -> stdout`; raises `DesktopError` when the command fails."""


def run_command(argv: list[str], timeout: float = 60.0) -> str:
    """Run `argv` without a shell and return its output."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise DesktopError(f"{argv[0]} is not available here; the macOS backend needs macOS") from None
    except subprocess.TimeoutExpired:
        raise DesktopError(f"{argv[0]} did not finish within {timeout:g} s (is an app waiting for permission?)") from None
    if done.returncode != 0:
        raise DesktopError(f"{Path(argv[1]).stem if len(argv) > 1 else argv[0]} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def script_path(name: str) -> Path:
    path = SCRIPTS / f"{name}.applescript"
    if not path.is_file():
        raise DesktopError(f"the AppleScript {name!r} is missing from {SCRIPTS}; reinstall agentc")
    return path


def osascript_command(name: str, args: Sequence[str]) -> list[str]:
    """`osascript <constant script file> <args...>`: the values only ever as argv."""
    return ["osascript", str(script_path(name)), *(str(a) for a in args)]


def date_parts(when: datetime) -> list[str]:
    return [str(when.year), str(when.month), str(when.day), str(when.hour), str(when.minute)]


class MacOSBackend:
    name = "macos"

    def __init__(self, config: DesktopConfig, run: CommandRunner = run_command) -> None:
        self.config = config
        self.run = run

    def script(self, name: str, *args: str) -> str:
        return self.run(osascript_command(name, args)).strip()

    def find_contacts(self, name: str) -> list[Contact]:
        people = []
        for line in self.script("contacts_find", name).splitlines():
            fields = line.split("\t")
            if len(fields) == 3:
                people.append(Contact(fields[0], _items(fields[1]), _items(fields[2])))
        return people

    def send_sms(self, phone: str, body: str) -> str:
        self.script("messages_send", phone, body)
        return f"message sent to {phone}"

    def compose_sms(self, phone: str, body: str) -> str:
        return self.open(sms_url(phone, body))

    def send_mail(self, mail: OutgoingMail) -> str:
        self.script("mail_message", *_mail_args("send", mail))
        return f"sent {mail.subject!r} to {', '.join(mail.to)}"

    def compose_mail(self, mail: OutgoingMail) -> str:
        self.script("mail_message", *_mail_args("draft", mail))
        return f"opened a draft {mail.subject!r} to {', '.join(mail.to)} in Mail"

    def create_event(self, event: CalendarEvent) -> str:
        self.script(
            "calendar_create",
            event.title, event.location, event.notes,
            *date_parts(event.start), *date_parts(event.end), *event.attendees,
        )
        return f"created event {describe_event(event)}"

    def list_events(self, start: datetime, end: datetime) -> EventList:
        events = []
        for line in self.script("calendar_list", *date_parts(start), *date_parts(end)).splitlines():
            fields = line.split("\t")
            if len(fields) == 4:
                title, begins, ends, place = fields
                events.append(CalendarEvent(title, datetime.fromisoformat(begins), datetime.fromisoformat(ends), place))
        return EventList(sorted(events, key=lambda e: e.start))

    def create_reminder(self, reminder: Reminder) -> str:
        due = ["1", *date_parts(reminder.due)] if reminder.due else ["0"]
        self.script("reminders_create", reminder.title, reminder.notes, *due)
        return f"created reminder {reminder.title!r}"

    def create_note(self, title: str, body: str) -> str:
        self.script("notes_create", title, body)
        return f"created note {title!r}"

    def read_note(self, title: str) -> str:
        return self.script("notes_read", title)

    def append_note(self, title: str, text: str) -> str:
        self.script("notes_append", title, text)
        return f"appended to note {title!r}"

    def open(self, target: str) -> str:
        if self.config.opener is not None:
            self.config.opener(target)
        else:
            self.run(["open", target])
        return f"opened {target}"


def _mail_args(mode: str, mail: OutgoingMail) -> list[str]:
    return [
        mode, mail.subject, mail.body,
        str(len(mail.to)), *mail.to,
        str(len(mail.cc)), *mail.cc,
        *(str(p) for p in mail.attachments),
    ]


def _items(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())
