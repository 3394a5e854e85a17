"""`Agent`: plan, run the DAG in parallel, join, and replan when asked.

This module is where the parts meet: it wires the planner and joiner prompts
(`agentc.planners`) and the tools (`agentc.tools`) to the compiler core
(parser, checks, Task Fetching Unit). The core modules themselves import
nothing from those folders.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterable, Sequence

from agentc.checks import PlanChecker
from agentc.consent import Approver, ConsentGate
from agentc.errors import PlanError, RunError, attach_trace, describe
from agentc.events import Event, FinalAnswer, PlanText, Replanning
from agentc.executor import ToolExecutor, ToolLimits
from agentc.joiner import Finish, Replan, parse_decision
from agentc.llm import LLM, Grammars, Message
from agentc.llm_call import recorded_call
from agentc.parser import END_OF_PLAN, PlanParser
from agentc.running import keep_trace, run_sync, stream_events
from agentc.plan import Task, as_text
from agentc.planners.llmcompiler import joiner_messages, planner_messages
from agentc.scheduler import TaskFetchingUnit
from agentc.tools import ToolRegistry
from agentc.trace import Trace

if TYPE_CHECKING:
    from agentc.runnable import AgentRunnable

ToolSelector = Callable[[str, Sequence[Any]], Sequence[Any]]
"""`(question, tools) -> the tools to show the planner`, e.g. `agentc.retrieval.ToolRAG`."""

GrammarBuilder = Callable[[Sequence[Any], int, int], str]
"""`(tools, first_id, max_tasks) -> GBNF` for backends that constrain output."""


@dataclass
class RunResult:
    """What `Agent.arun` returns."""

    answer: str
    trace: Trace


@dataclass
class PlanResult:
    """What `Agent.aplan` returns: the checked tasks of one plan, not run.

    `error` is the `PlanError` that stopped the plan, if any; `tasks` then
    holds the tasks checked before it.
    """

    tasks: list[Task]
    text: str
    trace: Trace
    error: PlanError | None = None

    @property
    def valid(self) -> bool:
        return self.error is None


class Agent:
    """An LLMCompiler agent.

    `llm` plans and joins (`joiner_llm` may differ); `tools` are functions,
    `@tool`s, LangChain tools or a `ToolRegistry`. `max_replans` bounds the
    replanning loop; `tool_timeout` is the default per-call timeout;
    `stream_plan=False` waits for the whole plan before running any task
    (the original LLMCompiler streams; this is for comparison).
    `tool_selector` (ToolRAG) picks which tools the planner is shown; plans
    are still checked against every tool.
    A plan that ends with `join($N)` says task N's result is the answer; when
    that task succeeds the agent answers with it and makes no joiner call
    (`direct_answers=False` always asks the joiner).
    `approve` is asked before any tool marked `side_effects` runs (see
    `agentc.consent`); without it such tools run unasked.
    A backend that brings its own grammars (`agentc.llm.Grammars`: the
    local llama.cpp one) constrains plans and joiner answers with them
    unless `plan_grammar`/`joiner_grammar` are given or `constrain=False`.
    """

    def __init__(
        self,
        llm: LLM,
        tools: Iterable[Any] | ToolRegistry = (),
        *,
        max_replans: int = 2,
        joiner_llm: LLM | None = None,
        examples: Sequence[str] = (),
        tool_timeout: float | None = 60.0,
        tool_retries: int = 2,
        max_tasks: int = 64,
        max_plan_tokens: int | None = 1024,
        stream_plan: bool = True,
        plan_grammar: GrammarBuilder | None = None,
        joiner_grammar: str | None = None,
        tool_selector: ToolSelector | None = None,
        direct_answers: bool = True,
        approve: Approver | None = None,
        constrain: bool = True,
    ) -> None:
        if max_replans < 0:
            raise ValueError("max_replans must be 0 or more")
        self.llm = llm
        self.joiner_llm = joiner_llm or llm
        self.tools = tools if isinstance(tools, ToolRegistry) else ToolRegistry(tools)
        self.max_replans = max_replans
        self.examples = list(examples)
        self.tool_timeout = tool_timeout
        self.tool_retries = tool_retries
        self.max_tasks = max_tasks
        self.max_plan_tokens = max_plan_tokens
        self.stream_plan = stream_plan
        if constrain and plan_grammar is None and isinstance(llm, Grammars):
            plan_grammar = llm.plan_grammar
        if constrain and joiner_grammar is None and isinstance(self.joiner_llm, Grammars):
            joiner_grammar = self.joiner_llm.joiner_grammar()
        self.plan_grammar = plan_grammar
        self.joiner_grammar = joiner_grammar
        self.tool_selector = tool_selector
        self.direct_answers = direct_answers
        self.approve = approve
        self.limits = ToolLimits()
        """Tools' `max_concurrency` and `rate_limit`, held across all concurrent runs of this agent."""

    def run(self, question: str) -> RunResult:
        """Sync wrapper of `arun`; not for use inside a running event loop."""
        return run_sync(self.arun(question), "Agent")

    async def arun(self, question: str) -> RunResult:
        """Answer `question`. Raises an `AgentcError` carrying the trace if no answer comes."""
        return await _Run(self, question, None).execute()

    async def aplan(self, question: str) -> PlanResult:
        """Plan only: the planner writes one plan, which is parsed and checked
        exactly as in a run, but no tool is called (for evaluating planners
        on tools that exist only as schemas)."""
        return await _Run(self, question, None, execute=False).plan_only()

    def plan(self, question: str) -> PlanResult:
        """Sync wrapper of `aplan`."""
        return asyncio.run(self.aplan(question))

    def as_runnable(self) -> "AgentRunnable":
        """This agent as a langchain-core `Runnable` (question in, answer out)."""
        from agentc.runnable import AgentRunnable

        return AgentRunnable(self)

    async def astream(self, question: str) -> AsyncIterator[Event]:
        """Events as they happen: plan text, tasks started and finished,
        replans, and last the answer. Errors are raised from the iterator;
        closing it early cancels the run."""
        async for event in stream_events(lambda emit: _Run(self, question, emit).execute()):
            yield event


class _Run:
    """The state of one `arun`: its trace, its scheduler, its plans."""

    def __init__(
        self, agent: Agent, question: str, emit: Callable[[Event], None] | None, *, execute: bool = True
    ) -> None:
        self.agent = agent
        self.execute_tools = execute
        self.planned: list[Task] = []
        self.question = question
        self.emit = emit
        self.start = time.perf_counter()
        self.trace = Trace(question=question)
        consent = ConsentGate(agent.approve, self.trace.consents) if agent.approve is not None else None
        self.executor = ToolExecutor(
            default_timeout=agent.tool_timeout, retries=agent.tool_retries, consent=consent, limits=agent.limits
        )
        self.tfu = TaskFetchingUnit(agent.tools, self.executor, self.trace, clock=self.clock, on_event=emit)
        self.checker = PlanChecker(agent.tools)

    def clock(self) -> float:
        return time.perf_counter() - self.start

    async def execute(self) -> RunResult:
        return await keep_trace(self._loop(), trace=self.trace, tfu=self.tfu, executor=self.executor, clock=self.clock)

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
        for round_no in range(self.agent.max_replans + 1):
            final = round_no == self.agent.max_replans
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
            decision = self._planned_answer(answer_task) or await self._join(final)
            if isinstance(decision, Finish):
                self.trace.answer = decision.answer
                result = RunResult(decision.answer, self.trace)
                if self.emit is not None:
                    self.emit(FinalAnswer(decision.answer, self.trace))
                return result
            reason = decision.reason
            if final:
                raise RunError(
                    f"the joiner asked for another plan after max_replans={self.agent.max_replans} replans "
                    f"({reason}); raise max_replans or check the tools' results in the trace",
                    trace=self.trace,
                )
            self._replanning(reason, round_no + 1)
        raise AssertionError("unreachable")

    def _planned_answer(self, answer_task: int | None) -> Finish | None:
        """The plan's own answer (`join($N)`), when task N succeeded."""
        if answer_task is None or not self.agent.direct_answers:
            return None
        record = self.trace.task(answer_task)
        if record.status != "done":
            return None
        self.trace.answer_task = answer_task
        return Finish(answer=as_text(record.observation))

    def _replanning(self, reason: str, next_round: int) -> None:
        self.trace.replan_reasons.append(reason)
        if self.emit is not None:
            self.emit(Replanning(reason, next_round))

    async def _offered_tools(self) -> list[Any]:
        """The tools the planner sees: all of them, or the selector's choice
        (made once per run, so replans see the same tools)."""
        tools = list(self.agent.tools)
        if self.agent.tool_selector is None:
            return tools
        if self.trace.offered_tools is None:
            chosen = await asyncio.to_thread(self.agent.tool_selector, self.question, tools)
            self.trace.offered_tools = [t.name for t in chosen]
        return [self.agent.tools[name] for name in self.trace.offered_tools]

    async def _plan(self, round_no: int, reason: str | None) -> int | None:
        """Write, check and dispatch one plan; return its `join($N)` task, if any."""
        agent = self.agent
        offered = await self._offered_tools()
        known = {r.idx for r in self.trace.tasks}
        first_id = max(known, default=0) + 1
        messages = planner_messages(
            offered,
            self.question,
            first_id=first_id,
            done=list(self.trace.tasks) if round_no else (),
            reason=reason,
            examples=agent.examples,
        )
        grammar = agent.plan_grammar(offered, first_id, agent.max_tasks) if agent.plan_grammar else None
        parser = PlanParser(known_ids=known, max_tasks=agent.max_tasks)
        self.trace.plans.append("")
        plan_index = len(self.trace.plans) - 1
        held: list[str] = []
        written: list[str] = []  # joined once (in `finally`): appending to one string is quadratic

        def take(text: str) -> None:
            written.append(text)
            if self.emit is not None and text:
                self.emit(PlanText(text, round_no))
            if not agent.stream_plan:
                held.append(text)
                return
            for call in parser.feed(text):
                self._dispatch(self.checker.check(call), round_no)

        try:
            await self._call_llm(
                "planner", agent.llm, messages, take, stop=[END_OF_PLAN], grammar=grammar, max_tokens=agent.max_plan_tokens
            )
        finally:
            self.trace.plans[plan_index] = "".join(written)
        calls = parser.feed("".join(held)) if held else []
        calls += parser.close()
        for call in calls:
            self._dispatch(self.checker.check(call), round_no)
        return parser.answer_task

    async def _join(self, final: bool) -> Finish | Replan:
        messages = joiner_messages(self.question, self.trace.tasks, final=final)
        parts: list[str] = []
        await self._call_llm("joiner", self.agent.joiner_llm, messages, parts.append, grammar=self.agent.joiner_grammar)
        return parse_decision("".join(parts))

    async def _call_llm(
        self,
        role: str,
        llm: LLM,
        messages: list[Message],
        take: Callable[[str], None],
        **options: Any,
    ) -> None:
        await recorded_call(self.trace, self.clock, role, llm, messages, take, **options)
