"""A first agentc run with your own tool: the bundled local model plans two
independent lookups, both run at once (the first starts while the plan is
still being written), then the joiner answers. No API key, no network.

    python examples/quickstart.py
    python examples/quickstart.py "What is the temperature in Lima?"

The bundled 135M model plans well for requests like its training's; for
longer chains (look up, then compute with the results) point `Agent` at a
bigger model: `load_local_llm("path/to/model.gguf", adapter=None)` or
`agentc.llm.OpenAILLM` for a server.
"""

from __future__ import annotations

import asyncio
import sys

from rich.console import Console
from rich.table import Table

from agentc import Agent, tool
from agentc.events import FinalAnswer, PlanText, TaskFinished, TaskStarted
from agentc.edge.models import load_local_llm

CITIES = {"Paris": 14.0, "Tokyo": 19.5, "Lima": 17.0}


@tool
async def get_temperature(city: str) -> float:
    """Current temperature of a city in degrees Celsius (a 0.5 s weather API call).

    Args:
        city: the city's name, e.g. "Paris"
    """
    await asyncio.sleep(0.5)
    if city not in CITIES:
        raise ValueError(f"no weather station in {city}")
    return CITIES[city]


async def main() -> None:
    console = Console()
    llm = load_local_llm()
    agent = Agent(llm, [get_temperature])
    question = sys.argv[1] if len(sys.argv) > 1 else "What is the temperature in Paris and in Tokyo?"
    console.print(f"[bold]Question:[/] {question}\n[dim]planner: the bundled model (SmolLM2-135M and its tuned adapter)[/]\n")
    try:
        await show_run(console, agent, question)
    finally:
        llm.close()


async def show_run(console: Console, agent: Agent, question: str) -> None:
    """Print the plan as it streams, each task as it starts and ends, the answer and the trace."""
    pending = ""
    async for event in agent.astream(question):
        if isinstance(event, PlanText):
            *lines, pending = (pending + event.text).split("\n")
            for line in lines:
                console.print(f"[cyan]plan |[/] {line}", highlight=False)
        elif isinstance(event, TaskStarted):
            console.print(f"       [yellow]> started[/] ${event.record.idx} {event.record.tool} at {event.record.started_at:.2f} s")
        elif isinstance(event, TaskFinished):
            record = event.record
            console.print(f"       [green]< finished[/] ${record.idx} = {record.observation!r} at {record.finished_at:.2f} s")
        elif isinstance(event, FinalAnswer):
            console.print(f"\n[bold]Answer:[/] {event.answer}\n")
            show_timeline(console, event)


def show_timeline(console: Console, event: FinalAnswer) -> None:
    trace = event.trace
    table = Table(title="Trace")
    for column in ("task", "call", "start (s)", "end (s)", "status"):
        table.add_column(column)
    for call in trace.llm_calls:
        table.add_row(call.role, "LLM", f"{call.started_at:.2f}", f"{call.finished_at:.2f}", "done")
    for task in trace.tasks:
        table.add_row(f"${task.idx}", f"{task.tool}({task.args})", f"{task.started_at:.2f}", f"{task.finished_at:.2f}", task.status)
    console.print(table)
    tool_time = sum(t.duration or 0 for t in trace.tasks)
    planned = max((c.finished_at for c in trace.llm_calls if c.role == "planner"), default=0.0)
    early = sum(1 for t in trace.tasks if t.started_at is not None and t.started_at < planned)
    console.print(
        f"tool time {tool_time:.2f} s in a run of {trace.finished_at:.2f} s; "
        f"{early} task(s) began while the plan was still being written."
    )


if __name__ == "__main__":
    asyncio.run(main())
