"""The loaders on the copied BFCL and Seal-Tools items and on our own format,
and the errors they give for files they cannot read."""

from __future__ import annotations

import json
import shutil

import pytest

from agentc.evals.errors import EvalDataError
from agentc.evals.loaders import load_items
from agentc.plan import Ref, Template


def test_bfcl_gold_answers_come_from_possible_answer_beside(data_dir, bfcl_items):
    item = bfcl_items["simple_python_0"]
    assert item.category == "simple_python" and item.rules == "bfcl"
    assert item.question == "Find the area of a triangle with a base of 10 units and height of 5 units."
    (gold,) = item.calls
    assert gold.name == "calculate_triangle_area"
    assert gold.allowed == {"base": [10], "height": [5], "unit": ["units", ""]}
    assert gold.arguments == {"base": 10, "height": 5}  # "unit" may be left out, so the right answer leaves it out
    assert bfcl_items["multiple_8"].calls[0].arguments["budget"] == {"min": 300000, "max": 400000}
    assert bfcl_items["irrelevance_0"].calls == ()
    one_file = load_items(data_dir / "bfcl" / "BFCL_v4_parallel.json")
    assert [i.id for i in one_file] == ["parallel_0"] and len(one_file[0].calls) == 2


def test_categories_are_chosen_and_checked(data_dir):
    items = load_items(data_dir / "bfcl", ["parallel", "irrelevance"])
    assert sorted(i.category for i in items) == ["irrelevance", "parallel"]
    with pytest.raises(EvalDataError, match="no category nonsense; its categories are: irrelevance, multiple"):
        load_items(data_dir / "bfcl", ["nonsense"])


def test_seal_tools_calls_map_to_references(seal_items):
    easy = seal_items["dev-easy-0"]
    assert easy.category == "seal_tools_easy" and [f["name"] for f in easy.functions] == ["getHealthWorkforce"]
    planting = seal_items["dev-difficult-200"]
    assert planting.category == "seal_tools_difficult"
    assert [c.name for c in planting.calls] == ["getPlantingInstructions", "searchCrop", "getAvailableResources"]
    # API_call_1 is the second output of searchCrop (call 2)
    assert planting.calls[2].arguments == {"location": Ref(2), "resource_type": "timber"}
    assert planting.calls[2].deps == (2,)
    review = seal_items["dev-difficult-207"]
    assert review.calls[1].arguments["text"] == Template((Ref(1), " response"))
    assert review.calls[2].deps == (1,)


def test_our_jsonl_format(own_items):
    trip = own_items["trip-1"]
    assert trip.category == "travel" and trip.rules == "exact"
    assert trip.calls[1].arguments == {"flight_id": Ref(1), "seats": 2} and trip.calls[1].deps == (1,)
    report = own_items["report-1"]
    assert report.calls[1].arguments["body"] == Template(("Sales summary: ", Ref(1)))
    assert own_items["weather-1"].calls[2].deps == (1, 2)


def test_text_with_a_dollar_sign_stays_text(tmp_path):
    tools = [{"name": "pay", "parameters": {"type": "object", "properties": {"note": {"type": "string"}}}}]
    calls = [{"name": "pay", "arguments": {"note": "costs $5"}}, {"name": "pay", "arguments": {"note": "after $1, ${1}"}}]
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"query": "q", "tools": tools, "calls": calls}) + "\n")
    (item,) = load_items(path)
    assert item.calls[0].arguments["note"] == "costs $5"
    assert item.calls[1].arguments["note"] == Template(("after ", Ref(1), ", ", Ref(1)))


def test_errors_name_the_file_line_and_fix(tmp_path, data_dir):
    with pytest.raises(EvalDataError, match="no data at"):
        load_items(tmp_path / "missing")
    with pytest.raises(EvalDataError, match="holds neither BFCL files"):
        load_items(tmp_path)
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    shutil.copy(data_dir / "bfcl" / "BFCL_v4_parallel.json", lonely)
    with pytest.raises(EvalDataError, match="expected .*possible_answer/BFCL_v4_parallel.json beside it"):
        load_items(lonely)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"query": "q", "tools": [], "calls": []}\n{not json\n')
    with pytest.raises(EvalDataError, match="broken.jsonl line 2 is not JSON"):
        load_items(broken)
    stranger = tmp_path / "stranger.jsonl"
    stranger.write_text('{"prompt": "q"}\n')
    with pytest.raises(EvalDataError, match="cannot tell the format"):
        load_items(stranger)
    later = tmp_path / "later.jsonl"
    tools = [{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "string"}}}}]
    later.write_text(json.dumps({"query": "q", "tools": tools, "calls": [{"name": "f", "arguments": {"x": "$2"}}]}) + "\n")
    with pytest.raises(EvalDataError, match=r"line 1: call 1 depends on \[2\]"):
        load_items(later)
    badtype = tmp_path / "badtype.jsonl"
    badtype.write_text(json.dumps({"query": "q", "tools": [{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "matrix"}}}}], "calls": []}) + "\n")
    with pytest.raises(EvalDataError, match="badtype.jsonl line 1: tool 'f', parameter 'x' uses type 'matrix'"):
        load_items(badtype)


def test_seal_tools_needs_its_tool_file(tmp_path, data_dir):
    shutil.copy(data_dir / "seal_tools" / "dev.jsonl", tmp_path / "dev.jsonl")
    with pytest.raises(EvalDataError, match="no Seal-Tools tool file at .*tool.jsonl"):
        load_items(tmp_path / "dev.jsonl")
