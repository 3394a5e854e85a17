"""The Task Fetching Unit: dispatches each task the moment its inputs are ready.

No polling: every task counts its unfinished dependencies, and a task that
settles decrements its dependents' counts and dispatches those that reach
zero, in the same step. A task whose dependency failed is skipped with the
reason, and so, in turn, are its own dependents; nothing is left waiting.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from agentc.errors import ToolError, describe
from agentc.events import Event, TaskFinished, TaskStarted
from agentc.executor import ToolExecutor
from agentc.plan import Task, as_text, substitute, to_plain
from agentc.toolspec import ToolSpec, tool_table
from agentc.trace import TaskRecord, Trace

if TYPE_CHECKING:
    from agentc.budget import RunBudget
    from agentc.telemetry import RunSpans


class TaskFetchingUnit:
    """Runs the tasks of one run (all its plans) against `tools`.

    `submit` takes tasks as the parser yields them; `wait` returns once every
    submitted task has settled. Results of earlier plans stay available, so a
    replan may refer to them. `clock` gives seconds since the run started.
    A `budget` is asked before each tool call starts (a call it refuses is
    left pending: the run is being stopped); `spans` get a span per task.
    """

    def __init__(
        self,
        tools: Mapping[str, ToolSpec] | Iterable[ToolSpec],
        executor: ToolExecutor,
        trace: Trace,
        *,
        clock: Callable[[], float] | None = None,
        on_event: Callable[[Event], None] | None = None,
        budget: "RunBudget | None" = None,
        spans: "RunSpans | None" = None,
    ) -> None:
        self.tools = tool_table(tools)
        self.executor = executor
        self.trace = trace
        self.results: dict[int, Any] = {}
        self.errors: dict[int, str] = {}
        self._clock = clock or _since(time.perf_counter())
        self._on_event = on_event
        self._budget = budget
        self._spans = spans
        self._tasks: dict[int, Task] = {}
        self._records: dict[int, TaskRecord] = {}
        self._missing: dict[int, int] = {}
        self._dependents: dict[int, list[int]] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._unsettled = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, task: Task, *, plan: int | None = None, step: int | None = None) -> TaskRecord:
        """Take a checked task; run it now if its inputs are ready. `plan`
        (a compiler's plan) or `step` (a step-wise agent's model step) says
        what asked for it. Raises `BudgetExceeded` once the run's budget has
        refused a tool call."""
        record = TaskRecord(
            idx=task.idx,
            tool=task.tool,
            args={k: to_plain(v) for k, v in task.args.items()},
            deps=list(task.deps),
            thought=task.thought,
            plan=plan,
            step=step,
            same_as=task.same_as,
        )
        self.trace.tasks.append(record)
        self._tasks[task.idx] = task
        self._records[task.idx] = record
        self._unsettled += 1
        self._idle.clear()
        waits_on = list(task.deps) + ([task.same_as] if task.same_as is not None else [])
        failed = next((d for d in waits_on if d in self.errors), None)
        if failed is not None:
            self._skip(task.idx, failed)
            return record
        open_deps = [d for d in dict.fromkeys(waits_on) if d not in self.results]
        self._missing[task.idx] = len(open_deps)
        for dep in open_deps:
            self._dependents.setdefault(dep, []).append(task.idx)
        if not open_deps:
            self._start(task.idx)
        if self._budget is not None:
            self._budget.raise_if_exceeded()
        return record

    async def wait(self) -> None:
        """Return when every submitted task has settled."""
        await self._idle.wait()

    async def cancel(self, reason: str = "the run was cancelled") -> None:
        """Cancel running tasks and mark every unsettled task cancelled."""
        running = list(self._running)
        for job in running:
            job.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        stopped = [idx for idx, r in self._records.items() if r.status in ("pending", "running")]
        for idx in stopped:
            record = self._records[idx]
            record.status = "cancelled"
            record.error = reason
            record.finished_at = self._clock()
            self.errors[idx] = reason
        for idx in stopped:
            self._settled(idx, ok=False)

    def observation(self, idx: int) -> Any:
        return self.results.get(idx)

    def _start(self, idx: int) -> None:
        task = self._tasks[idx]
        record = self._records[idx]
        if task.same_as is None and self._budget is not None and not self._budget.allow_tool_call(record):
            return
        record.status = "running"
        record.started_at = self._clock()
        if task.same_as is not None:
            self._finish_merged(idx, task.same_as)
            return
        if self._spans is not None:
            self._spans.task_started(record)
        job = asyncio.get_running_loop().create_task(self._run(task, record))
        self._running.add(job)
        job.add_done_callback(self._running.discard)
        if self._on_event is not None:
            self._on_event(TaskStarted(record.copy()))

    async def _run(self, task: Task, record: TaskRecord) -> None:
        tool = self.tools[task.tool]
        try:
            arguments = {k: substitute(v, self.results) for k, v in task.args.items()}
            record.args = arguments
            with self._spans.in_task(task.idx) if self._spans is not None else nullcontext():
                result, record.attempts = await self.executor.call(tool, _copy(arguments))
            result = _recordable(task.tool, result)
        except asyncio.CancelledError:
            raise  # `cancel` marks the record and settles it
        except ToolError as exc:
            record.attempts = exc.attempts
            self._fail(task.idx, str(exc))
            return
        except Exception as exc:  # a bug outside the tool: still recorded, never lost
            self._fail(task.idx, f"internal error running task {task.idx}: {describe(exc)}")
            return
        record.finished_at = self._clock()
        record.status = "done"
        record.observation = result
        self.results[task.idx] = result
        self._settled(task.idx, ok=True)

    def _finish_merged(self, idx: int, original: int) -> None:
        record = self._records[idx]
        record.finished_at = record.started_at
        if original in self.errors:
            self._fail(idx, self.errors[original])
            return
        record.status = "done"
        record.observation = self.results[original]
        self.results[idx] = self.results[original]
        self._settled(idx, ok=True)

    def _fail(self, idx: int, message: str) -> None:
        record = self._records[idx]
        record.status = "error"
        record.error = message
        record.finished_at = self._clock()
        self.errors[idx] = message
        self._settled(idx, ok=False)

    def _mark_skipped(self, idx: int, failed_dep: int) -> None:
        record = self._records[idx]
        record.status = "skipped"
        record.error = f"skipped: task {failed_dep} it depends on failed ({self.errors[failed_dep]})"
        record.finished_at = self._clock()
        self.errors[idx] = record.error

    def _skip(self, idx: int, failed_dep: int) -> None:
        self._mark_skipped(idx, failed_dep)
        self._settled(idx, ok=False)

    def _settled(self, idx: int, *, ok: bool) -> None:
        """Release the dependents of a settled task (a worklist, so a long
        chain of skips needs no deep recursion)."""
        work = [(idx, ok)]
        while work:
            idx, ok = work.pop()
            if self._spans is not None:
                self._spans.task_finished(self._records[idx])
            if self._on_event is not None:
                self._on_event(TaskFinished(self._records[idx].copy()))
            self._unsettled -= 1
            for dependent in self._dependents.pop(idx, ()):
                if self._records[dependent].status != "pending":
                    continue
                if not ok:
                    self._mark_skipped(dependent, idx)
                    work.append((dependent, False))
                    continue
                self._missing[dependent] -= 1
                if self._missing[dependent] == 0:
                    self._start(dependent)
        if self._unsettled == 0:
            self._idle.set()


def _copy(value: Any) -> Any:
    """A deep copy, so a tool that changes its arguments (a `$1` dict) does
    not change task 1's recorded result; values that cannot be copied are
    passed as they are."""
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def _recordable(tool: str, result: Any) -> Any:
    """The result as the trace keeps it: a copy taken now (so later changes
    by the tool or by other tools do not rewrite history), checked to be
    writable as an observation and as trace JSON. A result that is not
    (circular, `__str__` raising, an integer over 4,300 digits) is the
    task's error, not a crash later in the joiner or when the trace is saved."""
    try:
        as_text(result)
        json.dumps(result, default=repr, ensure_ascii=False)
    except Exception as exc:
        raise ToolError(
            f"tool {tool!r} returned a value that cannot be recorded ({describe(exc)}); "
            "return plain data: text, numbers, lists and dicts",
            tool=tool,
        ) from exc
    return _copy(result)


def _since(start: float) -> Callable[[], float]:
    return lambda: time.perf_counter() - start
