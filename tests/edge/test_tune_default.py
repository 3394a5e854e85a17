"""The default local path: the bundled model with its shipped planner
adapter and the grammars, with no extra arguments, planning right."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from agentc import Agent
from agentc.edge.grounded import figures_in, grounded_joiner_grammar
from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.models import load_local_llm, resolve_adapter, shipped_adapter
from agentc.errors import LLMError
from agentc.tools.builtin import calculate, demo_tools


@pytest.fixture(scope="module")
def tuned() -> Iterator[LlamaCppLLM]:
    llm = load_local_llm(n_ctx=2048)
    yield llm
    llm.close()


def _calls(result: Any) -> dict[str, dict[str, Any]]:
    return {task.tool: dict(task.args) for task in result.tasks}


@pytest.mark.parametrize("model", ["smollm2", "gemma3"])
def test_the_shipped_adapter_is_package_data_with_its_recipe(model: str) -> None:
    adapter = shipped_adapter(model)
    assert adapter is not None and adapter.is_file() and adapter.stat().st_size > 1_000_000
    assert adapter.with_suffix(".json").is_file()  # the command, data mix and seed that reproduce it
    assert shipped_adapter("/some/other.gguf") is None


def test_the_tuned_gemma3_plans_the_main_job_right() -> None:
    gemma = load_local_llm("gemma3", n_ctx=2048)
    try:
        assert gemma.tuned and gemma.architecture == "gemma3" and gemma.adapter_path == shipped_adapter("gemma3")
        result = Agent(gemma, demo_tools()).plan("How many kilometres is 26.2 miles, and what is 17% of 2400?")
    finally:
        gemma.close()
    assert result.valid, result.error
    calls = _calls(result)
    assert calls["convert_units"] == {"value": 26.2, "from_unit": "miles", "to_unit": "km"}
    assert calculate(**calls["calculate"]) == pytest.approx(408)  # "0.17 * 2400" or "17 / 100 * 2400"


def test_adapter_choices_resolve_or_fail_clearly(tmp_path: Path) -> None:
    assert resolve_adapter("smollm2") == shipped_adapter("smollm2")
    assert resolve_adapter("smollm2", None) is None and resolve_adapter("smollm2", "none") is None
    with pytest.raises(LLMError, match="no adapter file"):
        resolve_adapter("smollm2", tmp_path / "missing.gguf")


@pytest.mark.slow
def test_the_default_local_model_is_tuned_and_brings_its_grammars(tuned: LlamaCppLLM) -> None:
    assert tuned.tuned and tuned.adapter_path == shipped_adapter("smollm2")
    assert tuned.kv_cache == "f16"  # "auto" keeps f16 at short contexts
    agent = Agent(tuned, demo_tools())
    assert agent.plan_grammar is not None and agent.joiner_grammar is grounded_joiner_grammar
    assert "convert_units" in agent.plan_grammar(list(agent.tools), 1, 8)
    unconstrained = Agent(tuned, demo_tools(), constrain=False)
    assert unconstrained.plan_grammar is None and unconstrained.joiner_grammar is None


@pytest.mark.slow
def test_agent_plans_right_with_no_extra_arguments(tuned: LlamaCppLLM) -> None:
    result = Agent(tuned, demo_tools()).plan("What is 15% of 380, and how many pounds is 70 kilograms?")
    assert result.valid, result.error
    calls = _calls(result)
    assert calls["convert_units"] == {"value": 70, "from_unit": "kg", "to_unit": "pounds"}
    assert calculate(**calls["calculate"]) == pytest.approx(57)
    assert "Examples:" not in result.trace.llm_calls[0].prompt[0]["content"]  # the tuned model needs no few-shot plans


@pytest.mark.slow
def test_the_tuned_model_copies_numbers_whose_digits_the_plan_already_holds(tuned: LlamaCppLLM) -> None:
    """With a repeat penalty the tuned model planned "108 * 88." and
    "2551.8 / 100 * 2551.8": the digits were in the plan already. With an
    adapter the penalty is off; an untuned model keeps it."""
    assert tuned.repeat_penalty == 1.0
    assert LlamaCppLLM(tuned.llama).repeat_penalty == 1.0
    product = _calls(Agent(tuned, demo_tools()).plan("What's 108 * 88.01?"))
    assert product["calculate"] == {"expression": "108 * 88.01"}
    share = Agent(tuned, demo_tools()).plan("Two questions: how much is 15% of 2551.8, and how much is 22% of 4766.")
    assert [calculate(**task.args) for task in share.tasks] == [pytest.approx(382.77), pytest.approx(1048.52)]


@pytest.mark.slow
def test_a_request_that_needs_no_tool_gets_a_join_only_plan(tuned: LlamaCppLLM) -> None:
    result = Agent(tuned, demo_tools()).plan("Hello! Who are you?")
    assert result.valid and result.tasks == []


@pytest.mark.slow
def test_the_assistant_plans_the_readme_request(tuned: LlamaCppLLM, tmp_path: Path) -> None:
    import asyncio

    from agentc.edge.assistant import Assistant
    from agentc.tools.desktop import DesktopConfig, desktop_tools

    tools = desktop_tools(DesktopConfig(home=tmp_path), backend="portable")
    assistant = Assistant(tuned, tools, approve=lambda requests: False, examples=())
    result = asyncio.run(assistant.plan("Text Maria that I'll be 10 minutes late and add a reminder to buy milk tomorrow"))
    assert result.valid, result.error
    calls = _calls(result)
    assert "late" in calls["send_sms"]["message"]
    recipients = calls["send_sms"]["recipients"]
    assert recipients == ["Maria"] or ("get_phone_number" in calls and calls["get_phone_number"] == {"name": "Maria"}), recipients
    assert "milk" in calls["create_reminder"]["title"].lower() and "tomorrow" in calls["create_reminder"]["due"]


@pytest.mark.slow
def test_auto_kv_cache_is_4_bit_only_on_long_contexts() -> None:
    long = load_local_llm(n_ctx=16384, adapter=None)
    try:
        assert long.kv_cache == "q4_0" and long.kv_cache_bytes < 0.3 * 16384 * 30 * 3 * 64 * 2 * 2
    finally:
        long.close()


@pytest.mark.parametrize(
    ("model", "scale", "listed_combined", "unfit"), [("smollm2", 1.5, 600, 400), ("gemma3", 2, 0, 0)]
)
def test_each_recipe_names_the_mix_it_was_trained_on(model: str, scale: float, listed_combined: int, unfit: int) -> None:
    import json

    from agentc.edge.tune.dataset import Mix

    recipe = json.loads(shipped_adapter(model).with_suffix(".json").read_text(encoding="utf-8"))
    assert f"--synth-scale {scale:g} " in recipe["command"]
    assert "--public-swaps 2 --public-combined 600 --public-joiner 800" in recipe["command"]
    assert (f"--public-listed-combined {listed_combined} " in recipe["command"]) == bool(listed_combined)
    assert (f"--public-unfit {unfit} " in recipe["command"]) == bool(unfit)
    mix = Mix(seed=0, public_listed_combined=listed_combined, public_unfit=unfit).scaled(scale)
    assert mix.describe() == recipe["data"]["mix"]
    assert sum(p["train"] for p in recipe["data"]["pairs"].values()) == recipe["train"]["pairs"]
    if "averaged_with" in recipe:  # an average of trainings: each one's pairs and report
        other = recipe["averaged_with"]
        assert other["seed"] != recipe["train"]["config"]["seed"] and other["train"]["config"]["seed"] == other["seed"]
        assert sum(p["train"] for p in other["pairs"].values()) == other["train"]["pairs"]
        assert "agentc.edge.tune.average" in recipe["command"]
    if "truncated_to" in recipe:  # the adapter file is of the rank its recipe says
        from agentc.edge.tune.average import _read

        _, _, pairs = _read(shipped_adapter(model))
        assert {a.shape[0] for a, _ in pairs.values()} == {recipe["truncated_to"]}


@pytest.mark.slow
def test_the_tuned_model_answers_with_figures_it_was_given(tuned: LlamaCppLLM, smollm2: LlamaCppLLM) -> None:
    agent = Agent(tuned, demo_tools())
    assert agent.joiner_grammar is grounded_joiner_grammar
    assert isinstance(Agent(smollm2, demo_tools()).joiner_grammar, str)  # an untuned model's answers stay free
    result = agent.run("How many kilometres is 26.2 miles, and what is 17% of 2400?")
    joiner = [call for call in result.trace.llm_calls if call.role == "joiner"]
    assert joiner, "the joiner was not asked"
    given = set(figures_in(message["content"] for message in joiner[-1].prompt))
    answered = set(figures_in([result.answer]))
    assert answered and answered <= given, result.answer


def test_the_recipe_command_line_names_the_growth_options_a_run_used() -> None:
    from agentc.commands.tune import _argv
    from agentc.edge.tune.dataset import Mix

    def argv(mix: Mix) -> str:
        return " ".join(_argv("smollm2", [], None, 1500, Path("benchmarks/data"), 1.5, mix, 4.0, 16, 6e-4, 0))

    grown = argv(Mix(seed=0, public_listed=2, public_listed_combined=600))
    assert "--public-swaps 2 --public-combined 600 --public-joiner 800" in grown
    assert "--public-listed 2 " in grown and "--public-listed-combined 600 " in grown
    assert "--public-listed" not in argv(Mix(seed=0))
