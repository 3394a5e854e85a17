"""A first agentc run: two independent tool calls run at once, then a third
combines them, then the joiner answers.

The planner here is `ScriptedLLM`, a test double that replays a fixed plan at
a hosted model's speed (0.3 s to the first token, 60 tokens/s), so this runs
with no model and no network. Pass any other LLM backend to `Agent` to plan
for real.

    python examples/quickstart.py
"""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.table import Table

from agentc import Agent, tool
from agentc.events import FinalAnswer, PlanText, TaskFinished, TaskStarted
from agentc.llm import ScriptedLLM

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


@tool
def difference(a: float, b: float) -> float:
    """How much warmer `a` is than `b`, in degrees."""
    return round(a - b, 1)


PLAN = """Thought: the two temperatures are independent, so fetch them at once.
1. get_temperature(city="Paris")
2. get_temperature(city="Tokyo")
3. difference(a=$2, b=$1)
4. join()
<END_OF_PLAN>"""
JOIN = "Thought: Tokyo is 19.5 C and Paris 14.0 C.\nAction: Finish(Tokyo is 5.5 degrees warmer than Paris (19.5 C vs 14.0 C).)"


async def main() -> None:
    console = Console()
    llm = ScriptedLLM([PLAN, JOIN], ttft=0.3, tokens_per_second=60)
    agent = Agent(llm, [get_temperature, difference])
    question = "How much warmer is Tokyo than Paris right now?"
    console.print(f"[bold]Question:[/] {question}\n[dim]planner: ScriptedLLM (a fixed plan replayed at hosted-model speed)[/]\n")
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
    console.print(f"tool time {tool_time:.2f} s in a run of {trace.finished_at:.2f} s: the two lookups overlapped, and the first began while the plan was still being written.")


if __name__ == "__main__":
    asyncio.run(main())
