"""Seal-Tools' checks, our JSONL format's checks and the DAG metric, on
real Seal-Tools items (tests/data/evals/seal_tools) and our own examples
(tests/data/evals/own.jsonl); expected numbers worked out by hand.
"""

from __future__ import annotations

import pytest

from agentc.evals.dag import same_dag
from agentc.evals.items import Call, GoldCall
from agentc.evals.runner import EvalOptions, evaluate
from agentc.evals.summary import summarise
from agentc.llm import ScriptedLLM

END = "<END_OF_PLAN>"
PLANTING = 'getPlantingInstructions(crop_name="Tomatoes", soil_type="loam")'
SEARCH = 'searchCrop(crop_name="Tomatoes", Growth_stage="flowering", Nutrient_requirements="Phosphorus", Disease_resistance="Bacterial")'


def plan(*calls: str) -> str:
    lines = [f"{n}. {c}" for n, c in enumerate(calls, start=1)]
    return "\n".join(lines + [f"{len(calls) + 1}. join()", END])


async def test_seal_tools_right_plan_passes_in_any_order(seal_items, score_plan):
    # dev-difficult-200: getAvailableResources(location=API_call_1), API_call_1 being searchCrop's output
    item = seal_items["dev-difficult-200"]
    gold_order = await score_plan(item, plan(PLANTING, SEARCH, 'getAvailableResources(location=$2, resource_type="timber")'))
    assert gold_order.verdict.passed and gold_order.dag_match
    other_order = await score_plan(item, plan(SEARCH, PLANTING, 'getAvailableResources(location=$1, resource_type="timber")'))
    assert other_order.verdict.passed and other_order.dag_match


async def test_seal_tools_reference_to_the_wrong_call_is_a_wrong_value(seal_items, score_plan):
    item = seal_items["dev-difficult-200"]
    wrong_source = await score_plan(item, plan(PLANTING, SEARCH, 'getAvailableResources(location=$1, resource_type="timber")'))
    assert wrong_source.verdict.reason == "wrong value" and "location=$1" in wrong_source.verdict.detail
    assert not wrong_source.dag_match
    literal = await score_plan(item, plan(PLANTING, SEARCH, 'getAvailableResources(location="garden", resource_type="timber")'))
    assert literal.verdict.reason == "wrong value" and not literal.dag_match


async def test_seal_tools_each_kind_of_wrong_call(seal_items, score_plan):
    item = seal_items["dev-difficult-200"]
    last = 'getAvailableResources(location=$2, resource_type="timber")'
    missing = await score_plan(item, plan('getPlantingInstructions(crop_name="Tomatoes")', SEARCH, last))
    assert missing.verdict.reason == "missing param" and "soil_type" in missing.verdict.detail
    extra = await score_plan(item, plan('getPlantingInstructions(crop_name="Tomatoes", soil_type="loam", climate_zone="temperate")', SEARCH, last))
    assert extra.verdict.reason == "unexpected param" and "climate_zone" in extra.verdict.detail
    value = await score_plan(item, plan('getPlantingInstructions(crop_name="Tomatoes", soil_type="clay")', SEARCH, last))
    assert value.verdict.reason == "wrong value" and 'soil_type="clay"' in value.verdict.detail
    count = await score_plan(item, plan(PLANTING, SEARCH))
    assert count.verdict.reason == "bad count"
    name = await score_plan(item, plan(PLANTING, 'getPlantingInstructions(crop_name="Tomatoes")', last.replace("$2", "$1")))
    assert name.verdict.reason == "wrong name" and "searchCrop" in name.verdict.detail


async def test_seal_tools_values_compare_as_text_and_templates_by_source(seal_items, score_plan):
    # dev-difficult-207: text="API_call_0 response", rating=4.5
    item = seal_items["dev-difficult-207"]
    review = 'submitReview(restaurant_id="$1 response", review_text="This restaurant exceeded my expectations. The food was delicious and the service was excellent. I would highly recommend it.", rating=RATING)'
    text = plan("getLanguageEvolution()", 'formatText(text="$1 response", style_guide="APA")', review)
    assert (await score_plan(item, text.replace("RATING", "4.5"))).verdict.passed
    # "4.5" fits the float field and has the same text: right by Seal-Tools' rule
    assert (await score_plan(item, text.replace("RATING", '"4.5"'))).verdict.passed
    bare = text.replace('text="$1 response"', "text=$1").replace("RATING", "4.5")
    assert (await score_plan(item, bare)).verdict.reason == "wrong value"


async def test_exact_rules_tell_a_wrong_type_from_a_wrong_value(own_items, score_plan):
    item = own_items["trip-1"]
    find = 'find_flight(origin="Oslo", destination="Rome", date="2025-05-01")'
    assert (await score_plan(item, plan(find, "book_seat(flight_id=$1, seats=2)"))).verdict.passed
    text = await score_plan(item, plan(find, 'book_seat(flight_id=$1, seats="2")'))
    assert text.verdict.reason == "wrong type"
    three = await score_plan(item, plan(find, "book_seat(flight_id=$1, seats=3)"))
    assert three.verdict.reason == "wrong value"
    float_seats = await score_plan(item, plan(find, "book_seat(flight_id=$1, seats=2.0)"))
    assert float_seats.verdict.passed  # 2.0 == 2 as values


async def test_template_argument_in_our_format(own_items, score_plan):
    item = own_items["report-1"]
    right = await score_plan(item, plan('get_sales(month="March")', 'send_email(to="ann@example.com", body="Sales summary: $1")'))
    assert right.verdict.passed and right.dag_match
    no_ref = await score_plan(item, plan('get_sales(month="March")', 'send_email(to="ann@example.com", body="Sales summary")'))
    assert no_ref.verdict.reason == "wrong value" and not no_ref.dag_match
    enum = await score_plan(item, plan('get_sales(month="April")', 'send_email(to="ann@example.com", body="Sales summary: $1")'))
    assert enum.verdict.reason == "invalid plan" and "month" in enum.verdict.detail


async def test_bad_dag_when_values_match_but_dependencies_differ(own_items, score_plan):
    # both reports come from get_weather, so [$1, $1] reads like [$1, $2] value-wise; only the graph differs
    item = own_items["weather-1"]
    weather = ('get_weather(city="Paris")', 'get_weather(city="Tokyo")')
    assert (await score_plan(item, plan(*weather, "warmer(reports=[$1, $2])"))).verdict.passed
    scored = await score_plan(item, plan(*weather, "warmer(reports=[$1, $1])"))
    assert scored.verdict.reason == "bad DAG" and not scored.dag_match


def test_dag_isomorphism_needs_matching_tool_names():
    gold = [GoldCall("a", {}), GoldCall("b", {}), GoldCall("c", {}, (1, 2))]
    renumbered = [Call(7, "b"), Call(3, "a"), Call(9, "c", deps=(3, 7))]
    assert same_dag(renumbered, gold)
    relabelled = [Call(1, "a"), Call(2, "c"), Call(3, "b", deps=(1, 2))]
    assert not same_dag(relabelled, gold)
    chained = [Call(1, "a"), Call(2, "b", deps=(1,)), Call(3, "c", deps=(1, 2))]
    assert not same_dag(chained, gold)


async def test_seal_tools_metrics_are_pooled_over_the_set(seal_items):
    plans = {
        # 1 API right of 1; 1 of 2 parameters right
        "dev-easy-0": plan('getHealthWorkforce(location="country", occupation="doctors")'),
        # 3 APIs right of 3; 5 parameters predicted, all right; 8 gold
        "dev-difficult-200": plan(PLANTING, 'searchCrop(crop_name="Tomatoes")',
                                  'getAvailableResources(location=$2, resource_type="timber")'),
        # not a plan: predicts nothing; 3 gold APIs and 5 gold parameters
        "dev-difficult-207": "I cannot help with that.",
    }
    items = list(seal_items.values())
    found = await evaluate(items, lambda item: ScriptedLLM([plans[item.id]]), EvalOptions(), llm_label="scripted")
    scores = summarise(found).overall
    assert scores.counts.as_tuple() == (4, 4, 7, 6, 7, 15)
    assert scores.api_f1() == pytest.approx({"precision": 1.0, "recall": 0.5714, "f1": 0.7273}, abs=1e-4)
    assert scores.param_f1() == pytest.approx({"precision": 0.8571, "recall": 0.4, "f1": 0.5455}, abs=1e-4)
    assert scores.passed == 0 and scores.valid == 2
    assert [r.reason for r in found] == ["wrong value", "missing param", "invalid plan"]
