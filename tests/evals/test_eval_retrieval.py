"""`agentc eval retrieval` as the Typer sub-app `retrieval_app`: scores, resume, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.evals.retrieval.cli import retrieval_app
from agentc.retrieval import RetrievalDataset, load_metatool, load_retriever

DATA = Path(__file__).resolve().parents[1] / "data" / "retrieval"


@pytest.fixture(scope="module")
def metatool() -> RetrievalDataset:
    """The MetaTool slice in tests/data/retrieval/metatool (see its LICENSE_NOTE.txt)."""
    return load_metatool(DATA / "metatool")


@pytest.fixture(autouse=True)
def _test_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI builds its own encoder: point it at a cache of the tests, not the user's."""
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "embedding-cache"))


def _plain_files(metatool: RetrievalDataset, folder: Path) -> tuple[Path, Path]:
    """The MetaTool slice written in the plain JSONL format."""
    tools = folder / "catalog.jsonl"
    queries = folder / "queries.jsonl"
    tools.write_text("".join(json.dumps({"name": t.name, "description": t.description}) + "\n" for t in metatool.tools))
    queries.write_text("".join(json.dumps({"query": e.query, "tools": list(e.tools)}) + "\n" for e in metatool.queries))
    return tools, queries


def test_plain_format_with_summary_json(metatool, tmp_path: Path) -> None:
    tools, queries = _plain_files(metatool, tmp_path)
    summary = tmp_path / "out" / "summary.json"
    result = CliRunner().invoke(
        retrieval_app,
        [
            "--tools",
            str(tools),
            "--queries",
            str(queries),
            "--test-fraction",
            "0.3",
            "--seed",
            "0",
            "--method",
            "tool2vec",
            "--k",
            "1,5",
            "--summary-json",
            str(summary),
            "--save",
            str(tmp_path / "saved"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "R@5" in result.output and "tool2vec" in result.output
    scores = json.loads(summary.read_text())
    assert set(scores) >= {"recall@1", "recall@5", "ndcg@1", "ndcg@5", "ms_per_query", "train_seconds"}
    assert scores["recall@5"] >= scores["recall@1"] >= 0.65
    assert scores["n_test"] == 120
    assert load_retriever(tmp_path / "saved").search("Will it rain in Berlin tomorrow?", 1)[0][0] == "WeatherTool"


def test_data_folder_with_several_methods(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(
        retrieval_app,
        [
            "--data",
            str(DATA / "metatool"),
            "--dataset",
            "metatool-multi",
            "--method",
            "bm25,description",
            "--k",
            "3",
            "--summary-json",
            str(summary),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(summary.read_text())
    assert set(scores["methods"]) == {"bm25", "description"}
    assert 0.0 < scores["methods"]["description"]["recall@3"] <= 1.0


def test_bad_arguments_say_what_to_do(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(retrieval_app, ["--data", str(DATA / "metatool"), "--method", "magic"])
    assert result.exit_code != 0
    assert "unknown method" in result.output
    result = runner.invoke(retrieval_app, ["--method", "bm25"])
    assert result.exit_code != 0
    assert "--data" in result.output
    result = runner.invoke(retrieval_app, ["--data", str(tmp_path), "--method", "bm25"])
    assert result.exit_code == 1
    assert "cannot tell the format" in result.output


def test_a_rerun_with_the_same_results_file_skips_the_methods_it_holds(tmp_path: Path) -> None:
    results = tmp_path / "scores.jsonl"
    args = ["--data", str(DATA / "metatool"), "--k", "1,3", "--results", str(results)]
    first = CliRunner().invoke(retrieval_app, [*args, "--method", "bm25"])
    assert first.exit_code == 0, first.output
    (line,) = [json.loads(text) for text in results.read_text().splitlines()]
    assert line["key"] == line["method"] == "bm25" and line["setup"]["k"] == [1, 3]
    second = CliRunner().invoke(retrieval_app, [*args, "--method", "bm25,description", "--summary-json", str(tmp_path / "s.json")])
    assert second.exit_code == 0, second.output
    assert "1 method(s) already in" in second.output
    lines = [json.loads(text) for text in results.read_text().splitlines()]
    assert [entry["key"] for entry in lines] == ["bm25", "description"], "bm25 was not scored again"
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["methods"]["bm25"]["recall@1"] == line["recall@1"], "the resumed method's scores come from the file"
    other = CliRunner().invoke(retrieval_app, [*args, "--method", "bm25", "--seed", "7"])
    assert other.exit_code == 1 and "another setup" in other.output


def test_a_torn_last_line_is_dropped_and_its_method_runs_again(tmp_path: Path) -> None:
    results = tmp_path / "scores.jsonl"
    args = ["--data", str(DATA / "metatool"), "--k", "1", "--method", "bm25", "--results", str(results)]
    assert CliRunner().invoke(retrieval_app, args).exit_code == 0
    whole = results.read_text()
    results.write_text(whole[: len(whole) // 2])
    again = CliRunner().invoke(retrieval_app, args)
    assert again.exit_code == 0, again.output
    assert "cut short" in again.output
    (line,) = [json.loads(text) for text in results.read_text().splitlines()]
    assert line["key"] == "bm25"


def test_the_html_report_shows_the_setup_and_every_method(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(
        retrieval_app,
        ["--data", str(DATA / "metatool"), "--method", "bm25,description", "--k", "1,3", "--report", str(report)],
    )
    assert result.exit_code == 0, result.output
    page = report.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "R@3" in page and "NDCG@1" in page
    assert "<td>bm25</td>" in page and "<td>description</td>" in page
    assert "seed: <code>0</code>" in page and "dataset: <code>metatool" in page
