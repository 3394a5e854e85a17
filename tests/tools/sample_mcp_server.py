"""A real MCP server written with the SDK, for the MCP tool tests.

    python sample_mcp_server.py              # stdio
    python sample_mcp_server.py --http PORT  # streamable HTTP on 127.0.0.1:PORT
"""

from __future__ import annotations

import asyncio
import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

server = MCPServer("sample")
arrived: list[str] = []
everyone_here = asyncio.Event()


@server.tool(name="get-weather", annotations=ToolAnnotations(read_only_hint=True, idempotent_hint=True))
def get_weather(city: str, unit: str = "C") -> dict:
    """Current weather of a city.

    Args:
        city: the city's name
        unit: C or F
    """
    return {"city": city, "temp": len(city) * 3, "unit": unit}


@server.tool()
def add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


@server.tool()
def fail(reason: str) -> str:
    """Always fails with `reason`."""
    raise ToolError(reason)


@server.tool()
async def meet(name: str, expected: int = 2) -> list[str]:
    """Wait until `expected` calls to meet are in progress at once, then
    return who was there; after 5 s alone, return who had arrived."""
    arrived.append(name)
    if len(arrived) >= expected:
        everyone_here.set()
    try:
        await asyncio.wait_for(everyone_here.wait(), timeout=5)
    except TimeoutError:
        pass
    return list(arrived)


@server.tool()
def pid() -> int:
    """This server's process id."""
    return os.getpid()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--http"]:
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run()
