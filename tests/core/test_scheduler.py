"""The Task Fetching Unit and the executor: dispatch, substitution, failure, limits."""

from __future__ import annotations

import asyncio
import threading
import time

from agentc import ToolRegistry, tool
from agentc.checks import PlanChecker
from agentc.executor import ToolExecutor
from agentc.parser import parse_plan
from agentc.scheduler import TaskFetchingUnit
from agentc.trace import Trace


async def run_plan(plan: str, tools, **executor_options) -> tuple[TaskFetchingUnit, Trace]:
    registry = ToolRegistry(tools)
    trace = Trace()
    tfu = TaskFetchingUnit(registry, ToolExecutor(**executor_options), trace)
    checker = PlanChecker(registry)
    for call in parse_plan(plan):
        tfu.submit(checker.check(call))
    await asyncio.wait_for(tfu.wait(), timeout=10)
    return tfu, trace


@tool
async def nap(x: int = 0, seconds: float = 0.2) -> int:
    """Sleep, then return x."""
    await asyncio.sleep(seconds)
    return x


@tool
def make(kind: str) -> object:
    """Return a value of the named kind."""
    return {"dict": {"a": [1, 2]}, "list": [1, "two"], "int": 7, "float": 2.5, "none": None, "str": "text"}[kind]


@tool
def typeof(value: object, label: str = "") -> str:
    """Name the type of a value, with a label."""
    return f"{type(value).__name__}|{label}"


async def test_types_survive_substitution():
    plan = "\n".join(
        [
            '1. make("dict")', '2. make("list")', '3. make("int")', '4. make("float")', '5. make("none")',
            '6. typeof(value=$1, label="got $1")', "7. typeof($2)", "8. typeof($3)", "9. typeof($4)", "10. typeof($5)",
            "11. join()",
        ]
    )
    tfu, trace = await run_plan(plan, [make, typeof])
    assert tfu.results[6] == 'dict|got {"a": [1, 2]}'
    assert [tfu.results[i] for i in (7, 8, 9, 10)] == ["list|", "int|", "float|", "NoneType|"]
    assert trace.task(6).args["value"] == {"a": [1, 2]}
    assert all(r.status == "done" for r in trace.tasks)


async def test_independent_tasks_overlap_and_a_chain_does_not():
    _, trace = await run_plan("1. nap(1)\n2. nap(2)\n3. nap(3)\n4. join()", [nap])
    spans = [(r.started_at, r.finished_at) for r in trace.tasks]
    assert max(s for s, _ in spans) < min(e for _, e in spans), "all three ran at once"

    _, trace = await run_plan("1. nap(1)\n2. nap($1)\n3. nap($2)\n4. join()", [nap])
    a, b, c = trace.tasks
    assert a.finished_at <= b.started_at and b.finished_at <= c.started_at


async def test_sync_tools_run_in_parallel_threads():
    threads: set[str] = set()

    @tool
    def block(x: int) -> int:
        """Block the thread for a while."""
        threads.add(threading.current_thread().name)
        time.sleep(0.2)
        return x

    plan = "\n".join(f"{i}. block({i})" for i in range(1, 11)) + "\n11. join()"
    _, trace = await run_plan(plan, [block])
    assert len(threads) == 10
    latest_start = max(r.started_at for r in trace.tasks)
    earliest_end = min(r.finished_at for r in trace.tasks)
    assert latest_start < earliest_end, "ten blocking calls overlapped, more than asyncio's default pool allows here"


async def test_raising_tool_is_an_error_observation_and_dependents_are_skipped():
    @tool
    def explode(x: int) -> int:
        """Always fails."""
        raise ValueError(f"bad x {x}")

    tfu, trace = await run_plan("1. explode(1)\n2. nap($1)\n3. nap($2)\n4. nap(4, 0.0)\n5. join()", [explode, nap])
    assert trace.task(1).status == "error"
    assert trace.task(1).error == "tool 'explode' raised ValueError: bad x 1"
    assert trace.task(2).status == "skipped" and "task 1 it depends on failed" in trace.task(2).error
    assert trace.task(3).status == "skipped" and "task 2 it depends on failed" in trace.task(3).error
    assert tfu.results == {4: 4}


async def test_hanging_tool_times_out():
    @tool(timeout=0.1)
    async def hang() -> str:
        """Never returns."""
        await asyncio.Event().wait()
        return "never"

    began = time.perf_counter()
    _, trace = await run_plan("1. hang()\n2. join()", [hang])
    assert time.perf_counter() - began < 2
    assert trace.task(1).status == "error"
    assert "did not finish within 0.1 s" in trace.task(1).error


async def test_idempotent_tools_are_retried_and_others_are_not():
    counts = {"flaky": 0, "once": 0}

    @tool(idempotent=True)
    def flaky() -> str:
        """Fails twice, then works."""
        counts["flaky"] += 1
        if counts["flaky"] < 3:
            raise ConnectionError("try again")
        return "ok"

    @tool
    def once() -> str:
        """Fails; must not be retried."""
        counts["once"] += 1
        raise ConnectionError("no")

    _, trace = await run_plan("1. flaky()\n2. once()\n3. join()", [flaky, once], retries=2, retry_backoff=0.01)
    assert trace.task(1).observation == "ok" and trace.task(1).attempts == 3
    assert trace.task(2).status == "error" and counts["once"] == 1


async def test_bad_argument_after_substitution_is_an_error_observation():
    @tool
    def square(n: int) -> int:
        """Square a number."""
        return n * n

    _, trace = await run_plan('1. make("str")\n2. square($1)\n3. join()', [make, square])
    assert trace.task(2).status == "error"
    assert "do not fit tool 'square'" in trace.task(2).error


async def test_concurrency_limit_per_tool():
    live = {"now": 0, "peak": 0}

    @tool(max_concurrency=2)
    async def limited(x: int) -> int:
        """At most two at once."""
        live["now"] += 1
        live["peak"] = max(live["peak"], live["now"])
        await asyncio.sleep(0.05)
        live["now"] -= 1
        return x

    plan = "\n".join(f"{i}. limited({i})" for i in range(1, 7)) + "\n7. join()"
    await run_plan(plan, [limited])
    assert live["peak"] == 2


async def test_rate_limit_per_tool():
    @tool(rate_limit=(2, 0.3))
    async def rated(x: int) -> int:
        """Two calls per 0.3 s."""
        return x

    plan = "\n".join(f"{i}. rated({i})" for i in range(1, 6)) + "\n6. join()"
    _, trace = await run_plan(plan, [rated])
    starts = sorted(r.finished_at for r in trace.tasks)
    assert starts[2] - starts[0] >= 0.25 and starts[4] - starts[2] >= 0.25


async def test_cancel_stops_running_tasks():
    finished: list[int] = []

    @tool
    async def slow(x: int) -> int:
        """Takes long."""
        await asyncio.sleep(5)
        finished.append(x)
        return x

    registry = ToolRegistry([slow])
    trace = Trace()
    tfu = TaskFetchingUnit(registry, ToolExecutor(), trace)
    checker = PlanChecker(registry)
    for call in parse_plan("1. slow(1)\n2. slow($1)\n3. join()"):
        tfu.submit(checker.check(call))
    await asyncio.sleep(0.05)
    await asyncio.wait_for(tfu.cancel(), timeout=1)
    await asyncio.wait_for(tfu.wait(), timeout=1)
    assert [r.status for r in trace.tasks] == ["cancelled", "cancelled"]
    assert finished == []


async def test_merged_call_runs_once():
    calls: list[int] = []

    @tool
    def count(x: int) -> int:
        """Counts its calls."""
        calls.append(x)
        return x * 10

    tfu, trace = await run_plan("1. count(1)\n2. count(x=1)\n3. join()", [count])
    assert calls == [1]
    assert tfu.results == {1: 10, 2: 10}
    assert trace.task(2).same_as == 1

