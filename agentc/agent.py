"""`Agent`: the public face of the compiler style, and the place the parts meet.

This module (with `agentc/__init__.py` and the CLI) is the composition root:
it turns the user's tools into a `ToolRegistry`, takes the grammars a
backend brings, and hands them to the LLMCompiler planner in
`agentc.planners.llmcompiler`. `build_agent` picks any agent style by name.
The core modules import nothing from those folders, and no planner imports
this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Iterable, Sequence

from agentc.budget import Budget
from agentc.consent import Approver
from agentc.conversation import Turn
from agentc.events import Event
from agentc.llm import LLM, Grammars, JoinerGrammar
from agentc.output import OutputSpec
from agentc.planners.base import Planner
from agentc.planners.llmcompiler import GrammarBuilder, LLMCompilerPlanner, ToolSelector
from agentc.planners.parallel_fc import ParallelFCAgent
from agentc.planners.react import ReActAgent
from agentc.result import PlanResult, RunResult
from agentc.running import run_sync
from agentc.telemetry import chosen_tracer_provider
from agentc.tools import ToolRegistry

if TYPE_CHECKING:
    from agentc.runnable import AgentRunnable

__all__ = [
    "AGENT_KINDS",
    "Agent",
    "GrammarBuilder",
    "PlanResult",
    "RunResult",
    "ToolSelector",
    "build_agent",
]


class Agent:
    """An LLMCompiler agent.

    `llm` plans and joins (`joiner_llm` may differ); `tools` are functions,
    `@tool`s, LangChain tools or a `ToolRegistry`. `max_replans` bounds the
    replanning loop, and a new plan that calls no tool ends it (the joiner
    answers from the results it has); `tool_timeout` is the default per-call timeout;
    `stream_plan=False` waits for the whole plan before running any task
    (the original LLMCompiler streams; this is for comparison).
    `tool_selector` (ToolRAG) picks which tools the planner is shown; plans
    are still checked against every tool.
    A plan that ends with `join($N)` says task N's result is the answer; when
    that task succeeds the agent answers with it and makes no joiner call
    (`direct_answers=False` always asks the joiner).
    `approve` is asked before any tool marked `side_effects` runs (see
    `agentc.consent`); without it such tools run unasked.
    `instructions` (say, "Answer in French; give distances in km") end the
    planner's and the joiner's system prompts. `output_type` (a pydantic
    model, or any type pydantic validates) makes the answer a validated
    object, `RunResult.output` (see `agentc.output`); a `join($N)` answer
    is used only when task N's result already fits it. A backend with
    grammars holds the joiner's `Finish(...)` to the type's JSON schema; a
    `joiner_grammar` given with an `output_type` must allow that JSON too;
    `joiner_grammar` is GBNF text or a function that builds it from each
    joiner call's messages.
    `arun(question, history=turns)` shows the earlier turns of a
    conversation to the planner and the joiner (see `agentc.conversation`).
    A backend that brings its own grammars (`agentc.llm.Grammars`: the
    local llama.cpp one) constrains plans and joiner answers with them
    unless `plan_grammar`/`joiner_grammar` are given or `constrain=False`.
    `max_llm_tokens`, `max_tool_calls` and `max_seconds` bound each run; one
    that goes over any of them ends with `BudgetExceeded` (see
    `agentc.budget`). Runs make OpenTelemetry spans on `tracer_provider`,
    else on the global provider the application set, else for the
    `OTEL_EXPORTER_OTLP_ENDPOINT` collector if set; else none (see
    `agentc.telemetry`).
    The settings live on `planner` (an `LLMCompilerPlanner`).
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
        joiner_grammar: JoinerGrammar | None = None,
        tool_selector: ToolSelector | None = None,
        direct_answers: bool = True,
        approve: Approver | None = None,
        constrain: bool = True,
        instructions: str = "",
        output_type: Any = None,
        max_llm_tokens: int | None = None,
        max_tool_calls: int | None = None,
        max_seconds: float | None = None,
        tracer_provider: Any = None,
    ) -> None:
        joiner = joiner_llm or llm
        if constrain and plan_grammar is None and isinstance(llm, Grammars):
            plan_grammar = llm.plan_grammar
        if constrain and joiner_grammar is None and isinstance(joiner, Grammars):
            joiner_grammar = joiner.joiner_grammar(None if output_type is None else OutputSpec(output_type).schema)
        self.planner = LLMCompilerPlanner(
            llm=llm,
            tools=tools if isinstance(tools, ToolRegistry) else ToolRegistry(tools),
            joiner_llm=joiner,
            max_replans=max_replans,
            examples=list(examples),
            tool_timeout=tool_timeout,
            tool_retries=tool_retries,
            max_tasks=max_tasks,
            max_plan_tokens=max_plan_tokens,
            stream_plan=stream_plan,
            plan_grammar=plan_grammar,
            joiner_grammar=joiner_grammar,
            tool_selector=tool_selector,
            direct_answers=direct_answers,
            approve=approve,
            instructions=instructions,
            output_type=output_type,
            budget=Budget(max_llm_tokens, max_tool_calls, max_seconds),
            tracer_provider=chosen_tracer_provider(tracer_provider),
        )

    @property
    def llm(self) -> LLM:
        return self.planner.llm

    @property
    def tools(self) -> ToolRegistry:
        return self.planner.tools

    @property
    def plan_grammar(self) -> GrammarBuilder | None:
        return self.planner.plan_grammar

    @property
    def joiner_grammar(self) -> JoinerGrammar | None:
        return self.planner.joiner_grammar

    def run(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        """Sync wrapper of `arun`; not for use inside a running event loop."""
        return run_sync(self.arun(question, history=history), "Agent")

    async def arun(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        """Answer `question`, seeing the earlier turns of a conversation in
        `history`. Raises an `AgentcError` carrying the trace if no answer comes."""
        return await self.planner.arun(question, history=history)

    def plan(self, question: str) -> PlanResult:
        """Sync wrapper of `aplan`; not for use inside a running event loop."""
        return run_sync(self.aplan(question), "Agent", method="plan")

    async def aplan(self, question: str) -> PlanResult:
        """Plan only: the planner writes one plan, which is parsed and checked
        exactly as in a run, but no tool is called (for evaluating planners
        on tools that exist only as schemas)."""
        return await self.planner.aplan(question)

    async def astream(self, question: str, *, history: Sequence[Turn] = ()) -> AsyncIterator[Event]:
        """Events as they happen: plan text, tasks started and finished,
        replans, and last the answer. Errors are raised from the iterator;
        closing it early cancels the run."""
        async for event in self.planner.astream(question, history=history):
            yield event

    def as_runnable(self) -> "AgentRunnable":
        """This agent as a langchain-core `Runnable` (question in, answer out)."""
        from agentc.runnable import AgentRunnable

        return AgentRunnable(self)


AGENT_KINDS: dict[str, type[Agent] | type[ReActAgent] | type[ParallelFCAgent]] = {
    "compiler": Agent,
    "react": ReActAgent,
    "parallel": ParallelFCAgent,
}
"""The agent styles by name, for the CLI and benchmarks:

    build_agent("compiler", llm, tools)   # Agent: plan, run in parallel, join
    build_agent("react", llm, tools)      # ReActAgent: one tool call per LLM call
    build_agent("parallel", llm, tools)   # ParallelFCAgent: independent calls per turn
"""


def build_agent(kind: str, llm: LLM, tools: Iterable[Any] | ToolRegistry, **options: Any) -> Planner:
    """An agent of style `kind` (a key of `AGENT_KINDS`) on `llm` and `tools`;
    `options` go to that class's constructor unchanged. Every style is a
    `Planner`: `run`, `arun` and `astream`, and a `RunResult` with a `Trace`."""
    cls = AGENT_KINDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown agent kind {kind!r}; choose one of: {', '.join(AGENT_KINDS)}")
    try:
        return cls(llm, tools, **options)
    except TypeError as exc:
        raise TypeError(f"{cls.__name__} (agent kind {kind!r}) does not take these options: {exc}") from None
