"""The README's main job: `agentc run QUESTION` on the bundled model, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.cli import app

QUESTION = "How many kilometres is 26.2 miles, and what is 17% of 2400?"


@pytest.mark.slow
@pytest.mark.parametrize("kv_cache", ["auto", "q4_0"])
def test_agentc_run_answers_right_with_the_bundled_model_and_writes_the_trace(tmp_path: Path, kv_cache: str) -> None:
    trace_file = tmp_path / "trace.json"
    args = ["run", QUESTION, "--trace", str(trace_file), "--no-plugins"] + (["--kv-cache", kv_cache] if kv_cache != "auto" else [])
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200", "AGENTC_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    shown = "f16" if kv_cache == "auto" else kv_cache
    assert f"smollm2 (local, llama.cpp, {shown} KV cache" in result.output
    assert "adapter smollm2-planner.gguf" in result.output  # the tuned planner is the default
    assert "join(" in result.output  # the plan was shown as it streamed
    trace = json.loads(trace_file.read_text())
    assert trace["llm_calls"][0]["role"] == "planner" and trace["llm_calls"][0]["prompt_tokens"] > 0
    calls = {(t["tool"], json.dumps(t["args"], sort_keys=True)) for t in trace["tasks"]}
    assert ("convert_units", json.dumps({"from_unit": "miles", "to_unit": "km", "value": 26.2}, sort_keys=True)) in calls
    assert any(tool == "calculate" for tool, _ in calls)
    assert "42.16" in trace["answer"] and "408" in trace["answer"], trace["answer"]
