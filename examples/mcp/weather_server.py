"""An MCP server written with the official `mcp` SDK, knowing nothing of
agentc: a temperature lookup (2 s each, so that lookups run at once show) and a unit conversion.

    python examples/mcp/weather_server.py                # stdio (an MCP client starts it)
    python examples/mcp/weather_server.py --http 8000    # streamable HTTP at http://127.0.0.1:8000/mcp
"""

from __future__ import annotations

import asyncio
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

STATIONS = {"Lima": 17.0, "Oslo": -3.5, "Nairobi": 22.0}

server = MCPServer("weather", log_level="WARNING")
READ_ONLY = ToolAnnotations(read_only_hint=True)


@server.tool(name="get-temperature", annotations=READ_ONLY)
async def get_temperature(city: str) -> float:
    """Current temperature of a city in degrees Celsius, from its weather station.

    Args:
        city: the city's name, e.g. "Lima"
    """
    await asyncio.sleep(2.0)
    if city not in STATIONS:
        raise ToolError(f"no weather station in {city}; stations: {', '.join(STATIONS)}")
    return STATIONS[city]


@server.tool(name="to-fahrenheit", annotations=READ_ONLY)
def to_fahrenheit(celsius: float) -> float:
    """Degrees Celsius in degrees Fahrenheit."""
    return round(celsius * 9 / 5 + 32, 1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--http"]:
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run()
