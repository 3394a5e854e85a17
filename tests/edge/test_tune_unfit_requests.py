"""Unfit requests: a training question offered only close tools of other
items, planned as join() alone; a tool that may answer it is never offered."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentc.edge.tune.public_sets import checked_plan, prepare, public_items, split_of
from agentc.edge.tune.unfit_requests import unfit_requests
from agentc.evals.items import EvalItem, GoldCall, function_name
from agentc.parser import numbered_plan
from agentc.retrieval.encoder import SentenceEncoder
from agentc.tools.schema import tool_from_schema

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(cache=False)


def _item(key: str, question: str, name: str, description: str, param: str, value: object) -> tuple:
    schema = {
        "name": name,
        "description": description,
        "parameters": {"type": "object", "properties": {param: {"type": "number"}}, "required": [param]},
    }
    item = EvalItem(key, "simple_python", question, (schema,), (GoldCall(name, {param: value}),), "bfcl")
    tools = [tool_from_schema(schema)]
    return item, tools, checked_plan(item, tools)


def test_a_tool_that_answers_the_question_under_another_name_is_never_offered(encoder: SentenceEncoder) -> None:
    own = _item("a", "What is the area of a circle with a radius of 5?", "geometry.area_circle",
                "Calculate the area of a circle given its radius.", "radius", 5)
    twin = _item("b", "How big is a round table of radius 2 metres?", "calc_circle_area",
                 "Compute the area of a circle from its radius.", "radius", 2)
    far = _item("d", "Who wrote Hamlet?", "books.author_of", "Find the author of a book.", "title", "Hamlet")
    made = unfit_requests([own, twin, far], 3, seed=0, encoder=encoder)
    offered = {item.question: {tool.name for tool in tools} for item, tools, _ in made}
    asked = offered["What is the area of a circle with a radius of 5?"]
    assert "calc_circle_area" not in asked and "geometry_area_circle" not in asked
    assert asked == {"books_author_of"}  # the closest tool that cannot answer it
    for item, tools, plan in made:
        assert plan == numbered_plan([]) and item.category == "unfit" and not item.calls
        assert 1 <= len(tools) <= 2


def test_unfit_requests_of_public_items_offer_other_items_tools_and_plan_no_call(encoder: SentenceEncoder) -> None:
    items = [i for i in public_items(DATA) if i.category in ("simple_python", "multiple")][:200]
    prepared = [entry for entry in map(prepare, items) if entry is not None and split_of(entry[0].key) == "train"]
    made = unfit_requests(prepared, 60, seed=3, encoder=encoder)
    assert len(made) == 60
    own = {item.question: item.calls[0].name for item, _, _ in prepared if len(item.calls) == 1}
    for item, tools, plan in made:
        assert plan == numbered_plan([]) and item.category == "unfit" and not item.calls
        assert 1 <= len(tools) <= 2
        assert own[item.question] not in {function_name(f) for f in item.functions}
    again = unfit_requests(prepared, 60, seed=3, encoder=encoder)
    assert [(i.question, i.functions) for i, _, _ in again] == [(i.question, i.functions) for i, _, _ in made]
