"""`agentc eval retrieval` as the Typer sub-app `retrieval_app`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.retrieval import load_retriever
from agentc.retrieval.cli import retrieval_app

DATA = Path(__file__).resolve().parents[1] / "data" / "retrieval"


@pytest.fixture(autouse=True)
def _test_cache(embedding_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI builds its own encoder: point it at the tests' cache, not the user's."""
    monkeypatch.setenv("AGENTC_CACHE_DIR", str(embedding_cache_dir))


def _plain_files(metatool, folder: Path) -> tuple[Path, Path]:
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
