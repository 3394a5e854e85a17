"""Calendar: events in an iCalendar file (portable) and the calendar tools.

The portable calendar is `home/calendar/calendar.ics`; any calendar
application can import or subscribe to it, and the user may edit it. So a
write never rewrites what was there: the new event's text is inserted
before the file's last `END:VCALENDAR`, every existing byte kept as it was
(properties and parameters agentc does not know included). A file that
cannot be added to that way (not UTF-8, not a VCALENDAR, cut short) is
refused with an error naming the line, and left untouched. Writes hold an
inter-process lock and replace the file atomically (`store`), so parallel
tasks and parallel assistants never lose an event. Reading skips an event
it cannot understand and says so, instead of failing for the whole
calendar.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from agentc.tools.desktop.backend import CalendarEvent
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.desktop.store import locked, write_atomically
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

PRODID = "-//agentc//desktop assistant//EN"
_CALENDAR_END = re.compile(rb"^END:VCALENDAR[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_BOM = b"\xef\xbb\xbf"


class ICalFile:
    """One iCalendar file, read on each call; writes add to it under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, component: Any) -> None:
        """Add `component` (an icalendar `Event` or `Todo`) to the file."""
        with locked(self.path):
            old = self.path.read_bytes() if self.path.is_file() else b""
            write_atomically(self.path, self._with(old, component))

    def read(self, kind: str) -> list[Any]:
        """The file's components of `kind` ("VEVENT", "VTODO")."""
        if not self.path.is_file():
            return []
        return list(self._parse(self.path.read_bytes()).walk(kind))

    def _with(self, old: bytes, component: Any) -> bytes:
        """`old` with the component's text inserted before its last
        END:VCALENDAR, or a new calendar holding it when `old` is empty."""
        import icalendar

        if not old.strip():
            calendar = icalendar.Calendar()
            calendar.add("prodid", PRODID)
            calendar.add("version", "2.0")
            calendar.add_component(component)
            return calendar.to_ical()
        try:
            old.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._refuse(old, exc.start, "is not UTF-8 text, which iCalendar requires; convert the file to UTF-8 "
                         "(e.g. iconv -f latin1 -t utf-8)")
        first = old.removeprefix(_BOM).lstrip()
        if not first[:15].upper().startswith(b"BEGIN:VCALENDAR"):
            self._refuse(old, len(old) - len(first), "is not BEGIN:VCALENDAR; the file must be one calendar "
                         "(wrap its events in BEGIN:VCALENDAR ... END:VCALENDAR)")
        ends = list(_CALENDAR_END.finditer(old))
        if not ends:
            self._refuse(old, len(old.rstrip()), "is the last one, with no END:VCALENDAR (is the file cut short?); "
                         "add that line")
        self._parse(old)
        at = ends[-1].start()
        text = component.to_ical()
        if b"\r\n" not in old:  # keep the file's own line ends
            text = text.replace(b"\r\n", b"\n")
        return old[:at] + text + old[at:]

    def _parse(self, data: bytes) -> Any:
        import icalendar

        try:
            return icalendar.Calendar.from_ical(data)
        except ValueError as exc:
            raise DesktopError(f"the calendar file {self.path} is not valid iCalendar ({exc}); fix or move it") from exc

    def _refuse(self, data: bytes, offset: int, problem: str) -> NoReturn:
        """Stop a write, naming the line at `offset` and what is wrong with it."""
        line = data[:offset].count(b"\n") + 1
        text = (data.splitlines()[line - 1 : line] or [b""])[0][:60].decode("utf-8", "backslashreplace")
        raise DesktopError(f'not adding to {self.path}: line {line} "{text}" {problem}; the file was left as it was')


def event_component(event: CalendarEvent, stamp: datetime) -> Any:
    import icalendar

    component = icalendar.Event()
    component.add("uid", event.uid or f"{uuid.uuid4()}@agentc")
    component.add("dtstamp", stamp)
    component.add("summary", event.title)
    component.add("dtstart", event.start)
    component.add("dtend", event.end)
    if event.location:
        component.add("location", event.location)
    if event.notes:
        component.add("description", event.notes)
    for address in event.attendees:
        component.add("attendee", f"mailto:{address}")
    return component


def read_events(components: list[Any]) -> tuple[list[CalendarEvent], list[str]]:
    """The events of the VEVENT `components`, and a sentence for each one
    that cannot be read: it is skipped, so the rest are still listed."""
    events: list[CalendarEvent] = []
    skipped: list[str] = []
    for component in components:
        try:
            events.append(read_event(component))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # icalendar's errors for a bad value
            title = str(component.get("summary", "")) or str(component.get("uid", "")) or "without a title"
            skipped.append(f"skipped event {title!r}: {exc}")
    return events, skipped


def read_event(component: Any) -> CalendarEvent:
    """One VEVENT as a `CalendarEvent`; raises ValueError for a missing or bad date."""
    if "dtstart" not in component:
        raise ValueError("it has no DTSTART")
    start = _as_datetime(component, "dtstart")
    end = _as_datetime(component, "dtend") if "dtend" in component else start + timedelta(hours=1)
    attendees = component.get("attendee", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return CalendarEvent(
        title=str(component.get("summary", "")),
        start=start,
        end=end,
        location=str(component.get("location", "")),
        notes=str(component.get("description", "")),
        attendees=tuple(str(a).removeprefix("mailto:") for a in attendees),
        uid=str(component.get("uid", "")),
    )


def _as_datetime(component: Any, name: str) -> datetime:
    """The component's date property as a local naive datetime; ValueError
    naming the property and its text when it is not a date (icalendar keeps
    an unparseable value as text instead of failing the whole file)."""
    value = component.decoded(name)
    if not isinstance(value, (date, datetime)):
        raise ValueError(f"{name.upper()} {str(component.get(name))!r} is not a date or date-time")
    if isinstance(value, datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, datetime.min.time())


def describe_event(event: CalendarEvent) -> str:
    where = f" at {event.location}" if event.location else ""
    who = f" with {', '.join(event.attendees)}" if event.attendees else ""
    return f"{event.title!r} {event.start:%Y-%m-%d %H:%M}-{event.end:%H:%M}{where}{who}"


def calendar_tools(desk: "Desk") -> list[Tool]:
    def event_of(
        title: str, start: str, duration_minutes: int, location: str, notes: str, attendees: list[str]
    ) -> CalendarEvent:
        if duration_minutes <= 0:
            raise DesktopError(f"duration_minutes must be positive, got {duration_minutes}")
        begins = desk.when(start)
        return CalendarEvent(
            title=title,
            start=begins,
            end=begins + timedelta(minutes=duration_minutes),
            location=location,
            notes=notes,
            attendees=tuple(desk.email_of(a) for a in attendees),
        )

    def preview(**arguments: Any) -> dict[str, Any]:
        return {"event": describe_event(event_of(**arguments))}

    @tool(side_effects=True, preview=preview)
    def create_calendar_event(
        title: str,
        start: str,
        duration_minutes: int = 60,
        location: str = "",
        notes: str = "",
        attendees: list[str] = [],
    ) -> str:
        """Put an event on the user's calendar.

        Args:
            title: what the event is, e.g. "Meeting with Lutfi"
            start: when it starts, e.g. "2025-03-14T15:00" or "tomorrow at 3pm"
            duration_minutes: how long it lasts
            location: where, or a meeting link
            notes: details to keep with the event
            attendees: names from the contacts or email addresses to invite
        """
        return desk.backend.create_event(event_of(title, start, duration_minutes, location, notes, attendees))

    @tool(idempotent=True)
    def list_calendar_events(day: str = "today", days: int = 1) -> list[str]:
        """List the events on the user's calendar, from a day on.

        Args:
            day: the first day, e.g. "today", "friday" or "2025-03-14"
            days: how many days to cover
        """
        if days < 1:
            raise DesktopError(f"days must be 1 or more, got {days}")
        first = datetime.combine(desk.when(day).date(), datetime.min.time())
        listed = desk.backend.list_events(first, first + timedelta(days=days))
        lines = [describe_event(e) for e in listed.events] or [f"no events from {first:%Y-%m-%d} for {days} day(s)"]
        return lines + listed.skipped

    return [create_calendar_event, list_calendar_events]
