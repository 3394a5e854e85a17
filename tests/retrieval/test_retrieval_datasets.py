"""Loaders for MetaTool, Seal-Tools and the plain JSONL format, and the split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentc.retrieval import DatasetError, load_dataset, load_jsonl, load_metatool, load_seal_tools, split_queries

DATA = Path(__file__).resolve().parents[1] / "data" / "retrieval"


def test_metatool_single_tool_queries(metatool) -> None:
    assert len(metatool.tools) == 20
    assert len(metatool.queries) == 400
    assert all(len(e.tools) == 1 for e in metatool.queries)
    weather = next(t for t in metatool.tools if t.name == "WeatherTool")
    assert "weather" in weather.description.lower()


def test_metatool_two_tool_queries_train_on_the_single_ones() -> None:
    multi = load_dataset(DATA / "metatool", "metatool-multi")
    assert len(multi.queries) == 30
    assert all(len(e.tools) == 2 for e in multi.queries)
    assert len(multi.train_only) == 400
    train, test = split_queries(multi, test_fraction=0.3, seed=0)
    assert len(test) == 9
    assert len(train) == 400 + 21


def test_seal_tools_dev_and_dpr_split_agree() -> None:
    dev = load_seal_tools(DATA / "seal_tools")
    dpr = load_seal_tools(DATA / "seal_tools", queries="dpr")
    assert len(dev.tools) == 40
    assert len(dev.queries) == 12
    assert {(e.query, frozenset(e.tools)) for e in dev.queries} == {(e.query, frozenset(e.tools)) for e in dpr.queries}
    nurses = next(e for e in dev.queries if "nurses" in e.query)
    assert nurses.tools == ("getHealthWorkforce",)
    tool = next(t for t in dev.tools if t.name == "getHealthWorkforce")
    assert tool.parameters["type"] == "object"
    assert set(tool.parameters["required"]) <= set(tool.parameters["properties"])
    assert load_dataset(DATA / "seal_tools").name == "seal-tools"


def test_plain_jsonl_with_catalog_examples(tmp_path: Path) -> None:
    tools = tmp_path / "tools.jsonl"
    queries = tmp_path / "queries.jsonl"
    tools.write_text(
        json.dumps({"name": "get_weather", "description": "Weather of a city.", "examples": ["Is it hot in Rome?"]})
        + "\n"
        + json.dumps({"name": "send_email", "description": "Send an email."})
        + "\n",
        encoding="utf-8",
    )
    queries.write_text(
        json.dumps({"query": "Mail Bob the forecast for Oslo", "tools": ["get_weather", "send_email"]}) + "\n",
        encoding="utf-8",
    )
    dataset = load_jsonl(tools, queries)
    assert [t.name for t in dataset.tools] == ["get_weather", "send_email"]
    assert dataset.queries[0].tools == ("get_weather", "send_email")
    assert dataset.train_only[0].query == "Is it hot in Rome?"
    assert load_dataset(tmp_path).queries == dataset.queries


def test_split_is_by_query_fixed_by_seed_and_disjoint(metatool) -> None:
    train, test = split_queries(metatool, test_fraction=0.3, seed=0)
    again, again_test = split_queries(metatool, test_fraction=0.3, seed=0)
    other_train, other_test = split_queries(metatool, test_fraction=0.3, seed=1)
    assert (train, test) == (again, again_test)
    assert test != other_test
    assert len(test) == 120 and len(train) == 280
    assert not {e.query for e in train} & {e.query for e in test}
    with pytest.raises(DatasetError, match="test fraction"):
        split_queries(metatool, test_fraction=1.0)


def test_errors_name_the_file_and_line(tmp_path: Path) -> None:
    tools = tmp_path / "tools.jsonl"
    queries = tmp_path / "queries.jsonl"
    tools.write_text('{"name": "a", "description": "A."}\n{"name": \n', encoding="utf-8")
    queries.write_text('{"query": "q", "tools": ["a"]}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"tools\.jsonl:2"):
        load_jsonl(tools, queries)
    tools.write_text('{"name": "a", "description": "A."}\n', encoding="utf-8")
    queries.write_text('{"query": "q", "tools": ["b"]}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="'b'|b missing"):
        load_jsonl(tools, queries)
    with pytest.raises(DatasetError, match="cannot tell the format"):
        load_dataset(tmp_path / "..")
    with pytest.raises(DatasetError, match="plugin_des.json does not exist"):
        load_metatool(tmp_path)
