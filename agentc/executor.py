"""Runs one tool call under its limits: concurrency, rate, timeout, retries.

Sync tools run in the executor's own thread pool (sized for I/O-bound tools,
not asyncio's small default), so a fan-out of blocking calls really runs in
parallel. A timed-out sync call cannot be killed; its thread finishes in the
background and its result is dropped.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asyncio_throttle import Throttler

from agentc.consent import ConsentGate
from agentc.errors import ToolArgumentError, ToolError, ToolTimeoutError, describe
from agentc.toolspec import ToolSpec


class ToolExecutor:
    """Calls tools. One per run (or shared by runs that share limits).

    `default_timeout` applies to tools without their own `timeout`;
    `retries` is how many more attempts an idempotent tool gets after an
    error or timeout, `retry_backoff` the first pause between attempts
    (doubled each time). With a `consent` gate, tools marked `side_effects`
    run only once it approves (`agentc.consent`).
    """

    def __init__(
        self,
        *,
        default_timeout: float | None = 60.0,
        retries: int = 2,
        retry_backoff: float = 0.1,
        max_threads: int = 32,
        consent: ConsentGate | None = None,
    ) -> None:
        self.default_timeout = default_timeout
        self.consent = consent
        self.retries = retries
        self.retry_backoff = retry_backoff
        self._max_threads = max_threads
        self._pool: ThreadPoolExecutor | None = None
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._throttlers: dict[str, Throttler] = {}

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
                    exc.attempts = attempt  # type: ignore[attr-defined]
                    raise
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    async def _once(self, tool: ToolSpec, arguments: dict[str, Any]) -> Any:
        timeout = tool.timeout if tool.timeout is not None else self.default_timeout
        semaphore = self._semaphore(tool)
        throttler = self._throttler(tool)
        try:
            if semaphore is not None:
                await semaphore.acquire()
            try:
                if throttler is not None:
                    async with throttler:
                        pass
                call = tool.ainvoke(arguments, thread_pool=self._thread_pool(tool))
                if timeout is None:
                    return await call
                async with asyncio.timeout(timeout):
                    return await call
            finally:
                if semaphore is not None:
                    semaphore.release()
        except TimeoutError:
            raise ToolTimeoutError(f"tool {tool.name!r} did not finish within {timeout:g} s", tool=tool.name) from None
        except ToolError:
            raise
        except Exception as exc:
            raise ToolError(f"tool {tool.name!r} raised {describe(exc)}", tool=tool.name) from exc

    def _thread_pool(self, tool: ToolSpec) -> ThreadPoolExecutor | None:
        if getattr(tool, "is_async", False):
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._max_threads, thread_name_prefix="agentc-tool")
        return self._pool

    def _semaphore(self, tool: ToolSpec) -> asyncio.Semaphore | None:
        if not tool.max_concurrency:
            return None
        semaphore = self._semaphores.get(tool.name)
        if semaphore is None:
            semaphore = self._semaphores[tool.name] = asyncio.Semaphore(tool.max_concurrency)
        return semaphore

    def _throttler(self, tool: ToolSpec) -> Throttler | None:
        if not tool.rate_limit:
            return None
        throttler = self._throttlers.get(tool.name)
        if throttler is None:
            calls, period = tool.rate_limit
            throttler = self._throttlers[tool.name] = Throttler(rate_limit=calls, period=period)
        return throttler

    def close(self) -> None:
        """Release the thread pool (running sync calls finish on their own)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

