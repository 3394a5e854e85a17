"""The plan synthesizer: every gold plan is a plan agentc accepts and runs,
answers are what the tools say, and the train/heldout split is by template."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

import pytest

from agentc import Agent, Tool
from agentc.checks import PlanChecker
from agentc.edge.tune.drafts import number
from agentc.edge.tune.measure import holds_results
from agentc.edge.tune.synth import SynthItem, joiner_pairs, split_of, synthesize, templates
from agentc.edge.tune.synth_builtin import NOTES_SHOWN_AS, notes_folder, runnable_tools
from agentc.joiner import Finish, Replan, parse_decision
from agentc.llm import ScriptedLLM
from agentc.parser import PlanParser
from agentc.plan import Task
from agentc.tools.builtin import demo_tools
from agentc.tools.desktop import DesktopConfig, desktop_tools, parse_when

N = 400


@pytest.fixture(scope="module")
def builtin_items() -> list[SynthItem]:
    return synthesize("builtin", n=N, seed=3)


@pytest.fixture(scope="module")
def desktop_items() -> list[SynthItem]:
    return synthesize("desktop", n=N, seed=3)


@pytest.fixture(scope="module")
def desktop_registry(tmp_path_factory: pytest.TempPathFactory) -> list[Tool]:
    return desktop_tools(DesktopConfig(home=tmp_path_factory.mktemp("desk")), backend="portable")


def _checked(plan: str, tools: list[Tool]) -> list[Task]:
    checker = PlanChecker(tools)
    parser = PlanParser()
    calls = parser.feed(plan) + parser.close()
    assert parser.ended, plan
    return [checker.check(c) for c in calls]


def test_builtin_plans_parse_and_check(builtin_items: list[SynthItem]) -> None:
    tools = demo_tools([notes_folder()])
    for item in builtin_items:
        tasks = _checked(item.plan, tools)
        assert [t.tool for t in tasks] == [t for t in re.findall(r"^\d+\. (\w+)\(", item.plan, re.M) if t != "join"]
        assert set(item.tools) == {t.tool for t in tasks}
        assert item.answer
        assert "Thought:" not in item.plan


def test_desktop_plans_parse_check_and_dates_read(desktop_items: list[SynthItem], desktop_registry: list[Tool]) -> None:
    now = datetime(2025, 3, 12, 10, 0)
    for item in desktop_items:
        tasks = _checked(item.plan, desktop_registry)
        assert set(item.tools) == {t.tool for t in tasks}
        for task in tasks:
            for key in ("start", "due", "day"):
                if isinstance(task.args.get(key), str) and task.args[key]:
                    parse_when(task.args[key], now)


def test_items_are_distinct_and_deterministic(builtin_items: list[SynthItem], desktop_items: list[SynthItem]) -> None:
    for items in (builtin_items, desktop_items):
        assert len({i.question.lower() for i in items}) == len(items) == N
    assert synthesize("builtin", n=50, seed=3) == builtin_items[:50]
    assert synthesize("desktop", n=50, seed=3) == desktop_items[:50]
    assert synthesize("desktop", n=50, seed=4) != desktop_items[:50]


@pytest.mark.parametrize("toolkit", ["builtin", "desktop"])
def test_split_is_by_template_and_covers_every_intent(toolkit: str) -> None:
    pool = templates(toolkit)
    assert len(pool) >= 60
    heldout = defaultdict(list)
    for t in pool:
        heldout[t.intent].append(split_of(t.id) == "heldout")
    assert all(any(flags) and not all(flags) for flags in heldout.values()), heldout
    share = sum(split_of(t.id) == "heldout" for t in pool) / len(pool)
    assert 0.12 <= share <= 0.3
    items = synthesize(toolkit, n=300, seed=1)
    assert all(i.split == split_of(i.template) for i in items)
    assert {i.template for i in items if i.split == "train"}.isdisjoint({i.template for i in items if i.split == "heldout"})


async def test_builtin_answers_match_running_the_plan(builtin_items: list[SynthItem]) -> None:
    """Run gold plans through `Agent`: every number a tool returned is in the answer,
    and a `join($K)` plan's direct answer is the answer's figure."""
    tools = runnable_tools()
    for item in builtin_items[:80]:
        llm = ScriptedLLM([item.plan, "Thought: done.\nAction: Finish(done)"])
        result = await Agent(llm, tools, max_replans=0).arun(item.question)
        assert all(t.status == "done" for t in result.trace.tasks), item
        for task in result.trace.tasks:
            if isinstance(task.observation, (int, float)):
                assert number(task.observation) in item.answer, (item.plan, item.answer)
        if "join($" in item.plan:
            assert number(float(result.answer)) in item.answer
            assert item.result == number(float(result.answer))
            assert holds_results(item, result.answer)  # the gold plan's own answer is judged right
        else:
            assert item.result is None


async def test_joiner_pairs_parse_and_match_the_agent() -> None:
    items = synthesize("builtin", n=60, seed=5)
    pairs = await joiner_pairs(items, seed=0)
    assert len(pairs) >= 20
    decisions = [parse_decision(p.completion) for p in pairs]
    assert any(isinstance(d, Replan) for d in decisions) and any(isinstance(d, Finish) for d in decisions)
    by_question = {i.question: i for i in items}
    for pair, decision in zip(pairs, decisions):
        assert pair.messages[0].role == "system" and pair.messages[1].role == "user"
        question = next(q for q in by_question if q in pair.messages[1].content)
        item = by_question[question]
        assert (pair.template, pair.split) == (item.template, item.split)
        if isinstance(decision, Finish) and "Error" not in pair.messages[1].content:
            assert decision.answer == item.answer
        if isinstance(decision, Replan):
            assert "Error" in pair.messages[1].content
    # passages name a fixed folder, not the random one they were read from: the pairs of a seed are the same every run
    searched = [p.messages[1].content for p in pairs if "search_documents(" in p.messages[1].content]
    assert searched and all(NOTES_SHOWN_AS in s and str(notes_folder()) not in s for s in searched)
