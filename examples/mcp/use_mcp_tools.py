"""An agentc agent using the tools of an MCP server: agentc starts
`weather_server.py` over stdio, lists its tools with their JSON schemas,
and the bundled local model plans the two lookups, which run at once over
the one session (no API key, no network). Give a URL instead to use a
server over streamable HTTP, and a question of your own after it:

    python examples/mcp/use_mcp_tools.py
    python examples/mcp/use_mcp_tools.py http://127.0.0.1:8000/mcp "How warm is it in Nairobi?"

The bundled 135M model plans well for requests like its training's and
answers plainly over tools it was not tuned for ("temperature for Lima:
17.0; temperature for Oslo: -3.5."), but it still slips: asked "How cold is
it in Oslo right now?" it calls no tool and gives a figure of its own. For
such phrasings, or longer chains (look up, then convert), point `Agent` at a
bigger model or tune it (`agentc tune`).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from agentc import Agent
from agentc.edge.models import load_local_llm
from agentc.tools.mcp import MCPTools

SERVER = [sys.executable, str(Path(__file__).with_name("weather_server.py"))]
QUESTION = "What is the temperature in Lima and in Oslo?"


async def main(server: str | list[str], question: str) -> None:
    llm = load_local_llm()
    try:
        async with MCPTools(server) as tools:
            for item in tools:
                print(f"tool {item.signature()}  <- {item.source}")
            result = await Agent(llm, tools).arun(question)
    finally:
        llm.close()
    for task in result.trace.tasks:
        print(f"${task.idx} {task.tool}({task.args}) = {task.observation!r}  ran {task.started_at:.2f}-{task.finished_at:.2f} s")
    print(f"Answer: {result.answer}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else SERVER, sys.argv[2] if len(sys.argv) > 2 else QUESTION))
