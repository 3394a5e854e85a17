"""`LLMCompilerPlanner`: plan, run the DAG in parallel, join, and replan when asked.

The planner streams a plan; each line becomes a checked task the moment it
is complete and goes to the Task Fetching Unit, so tools start while the
planner is still writing. Once every task has settled the joiner answers or
asks for another plan, which continues the task numbering and may use
earlier results. `agentc.Agent` builds one of these from its options.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable, Sequence

from agentc.budget import Budget, RunBudget
from agentc.checks import PlanChecker
from agentc.consent import Approver, ConsentGate
from agentc.conversation import Turn
from agentc.errors import PlanError, RunError, attach_trace, describe
from agentc.events import Event, FinalAnswer, PlanText, Replanning
from agentc.executor import ToolExecutor, ToolLimits
from agentc.joiner import Finish, Replan, parse_decision
from agentc.llm import LLM, JoinerGrammar, Message
from agentc.llm_call import recorded_call
from agentc.output import OutputSpec, Unfit
from agentc.parser import END_OF_PLAN, PlanParser
from agentc.plan import Task, as_text
from agentc.planners.llmcompiler.prompts import joiner_messages, joiner_retry_message, planner_messages
from agentc.result import PlanResult, RunResult
from agentc.running import keep_trace, run_sync, stream_events
from agentc.scheduler import TaskFetchingUnit
from agentc.telemetry import RunSpans
from agentc.tools import ToolRegistry
from agentc.trace import Trace

ToolSelector = Callable[[str, Sequence[Any]], Sequence[Any]]
"""`(question, tools) -> the tools to show the planner`, e.g. `agentc.retrieval.ToolRAG`."""

GrammarBuilder = Callable[[Sequence[Any], int, int], str]
"""`(tools, first_id, max_tasks) -> GBNF` for backends that constrain output."""


@dataclass
class LLMCompilerPlanner:
    """The LLMCompiler style, with its settings (see `agentc.Agent` for each).

    `limits` hold the tools' `max_concurrency` and `rate_limit` across all
    concurrent runs of this planner. `instructions` end the planner's and
    the joiner's system prompts; `output_type` makes the answer a validated
    object (`agentc.output`).
    """

    llm: LLM
    tools: ToolRegistry
    joiner_llm: LLM
    max_replans: int = 2
    examples: Sequence[str] = ()
    tool_timeout: float | None = 60.0
    tool_retries: int = 2
    max_tasks: int = 64
    max_plan_tokens: int | None = 1024
    stream_plan: bool = True
    plan_grammar: GrammarBuilder | None = None
    joiner_grammar: JoinerGrammar | None = None
    tool_selector: ToolSelector | None = None
    direct_answers: bool = True
    approve: Approver | None = None
    instructions: str = ""
    output_type: Any = None
    limits: ToolLimits = field(default_factory=ToolLimits)
    budget: Budget = field(default_factory=Budget)
    tracer_provider: Any = None
    output: OutputSpec | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.max_replans < 0:
            raise ValueError("max_replans must be 0 or more")
        if self.output_type is not None:
            self.output = OutputSpec(self.output_type)

    def run(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        """Sync wrapper of `arun`; not for use inside a running event loop."""
        return run_sync(self.arun(question, history=history), type(self).__name__)

    async def arun(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        """Answer `question`, seeing the earlier turns of a conversation in
        `history`. Raises an `AgentcError` carrying the trace if no answer comes."""
        return await CompilerRun(self, question, None, history=history).execute()

    def plan(self, question: str) -> PlanResult:
        """Sync wrapper of `aplan`; not for use inside a running event loop."""
        return run_sync(self.aplan(question), type(self).__name__, method="plan")

    async def aplan(self, question: str, *, on_event: Callable[[Event], None] | None = None) -> PlanResult:
        """Plan only: the planner writes one plan, which is parsed and checked
        exactly as in a run, but no tool is called (for evaluating planners
        on tools that exist only as schemas). `on_event` gets the plan's
        events as they happen (`PlanText`, the LLM call's progress)."""
        return await CompilerRun(self, question, on_event, execute=False).plan_only()

    async def astream(self, question: str, *, history: Sequence[Turn] = ()) -> AsyncIterator[Event]:
        """Events as they happen: plan text, tasks started and finished,
        replans, and last the answer. Errors are raised from the iterator;
        closing it early cancels the run."""
        async for event in stream_events(lambda emit: CompilerRun(self, question, emit, history=history).execute()):
            yield event


class CompilerRun:
    """The state of one run: its trace, its scheduler, its plans."""

    def __init__(
        self,
        planner: LLMCompilerPlanner,
        question: str,
        emit: Callable[[Event], None] | None,
        *,
        execute: bool = True,
        history: Sequence[Turn] = (),
    ) -> None:
        self.planner = planner
        self.history = tuple(history)
        self.execute_tools = execute
        self.planned: list[Task] = []
        self.question = question
        self.emit = emit
        self.start = time.perf_counter()
        self.trace = Trace(question=question)
        self.budget = RunBudget(planner.budget, self.trace) if execute else None
        self.spans = RunSpans.start(planner.tracer_provider, "compiler") if execute else None
        consent = ConsentGate(planner.approve, self.trace.consents) if planner.approve is not None else None
        self.executor = ToolExecutor(
            default_timeout=planner.tool_timeout, retries=planner.tool_retries, consent=consent, limits=planner.limits
        )
        self.tfu = TaskFetchingUnit(
            planner.tools,
            self.executor,
            self.trace,
            clock=self.clock,
            on_event=emit,
            budget=self.budget,
            spans=self.spans,
        )
        self.checker = PlanChecker(planner.tools)

    def clock(self) -> float:
        return time.perf_counter() - self.start

    async def execute(self) -> RunResult:
        return await keep_trace(self._loop(), self.tfu, clock=self.clock, budget=self.budget, spans=self.spans)

    async def plan_only(self) -> PlanResult:
        error: PlanError | None = None
        try:
            await self._plan(0, None)
        except PlanError as exc:
            error = attach_trace(exc, self.trace)  # type: ignore[assignment]
            self.trace.error = describe(exc)
        finally:
            self.trace.finished_at = self.clock()
        return PlanResult(tasks=self.planned, text=self.trace.plans[0], trace=self.trace, error=error)

    def _dispatch(self, task: Task, round_no: int) -> None:
        self.planned.append(task)
        if self.execute_tools:
            self.tfu.submit(task, plan=round_no)

    async def _loop(self) -> RunResult:
        reason: str | None = None
        seen_by_joiner: int | None = None  # tasks planned when the joiner last asked for a new plan
        for round_no in range(self.planner.max_replans + 1):
            final = round_no == self.planner.max_replans
            try:
                answer_task = await self._plan(round_no, reason)
            except PlanError as exc:
                await self.tfu.wait()
                if final:
                    raise
                reason = f"the previous plan was invalid and stopped at the error: {exc}"
                self._replanning(reason, round_no + 1)
                continue
            await self.tfu.wait()
            # A new plan that called no tool leaves the joiner the results it
            # has already asked to replan on: it answers from them now.
            idle_replan = seen_by_joiner == len(self.planned)
            last_join = final or idle_replan
            decision = self._planned_answer(answer_task) or await self._join(last_join)
            if isinstance(decision, Finish):
                self.trace.answer = decision.answer
                result = RunResult(decision.answer, self.trace, decision.output)
                if self.emit is not None:
                    self.emit(FinalAnswer(decision.answer, self.trace))
                return result
            reason = decision.reason
            if last_join:
                if final:
                    cause = f"max_replans={self.planner.max_replans} replans"
                    advice = "raise max_replans or check the tools' results"
                else:
                    cause = "a new plan that called no tool"
                    advice = "another would see the same results: check the tools offered and their results"
                message = f"the joiner asked for another plan after {cause} ({reason}); {advice} in the trace"
                raise RunError(message, trace=self.trace)
            seen_by_joiner = len(self.planned)
            self._replanning(reason, round_no + 1)
        raise AssertionError("unreachable")

    def _planned_answer(self, answer_task: int | None) -> Finish | None:
        """The plan's own answer (`join($N)`), when task N succeeded."""
        if answer_task is None or not self.planner.direct_answers:
            return None
        record = self.trace.task(answer_task)
        if record.status != "done":
            return None
        spec = self.planner.output
        output = spec.accept(record.observation) if spec is not None else None
        if spec is not None and output is None:  # not the typed answer: the joiner writes it
            return None
        self.trace.answer_task = answer_task
        return spec.finish(output) if spec is not None else Finish(answer=as_text(record.observation))

    def _replanning(self, reason: str, next_round: int) -> None:
        self.trace.replan_reasons.append(reason)
        if self.emit is not None:
            self.emit(Replanning(reason, next_round))

    async def _offered_tools(self) -> list[Any]:
        """The tools the planner sees: all of them, or the selector's choice
        (made once per run, so replans see the same tools)."""
        tools = list(self.planner.tools)
        if self.planner.tool_selector is None:
            return tools
        if self.trace.offered_tools is None:
            chosen = await asyncio.to_thread(self.planner.tool_selector, self.question, tools)
            self.trace.offered_tools = [t.name for t in chosen]
        return [self.planner.tools[name] for name in self.trace.offered_tools]

    async def _plan(self, round_no: int, reason: str | None) -> int | None:
        """Write, check and dispatch one plan; return its `join($N)` task, if any."""
        planner = self.planner
        offered = await self._offered_tools()
        known = {r.idx for r in self.trace.tasks}
        first_id = max(known, default=0) + 1
        messages = planner_messages(
            offered,
            self.question,
            first_id=first_id,
            done=list(self.trace.tasks) if round_no else (),
            reason=reason,
            examples=planner.examples,
            history=self.history,
            instructions=planner.instructions,
        )
        grammar = planner.plan_grammar(offered, first_id, planner.max_tasks) if planner.plan_grammar else None
        parser = PlanParser(known_ids=known, max_tasks=planner.max_tasks)
        self.trace.plans.append("")
        plan_index = len(self.trace.plans) - 1
        held: list[str] = []
        written: list[str] = []  # joined once (in `finally`): appending to one string is quadratic

        def take(text: str) -> None:
            written.append(text)
            if self.emit is not None and text:
                self.emit(PlanText(text, round_no))
            if not planner.stream_plan:
                held.append(text)
                return
            for call in parser.feed(text):
                self._dispatch(self.checker.check(call), round_no)

        try:
            await self._call_llm(
                "planner", planner.llm, messages, take, stop=[END_OF_PLAN], grammar=grammar, max_tokens=planner.max_plan_tokens
            )
        finally:
            self.trace.plans[plan_index] = "".join(written)
        calls = parser.feed("".join(held)) if held else []
        calls += parser.close()
        for call in calls:
            self._dispatch(self.checker.check(call), round_no)
        return parser.answer_task

    async def _join(self, final: bool) -> Finish | Replan:
        spec = self.planner.output
        messages = joiner_messages(
            self.question,
            self.trace.tasks,
            final=final,
            history=self.history,
            instructions=self.planner.instructions,
            output_schema=spec.schema if spec is not None else None,
            json_reply=spec is not None and self.planner.joiner_grammar is None,
        )
        if spec is not None:
            return await self._join_typed(spec, messages, final)
        parts: list[str] = []
        grammar = self._joiner_grammar(messages)
        await self._call_llm("joiner", self.planner.joiner_llm, messages, parts.append, grammar=grammar)
        return parse_decision("".join(parts))

    def _joiner_grammar(self, messages: list[Message]) -> str | None:
        """The planner's joiner grammar for this call (built from the
        messages when it is a builder)."""
        grammar = self.planner.joiner_grammar
        return grammar(messages) if callable(grammar) else grammar

    async def _call_llm(
        self,
        role: str,
        llm: LLM,
        messages: list[Message],
        take: Callable[[str], None],
        **options: Any,
    ) -> None:
        await recorded_call(
            self.trace, self.clock, role, llm, messages, take, budget=self.budget, spans=self.spans, emit=self.emit,
            **options,
        )

    async def _join_typed(self, spec: OutputSpec, messages: list[Message], final: bool) -> Finish | Replan:
        """The joiner's decision with an answer fitting `spec` (see
        `agentc.output`): held to the joiner grammar when there is one, else
        to the decision's JSON schema (`response_format` on OpenAI-compatible
        servers). A reply that does not fit is sent back once with what was
        wrong; `OutputError` if the second one does not fit either."""
        grammar = self._joiner_grammar(messages)
        constraint = {"grammar": grammar} if grammar is not None else {"json_schema": spec.decision_schema(final=final)}
        for attempt in (1, 2):
            parts: list[str] = []
            await self._call_llm("joiner", self.planner.joiner_llm, messages, parts.append, **constraint)
            reply = "".join(parts)
            decision = spec.read(reply, final=final)
            if not isinstance(decision, Unfit):
                return decision
            messages = [*messages, Message("assistant", reply), joiner_retry_message(decision.problem)]
        raise spec.error(decision, reply, attempt)
