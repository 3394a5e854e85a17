"""The run harness the step-by-step baselines share (ReAct, parallel function calling).

Both baselines ask the model for a step, run the tool calls it names, show it
the results and ask again. So that a race against `Agent` compares
orchestration and nothing else, they record what they do with the same parts
`Agent` uses: tool calls go through the Task Fetching Unit (same executor,
limits, `TaskRecord`s and task events; identical calls are merged the same
way), and every completion becomes an `LLMCall` with the backend's token
counts. A `Trace` from a baseline therefore has the shape of an `Agent`
trace, with the step-wise fields in place of the plan ones: `steps[i]` is
the text of model step `i`, and each task's `step` is the step that asked
for it. Budgets (`agentc.budget`) and OpenTelemetry spans
(`agentc.telemetry`) work as in `Agent`, through the same parts.
"""

from __future__ import annotations

import time
from typing import Any, AsyncIterator, Awaitable, Callable

from agentc.budget import Budget, RunBudget
from agentc.checks import PlanChecker
from agentc.errors import PlanError
from agentc.events import Event, FinalAnswer, PlanText, TaskFinished
from agentc.executor import ToolExecutor
from agentc.llm import LLM, Message
from agentc.llm_call import recorded_call
from agentc.running import Emit, keep_trace, run_sync, stream_events
from agentc.plan import ParsedCall, to_plain
from agentc.result import RunResult
from agentc.scheduler import TaskFetchingUnit
from agentc.telemetry import RunSpans, chosen_tracer_provider
from agentc.tools import ToolRegistry
from agentc.trace import TaskRecord, Trace


class StepRun:
    """The state of one run: its clock, trace, tool calls and events.

    `submit` takes a call the model wrote (already read into a `ParsedCall`)
    and starts it; `settle` waits for every started call. A call naming an
    unknown tool or with arguments that do not fit becomes a task with
    status "error", so the model sees an error observation instead of the run
    failing. `budget` bounds the run; spans go to `tracer_provider` (see
    `agentc.telemetry.RunSpans.start`) under the agent name `style`.
    """

    def __init__(
        self,
        tools: ToolRegistry,
        question: str,
        emit: Emit | None,
        *,
        tool_timeout: float | None,
        tool_retries: int,
        budget: Budget = Budget(),
        tracer_provider: Any = None,
        style: str = "stepwise",
    ) -> None:
        self.emit = emit
        self.start = time.perf_counter()
        self.trace = Trace(question=question)
        self.budget = RunBudget(budget, self.trace)
        self.spans = RunSpans.start(tracer_provider, style)
        self.executor = ToolExecutor(default_timeout=tool_timeout, retries=tool_retries)
        self.tfu = TaskFetchingUnit(
            tools, self.executor, self.trace, clock=self.clock, on_event=emit, budget=self.budget, spans=self.spans
        )
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
        return await keep_trace(body(), self.tfu, clock=self.clock, budget=self.budget, spans=self.spans)

    async def complete(self, role: str, llm: LLM, messages: list[Message], **options: Any) -> str:
        """One completion, streamed: recorded as an `LLMCall` (also when it
        fails part-way), kept as the next entry of `trace.steps`, and emitted
        as `PlanText` pieces (their `plan` is the step). Returns the whole text."""
        self.trace.steps.append("")
        step = len(self.trace.steps) - 1

        def take(text: str) -> None:
            self.trace.steps[step] += text
            if self.emit is not None:
                self.emit(PlanText(text, step))

        record = await recorded_call(
            self.trace, self.clock, role, llm, messages, take, budget=self.budget, spans=self.spans, emit=self.emit,
            **options,
        )
        return record.completion

    @property
    def step(self) -> int:
        """The index in `trace.steps` of the latest model step."""
        return len(self.trace.steps) - 1

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
        return self.tfu.submit(task, step=self.step)

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
            step=self.step,
            status="error",
            started_at=now,
            finished_at=now,
            error=message,
        )
        self.trace.tasks.append(record)
        if self.spans is not None:
            self.spans.task_finished(record)
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
    `tool_timeout` and `tool_retries` and writes `_loop(run, question)`;
    `configure_runs` sets the budget and tracer provider of its runs."""

    tools: ToolRegistry
    tool_timeout: float | None
    tool_retries: int
    style: str = "stepwise"
    """The agent's name in its runs' spans (`gen_ai.agent.name`)."""
    budget: Budget = Budget()
    tracer_provider: Any = None

    def configure_runs(
        self,
        *,
        max_llm_tokens: int | None = None,
        max_tool_calls: int | None = None,
        max_seconds: float | None = None,
        tracer_provider: Any = None,
    ) -> None:
        """Bound every run by these budgets (`agentc.budget`, None: no limit)
        and trace it on `tracer_provider` (`agentc.telemetry`)."""
        self.budget = Budget(max_llm_tokens, max_tool_calls, max_seconds)
        self.tracer_provider = chosen_tracer_provider(tracer_provider)

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
        run = StepRun(
            self.tools,
            question,
            emit,
            tool_timeout=self.tool_timeout,
            tool_retries=self.tool_retries,
            budget=self.budget,
            tracer_provider=self.tracer_provider,
            style=self.style,
        )
        return await run.execute(lambda: self._loop(run, question))

    async def _loop(self, run: StepRun, question: str) -> RunResult:
        raise NotImplementedError

