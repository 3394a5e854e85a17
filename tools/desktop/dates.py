"""Dates and times as people and planners write them, parsed strictly.

Accepted forms (case does not matter):

- ISO 8601: `2025-03-14`, `2025-03-14T15:00`, `2025-03-14 15:00:00+01:00`;
- a day word and an optional time: `today`, `tomorrow at 3pm`,
  `friday 14:30`, `next monday at 9:15 am`;
- a time alone (today): `3pm`, `15:00`, `at noon`;
- an offset: `in 2 hours`, `in 30 minutes`, `in 3 days`.

Anything else is an error that lists these forms, never a guess. Times are
local and naive ("floating" in iCalendar terms): 3 pm means 3 pm wherever
the user is.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from agentc.tools.desktop.errors import DesktopError

ACCEPTED = (
    "ISO 8601 (2025-03-14 or 2025-03-14T15:00), 'today'/'tomorrow'/a weekday with an optional time "
    "('tomorrow at 3pm', 'friday 14:30'), a time alone ('3pm', '15:00'), or an offset ('in 2 hours')"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TIME = r"(?:(?P<noon>noon|midday)|(?P<midnight>midnight)|(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?)"
_DAY = r"(?P<day>today|tonight|tomorrow|(?:next\s+)?(?:" + "|".join(_WEEKDAYS) + "))"
_DAY_TIME = re.compile(rf"^{_DAY}(?:\s*(?:,|at|@)?\s*{_TIME})?$")
_TIME_ONLY = re.compile(rf"^(?:at\s+)?{_TIME}$")
_OFFSET = re.compile(r"^in\s+(?P<count>\d{1,4})\s+(?P<unit>minute|min|hour|hr|day|week)s?$")


def parse_when(text: str, now: datetime, *, default_time: time = time(9, 0)) -> datetime:
    """The local datetime `text` names, counted from `now`; a day without a
    time gets `default_time`. Raises `DesktopError` listing the accepted forms."""
    cleaned = " ".join(str(text).strip().lower().split())
    if not cleaned:
        raise DesktopError(f"no date or time given; use {ACCEPTED}")
    now = now.replace(tzinfo=None) if now.tzinfo is None else now.astimezone().replace(tzinfo=None)
    try:
        return _iso(cleaned, default_time)
    except ValueError:
        pass
    if match := _OFFSET.match(cleaned):
        count = int(match["count"])
        unit = {"min": "minute", "hr": "hour"}.get(match["unit"], match["unit"])
        return now + timedelta(**{unit + "s": count})
    if match := _DAY_TIME.match(cleaned):
        day = _day(match["day"], now.date())
        at = _time(match, text) if match["hour"] or match["noon"] or match["midnight"] else default_time
        if match["day"] == "tonight" and not match["hour"]:
            at = time(20, 0)
        return datetime.combine(day, at)
    if match := _TIME_ONLY.match(cleaned):
        return datetime.combine(now.date(), _time(match, text))
    raise DesktopError(f"cannot read the date {text!r}; use {ACCEPTED}")


def parse_day(text: str, now: datetime) -> date:
    """The day `text` names (any accepted form; a time in it is ignored)."""
    return parse_when(text, now).date()


def _iso(text: str, default_time: time) -> datetime:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.combine(date.fromisoformat(text), default_time)
    value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value


def _day(word: str, today: date) -> date:
    if word in ("today", "tonight"):
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    weekday = _WEEKDAYS.index(word.split()[-1])
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _time(match: re.Match[str], original: str) -> time:
    if match["noon"]:
        return time(12, 0)
    if match["midnight"]:
        return time(0, 0)
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise DesktopError(f"{original!r} has hour {hour} with {ampm}; use 1-12 with am/pm or 0-23 without")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DesktopError(f"{original!r} is not a time of day; use {ACCEPTED}")
    return time(hour, minute)
