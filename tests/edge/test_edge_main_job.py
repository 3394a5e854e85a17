"""The README's main job: `agentc run QUESTION` on the bundled model, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.cli import app

QUESTION = "How many kilometres is 26.2 miles, and what is 17% of 2400?"


@pytest.mark.slow
@pytest.mark.parametrize("kv_cache", ["q4_0", "f16"])
def test_agentc_run_answers_with_the_bundled_model_and_writes_the_trace(tmp_path: Path, kv_cache: str) -> None:
    trace_file = tmp_path / "trace.json"
    result = CliRunner().invoke(
        app,
        ["run", QUESTION, "--trace", str(trace_file), "--kv-cache", kv_cache, "--no-plugins"],
        env={"COLUMNS": "200", "AGENTC_BASE_URL": ""},
    )
    assert result.exit_code == 0, result.output
    assert f"smollm2 (local, llama.cpp, {kv_cache} KV cache)" in result.output
    assert "join(" in result.output  # the plan was shown as it streamed
    trace = json.loads(trace_file.read_text())
    assert trace["plans"] and trace["answer"]
    assert trace["llm_calls"][0]["role"] == "planner" and trace["llm_calls"][0]["prompt_tokens"] > 0
    assert all(t["tool"] in {"calculate", "convert_units", "search_documents"} for t in trace["tasks"])
