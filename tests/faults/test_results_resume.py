"""A results file whose last line a kill cut short: the run resumes, keeping every finished item.

Before, `agentc eval fc --results` and `agentc eval web` refused such a file
("use another --out"), so one kill mid-write lost the whole run's results.
A bad line in the middle is still an error naming the line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.cli import app
from agentc.evals.errors import EvalDataError
from agentc.evals.results import ResultsFile

DATA = Path(__file__).resolve().parents[1] / "data" / "evals"


def _tear(path: Path, keep_of_last: float = 0.5) -> bytes:
    """Cut the file inside its last line, as a kill during the write leaves it; return the torn part."""
    data = path.read_bytes()
    start = data.rstrip(b"\n").rfind(b"\n") + 1
    torn = data[start : start + int((len(data) - start) * keep_of_last)]
    path.write_bytes(data[:start] + torn)
    return torn


def _fc(*args: str):
    return CliRunner().invoke(app, ["eval", "fc", "--data", str(DATA / "bfcl"), "--llm", "scripted", *args])


def test_eval_fc_resumes_after_a_torn_last_line(tmp_path: Path) -> None:
    results = tmp_path / "run.jsonl"
    first = _fc("--results", str(results))
    assert first.exit_code == 0, first.output
    whole = results.read_text(encoding="utf-8").splitlines()
    _tear(results)
    again = _fc("--results", str(results))
    assert again.exit_code == 0, again.output
    assert "was cut short" in " ".join(again.output.split())
    lines = results.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["key"] for line in lines] == [json.loads(line)["key"] for line in whole]


def test_a_cut_inside_a_multibyte_character_is_a_torn_line_too(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    setup = {"llm": "x"}
    good = {"key": "a/1", "id": "1", "category": "a", "rules": "exact", "passed": True, "reason": None, "detail": "",
            "valid_plan": True, "dag_match": True, "counts": {}, "plan": "", "calls": [], "seconds": 0.1, "setup": setup}
    torn = json.dumps({**good, "key": "a/2", "detail": "café"}, ensure_ascii=False).encode()
    path.write_bytes(json.dumps(good).encode() + b"\n" + torn[: torn.index("é".encode()) + 1])
    store = ResultsFile(path, setup)
    assert list(store.load()) == ["a/1"] and store.repaired
    store.append(store.load()["a/1"])
    assert [json.loads(line)["key"] for line in path.read_text(encoding="utf-8").splitlines()] == ["a/1", "a/1"]


def test_a_bad_line_in_the_middle_is_still_an_error_naming_it(tmp_path: Path) -> None:
    results = tmp_path / "run.jsonl"
    assert _fc("--results", str(results)).exit_code == 0
    lines = results.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][: len(lines[2]) // 2]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match=r"run\.jsonl line 3 is not a result"):
        ResultsFile(results, json.loads(lines[0])["setup"]).load()
    again = _fc("--results", str(results))
    assert again.exit_code == 1 and "line 3 is not a result" in again.output


def test_eval_web_resumes_after_a_torn_last_line(tmp_path: Path) -> None:
    out = tmp_path / "web"
    args = ["eval", "web", "--agent", "oracle", "--limit", "2", "--out", str(out)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    keys = [json.loads(line)["key"] for line in (out / "results.jsonl").read_text().splitlines()]
    _tear(out / "results.jsonl")
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "1 already in" in again.output
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert sorted(line["key"] for line in lines) == sorted(keys) and all(line["passed"] for line in lines)


def test_eval_retrieval_writes_each_method_as_it_finishes(tmp_path: Path) -> None:
    from agentc.evals.retrieval.cli import retrieval_app

    tools, queries = tmp_path / "tools.jsonl", tmp_path / "queries.jsonl"
    names = ["get_weather", "send_email", "book_flight", "convert_currency"]
    tools.write_text("".join(json.dumps({"name": n, "description": n.replace("_", " ")}) + "\n" for n in names))
    asks = [f"please {n.replace('_', ' ')} number {i}" for n in names for i in range(5)]
    queries.write_text("".join(json.dumps({"query": q, "tools": ["_".join(q.split()[1:3])]}) + "\n" for q in asks))
    results = tmp_path / "scores.jsonl"
    args = ["--tools", str(tools), "--queries", str(queries), "--method", "bm25", "--k", "1,3", "--results", str(results)]
    outcome = CliRunner().invoke(retrieval_app, args)
    assert outcome.exit_code == 0, outcome.output
    (line,) = [json.loads(text) for text in results.read_text().splitlines()]
    assert line["method"] == "bm25" and "recall@1" in line
