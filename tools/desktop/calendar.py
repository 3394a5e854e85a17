"""Calendar: events in an iCalendar file (portable) and the calendar tools.

The portable calendar is `home/calendar/calendar.ics`, one VCALENDAR read
and written with icalendar; any calendar application can import or
subscribe to it. Writes go to a temporary file that replaces the old one,
under a lock, so parallel tasks never lose an event.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from agentc.tools.desktop.backend import CalendarEvent
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

PRODID = "-//agentc//desktop assistant//EN"


class ICalFile:
    """One iCalendar file, read on each call and replaced atomically on each write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> Any:
        import icalendar

        if not self.path.is_file():
            calendar = icalendar.Calendar()
            calendar.add("prodid", PRODID)
            calendar.add("version", "2.0")
            return calendar
        try:
            return icalendar.Calendar.from_ical(self.path.read_bytes())
        except ValueError as exc:
            raise DesktopError(f"the calendar file {self.path} is not valid iCalendar ({exc}); fix or move it") from exc

    def add(self, component: Any) -> None:
        with self._lock:
            calendar = self.read()
            calendar.add_component(component)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".ics.part")
            partial.write_bytes(calendar.to_ical())
            os.replace(partial, self.path)

    def components(self, kind: str) -> Iterator[Any]:
        yield from self.read().walk(kind)


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


def read_event(component: Any) -> CalendarEvent:
    start = _as_datetime(component.decoded("dtstart"))
    end = _as_datetime(component.decoded("dtend")) if "dtend" in component else start + timedelta(hours=1)
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


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, datetime.min.time())


def describe_event(event: CalendarEvent) -> str:
    where = f" at {event.location}" if event.location else ""
    who = f" with {', '.join(event.attendees)}" if event.attendees else ""
    return f"{event.title!r} {event.start:%Y-%m-%d %H:%M}-{event.end:%H:%M}{where}{who}"


def calendar_tools(desk: "Desk") -> list[Tool]:
    @tool(side_effects=True)
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
        if duration_minutes <= 0:
            raise DesktopError(f"duration_minutes must be positive, got {duration_minutes}")
        begins = desk.when(start)
        event = CalendarEvent(
            title=title,
            start=begins,
            end=begins + timedelta(minutes=duration_minutes),
            location=location,
            notes=notes,
            attendees=tuple(desk.email_of(a) for a in attendees),
        )
        return desk.backend.create_event(event)

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
        events = desk.backend.list_events(first, first + timedelta(days=days))
        return [describe_event(e) for e in events] or [f"no events from {first:%Y-%m-%d} for {days} day(s)"]

    return [create_calendar_event, list_calendar_events]
