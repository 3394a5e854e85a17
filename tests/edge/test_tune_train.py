"""Training on CPU: a few steps on a tiny slice of real pairs lower the loss,
and the pairs the trainer sees are the agent's own prompts, tokenized as
llama.cpp tokenizes them at run time."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.tune.pairs import Pair, encode, offered_tools, plan_pair
from agentc.edge.tune.synth import synthesize
from agentc.edge.tune.synth_builtin import runnable_tools
from agentc.planners.llmcompiler import planner_messages


@pytest.fixture(scope="module")
def vocabulary(vocab: Any) -> LlamaCppLLM:
    return LlamaCppLLM(vocab)


def _pairs(count: int) -> list[Pair]:
    tools = runnable_tools()
    rng = random.Random(0)
    items = [i for i in synthesize("builtin", n=40, seed=3) if i.split == "train"]
    by_name = {t.name: t for t in tools}
    pairs = []
    for item in items[:count]:
        shown = offered_tools([by_name[n] for n in dict.fromkeys(item.tools)], tools, rng, most=0)
        pairs.append(plan_pair(shown, item.question, item.plan, source="synth/builtin", key=item.question))
    return pairs


def test_a_pair_is_the_planner_prompt_the_agent_sends_with_no_examples() -> None:
    tools = runnable_tools()
    item = synthesize("builtin", n=5, seed=3)[0]
    pair = plan_pair(tools, item.question, item.plan, source="synth/builtin", key="k")
    assert list(pair.messages) == planner_messages(tools, item.question)
    assert "Examples:" not in pair.messages[0].content
    assert pair.completion.endswith("<END_OF_PLAN>") and pair.completion.startswith("1. ")


def test_encoded_pairs_are_the_runtime_tokens_then_the_completion(vocabulary: LlamaCppLLM) -> None:
    pair = _pairs(1)[0]
    record = next(encode([pair], vocabulary))
    prompt = vocabulary.llama.tokenize(vocabulary.render_prompt(list(pair.messages)).encode(), add_bos=False, special=True)
    assert record["ids"][: record["start"]] == prompt
    completion = vocabulary.llama.detokenize(record["ids"][record["start"] : -1]).decode()
    assert completion == pair.completion
    assert record["ids"][-1] == vocabulary.llama.token_eos()


@pytest.mark.slow
def test_a_few_training_steps_on_cpu_lower_the_loss(vocabulary: LlamaCppLLM, smollm2_path: Path, tmp_path: Path) -> None:
    import torch

    from agentc.edge.tune.train import TrainConfig, read_pairs, train

    records = sorted(encode(_pairs(6), vocabulary), key=lambda r: len(r["ids"]))[:2]
    data = tmp_path / "pairs.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records))
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        config = TrainConfig(rank=4, alpha=8, learning_rate=2e-3, batch_tokens=4096, max_steps=4, epochs=4, dropout=0.0)
        report = train(smollm2_path, read_pairs(data), tmp_path / "adapter", config, device="cpu")
    finally:
        torch.set_num_threads(threads)
    assert report.steps == 4 and report.device == "cpu"
    assert report.losses[-1] < report.losses[0] * 0.8, report.losses
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    saved = json.loads((tmp_path / "adapter" / "train_report.json").read_text())
    assert saved["config"]["rank"] == 4


def test_agentc_tune_data_only_grows_a_users_seeds_into_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from agentc.cli import app

    examples = Path(__file__).resolve().parents[2] / "examples" / "tune"
    monkeypatch.syspath_prepend(str(examples))
    out = tmp_path / "tuned"
    result = CliRunner().invoke(
        app,
        ["tune", "--tools", "weather_tools", "--examples", str(examples / "seeds.jsonl"), "--items", "120",
         "--out", str(out), "--data-only"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in (out / "pairs.jsonl").read_text().splitlines()]
    encoded = [json.loads(line) for line in (out / "encoded.jsonl").read_text().splitlines()]
    planner = [p for p in pairs if p["source"] == "user"]
    assert len(planner) == 120 and all(p["role"] == "planner" for p in planner)
    # joiner pairs come along, the project's and ones over the user's own calls:
    # one adapter serves planner and joiner
    assert {p["source"] for p in pairs} == {"user", "synth/joiner", "user/joiner"}
    joiner = [p for p in pairs if p["source"] in ("synth/joiner", "user/joiner")]
    assert all(p["completion"].startswith("Thought: ") for p in joiner)
    own = [p for p in pairs if p["source"] == "user/joiner"]
    assert len(own) > 50 and all(p["split"] == "train" for p in own)
    results = [p for p in own if "get_forecast(" in p["messages"][-1]["content"]]
    assert results and any("Finish(" in p["completion"] for p in results)
    assert len(encoded) == sum(p["split"] == "train" for p in pairs) > 90
    assert all("get_forecast(" in p["messages"][0]["content"] for p in planner)  # the user's tools are in every prompt
    assert "user: 108 train, 12 validation" in result.output


def test_agentc_tune_needs_tools_and_examples_together(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from agentc.cli import app

    result = CliRunner().invoke(app, ["tune", "--tools", "weather_tools", "--out", str(tmp_path), "--data-only"])
    assert result.exit_code != 0 and "--tools and --examples go together" in result.output
