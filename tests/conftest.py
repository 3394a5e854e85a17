"""Shared tools for the core tests: small real tools with observable timing."""

from __future__ import annotations

import asyncio
import time

import pytest

from agentc import tool


@pytest.fixture
def weather_tools():
    """`get_weather` (async, 0.2 s) and `compare` (sync), as a typical fan-in."""

    @tool
    async def get_weather(city: str) -> dict:
        """Current weather of a city.

        Args:
            city: the city's name
        """
        await asyncio.sleep(0.2)
        return {"city": city, "temp_c": len(city) * 3}

    @tool
    def compare(a: dict, b: dict) -> str:
        """Say which of two weather reports is warmer."""
        warmer = a if a["temp_c"] >= b["temp_c"] else b
        return f"{warmer['city']} is warmer"

    return [get_weather, compare]


def sleeper(name: str, seconds: float):
    """An async tool that sleeps and returns its input, named `name`."""

    async def run(x: int = 0) -> int:
        await asyncio.sleep(seconds)
        return x

    run.__name__ = name
    run.__doc__ = f"Sleeps {seconds} s and returns x."
    return tool(run)


def stamp() -> float:
    return time.perf_counter()
