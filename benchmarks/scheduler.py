"""Task Fetching Unit speed: dispatch overhead, makespan efficiency, and the
10 ms polling strategy of the original LLMCompiler as a side-by-side baseline.

    python benchmarks/scheduler.py            # full run, updates RESULTS.md
    python benchmarks/scheduler.py --quick    # smaller DAGs, prints only

(a) overhead per task: 1,000-task DAGs of no-op async tools (chain, fan-out,
    random), wall time / tasks; goal <= 50 us.
(b) efficiency: DAGs of sleeping tools, critical-path length / makespan;
    goal >= 0.97.
(c) the same DAGs under a scheduler that polls every 10 ms for ready tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc import ToolRegistry, tool  # noqa: E402
from agentc.checks import PlanChecker  # noqa: E402
from agentc.executor import ToolExecutor  # noqa: E402
from agentc.parser import PlanParser  # noqa: E402
from agentc.plan import Ref, Task, critical_path  # noqa: E402
from agentc.scheduler import TaskFetchingUnit  # noqa: E402
from agentc.trace import Trace  # noqa: E402
from results import markdown, show, write_section  # noqa: E402

Shape = Callable[[int, random.Random], dict[int, list[int]]]


@tool
async def noop(inputs: list = []) -> int:  # noqa: B006  (a plan literal, never mutated)
    """Return at once."""
    return 0


@tool
async def nap(seconds: float, inputs: list = []) -> int:  # noqa: B006
    """Sleep, then return."""
    await asyncio.sleep(seconds)
    return 0


def chain(n: int, rng: random.Random) -> dict[int, list[int]]:
    return {i: ([i - 1] if i > 1 else []) for i in range(1, n + 1)}


def fan_out(n: int, rng: random.Random) -> dict[int, list[int]]:
    """One root, n-2 independent tasks on it, one task joining them all."""
    deps = {1: []}
    deps.update({i: [1] for i in range(2, n)})
    deps[n] = list(range(2, n))
    return deps


def random_dag(n: int, rng: random.Random) -> dict[int, list[int]]:
    """Each task uses 0-3 results of the 20 tasks before it."""
    return {i: sorted(rng.sample(range(max(1, i - 20), i), k=min(i - 1, rng.randint(0, 3)))) for i in range(1, n + 1)}


SHAPES: dict[str, Shape] = {"chain": chain, "fan-out": fan_out, "random": random_dag}


def make_tasks(deps: dict[int, list[int]], durations: dict[int, float] | None) -> list[Task]:
    tasks = []
    for idx, parents in deps.items():
        args: dict = {"inputs": [Ref(p) for p in parents]}
        if durations is not None:
            args["seconds"] = durations[idx]
        tasks.append(Task(idx=idx, tool="nap" if durations is not None else "noop", args=args, deps=tuple(parents)))
    return tasks


async def run_event_driven(tasks: list[Task]) -> float:
    registry = ToolRegistry([noop, nap])
    tfu = TaskFetchingUnit(registry, ToolExecutor(), Trace())
    began = time.perf_counter()
    for task in tasks:
        tfu.submit(task)
    await tfu.wait()
    return time.perf_counter() - began


def plan_text(tasks: list[Task]) -> str:
    """The DAG written as a plan, for timing parse + checks + dispatch together."""
    lines = [f"{t.idx}. {t.tool}(inputs=[{', '.join(f'${d}' for d in t.deps)}])" for t in tasks]
    return "\n".join(lines) + f"\n{len(tasks) + 1}. join()\n"


async def run_from_text(text: str) -> float:
    registry = ToolRegistry([noop, nap])
    tfu = TaskFetchingUnit(registry, ToolExecutor(), Trace())
    checker = PlanChecker(registry)
    parser = PlanParser(max_tasks=100_000)
    began = time.perf_counter()
    for call in parser.feed(text) + parser.close():
        tfu.submit(checker.check(call))
    await tfu.wait()
    return time.perf_counter() - began


async def run_polling(tasks: list[Task], interval: float = 0.01) -> float:
    """The original strategy: every `interval`, start each task whose
    dependencies are done; a task's result is only seen at the next poll."""
    registry = ToolRegistry([noop, nap])
    executor = ToolExecutor()
    done: set[int] = set()
    started: set[int] = set()
    running: set[asyncio.Task] = set()

    async def run(task: Task) -> None:
        args = {k: ([0 for _ in v] if k == "inputs" else v) for k, v in task.args.items()}
        await executor.call(registry[task.tool], args)
        done.add(task.idx)

    began = time.perf_counter()
    while len(done) < len(tasks):
        for task in tasks:
            if task.idx not in started and all(d in done for d in task.deps):
                started.add(task.idx)
                job = asyncio.create_task(run(task))
                running.add(job)
                job.add_done_callback(running.discard)
        await asyncio.sleep(interval)
    return time.perf_counter() - began


def overhead_rows(n: int, repeats: int) -> list[list[str]]:
    rows = []
    for name, shape in SHAPES.items():
        tasks = make_tasks(shape(n, random.Random(7)), None)
        text = plan_text(tasks)
        times = [asyncio.run(run_event_driven(tasks)) for _ in range(repeats)]
        full = [asyncio.run(run_from_text(text)) for _ in range(repeats)]
        per_task = statistics.median(times) / n * 1e6
        per_task_full = statistics.median(full) / n * 1e6
        rows.append([name, str(n), f"{per_task:.1f}", "yes" if per_task <= 50 else "no", f"{per_task_full:.1f}"])
    return rows


LATENCIES = {"20-60 ms": (0.02, 0.06), "100-300 ms": (0.1, 0.3)}


def makespan_rows(sizes: dict[str, int], repeats: int) -> list[list[str]]:
    rows = []
    for (latency, (low, high)), (name, shape) in ((lat, sh) for lat in LATENCIES.items() for sh in SHAPES.items()):
        n = sizes[name]
        rng = random.Random(11)
        deps = shape(n, rng)
        durations = {i: rng.uniform(low, high) for i in deps}
        tasks = make_tasks(deps, durations)
        bound, _ = critical_path(tasks, lambda i: durations[i])
        ours, polled = [], []
        for _ in range(repeats):  # interleaved, so both see the same machine load
            ours.append(asyncio.run(run_event_driven(tasks)))
            polled.append(asyncio.run(run_polling(tasks)))
        ours_s, polled_s = statistics.median(ours), statistics.median(polled)
        rows.append(
            [
                name,
                latency,
                str(n),
                f"{bound * 1e3:.0f}",
                f"{ours_s * 1e3:.0f}",
                f"{bound / ours_s:.3f}",
                f"{polled_s * 1e3:.0f}",
                f"{bound / polled_s:.3f}",
                f"{polled_s / ours_s:.2f}x",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller DAGs; print only, do not write RESULTS.md")
    opts = parser.parse_args()
    n = 200 if opts.quick else 1000
    repeats = 3 if opts.quick else 7
    sizes = {"chain": 10, "fan-out": 50, "random": 40} if opts.quick else {"chain": 30, "fan-out": 200, "random": 150}

    overhead_headers = ["DAG", "tasks", "dispatch overhead per task (us)", "<= 50 us", "parse + checks + dispatch per task (us)"]
    overhead = overhead_rows(n, repeats)
    makespan_headers = [
        "DAG", "tool latency", "tasks", "critical path (ms)", "agentc makespan (ms)", "agentc efficiency",
        "10 ms polling makespan (ms)", "polling efficiency", "polling / agentc",
    ]
    makespan = makespan_rows(sizes, max(1, repeats // 2))

    console = Console(width=160)
    for title, headers, rows in (("Dispatch overhead", overhead_headers, overhead), ("Makespan vs critical path", makespan_headers, makespan)):
        show(console, title, headers, rows)

    if not opts.quick:
        body = (
            "Command: `python benchmarks/scheduler.py` (median of repeated runs; "
            f"Python {sys.version.split()[0]}, {__import__('os').cpu_count()} cores).\n\n"
            "(a) Dispatch overhead: 1,000-task DAGs of no-op async tools, wall time from the first "
            "submit to the last result, divided by the task count. Goal <= 50 us a task.\n\n"
            + markdown(overhead_headers, overhead)
            + "\n\n(b, c) Makespan of DAGs of sleeping tools against the critical-path lower bound "
            "(efficiency = bound / makespan, goal >= 0.97), side by side with the original LLMCompiler "
            "strategy of polling for ready tasks every 10 ms, written inside the benchmark and run "
            "interleaved with ours. Tool latencies are drawn uniformly from the range shown.\n\n"
            + markdown(makespan_headers, makespan)
            + "\n\nWhere efficiency falls short, it is the serial cost of many short tasks on one event loop: "
            "each task costs about the dispatch overhead above to start and again to settle, and a sleep "
            "ends up to a millisecond late; a 200-task fan-out of 20-60 ms tools has a critical path of "
            "three tasks, so those costs weigh most there. With API-like latencies they vanish into the bound.\n" 
        )
        write_section("Scheduler", body)
        console.print("updated benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
