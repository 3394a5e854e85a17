"""The run harness the step-by-step baselines share (ReAct, parallel function calling).

Both baselines ask the model for a step, run the tool calls it names, show it
the results and ask again. So that a race against `Agent` compares
orchestration and nothing else, they record what they do with the same parts
`Agent` uses: tool calls go through the Task Fetching Unit (same executor,
limits, `TaskRecord`s and task events; identical calls are merged the same
way), and every completion becomes an `LLMCall` with the backend's token
counts. A `Trace` from a baseline therefore has the shape of an `Agent`
trace: `plans[i]` is the text of model step `i`, and each task's `plan` is
the step that asked for it.
"""

from __future__ import annotations

import time
from typing import Any, AsyncIterator, Awaitable, Callable

from agentc.agent import RunResult
from agentc.checks import PlanChecker
from agentc.errors import PlanError
from agentc.events import Event, FinalAnswer, PlanText, TaskFinished
from agentc.executor import ToolExecutor
from agentc.llm import LLM, Message
from agentc.llm_call import recorded_call
from agentc.running import Emit, keep_trace, run_sync, stream_events
from agentc.plan import ParsedCall, as_text, to_plain
from agentc.scheduler import TaskFetchingUnit
from agentc.tools import ToolRegistry
from agentc.trace import TaskRecord, Trace



class StepRun:
    """The state of one run: its clock, trace, tool calls and events.

    `submit` takes a call the model wrote (already read into a `ParsedCall`)
    and starts it; `settle` waits for every started call. A call naming an
    unknown tool or with arguments that do not fit becomes a task with
    status "error", so the model sees an error observation instead of the run
    failing.
    """

    def __init__(
        self,
        tools: ToolRegistry,
        question: str,
        emit: Emit | None,
        *,
        tool_timeout: float | None,
        tool_retries: int,
    ) -> None:
        self.emit = emit
        self.start = time.perf_counter()
        self.trace = Trace(question=question)
        self.executor = ToolExecutor(default_timeout=tool_timeout, retries=tool_retries)
        self.tfu = TaskFetchingUnit(tools, self.executor, self.trace, clock=self.clock, on_event=emit)
        self.checker = PlanChecker(tools)
        self._last_idx = 0

    def clock(self) -> float:
        return time.perf_counter() - self.start

    def next_idx(self) -> int:
        """The id of the next tool call in this run (1, 2, ...)."""
        self._last_idx += 1
        return self._last_idx

    async def execute(self, body: Callable[[], Awaitable[RunResult]]) -> RunResult:
        """Run `body`, keeping the trace whatever happens: errors carry it,
        unfinished calls are cancelled, the executor's threads released."""
        return await keep_trace(body(), trace=self.trace, tfu=self.tfu, executor=self.executor, clock=self.clock)

    async def complete(self, role: str, llm: LLM, messages: list[Message], **options: Any) -> str:
        """One completion, streamed: recorded as an `LLMCall` (also when it
        fails part-way), kept as the next entry of `trace.plans`, and emitted
        as `PlanText` pieces. Returns the whole text."""
        self.trace.plans.append("")
        step = len(self.trace.plans) - 1

        def take(text: str) -> None:
            self.trace.plans[step] += text
            if self.emit is not None:
                self.emit(PlanText(text, step))

        record = await recorded_call(self.trace, self.clock, role, llm, messages, take, **options)
        return record.completion

    @property
    def step(self) -> int:
        """The index in `trace.plans` of the latest model step."""
        return len(self.trace.plans) - 1

    def submit(self, call: ParsedCall, *, literal_only: bool = False) -> TaskRecord:
        """Check `call` against the tools and start it, as part of the latest step.

        `literal_only`: the call may not use `$N` references (a ReAct action
        writes values, it cannot point at other calls)."""
        try:
            task = self.checker.check(call)
        except PlanError as exc:
            return self.reject(call, exc.message)
        if literal_only and task.deps:
            return self.reject(call, "an action takes values, not references like $1; write the value itself")
        return self.tfu.submit(task, plan=self.step)

    def reject(self, call: ParsedCall, message: str) -> TaskRecord:
        """Record a call that cannot run as a task with status "error"."""
        now = self.clock()
        args = dict(zip((f"arg{i}" for i in range(len(call.positional))), call.positional))
        args.update(call.keywords)
        record = TaskRecord(
            idx=call.idx,
            tool=call.tool,
            args={k: to_plain(v) for k, v in args.items()},
            deps=[],
            thought=call.thought,
            plan=self.step,
            status="error",
            started_at=now,
            finished_at=now,
            error=message,
        )
        self.trace.tasks.append(record)
        if self.emit is not None:
            self.emit(TaskFinished(record.copy()))
        return record

    async def settle(self) -> None:
        """Wait until every started call has finished."""
        await self.tfu.wait()

    def finish(self, answer: str) -> RunResult:
        self.trace.answer = answer
        if self.emit is not None:
            self.emit(FinalAnswer(answer, self.trace))
        return RunResult(answer, self.trace)


class StepAgent:
    """`Agent`'s public interface (`run`, `arun`, `astream`) over a step loop:
    what the ReAct and parallel-FC baselines share. A subclass sets `tools`,
    `tool_timeout` and `tool_retries` and writes `_loop(run, question)`."""

    tools: ToolRegistry
    tool_timeout: float | None
    tool_retries: int

    def run(self, question: str) -> RunResult:
        """Sync wrapper of `arun`; not for use inside a running event loop."""
        return run_sync(self.arun(question), type(self).__name__)

    async def arun(self, question: str) -> RunResult:
        """Answer `question`. Raises an `AgentcError` carrying the trace if no answer comes."""
        return await self._start(question, None)

    async def astream(self, question: str) -> AsyncIterator[Event]:
        """Events as they happen: each step's text (`PlanText`, `plan` = the
        step), its tool calls started and finished, and last the answer."""
        async for event in stream_events(lambda emit: self._start(question, emit)):
            yield event

    async def _start(self, question: str, emit: Emit | None) -> RunResult:
        run = StepRun(self.tools, question, emit, tool_timeout=self.tool_timeout, tool_retries=self.tool_retries)
        return await run.execute(lambda: self._loop(run, question))

    async def _loop(self, run: StepRun, question: str) -> RunResult:
        raise NotImplementedError


def observation_text(record: TaskRecord, *, max_chars: int) -> str:
    """What the model is shown of a call: its result as text, or `Error: ...`."""
    if record.status != "done":
        return f"Error: {record.error or record.status}"
    text = as_text(record.observation)
    if len(text) > max_chars:
        text = text[:max_chars] + f" ... ({len(text) - max_chars} more characters)"
    return text
