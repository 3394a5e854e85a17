"""Every item of the shipped BFCL and Seal-Tools files loads, and every
gold plan, sent through the planner pipeline, passes its checker.

The files are the complete ones from ../shared/data, committed gzipped in
tests/data/evals/shipped/ and unpacked for the session (see conftest).
Running the gold plans is what shows loaders, schemas (`tool_from_schema`),
the plan parser and checks, and the checkers agree with each other on
1,940 real items.
"""

from __future__ import annotations

from collections import Counter

from agentc.evals.loaders import load_items
from agentc.evals.runner import EvalOptions, evaluate
from agentc.evals.scripted import oracle

GOLD_CONTRADICTS_SCHEMA = {
    # a gold value of a type the function's own schema rules out, so no checked plan can hold it
    "parallel_multiple/parallel_multiple_21": "x=\"data['sales']\" (a variable name) for an array",
    "parallel_multiple/parallel_multiple_94": "string elements for an array of integers",
    "seal_tools_difficult/dev-difficult-215": 'average_purchase_frequency="per month" for a float',
    "seal_tools_difficult/dev-difficult-325": "position1=[0, 0, 0] for a float",
    "seal_tools_difficult/dev-difficult-664": "position1=[0, 0, 0] for a float",
    "seal_tools_difficult/dev-difficult-676": 'average_purchase_frequency="per month" for a float',
}


def test_every_shipped_item_loads(shipped):
    bfcl = load_items(shipped / "bfcl")
    seal = load_items(shipped / "seal_tools")
    assert Counter(i.category for i in bfcl) == {
        "simple_python": 400, "multiple": 200, "parallel": 200, "parallel_multiple": 200, "irrelevance": 240,
    }
    assert Counter(i.category for i in seal) == {"seal_tools_easy": 200, "seal_tools_difficult": 500}
    assert all(i.calls for i in bfcl + seal if i.category != "irrelevance")
    assert not any(i.calls for i in bfcl if i.category == "irrelevance")
    assert len({i.key for i in bfcl + seal}) == 1940
    dependent = [i for i in seal if any(c.deps for c in i.calls)]
    assert len(dependent) == 28 and all(i.category == "seal_tools_difficult" for i in dependent)


async def test_every_gold_plan_passes_but_where_gold_contradicts_schema(shipped):
    items = load_items(shipped / "bfcl") + load_items(shipped / "seal_tools")
    found = await evaluate(items, oracle, EvalOptions(), llm_label="gold plans")
    failed = {r.key: r for r in found if not r.passed}
    assert set(failed) == set(GOLD_CONTRADICTS_SCHEMA)
    assert all(r.reason == "invalid plan" for r in failed.values())
    assert all(r.dag_match for r in found if r.passed)
    assert sum(r.passed for r in found) == 1940 - 6
