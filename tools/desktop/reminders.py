"""Reminders: to-dos (VTODO) in an iCalendar file, `home/calendar/reminders.ics`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentc.tools.desktop.backend import Reminder
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk


def reminder_component(reminder: Reminder, stamp: datetime) -> Any:
    import icalendar

    todo = icalendar.Todo()
    todo.add("uid", reminder.uid or f"{uuid.uuid4()}@agentc")
    todo.add("dtstamp", stamp)
    todo.add("summary", reminder.title)
    todo.add("status", "NEEDS-ACTION")
    if reminder.due is not None:
        todo.add("due", reminder.due)
    if reminder.notes:
        todo.add("description", reminder.notes)
    return todo


def reminder_tools(desk: "Desk") -> list[Tool]:
    def preview(title: str, due: str, notes: str) -> dict[str, Any]:
        when = desk.when(due) if due.strip() else None
        return {"title": title, "due": f"{when:%Y-%m-%d %H:%M}" if when else "no date", "notes": notes}

    @tool(side_effects=True, preview=preview)
    def create_reminder(title: str, due: str = "", notes: str = "") -> str:
        """Add a reminder (a to-do) for the user.

        Args:
            title: what to remember, e.g. "Buy milk"
            due: when, e.g. "tomorrow at 9am" or "2025-03-14T09:00"; empty for no date
            notes: details
        """
        when = desk.when(due) if due.strip() else None
        return desk.backend.create_reminder(Reminder(title=title, due=when, notes=notes))

    return [create_reminder]
