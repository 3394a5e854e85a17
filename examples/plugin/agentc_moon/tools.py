"""The plug-in's tools. `moon_phase` is registered as a tool directly,
`extra_tools` as a function that returns a list of tools."""

from __future__ import annotations

from datetime import date

from agentc import Tool, tool

SYNODIC_MONTH = 29.530588853
"""Days from new moon to new moon."""
KNOWN_NEW_MOON = date(2000, 1, 6)
PHASES = ["new moon", "waxing crescent", "first quarter", "waxing gibbous",
          "full moon", "waning gibbous", "last quarter", "waning crescent"]


def _age(day: date) -> float:
    return (day - KNOWN_NEW_MOON).days % SYNODIC_MONTH


@tool(idempotent=True)
def moon_phase(day: str) -> str:
    """The phase of the moon on a day.

    Args:
        day: the day in ISO form, e.g. "2025-03-14"
    """
    return PHASES[int(_age(date.fromisoformat(day)) / SYNODIC_MONTH * 8 + 0.5) % 8]


def extra_tools() -> list[Tool]:
    @tool(idempotent=True)
    def days_to_full_moon(day: str) -> float:
        """Days from a day to the next full moon.

        Args:
            day: the day in ISO form, e.g. "2025-03-14"
        """
        return round((SYNODIC_MONTH / 2 - _age(date.fromisoformat(day))) % SYNODIC_MONTH, 1)

    return [days_to_full_moon]
