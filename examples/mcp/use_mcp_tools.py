"""An agentc agent using the tools of an MCP server: agentc starts
`weather_server.py` over stdio, lists its tools with their JSON schemas,
and runs the plan's two lookups at once over the one session; each
conversion starts as soon as its lookup is in.

The planner is `ScriptedLLM` (a fixed plan, as in examples/quickstart.py),
so this runs with no model; pass any other LLM backend to `Agent` to plan
for real. Give a URL instead to use a server over streamable HTTP:

    python examples/mcp/use_mcp_tools.py
    python examples/mcp/use_mcp_tools.py http://127.0.0.1:8000/mcp
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from agentc import Agent
from agentc.llm import ScriptedLLM
from agentc.tools.mcp import MCPTools

SERVER = [sys.executable, str(Path(__file__).with_name("weather_server.py"))]
QUESTION = "What is the temperature in Lima and in Oslo, in Fahrenheit?"
PLANNER = ScriptedLLM(
    [
        '1. get_temperature(city="Lima")\n2. get_temperature(city="Oslo")\n'
        "3. to_fahrenheit(celsius=$1)\n4. to_fahrenheit(celsius=$2)\n5. join()\n<END_OF_PLAN>",
        "Thought: both converted.\nAction: Finish(Lima is 62.6 F and Oslo 25.7 F.)",
    ]
)


async def main(server: str | list[str]) -> None:
    async with MCPTools(server) as tools:
        for item in tools:
            print(f"tool {item.signature()}  <- {item.source}")
        result = await Agent(PLANNER, tools).arun(QUESTION)
    for task in result.trace.tasks:
        print(f"${task.idx} {task.tool}({task.args}) = {task.observation!r}  ran {task.started_at:.2f}-{task.finished_at:.2f} s")
    print(f"Answer: {result.answer}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else SERVER))
