"""Run budgets: how many LLM tokens, tool calls and seconds one run may use.

A run that goes over one of its budgets stops with `BudgetExceeded`, which
carries the trace so far, like every error that ends a run. The checks sit
where the run spends: after each LLM call (tokens, input and output
together, as the backend reports them), before each tool call starts (a
retry of a call is not a new call; a repeated call that is merged with an
earlier one does not run and does not count), and on a timer (seconds, from
the moment the run starts). When the budget runs out somewhere other than
in the run's own task (a tool call that a finishing task would start, the
timer), the run's task is cancelled and the cancellation becomes the
`BudgetExceeded`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Awaitable, TypeVar

from agentc.errors import BudgetExceeded
from agentc.trace import TaskRecord, Trace

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    """The limits of one run; None means no limit."""

    max_llm_tokens: int | None = None
    max_tool_calls: int | None = None
    max_seconds: float | None = None

    def __post_init__(self) -> None:
        for name in ("max_llm_tokens", "max_tool_calls"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a whole number, 0 or more, or None for no limit; got {value!r}")
        if self.max_seconds is not None and not self.max_seconds > 0:
            raise ValueError(f"max_seconds must be more than 0, or None for no limit; got {self.max_seconds!r}")

    @property
    def unlimited(self) -> bool:
        return self.max_llm_tokens is None and self.max_tool_calls is None and self.max_seconds is None


class RunBudget:
    """One run's use of its `Budget`: counts what the run spends and stops
    the run when a budget runs out."""

    def __init__(self, budget: Budget, trace: Trace) -> None:
        self.budget = budget
        self.trace = trace
        self.tool_calls = 0
        self.exceeded: BudgetExceeded | None = None
        self._run_task: asyncio.Task[object] | None = None
        self._cancelled_run = False

    async def enforce(self, body: Awaitable[T]) -> T:
        """Await `body` (the run) in the current task, stopping it with
        `BudgetExceeded` when a budget runs out."""
        run_task = asyncio.current_task()
        assert run_task is not None, "a run is awaited in an asyncio task"
        self._run_task = run_task
        cancelling = run_task.cancelling()
        loop = asyncio.get_running_loop()
        timer = None
        if self.budget.max_seconds is not None:
            timer = loop.call_later(self.budget.max_seconds, self._out_of_time, loop.time())
        try:
            result = await body
        except asyncio.CancelledError:
            if self._cancelled_run and self.exceeded is not None and run_task.uncancel() <= cancelling:
                raise self.exceeded from None
            raise
        finally:
            if timer is not None:
                timer.cancel()
            self._run_task = None
        self.raise_if_exceeded()
        return result

    def count_llm_tokens(self) -> None:
        """Check the tokens of every LLM call so far (call after each call)."""
        limit = self.budget.max_llm_tokens
        used = self.trace.prompt_tokens + self.trace.completion_tokens
        if limit is not None and used > limit:
            self._stop(
                BudgetExceeded(
                    f"the run used {used} LLM tokens (input and output, {len(self.trace.llm_calls)} calls), over its "
                    f"max_llm_tokens={limit} budget; raise max_llm_tokens, or see which call used them in the trace",
                    budget="max_llm_tokens",
                    limit=limit,
                    used=used,
                )
            )
            self.raise_if_exceeded()

    def allow_tool_call(self, record: TaskRecord) -> bool:
        """Count the call of `record` about to start; False when the budget
        has no call left for it. The run is then being stopped: from another
        task it is cancelled; in its own task, `raise_if_exceeded` raises
        once the caller's bookkeeping is done."""
        limit = self.budget.max_tool_calls
        if self.exceeded is not None:
            return False
        if limit is None or self.tool_calls < limit:
            self.tool_calls += 1
            return True
        self._stop(
            BudgetExceeded(
                f"the run made {self.tool_calls} tool calls, its max_tool_calls={limit} budget, and was stopped "
                f"before task {record.idx} ({record.tool}) could start; raise max_tool_calls, or see in the trace "
                "which calls the plan asked for",
                budget="max_tool_calls",
                limit=limit,
                used=self.tool_calls,
            )
        )
        return False

    def raise_if_exceeded(self) -> None:
        """Raise the budget error that stopped the run, if one did."""
        if self.exceeded is not None:
            raise self.exceeded

    def _out_of_time(self, started: float) -> None:
        limit = self.budget.max_seconds
        assert limit is not None
        unfinished = sum(1 for t in self.trace.tasks if t.status in ("pending", "running"))
        self._stop(
            BudgetExceeded(
                f"the run took longer than its max_seconds={limit:g} budget and was stopped with {unfinished} "
                "tool calls unfinished; raise max_seconds, or see in the trace which calls took the time",
                budget="max_seconds",
                limit=limit,
                used=asyncio.get_running_loop().time() - started,
            )
        )

    def _stop(self, error: BudgetExceeded) -> None:
        """Keep `error` as the end of the run; when this is not the run's own
        task (a tool call's task, the timer), cancel the run's task, and
        `enforce` turns the cancellation into the error."""
        if self.exceeded is None:
            self.exceeded = error
        run_task = self._run_task
        if run_task is not None and asyncio.current_task() is not run_task and not self._cancelled_run:
            self._cancelled_run = True
            run_task.cancel()
