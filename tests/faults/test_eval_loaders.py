"""Hostile eval data files: every fault is an `EvalDataError` naming the file, the line and the field.

Deep nesting used to raise `RecursionError`, a Latin-1 file `UnicodeDecodeError`,
and wrong-shaped `calls`/`arguments`/`tools` raw `AttributeError`/`TypeError`
tracebacks from inside the loaders.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentc.evals.errors import EvalDataError
from agentc.evals.loaders import load_items
from agentc.evals.scripted import replay

TOOLS = [{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "string"}}}}]
GOOD = {"query": "q", "tools": TOOLS, "calls": [{"name": "f", "arguments": {"x": "a"}}]}


def _write(tmp_path: Path, *records: object, name: str = "set.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def test_100k_deep_nesting_names_the_line_and_field(tmp_path: Path) -> None:
    deep = '{"query": "q", "tools": [], "calls": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = _write(tmp_path, GOOD, deep)
    with pytest.raises(EvalDataError, match=r"set\.jsonl line 2, field 'calls' nests .* more than 64 levels"):
        load_items(path)


def test_nesting_that_json_reads_but_the_loader_would_recurse_on_is_refused(tmp_path: Path) -> None:
    value: object = "x"
    for _ in range(900):
        value = [value]
    path = _write(tmp_path, {**GOOD, "calls": [{"name": "f", "arguments": {"x": value}}]})
    with pytest.raises(EvalDataError, match=r"line 1, field 'calls' nests"):
        load_items(path)


def test_a_latin1_line_is_named_with_a_way_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    good = json.dumps(GOOD).encode()
    bad = json.dumps({**GOOD, "query": "Café au lait"}, ensure_ascii=False).encode("latin-1")
    path.write_bytes(good + b"\n" + bad + b"\n")
    with pytest.raises(EvalDataError, match=r"latin\.jsonl line 2 is not UTF-8 \(byte 0xe9 at column \d+\).*iconv"):
        load_items(path)


def test_an_integer_too_long_to_read_is_a_data_error(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"query": "q", "tools": [], "calls": [], "n": ' + "9" * 5000 + "}")
    with pytest.raises(EvalDataError, match=r"set\.jsonl line 1 cannot be read"):
        load_items(path)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"calls": "f(x='a')"}, "calls"),
        ({"calls": [1]}, "calls"),
        ({"calls": [{"name": "f", "arguments": ["a"]}]}, "arguments"),
        ({"calls": [{"name": "f", "arguments": "x=a"}]}, "arguments"),
        ({"calls": [{"name": ["f"], "arguments": {}}]}, "name"),
        ({"calls": [{"name": "f", "arguments": {}, "deps": "1"}]}, "deps"),
        ({"calls": [{"name": "f", "arguments": {}, "deps": [[1]]}]}, "deps"),
        ({"tools": 5}, "tools"),
        ({"tools": [5]}, "tools"),
        ({"tools": [{"name": 5}]}, "name"),
        ({"tools": [{"name": "f", "parameters": "x"}]}, "parameters"),
        ({"query": ["q"]}, "query"),
    ],
)
def test_wrong_shapes_in_our_format_name_the_line_and_field(tmp_path: Path, change: dict, field: str) -> None:
    path = _write(tmp_path, GOOD, {**GOOD, **change})
    with pytest.raises(EvalDataError) as caught:
        load_items(path)
    message = str(caught.value)
    assert "set.jsonl line 2" in message and f"field {field!r}" in message, message


def test_wrong_shapes_in_bfcl_and_seal_tools_name_the_line_and_field(tmp_path: Path) -> None:
    bfcl = tmp_path / "bfcl"
    (bfcl / "possible_answer").mkdir(parents=True)
    question = {"id": "simple_0", "question": [[{"role": "user", "content": "q"}]], "function": TOOLS}
    _write(bfcl, {**question, "function": {"name": "f"}}, name="BFCL_v4_simple.json")
    _write(bfcl / "possible_answer", {"id": "simple_0", "ground_truth": [{"f": {"x": ["a"]}}]}, name="BFCL_v4_simple.json")
    with pytest.raises(EvalDataError, match=r"BFCL_v4_simple\.json line 1, field 'function' must be a list"):
        load_items(bfcl)
    _write(bfcl, question, name="BFCL_v4_simple.json")
    _write(bfcl / "possible_answer", {"id": "simple_0", "ground_truth": {"f": {"x": ["a"]}}}, name="BFCL_v4_simple.json")
    with pytest.raises(EvalDataError, match=r"possible_answer/BFCL_v4_simple\.json line 1, field 'ground_truth' must be a list"):
        load_items(bfcl)

    seal = tmp_path / "seal"
    seal.mkdir()
    _write(seal, {"api_name": "f", "parameters": ["x"]}, name="tool.jsonl")
    _write(seal, {"id": "dev-easy-0", "query": "q", "calling": []}, name="dev.jsonl")
    with pytest.raises(EvalDataError, match=r"tool\.jsonl line 1, field 'parameters' must be an object"):
        load_items(seal)
    _write(seal, {"api_name": "f", "parameters": {}}, name="tool.jsonl")
    _write(seal, {"id": "dev-easy-0", "query": "q", "calling": [{"api": "f", "parameters": "x=1"}]}, name="dev.jsonl")
    with pytest.raises(EvalDataError, match=r"dev\.jsonl line 1, field 'calling', entry 1, field 'parameters' must be an object"):
        load_items(seal)


def test_a_plans_file_with_a_latin1_line_or_a_list_plan_is_a_data_error(tmp_path: Path) -> None:
    plans = tmp_path / "plans.jsonl"
    plans.write_bytes(b'{"id": "a", "plan": "1. f()"}\n{"id": "b", "plan": "caf\xe9"}\n')
    with pytest.raises(EvalDataError, match=r"plans\.jsonl line 2 is not UTF-8"):
        replay(plans)
    plans.write_text('{"id": "a", "plan": ["1. f()"]}\n', encoding="utf-8")
    with pytest.raises(EvalDataError, match=r"plans\.jsonl line 1 must be"):
        replay(plans)


def test_web_task_files_with_deep_nesting_or_latin1_are_task_load_errors(tmp_path: Path) -> None:
    from agentc.envs.web.tasks import TaskLoadError, load_tasks

    deep = tmp_path / "deep.json"
    deep.write_text('{"task_id": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(TaskLoadError, match=r"deep\.json, config: nests lists or objects too deeply"):
        load_tasks(deep, {})
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"task_id": 1}\n{"intent": "caf\xe9"}\n')
    with pytest.raises(TaskLoadError, match=r"latin\.jsonl, line 2: not UTF-8"):
        load_tasks(latin, {})
