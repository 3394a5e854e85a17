"""Runs one tool call under its limits: concurrency, rate, timeout, retries.

Sync tools run in the executor's own threads (sized for I/O-bound tools, not
asyncio's small default), so a fan-out of blocking calls really runs in
parallel. A timed-out sync call cannot be killed; its thread finishes in the
background and its result is dropped. The threads are daemon threads: a sync
tool still running when the process ends (Ctrl-C) does not keep it alive.

A tool's `timeout` counts from the moment its call starts running, not while
it waits for a free thread, a concurrency slot or its rate limit.
`max_concurrency` and `rate_limit` live in a `ToolLimits`, which executors
share when they are given the same one (an `Agent` gives one to all its runs).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Executor, Future
from typing import Any, Callable

from asyncio_throttle import Throttler

from agentc.consent import ConsentGate
from agentc.errors import ToolArgumentError, ToolError, ToolTimeoutError, describe
from agentc.toolspec import ToolSpec


class ToolLimits:
    """The concurrency slots and rate limiters of each tool, by tool name.

    Executors that share one `ToolLimits` share the limits: an `Agent` keeps
    one, so `max_concurrency=2` means two calls in flight across all of its
    concurrent runs, not two per run. asyncio primitives belong to one event
    loop, so the limits are kept per loop (sync `run` calls each get a loop
    of their own, and never overlap); those of closed loops are dropped.
    """

    def __init__(self) -> None:
        self._by_loop: dict[asyncio.AbstractEventLoop, dict[tuple[str, str], Any]] = {}

    def _kept(self, kind: str, name: str, make: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        if loop not in self._by_loop:
            for closed in [old for old in self._by_loop if old.is_closed()]:
                del self._by_loop[closed]
        table = self._by_loop.setdefault(loop, {})
        key = (kind, name)
        if key not in table:
            table[key] = make()
        return table[key]

    def semaphore(self, tool: ToolSpec) -> asyncio.Semaphore | None:
        if not tool.max_concurrency:
            return None
        return self._kept("slots", tool.name, lambda: asyncio.Semaphore(tool.max_concurrency or 1))

    def throttler(self, tool: ToolSpec) -> Throttler | None:
        if not tool.rate_limit:
            return None
        calls, period = tool.rate_limit
        return self._kept("rate", tool.name, lambda: Throttler(rate_limit=calls, period=period))


class ToolExecutor:
    """Calls tools. One per run (or shared by runs that share limits).

    `default_timeout` applies to tools without their own `timeout`;
    `retries` is how many more attempts an idempotent tool gets after an
    error or timeout, `retry_backoff` the first pause between attempts
    (doubled each time). With a `consent` gate, tools marked `side_effects`
    run only once it approves (`agentc.consent`). `limits` are the
    concurrency and rate limits to honour, shared with other executors.
    """

    def __init__(
        self,
        *,
        default_timeout: float | None = 60.0,
        retries: int = 2,
        retry_backoff: float = 0.1,
        max_threads: int = 32,
        consent: ConsentGate | None = None,
        limits: ToolLimits | None = None,
    ) -> None:
        self.default_timeout = default_timeout
        self.consent = consent
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.limits = limits if limits is not None else ToolLimits()
        self._max_threads = max_threads
        self._pool: DaemonThreadPool | None = None

    async def call(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[Any, int]:
        """Run `tool` with `arguments`; return `(result, attempts)`.

        Raises `ToolError` (argument errors, timeouts, or the tool's own
        exception wrapped, with the original as `__cause__`).
        """
        if self.consent is not None and tool.side_effects:
            tool.validate_args(arguments)  # ask only about calls that can run
            await self.consent.require(tool, arguments)
        attempts = 1 + (self.retries if tool.idempotent else 0)
        delay = self.retry_backoff
        for attempt in range(1, attempts + 1):
            try:
                return await self._once(tool, arguments), attempt
            except ToolError as exc:
                if attempt == attempts or isinstance(exc, ToolArgumentError):
                    exc.attempts = attempt
                    raise
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    async def _once(self, tool: ToolSpec, arguments: dict[str, Any]) -> Any:
        timeout = tool.timeout if tool.timeout is not None else self.default_timeout
        semaphore = self.limits.semaphore(tool)
        throttler = self.limits.throttler(tool)
        try:
            if semaphore is not None:
                await semaphore.acquire()
            try:
                if throttler is not None:
                    async with throttler:
                        pass
                return await self._timed(tool, arguments, timeout)
            finally:
                if semaphore is not None:
                    semaphore.release()
        except TimeoutError:
            raise ToolTimeoutError(f"tool {tool.name!r} did not finish within {timeout:g} s", tool=tool.name) from None
        except ToolError:
            raise
        except Exception as exc:
            raise ToolError(f"tool {tool.name!r} raised {describe(exc)}", tool=tool.name) from exc

    async def _timed(self, tool: ToolSpec, arguments: dict[str, Any], timeout: float | None) -> Any:
        """Call the tool; the timeout clock starts when the call starts running
        (for a sync tool: when a thread picks it up)."""
        pool = self._thread_pool(tool)
        if timeout is None:
            return await tool.ainvoke(arguments, thread_pool=pool)
        loop = asyncio.get_running_loop()
        waiting = True
        async with asyncio.timeout(None) as limit:

            def start_clock() -> None:
                if waiting:
                    limit.reschedule(loop.time() + timeout)

            try:
                if pool is None:
                    start_clock()
                    return await tool.ainvoke(arguments)
                started = _OnStart(pool, lambda: loop.call_soon_threadsafe(start_clock))
                return await tool.ainvoke(arguments, thread_pool=started)
            finally:
                waiting = False

    def _thread_pool(self, tool: ToolSpec) -> "DaemonThreadPool | None":
        if tool.is_async:
            return None
        if self._pool is None:
            self._pool = DaemonThreadPool(self._max_threads)
        return self._pool

    def close(self) -> None:
        """Release the threads (running sync calls finish on their own)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class DaemonThreadPool(Executor):
    """A thread pool of daemon threads, at most `max_threads` of them.

    `ThreadPoolExecutor` joins its threads when the interpreter exits, so a
    sync tool sleeping for a minute would hold the process for that minute
    after Ctrl-C. Threads start on demand and are reused while idle.
    """

    def __init__(self, max_threads: int) -> None:
        self._max_threads = max_threads
        self._work: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None] = (
            queue.SimpleQueue()
        )
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the tool threads were shut down: the run has ended")
            future: Future[Any] = Future()
            self._work.put((future, fn, args, kwargs))
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._max_threads:
                thread = threading.Thread(target=self._worker, name=f"agentc-tool-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
            return future

    def _worker(self) -> None:
        while (item := self._work.get()) is not None:
            future, fn, args, kwargs = item
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # handed to the caller, as ThreadPoolExecutor does
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del item, future, fn, args, kwargs
            self._idle.release()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            if cancel_futures:
                while True:
                    try:
                        item = self._work.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            for _ in self._threads:
                self._work.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


class _OnStart(Executor):
    """Submits to `pool`, calling `on_start` in the thread just before the call runs."""

    def __init__(self, pool: Executor, on_start: Callable[[], Any]) -> None:
        self._pool = pool
        self._on_start = on_start

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def run() -> Any:
            self._on_start()
            return fn(*args, **kwargs)

        return self._pool.submit(run)
