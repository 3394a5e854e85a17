"""A small weather toolset to tune the planner for, with seed pairs beside it.

Copy this folder, replace the bodies with calls to your weather service,
and keep the signatures and docstrings honest: they are what the planner
sees, and `agentc tune` grows its training items from them (enums, bounds
and "e.g." examples give it the values to vary) and from `seeds.jsonl`.

    PYTHONPATH=examples/tune agentc tune --tools weather_tools --examples examples/tune/seeds.jsonl --out tuned/

The values here are stand-ins computed from the city's name, so the example
runs offline and gives the same answer every time.
"""

from __future__ import annotations

import zlib
from typing import Annotated, Literal

from pydantic import Field

from agentc import tool

Unit = Literal["celsius", "fahrenheit", "kelvin"]


def _base(city: str, salt: str = "") -> int:
    """A stable number for a city, standing in for a real measurement."""
    return zlib.crc32(f"{city.strip().lower()}{salt}".encode())


def _convert(value: float, from_unit: str, to_unit: str) -> float:
    celsius = {"celsius": value, "fahrenheit": (value - 32) * 5 / 9, "kelvin": value - 273.15}[from_unit]
    return round({"celsius": celsius, "fahrenheit": celsius * 9 / 5 + 32, "kelvin": celsius + 273.15}[to_unit], 1)


@tool(idempotent=True)
def get_temperature(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> float:
    """The temperature in a city right now.

    Args:
        city: the city, e.g. "Lisbon", "Nairobi" or "Osaka"
        unit: the unit of the result
    """
    return _convert(float(_base(city) % 40 - 5), "celsius", unit)


@tool(idempotent=True)
def get_forecast(
    city: str,
    days: Annotated[int, Field(ge=1, le=14)] = 3,
    unit: Literal["celsius", "fahrenheit"] = "celsius",
) -> list[dict[str, float]]:
    """The daily forecast for a city: high, low and chance of rain for each day.

    Args:
        city: the city, e.g. "Lisbon", "Nairobi" or "Osaka"
        days: how many days ahead, from 1 to 14
        unit: the unit of the highs and lows
    """
    base = _base(city) % 30
    return [
        {
            "high": _convert(base + (_base(city, str(d)) % 8), "celsius", unit),
            "low": _convert(base - 8 + (_base(city, str(d)) % 5), "celsius", unit),
            "rain_chance": _base(city, f"rain{d}") % 100 / 100,
        }
        for d in range(days)
    ]


@tool(idempotent=True)
def convert_temperature(value: float, from_unit: Unit, to_unit: Unit) -> float:
    """Convert a temperature between Celsius, Fahrenheit and Kelvin.

    Args:
        value: the temperature to convert
        from_unit: the unit `value` is in
        to_unit: the unit to convert to
    """
    return _convert(value, from_unit, to_unit)


@tool(idempotent=True)
def get_air_quality(city: str) -> dict[str, int | str]:
    """The air quality index (0 good to 500 hazardous) in a city and its main pollutant.

    Args:
        city: the city, e.g. "Lisbon", "Nairobi" or "Osaka"
    """
    return {"aqi": _base(city, "aqi") % 180, "pollutant": ("PM2.5", "ozone", "NO2")[_base(city) % 3]}


@tool(idempotent=True)
def get_sun_times(city: str, date: str = "today") -> dict[str, str]:
    """Sunrise and sunset in a city on a day (local time).

    Args:
        city: the city, e.g. "Lisbon", "Nairobi" or "Osaka"
        date: the day, e.g. "today", "tomorrow", "Friday" or "2025-06-21"
    """
    offset = _base(city, date) % 90
    sunrise = f"0{5 + offset // 60}:{offset % 60:02d}"
    sunset = f"{17 + offset // 45}:{(offset * 7) % 60:02d}"
    return {"sunrise": sunrise, "sunset": sunset}
