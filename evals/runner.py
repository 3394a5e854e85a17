"""The evaluation loop: plan each item with `Agent.aplan`, score, record.

    results = await evaluate(items, llm, EvalOptions(grammar=True), llm_label="smollm2", results="run.jsonl")

Each item's schemas become schema-only tools (`tool_from_schema`); the
planner writes one plan, which is parsed and checked exactly as in a real
run but not executed, and the plan's tasks are scored against the gold
calls. Items are played on the harness's workers (`agentc.evals.workers`):
one by default, since a local model serves one completion at a time; more
against a server (`workers=`), each item appended to the results file as it
finishes and the results returned in item order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from agentc.agent import Agent
from agentc.edge.grammar import agent_plan_grammar
from agentc.errors import LLMError, describe
from agentc.evals.calls import Counts
from agentc.evals.errors import EvalError
from agentc.evals.items import Call, EvalItem
from agentc.evals.plans import plan_calls
from agentc.evals.results import ItemResult, ResultsFile, plain_calls
from agentc.evals.score import Score, score
from agentc.evals.verdict import Verdict
from agentc.evals.workers import run_local
from agentc.llm import LLM
from agentc.tools import Tool
from agentc.tools.examples import GENERIC_EXAMPLES
from agentc.tools.schema import tool_from_schema

ToolSelector = Callable[[str, list[Tool]], list[Tool]]
"""`(question, item's tools) -> tools to show`: the tool-retrieval hook."""

LLMSource = LLM | Callable[[EvalItem], LLM]
"""One LLM for every item, or a function giving each item its own (scripted plans)."""


@dataclass
class EvalOptions:
    """How items are planned. `grammar` constrains plans with the GBNF plan
    grammar (local backends only); `max_tasks` bounds a plan and the
    grammar; `max_tokens` bounds the planner's completion; `select_tools`
    shows the planner only the tools it returns (all of the item's when None)."""

    grammar: bool = False
    examples: Sequence[str] = GENERIC_EXAMPLES
    max_tasks: int = 8
    max_tokens: int = 384
    select_tools: ToolSelector | None = None
    tools_label: str = "all"
    """Names `select_tools` in the setup, e.g. "top-3 of bm25"."""

    def setup(self, llm_label: str) -> dict[str, Any]:
        """What makes two runs comparable: stored with every result."""
        return {
            "llm": llm_label,
            "grammar": self.grammar,
            "examples": len(self.examples),
            "max_tasks": self.max_tasks,
            "max_tokens": self.max_tokens,
            "tools": self.tools_label,
        }


async def evaluate(
    items: Sequence[EvalItem],
    llm: LLMSource,
    options: EvalOptions,
    *,
    llm_label: str,
    results: str | Path | None = None,
    on_item: Callable[[ItemResult, bool], None] | None = None,
    max_llm_errors: int = 3,
    workers: int = 1,
) -> list[ItemResult]:
    """Every item's result, in item order. With a `results` file, items it
    already holds finished (for this setup) are taken from it and the others
    run on `workers` workers and are appended to it as each finishes.
    `on_item(result, skipped)` is called after each item (for progress).
    After `max_llm_errors` items in a row fail in the LLM backend the run
    stops with an `EvalError`, so a dead server does not fail every item."""
    setup = options.setup(llm_label)
    store = ResultsFile(results, setup) if results is not None else None
    done = store.load() if store is not None else {}
    failing = 0
    for item in items:
        if item.key in done and on_item is not None:
            on_item(done[item.key], True)

    def settle(result: ItemResult) -> None:
        nonlocal failing
        if store is not None:
            store.append(result)
        if on_item is not None:
            on_item(result, False)
        failing = failing + 1 if result.reason == "llm error" else 0
        if failing >= max_llm_errors:
            resume = "re-run with the same results file to resume" if store is not None else "re-run"
            raise EvalError(f"the LLM failed on {failing} item(s) in a row, the last with {result.detail}; fix it and {resume}")

    todo = [item for item in items if item.key not in done]
    try:
        played = await run_local(todo, lambda: _PlanWorker(llm, options, setup), workers=workers, on_outcome=settle)
    except ExceptionGroup as group:  # the worker tasks' group: the run stops with its first error
        raise group.exceptions[0] from None
    fresh = {item.key: result for item, result in zip(todo, played)}
    return [done[item.key] if item.key in done else fresh[item.key] for item in items]


@dataclass
class _PlanWorker:
    """A worker of the harness that plans and scores one item at a time."""

    llm: LLMSource
    options: EvalOptions
    setup: dict[str, Any]

    async def __aenter__(self) -> "_PlanWorker":
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def play(self, item: EvalItem) -> ItemResult:
        model = self.llm if isinstance(self.llm, LLM) else self.llm(item)
        return await evaluate_item(item, model, self.options, self.setup)


async def evaluate_item(item: EvalItem, llm: LLM, options: EvalOptions, setup: dict[str, Any]) -> ItemResult:
    """Plan `item` once with `llm` and score the plan."""
    tools = [tool_from_schema(f) for f in item.functions]
    if options.select_tools is not None:
        tools = options.select_tools(item.question, tools)
    agent = Agent(
        llm,
        tools,
        examples=options.examples,
        max_tasks=options.max_tasks,
        max_plan_tokens=options.max_tokens,
        plan_grammar=agent_plan_grammar if options.grammar else None,
        constrain=options.grammar,
    )
    start = time.perf_counter()
    try:
        planned = await agent.aplan(item.question)
    except LLMError as exc:
        failed = Score(Verdict.fail("llm error", describe(exc)), False, Counts())
        return _result(item, setup, failed, valid=False, plan="", calls=[], seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    calls = plan_calls(planned.tasks, item.functions)
    scored = score(item, calls, None if planned.valid else str(planned.error))
    usage = planned.trace.llm_calls
    return _result(
        item,
        setup,
        scored,
        valid=planned.valid,
        plan=planned.text,
        calls=calls,
        seconds=seconds,
        tokens=(sum(c.prompt_tokens for c in usage), sum(c.completion_tokens for c in usage)),
    )


def _result(
    item: EvalItem,
    setup: dict[str, Any],
    scored: Score,
    *,
    valid: bool,
    plan: str,
    calls: list[Call],
    seconds: float,
    tokens: tuple[int, int] = (0, 0),
) -> ItemResult:
    return ItemResult(
        key=item.key,
        id=item.id,
        category=item.category,
        rules=item.rules,
        passed=scored.verdict.passed,
        reason=scored.verdict.reason,
        detail=scored.verdict.detail,
        valid_plan=valid,
        dag_match=scored.dag_match,
        counts=scored.counts,
        plan=plan,
        calls=plain_calls(calls),
        seconds=seconds,
        prompt_tokens=tokens[0],
        completion_tokens=tokens[1],
        setup=setup,
    )
