"""Planner pairs from the public sets: validation items never trained on,
and the value-swapped, listed and combined items made from training items only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentc.checks import PlanChecker
from agentc.edge.tune.public_growth import combined_requests, listed_combined_requests, listed_requests, value_swaps
from agentc.edge.tune.made_up_joiner import UNRUN_ANSWER
from agentc.edge.tune.public_sets import checked_plan, prepare, public_items, public_pairs, split_of
from agentc.evals.items import EvalItem
from agentc.parser import parse_plan
from agentc.tools.schema import tool_from_schema

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


@pytest.fixture(scope="module")
def items() -> list[EvalItem]:
    return [i for i in public_items(DATA) if i.category in ("simple_python", "parallel", "multiple")][:240]


def _prepared(items: list[EvalItem]) -> list[tuple[EvalItem, list, str]]:
    return [entry for entry in map(prepare, items) if entry is not None and split_of(entry[0].key) == "train"]


def _passes_checks(plan: str, tools: list) -> bool:
    checker = PlanChecker(tools)
    for call in parse_plan(plan):
        checker.check(call)
    return True


def test_swapped_items_change_values_in_question_and_plan_alike(items: list[EvalItem]) -> None:
    prepared = _prepared(items)
    swapped = value_swaps(prepared, 2, seed=0)
    originals = {item.id: (item, plan) for item, _, plan in prepared}
    assert len(swapped) > len(prepared)  # most items share values with their question
    shown_in_question = 0
    for item, tools, plan in swapped:
        original, original_plan = originals[item.id.split("~")[0]]
        assert item.question != original.question and plan != original_plan
        assert _passes_checks(plan, tools)
        new_values = _literals(plan) - _literals(original_plan)
        shown_in_question += any(value.lower() in item.question.lower() for value in new_values)
    # a swapped value is the question's (the rest swap a value the plan holds twice, e.g. 7 -> 6 beside a 6)
    assert shown_in_question >= 0.9 * len(swapped)


def _literals(plan: str) -> set[str]:
    values: list = [v for call in parse_plan(plan) for v in dict(call.keywords).values()]
    flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
    return {str(x) for x in flat if isinstance(x, (int, float, str))}


def test_combined_requests_ask_two_or_three_items_with_all_their_calls(items: list[EvalItem]) -> None:
    prepared = _prepared(items)
    combined = combined_requests(prepared, 30, seed=1)
    by_id = {item.id: item for item, _, _ in prepared}
    assert len(combined) == 30
    for item in combined:
        parts = [by_id[part] for part in item.id.split("+")]
        assert 2 <= len(parts) <= 3
        assert list(item.calls) == [call for part in parts for call in part.calls]
        assert all(part.question.rstrip(".?!")[-20:] in item.question for part in parts)
        tools = [tool_from_schema(f) for f in item.functions]
        plan = checked_plan(item, tools)
        assert plan is not None and len(parse_plan(plan)) == len(item.calls) and "join()" in plan


def test_listed_requests_plan_a_call_for_each_value_of_one_call_items(items: list[EvalItem]) -> None:
    prepared = _prepared(items)
    listed = listed_requests(prepared, 1, seed=0)
    by_id = {item.id: (item, plan) for item, _, plan in prepared}
    assert len(listed) >= len([p for p in prepared if len(p[0].calls) == 1]) // 3
    for item, tools, plan in listed:
        source, source_plan = by_id[item.id.split("*")[0]]
        assert item.category == "listed" and len(source.calls) == 1
        calls = parse_plan(plan)
        assert 2 <= len(calls) <= 3 and _passes_checks(plan, tools)
        assert calls[0].tool == parse_plan(source_plan)[0].tool and all(c.tool == calls[0].tool for c in calls)
        assert " and " in item.question and item.question != source.question


def test_listed_combined_requests_ask_a_listed_request_beside_other_items(items: list[EvalItem]) -> None:
    prepared = _prepared(items)
    listed = listed_requests(prepared, 1, seed=0)
    made = listed_combined_requests(listed, prepared, 20, seed=1)
    entries = {item.id: (item, plan) for item, _, plan in prepared + listed}
    assert len(made) == 20
    places = set()
    for item, tools, plan in made:
        ids = item.id.split("+")
        assert 2 <= len(ids) <= 3 and item.category == "combined"
        assert len([i for i in ids if "*" in i]) == 1  # exactly one listed request
        places.add(next(n for n, i in enumerate(ids) if "*" in i))
        parts = [entries[i] for i in ids]
        calls = [(c.tool, c.positional, c.keywords) for c in parse_plan(plan)]
        assert calls == [(c.tool, c.positional, c.keywords) for _, part in parts for c in parse_plan(part)]
        assert plan.splitlines()[-2] == f"{len(parse_plan(plan)) + 1}. join()" and _passes_checks(plan, tools)
        assert all(part.question.strip().rstrip(".?!")[-20:] in item.question for part, _ in parts)
        assert len({t.name for t in tools}) == len(tools)
    assert places == {0, 1, 2}  # the listed request is asked first, second or third


def test_grown_pairs_come_from_training_items_only(items: list[EvalItem]) -> None:
    pairs = public_pairs(items, renderings=1, swaps=1, combined=10, listed=1, listed_combined=5, seed=0)
    trained = {item.id for item in items if split_of(item.key) == "train"}
    swapped = [p for p in pairs if p.source.endswith("/swapped")]
    listed = [p for p in pairs if p.source.endswith("/listed")]
    combined = [p for p in pairs if p.source.endswith("/combined") and "*" not in p.key]
    listed_combined = [p for p in pairs if p.source.endswith("/combined") and "*" in p.key]
    assert swapped and listed and len(combined) == 10 and len(listed_combined) == 5
    assert all(p.split == "train" for p in swapped + listed + combined + listed_combined)
    assert all(p.key.split("/", 1)[1].split("~")[0] in trained for p in swapped)
    assert all(p.key.split("/", 1)[1].split("*")[0] in trained for p in listed)
    assert all(set(p.key.split("/", 1)[1].split("+")) <= trained for p in combined)
    assert all({i.split("*")[0] for i in p.key.split("/", 1)[1].split("+")} <= trained for p in listed_combined)
    validation = [p for p in pairs if p.split == "validation"]
    assert validation and all(split_of(p.key) == "validation" for p in validation)


def test_joiner_pairs_restate_every_result_or_name_the_failed_call(items: list[EvalItem]) -> None:
    pairs = public_pairs(items, renderings=0, joiner=120, seed=0)
    joined = [p for p in pairs if p.role == "joiner"]
    assert {p.split for p in joined} == {"train", "validation"}
    assert all(split_of(p.key.split("/", 2)[2]) == p.split for p in joined)
    finished = failed = unrun = 0
    for pair in joined:
        results = pair.messages[-1].content.split("Plan and results:", 1)[1]
        observations = [
            line.removeprefix("Observation: ") for line in results.splitlines() if line.startswith("Observation: ")
        ]
        assert pair.completion.startswith("Thought: ")
        action = pair.completion.split("\nAction: ", 1)[1]
        if not observations:
            # nothing ran: ask for the calls, or say so, never a made-up figure
            unrun += 1
            assert "(no tasks were run)" in results
            assert action.startswith("Replan(call ") or action == f"Finish({UNRUN_ANSWER})"
            continue
        errors = [o for o in observations if o.startswith("Error: ")]
        if errors:
            failed += 1
            assert action.startswith(("Replan(", "Finish(I could not get "))
            assert errors[0].split(": ", 2)[2] in pair.completion
            continue
        finished += 1
        assert action.startswith("Finish(")
        # every result's figures and words are in the answer
        for observation in observations:
            for part in re.findall(r"-?\d+(?:\.\d+)?|[a-z][a-z ]+[a-z]", observation):
                if part not in ("status",):
                    assert part in action, (part, pair.completion)
    assert finished > 2 * failed > 0 and unrun > 0
