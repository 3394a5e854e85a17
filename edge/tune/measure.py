"""Measuring a planner on the project's own toolkits, on held-out templates.

Two measures, TinyAgent's and the user's:

- `plan_scores`: the plan alone (`Agent.aplan`, nothing runs). A plan's
  DAG matches when its calls name the gold tools with the gold dependency
  shape (`agentc.evals.dag`); it is exact when, in addition, every
  argument equals the gold one.
- `answer_scores`: the whole run (plan, tools, joiner) for the built-in
  tools; an answer is right when it holds every figure the gold plan
  answers with (after a closing `join()`, the gold answer's figures that
  are not in the question; after `join($K)`, task K's result), to at least
  2 decimals.

Items come from templates the adapter never trained on (`split="heldout"`).
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

from agentc.agent import Agent
from agentc.errors import AgentcError
from agentc.evals.dag import same_dag
from agentc.evals.items import Call, GoldCall
from agentc.edge.tune.dataset import shown_tools
from agentc.edge.tune.synth import SynthItem
from agentc.llm import LLM
from agentc.parser import parse_plan
from agentc.plan import references
from agentc.tools import Tool, ToolRegistry

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class Scores:
    """Counts over a set of items, and what the runs cost."""

    items: int = 0
    valid: int = 0
    dag: int = 0
    exact: int = 0
    right: int = 0
    seconds: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.items if self.items else 0.0


def gold_calls(plan: str) -> list[GoldCall]:
    """The gold plan's calls, numbered from 1, with their dependencies."""
    calls = []
    for call in parse_plan(plan):
        if call.is_join:
            continue
        arguments = dict(call.keywords)
        deps = tuple(sorted({r for v in arguments.values() for r in references(v)}))
        calls.append(GoldCall(call.tool, arguments, deps))
    return calls


async def plan_scores(llm: LLM, items: Sequence[SynthItem], tools: Sequence[Tool], *, seed: int = 0, **agent: Any) -> Scores:
    """Plan each item once; count valid plans, DAG matches and exact plans."""
    rng = random.Random(seed)
    registry = ToolRegistry(tools)
    scores = Scores()
    for item in items:
        shown = shown_tools(item, registry, rng)
        names = {t.name for t in shown}
        planner = Agent(llm, tools, tool_selector=lambda q, ts: [t for t in ts if t.name in names], **agent)
        began = time.perf_counter()
        result = await planner.aplan(item.question)
        scores.seconds += time.perf_counter() - began
        scores.items += 1
        calls = [Call(t.idx, t.tool, dict(t.args), t.deps) for t in result.tasks]
        gold = gold_calls(item.plan)
        valid = result.valid
        dag = valid and same_dag(calls, gold)
        exact = dag and _same_calls(calls, gold)
        scores.valid += valid
        scores.dag += dag
        scores.exact += exact
        if not exact:
            scores.misses.append({"question": item.question, "gold": item.plan, "plan": result.text})
    return scores


async def answer_scores(llm: LLM, items: Sequence[SynthItem], tools: Sequence[Tool], **agent: Any) -> Scores:
    """Run each built-in item end to end; an answer is right when it holds
    every figure the gold plan answers with (`holds_results`)."""
    scores = Scores()
    for item in items:
        if item.answer is None:
            raise ValueError(f"item {item.question!r} has no gold answer; answer_scores needs built-in items")
        began = time.perf_counter()
        answer = ""
        try:
            answer = (await Agent(llm, tools, **agent).arun(item.question)).answer
            scores.valid += 1
        except AgentcError as exc:
            answer = f"error: {exc}"
        scores.seconds += time.perf_counter() - began
        scores.items += 1
        right = holds_results(item, answer)
        scores.right += right
        if not right:
            scores.misses.append({"question": item.question, "gold": item.answer, "answer": answer})
    return scores


def holds_results(item: SynthItem, answer: str) -> bool:
    """Whether `answer` quotes every figure the gold plan answers with: each
    figure of the gold answer that the question does not hold ("30% of 2816
    is 844.8" -> 844.8) agrees with one of the answer's (`same_figure`).

    Where the gold plan closes with `join($K)`, its answer is task K's result
    alone ("Divide 680 by 6, then take 12.5% of that" -> 14.17, not 113.33
    as well), so that result is the one figure asked for.
    """
    if item.result is not None:
        found = [item.result]
    else:
        asked = figures(item.question)
        found = [f for f in _NUMBER.findall(item.answer or "") if _value(f) not in asked]
    said = _NUMBER.findall(answer)
    return all(any(same_figure(f, s) for s in said) for f in found)


def same_figure(first: str, second: str) -> bool:
    """Whether two written figures agree, rounded half up to the fewer
    decimals of the two but to no fewer than 2: `42.16` and `42.1649`, `408`
    and `408.0`, and a gold `2.635` (written to 4 figures) and `2.6352`
    agree; `42.2` and `42.16` do not."""
    places = max(2, min(_decimals(first), _decimals(second)))
    step = Decimal(1).scaleb(-places)
    return _exact(first).quantize(step, ROUND_HALF_UP) == _exact(second).quantize(step, ROUND_HALF_UP)


def _decimals(figure: str) -> int:
    return len(figure.partition(".")[2])


def _exact(figure: str) -> Decimal:
    return Decimal(figure.replace(",", ""))


def figures(text: str) -> set[float]:
    """The numbers in `text`, rounded to 2 decimals (42.16 and 42.164897 agree)."""
    return {_value(match) for match in _NUMBER.findall(text)}


def _value(figure: str) -> float:
    """A figure as `_NUMBER` finds it (digits, commas, one point: always a
    float once the commas go), rounded to 2 decimals."""
    return round(float(figure.replace(",", "")), 2)


def _same_calls(calls: Sequence[Call], gold: Sequence[GoldCall]) -> bool:
    """Same tools with equal arguments, in some order, references mapped
    through the order the calls were matched in."""
    if len(calls) != len(gold):
        return False
    left = [(c.name, _plain(c.arguments)) for c in calls]
    right = [(g.name, _plain(g.arguments)) for g in gold]
    return sorted(map(repr, left)) == sorted(map(repr, right))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return str(value) if not isinstance(value, (int, float, bool, type(None), str)) else value
