"""What every agent style does around a run: a sync wrapper, an event stream,
and a guard that keeps the trace whatever happens.

`Agent`, `ReActAgent` and `ParallelFCAgent` all run through these, so their
runs fail, stream and cancel alike.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, TypeVar

from agentc.errors import AgentcError, attach_trace, describe
from agentc.events import Event

if TYPE_CHECKING:
    from agentc.executor import ToolExecutor
    from agentc.scheduler import TaskFetchingUnit
    from agentc.trace import Trace

T = TypeVar("T")
Emit = Callable[[Event], None]


def run_sync(coroutine: Awaitable[T], owner: str) -> T:
    """Run `coroutine` to its end from sync code; refuse inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
    raise RuntimeError(f"{owner}.run() was called inside a running event loop; use `await agent.arun(...)` there")


async def stream_events(start: Callable[[Emit], Awaitable[Any]]) -> AsyncIterator[Event]:
    """The events of `start(emit)` as they happen, the answer last. Errors
    are raised from the iterator; closing it early cancels the run."""
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    job = asyncio.ensure_future(start(queue.put_nowait))
    job.add_done_callback(lambda _: queue.put_nowait(None))
    try:
        while (event := await queue.get()) is not None:
            yield event
        job.result()
    finally:
        if not job.done():
            job.cancel()
            await asyncio.gather(job, return_exceptions=True)


async def keep_trace(
    body: Awaitable[T],
    *,
    trace: "Trace",
    tfu: "TaskFetchingUnit",
    executor: "ToolExecutor",
    clock: Callable[[], float],
) -> T:
    """Await `body`; whatever happens, errors carry the trace, unfinished
    tasks are cancelled and the executor's threads released."""
    try:
        return await body
    except AgentcError as exc:
        trace.error = describe(exc)
        raise attach_trace(exc, trace)
    except BaseException as exc:
        trace.error = describe(exc)
        raise
    finally:
        await tfu.cancel("the run ended before this task finished")
        trace.finished_at = clock()
        executor.close()
