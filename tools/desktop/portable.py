"""`PortableBackend`: the desktop on real files and protocols, on any OS.

Contacts are vCards, the calendar and reminders iCalendar files, notes
Markdown files, mail goes out over SMTP with a copy in a Maildir, text
messages wait in an outbox folder, and links and files open with the
desktop's opener. Everything is under the configured home.
"""

from __future__ import annotations

from datetime import datetime

from agentc.tools.desktop.backend import CalendarEvent, Contact, EventList, OutgoingMail, Reminder
from agentc.tools.desktop.calendar import ICalFile, describe_event, event_component, read_events
from agentc.tools.desktop.config import DesktopConfig
from agentc.tools.desktop.contacts import VCardBook
from agentc.tools.desktop.mail import SmtpMailer
from agentc.tools.desktop.messages import SmsOutbox, sms_url
from agentc.tools.desktop.notes import MarkdownNotes
from agentc.tools.desktop.opener import system_open
from agentc.tools.desktop.reminders import reminder_component


class PortableBackend:
    name = "portable"

    def __init__(self, config: DesktopConfig) -> None:
        home = config.home
        self.config = config
        self.contacts = VCardBook(home / "contacts")
        self.calendar = ICalFile(home / "calendar" / "calendar.ics")
        self.reminders = ICalFile(home / "calendar" / "reminders.ics")
        self.notes = MarkdownNotes(home / "notes")
        self.mailer = SmtpMailer(config.smtp, home / "mail")
        self.outbox = SmsOutbox(home / "messages" / "outbox")

    def find_contacts(self, name: str) -> list[Contact]:
        return self.contacts.find(name)

    def send_sms(self, phone: str, body: str) -> str:
        path = self.outbox.put(phone, body, self.config.now())
        return f"message to {phone} queued in the outbox ({path.name})"

    def compose_sms(self, phone: str, body: str) -> str:
        return self.open(sms_url(phone, body))

    def send_mail(self, mail: OutgoingMail) -> str:
        return self.mailer.send(mail)

    def compose_mail(self, mail: OutgoingMail) -> str:
        return self.mailer.draft(mail)

    def create_event(self, event: CalendarEvent) -> str:
        self.calendar.add(event_component(event, self.config.now()))
        return f"created event {describe_event(event)}"

    def list_events(self, start: datetime, end: datetime) -> EventList:
        events, skipped = read_events(self.calendar.read("VEVENT"))
        return EventList(sorted((e for e in events if e.start < end and e.end > start), key=lambda e: e.start), skipped)

    def create_reminder(self, reminder: Reminder) -> str:
        self.reminders.add(reminder_component(reminder, self.config.now()))
        due = f" due {reminder.due:%Y-%m-%d %H:%M}" if reminder.due else ""
        return f"created reminder {reminder.title!r}{due}"

    def create_note(self, title: str, body: str) -> str:
        return f"created note {self.notes.create(title, body).name}"

    def read_note(self, title: str) -> str:
        return self.notes.read(title)

    def append_note(self, title: str, text: str) -> str:
        return f"appended to note {self.notes.append(title, text).name}"

    def open(self, target: str) -> str:
        (self.config.opener or system_open)(target)
        return f"opened {target}"
