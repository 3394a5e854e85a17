"""Class 14: executor limits mean what they say.

A tool's timeout counts from when it starts running, not while it queues for
a thread; `max_concurrency` and `rate_limit` hold across concurrent runs of
one `Agent`; a huge observation is cut before it reaches any prompt.
"""

from __future__ import annotations

import asyncio
import threading
import time

from agentc import Agent, tool
from agentc.executor import ToolExecutor
from agentc.llm import ScriptedLLM


async def test_the_timeout_does_not_count_the_wait_for_a_thread() -> None:
    @tool(timeout=0.5)
    def work(x: int) -> int:
        """Blocks for 0.3 s."""
        time.sleep(0.3)
        return x

    executor = ToolExecutor(max_threads=2, retries=0)
    try:
        # Six calls on two threads: the last two wait 0.6 s for a thread,
        # longer than the timeout, but each runs for only 0.3 s.
        results = await asyncio.gather(*(executor.call(work, {"x": i}) for i in range(6)))
    finally:
        executor.close()
    assert [value for value, _ in results] == list(range(6))


def _concurrency_probe(**limits: object):
    state = {"now": 0, "peak": 0, "starts": []}
    lock = threading.Lock()

    @tool(**limits)
    async def limited() -> str:
        """Counts how many calls are in flight."""
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
            state["starts"].append(time.monotonic())
        await asyncio.sleep(0.3)
        with lock:
            state["now"] -= 1
        return "ok"

    return limited, state


async def test_max_concurrency_holds_across_concurrent_runs_of_one_agent() -> None:
    limited, state = _concurrency_probe(max_concurrency=1)
    plan = "1. limited()\n2. join($1)"
    agent = Agent(ScriptedLLM([plan, plan, plan]), [limited])
    results = await asyncio.gather(*(agent.arun(f"q{i}") for i in range(3)))
    assert [r.answer for r in results] == ["ok", "ok", "ok"]
    assert state["peak"] == 1


async def test_rate_limit_holds_across_concurrent_runs_of_one_agent() -> None:
    limited, state = _concurrency_probe(rate_limit=(1, 1.0))
    plan = "1. limited()\n2. join($1)"
    agent = Agent(ScriptedLLM([plan, plan]), [limited])
    await asyncio.gather(*(agent.arun(f"q{i}") for i in range(2)))
    first, second = sorted(state["starts"])
    assert second - first >= 0.9, "one call a second, whichever run makes it"


async def test_a_huge_observation_is_cut_before_any_prompt() -> None:
    @tool
    def big() -> str:
        """100 MB of text."""
        return "x" * 100_000_000

    @tool
    def size(text: str) -> int:
        """The length of a text."""
        return len(text)

    first = '1. big()\n2. size($1)\n3. size("all of $1")\n4. join()'
    second = "5. size(\"again\")\n6. join()"
    llm = ScriptedLLM([first, "Action: Replan(look again)", second, "Action: Finish(done)"])
    result = await Agent(llm, [big, size]).arun("how big?")
    assert result.answer == "done"
    assert result.trace.task(2).observation == 100_000_000, "tools still get the whole value"
    prompts = [sum(len(m.content) for m in call) for call in llm.calls]
    assert len(prompts) == 4 and max(prompts) < 100_000, prompts
