"""What every agent style does around a run: a sync wrapper, an event stream,
and a guard that keeps the trace whatever happens.

`Agent`, `ReActAgent` and `ParallelFCAgent` all run through these, so their
runs fail, stream and cancel alike.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, TypeVar

from agentc.errors import AgentcError, attach_trace, describe, trace_of
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
        pass
    else:
        close = getattr(coroutine, "close", None)
        if close is not None:
            close()
        raise RuntimeError(f"{owner}.run() was called inside a running event loop; use `await agent.arun(...)` there")
    try:
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    except KeyboardInterrupt as exc:
        # asyncio.run answers Ctrl-C by cancelling the run and raising a new
        # KeyboardInterrupt: give it the trace the cancelled run left.
        _keep(exc, trace_of(exc))
        raise


async def stream_events(start: Callable[[Emit], Awaitable[Any]]) -> AsyncIterator[Event]:
    """The events of `start(emit)` as they happen, the answer last. Errors
    are raised from the iterator; closing it early cancels the run."""
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    ended: list[BaseException] = []

    async def run() -> Any:
        try:
            return await start(queue.put_nowait)
        except BaseException as exc:
            ended.append(exc)
            raise

    job = asyncio.ensure_future(run())
    job.add_done_callback(lambda _: queue.put_nowait(None))
    try:
        while (event := await queue.get()) is not None:
            yield event
        job.result()
    except BaseException as exc:  # also a cancelled consumer: it gets the run's trace
        if not job.done():
            job.cancel()
            await asyncio.gather(job, return_exceptions=True)
        _keep(exc, next((t for t in map(trace_of, ended) if t is not None), None))
        raise


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
    except (asyncio.CancelledError, KeyboardInterrupt) as exc:
        trace.error = "the run was interrupted (Ctrl-C)" if isinstance(exc, KeyboardInterrupt) else "the run was cancelled"
        _keep(exc, trace)
        raise
    except BaseException as exc:
        trace.error = describe(exc)
        _keep(exc, trace)
        raise
    finally:
        await tfu.cancel("the run ended before this task finished")
        trace.finished_at = clock()
        executor.close()


def _keep(exc: BaseException, trace: "Trace | None") -> None:
    """Attach `trace` to an error that is not an `AgentcError` (a cancel, a
    Ctrl-C, a bug), unless it carries one already: the caller still gets
    what the run recorded."""
    if trace is None or getattr(exc, "trace", None) is not None:
        return
    try:
        exc.trace = trace  # type: ignore[attr-defined]
    except AttributeError:  # an exception type with __slots__
        pass
