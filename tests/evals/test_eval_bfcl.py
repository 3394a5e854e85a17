"""BFCL's AST check on real BFCL items (tests/data/evals/bfcl), each plan
going through the real pipeline: a right answer passes, each kind of wrong
answer fails with its reason.

The expected outcomes were worked out by hand from BFCL's published rules
(bfcl_eval/eval_checker/ast_eval/ast_checker.py) and the items' gold
answers, which are quoted beside each case.
"""

from __future__ import annotations

import pytest

from agentc.evals.bfcl import check_bfcl, normalise
from agentc.evals.items import Call

END = "<END_OF_PLAN>"


async def test_right_answer_passes_and_optional_param_may_be_left_out(bfcl_items, score_plan):
    # simple_python_0 gold: base [10], height [5], unit ["units", ""]
    item = bfcl_items["simple_python_0"]
    plain = await score_plan(item, f"1. calculate_triangle_area(base=10, height=5)\n2. join()\n{END}")
    assert plain.verdict.passed and plain.dag_match
    with_unit = await score_plan(item, f'1. calculate_triangle_area(base=10, height=5, unit="units")\n2. join()\n{END}')
    assert with_unit.verdict.passed


async def test_strings_compare_after_bfcl_normalisation(bfcl_items, score_plan):
    item = bfcl_items["simple_python_0"]
    for unit in ("Units", "UNITS.", "u-n_i ts"):
        scored = await score_plan(item, f'1. calculate_triangle_area(base=10, height=5, unit="{unit}")\n2. join()\n{END}')
        assert scored.verdict.passed, unit
    wrong = await score_plan(item, f'1. calculate_triangle_area(base=10, height=5, unit="meters")\n2. join()\n{END}')
    assert wrong.verdict.reason == "wrong value" and "unit" in wrong.verdict.detail
    assert normalise("April 1, 2024") == normalise("april 1,2024") == "april12024"
    assert normalise("it's") == 'it"s'


async def test_wrong_value_and_wrong_type(bfcl_items, score_plan):
    item = bfcl_items["simple_python_0"]
    value = await score_plan(item, f"1. calculate_triangle_area(base=12, height=5)\n2. join()\n{END}")
    assert value.verdict.reason == "wrong value" and "base=12" in value.verdict.detail
    # 10.0 fits the tool's int field (pydantic's lax mode), but BFCL wants an int for "integer"
    typed = await score_plan(item, f"1. calculate_triangle_area(base=10.0, height=5)\n2. join()\n{END}")
    assert typed.verdict.reason == "wrong type" and "expected integer" in typed.verdict.detail


async def test_int_is_accepted_for_float(bfcl_items, score_plan):
    # simple_python_14 gold: x_value ["", 0.0]; simple_python_28 gold: acceleration [9.8]
    derivative = bfcl_items["simple_python_14"]
    scored = await score_plan(derivative, f'1. calculate_derivative(function="3x**2 + 2x - 1", x_value=0)\n2. join()\n{END}')
    assert scored.verdict.passed
    displacement = bfcl_items["simple_python_28"]
    right = await score_plan(displacement, f"1. calculate_displacement(initial_velocity=10, time=5, acceleration=9.8)\n2. join()\n{END}")
    assert right.verdict.passed
    rounded = await score_plan(displacement, f"1. calculate_displacement(initial_velocity=10, time=5, acceleration=10)\n2. join()\n{END}")
    assert rounded.verdict.reason == "wrong value"


async def test_optional_param_left_out_where_gold_needs_it_is_missing(bfcl_items, score_plan):
    # acceleration is optional in the schema, but its allowed values [9.8] hold no ""
    item = bfcl_items["simple_python_28"]
    scored = await score_plan(item, f"1. calculate_displacement(initial_velocity=10, time=5)\n2. join()\n{END}")
    assert scored.verdict.reason == "missing param" and "acceleration" in scored.verdict.detail


async def test_wrong_function_among_several(bfcl_items, score_plan):
    # multiple_0: triangle_properties.get is right, circle_properties.get is wrong
    item = bfcl_items["multiple_0"]
    right = await score_plan(item, f"1. triangle_properties_get(side1=5, side2=4, side3=3)\n2. join()\n{END}")
    assert right.verdict.passed
    wrong = await score_plan(item, f"1. circle_properties_get(radius=5)\n2. join()\n{END}")
    assert wrong.verdict.reason == "wrong name" and "triangle_properties.get" in wrong.verdict.detail


async def test_dict_values_check_each_key(bfcl_items, score_plan):
    # multiple_8 gold: location in ["SD", "San Diego", "San Diego, CA", "CA"], budget {"min": [300000], "max": [400000]}
    item = bfcl_items["multiple_8"]
    call = 'realestate_find_properties(location="San Diego, CA", propertyType="villa", bedrooms=3, budget=BUDGET)'
    plan = f"1. {call}\n2. join()\n{END}"
    right = await score_plan(item, plan.replace("BUDGET", '{"min": 300000, "max": 400000.0}'))
    assert right.verdict.passed
    short = await score_plan(item, plan.replace("BUDGET", '{"min": 300000}'))
    assert short.verdict.reason == "wrong value" and "budget" in short.verdict.detail


async def test_parallel_calls_match_in_any_order_and_count_must_match(bfcl_items, score_plan):
    # parallel_0 gold: spotify.play(Taylor Swift, 20) and spotify.play(Maroon 5, 15)
    item = bfcl_items["parallel_0"]
    a = 'spotify_play(artist="Taylor Swift", duration=20)'
    b = 'spotify_play(artist="Maroon 5", duration=15)'
    for plan in (f"1. {a}\n2. {b}\n3. join()\n{END}", f"1. {b}\n2. {a}\n3. join()\n{END}"):
        scored = await score_plan(item, plan)
        assert scored.verdict.passed and scored.dag_match
    one = await score_plan(item, f"1. {a}\n2. join()\n{END}")
    assert one.verdict.reason == "bad count" and "1 call(s) made, 2 expected" in one.verdict.detail
    swapped = await score_plan(item, f'1. {a}\n2. spotify_play(artist="Maroon 5", duration=20)\n3. join()\n{END}')
    assert swapped.verdict.reason == "wrong value"


async def test_a_reference_is_a_wrong_value_and_a_wrong_dag(bfcl_items, score_plan):
    item = bfcl_items["parallel_0"]
    plan = f'1. spotify_play(artist="Taylor Swift", duration=20)\n2. spotify_play(artist="Maroon 5", duration=$1)\n3. join()\n{END}'
    scored = await score_plan(item, plan)
    assert scored.verdict.reason == "wrong value" and "$1" in scored.verdict.detail
    assert not scored.dag_match


async def test_lists_and_tuples(bfcl_items, score_plan):
    # parallel_multiple_0 gold: multiples [[3, 5]], count [5]
    item = bfcl_items["parallel_multiple_0"]
    second = "2. math_toolkit_product_of_primes(count=5)"
    right = await score_plan(item, f"1. math_toolkit_sum_of_multiples(lower_limit=1, upper_limit=1000, multiples=[3, 5])\n{second}\n3. join()\n{END}")
    assert right.verdict.passed
    order = await score_plan(item, f"1. math_toolkit_sum_of_multiples(lower_limit=1, upper_limit=1000, multiples=[5, 3])\n{second}\n3. join()\n{END}")
    assert order.verdict.reason == "wrong value"
    # a tuple fits the tool's list field, but BFCL wants a list for "array"
    tupled = await score_plan(item, f"1. math_toolkit_sum_of_multiples(lower_limit=1, upper_limit=1000, multiples=(3, 5))\n{second}\n3. join()\n{END}")
    assert tupled.verdict.reason == "wrong type"


async def test_parameter_outside_the_gold_answer_is_unexpected(bfcl_items, score_plan):
    # parallel_multiple_75: the Rook Corner call's gold has no "event" (the Knight Gambit one allows "null")
    item = bfcl_items["parallel_multiple_75"]
    route = "route_planner_calculate_route"
    club = "chess_club_details_find"
    calls = [
        f'{route}(start="New York", destination="Boston", method="fastest")',
        f'{club}(name="Knight Gambit", city="Boston")',
        f'{route}(start="Boston", destination="Philadelphia")',
        f'{club}(name="Rook Corner", city="Philadelphia")',
        f'{route}(start="Philadelphia", destination="New York", method="shortest")',
    ]
    plan = "\n".join(f"{n}. {c}" for n, c in enumerate(calls, start=1)) + f"\n6. join()\n{END}"
    assert (await score_plan(item, plan)).verdict.passed
    extra = plan.replace('city="Philadelphia")', 'city="Philadelphia", event="null")')
    scored = await score_plan(item, extra)
    assert scored.verdict.reason == "unexpected param" and "'event'" in scored.verdict.detail


async def test_irrelevance_passes_only_without_calls(bfcl_items, score_plan):
    item = bfcl_items["irrelevance_0"]
    assert (await score_plan(item, f"1. join()\n{END}")).verdict.passed
    called = await score_plan(item, f"1. determine_body_mass_index(weight=70, height=1.8)\n2. join()\n{END}")
    assert called.verdict.reason == "bad count"


async def test_a_plan_the_checker_rejects_is_an_invalid_plan(bfcl_items, score_plan):
    item = bfcl_items["simple_python_0"]
    unknown = await score_plan(item, f"1. triangle_area(base=10, height=5)\n2. join()\n{END}")
    assert unknown.verdict.reason == "invalid plan" and "unknown tool 'triangle_area'" in unknown.verdict.detail
    missing = await score_plan(item, f"1. calculate_triangle_area(base=10)\n2. join()\n{END}")
    assert missing.verdict.reason == "invalid plan" and "height" in missing.verdict.detail
    prose = await score_plan(item, "The area is 25.")
    assert prose.verdict.reason == "invalid plan" and not prose.dag_match


@pytest.mark.parametrize(
    ("value", "passes"),
    [("Taylor Swift", True), ("taylor swift", True), ("Taylor-Swift", True), ("Taylor", False)],
)
def test_checker_alone_on_calls(bfcl_items, value, passes):
    item = bfcl_items["parallel_0"]
    calls = [Call(1, "spotify.play", {"artist": "Maroon 5", "duration": 15}), Call(2, "spotify.play", {"artist": value, "duration": 20})]
    assert check_bfcl(item, calls).passed is passes
