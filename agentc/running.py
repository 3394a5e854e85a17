"""What every agent style does around a run: a sync wrapper, an event stream,
and a guard that keeps the trace whatever happens.

`Agent`, `ReActAgent` and `ParallelFCAgent` all run through these, so their
runs fail, stream and cancel alike.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Coroutine, TypeVar

from agentc.errors import AgentcError, BudgetExceeded, attach_trace, describe, trace_of
from agentc.events import Event

if TYPE_CHECKING:
    from agentc.budget import RunBudget
    from agentc.scheduler import TaskFetchingUnit
    from agentc.telemetry import RunSpans
    from agentc.trace import Trace

T = TypeVar("T")
Emit = Callable[[Event], None]


def run_sync(coroutine: Coroutine[Any, Any, T], owner: str, *, method: str = "run") -> T:
    """Run `coroutine` to its end from sync code; refuse inside a running loop.

    `owner.method()` is the sync call being made (its async twin is
    `a` + `method`), named in the error that says what to do instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        coroutine.close()
        raise RuntimeError(
            f"{owner}.{method}() was called inside a running event loop; use `await agent.a{method}(...)` there"
        )
    try:
        return asyncio.run(coroutine)
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
    tfu: "TaskFetchingUnit",
    *,
    clock: Callable[[], float],
    budget: "RunBudget | None" = None,
    spans: "RunSpans | None" = None,
) -> T:
    """Await `body`, the run whose tasks `tfu` runs; whatever happens,
    errors carry its trace, unfinished tasks are cancelled and the
    executor's threads released. A `budget` stops the run with
    `BudgetExceeded` when one runs out; `spans` (the run's OpenTelemetry
    spans) are closed with the run's outcome."""
    trace = tfu.trace
    ended: BaseException | None = None
    unfinished = "the run ended before this task finished"
    try:
        return await (budget.enforce(body) if budget is not None else body)
    except AgentcError as exc:
        ended = exc
        trace.error = describe(exc)
        if isinstance(exc, BudgetExceeded):
            unfinished = f"{unfinished}: it went over its {exc.budget} budget"
        raise attach_trace(exc, trace)
    except (asyncio.CancelledError, KeyboardInterrupt) as exc:
        ended = exc
        trace.error = "the run was interrupted (Ctrl-C)" if isinstance(exc, KeyboardInterrupt) else "the run was cancelled"
        _keep(exc, trace)
        raise
    except BaseException as exc:
        ended = exc
        trace.error = describe(exc)
        _keep(exc, trace)
        raise
    finally:
        await tfu.cancel(unfinished)
        trace.finished_at = clock()
        tfu.executor.close()
        if spans is not None:
            spans.finish(trace, ended)


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
