"""`agentc eval fc` end to end: scripted planners that are known right score
100% and known wrong score 0% with the right reasons, a run resumes from
its results file, the report and summary files hold the scores, and the
bundled SmolLM2 plans real items."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agentc.evals.cli import eval_app
from agentc.evals.errors import EvalDataError, EvalError
from agentc.evals.loaders import load_items
from agentc.evals.plans import gold_plan
from agentc.evals.results import ResultsFile
from agentc.evals.runner import EvalOptions, evaluate
from agentc.llm import ScriptedLLM

runner = CliRunner()
END = "<END_OF_PLAN>"

WRONG = {
    # each a plan that is valid but wrong, and why
    "simple_python/simple_python_0": ("1. calculate_triangle_area(base=5, height=10)\n2. join()", "wrong value"),
    "simple_python/simple_python_14": ('1. calculate_derivative(function="x**2")\n2. join()', "wrong value"),
    "simple_python/simple_python_28": ("1. calculate_displacement(initial_velocity=10, time=5)\n2. join()", "missing param"),
    "multiple/multiple_0": ("1. circle_properties_get(radius=3)\n2. join()", "wrong name"),
    "multiple/multiple_8": ('1. realestate_find_properties(location="LA", propertyType="villa", bedrooms=3, budget={"min": 1, "max": 2})\n2. join()', "wrong value"),
    "parallel/parallel_0": ('1. spotify_play(artist="Taylor Swift", duration=20)\n2. join()', "bad count"),
    "parallel_multiple/parallel_multiple_0": ("1. math_toolkit_product_of_primes(count=5)\n2. join()", "bad count"),
    "parallel_multiple/parallel_multiple_75": ("1. join()", "bad count"),
    "irrelevance/irrelevance_0": ("1. determine_body_mass_index(weight=10.0, height=5.0)\n2. join()", "bad count"),
}


def cli(*args: str):
    return runner.invoke(eval_app, ["fc", *args], env={"COLUMNS": "200"})


def test_gold_plans_score_100_percent(data_dir, tmp_path):
    summary = tmp_path / "summary.json"
    result = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--summary-json", str(summary))
    assert result.exit_code == 0, result.output
    scores = json.loads(summary.read_text())
    assert scores["n"] == 9 and scores["accuracy"] == 1.0 and scores["valid_plan_rate"] == 1.0
    assert set(scores["by_category"]) == {"simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance"}
    assert all(c["accuracy"] == 1.0 for c in scores["by_category"].values())
    assert "100.0%" in result.output and "scripted (gold plans)" in result.output


def test_known_wrong_plans_score_0_percent_with_their_reasons(data_dir, tmp_path):
    plans = tmp_path / "plans.jsonl"
    plans.write_text("".join(json.dumps({"key": k, "plan": p + "\n" + END}) + "\n" for k, (p, _) in WRONG.items()))
    summary, report, results = tmp_path / "summary.json", tmp_path / "report.html", tmp_path / "results.jsonl"
    result = cli(
        "--data", str(data_dir / "bfcl"), "--script", str(plans), "--summary-json", str(summary),
        "--report", str(report), "--results", str(results), "--show-failures", "20",
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(summary.read_text())
    assert scores["n"] == 9 and scores["accuracy"] == 0.0 and scores["valid_plan_rate"] == 1.0
    found = {r["key"]: r["reason"] for r in map(json.loads, results.read_text().splitlines())}
    assert found == {k: reason for k, (_, reason) in WRONG.items()}
    page = report.read_text()
    assert "<h2>Failures (9)</h2>" in page and "simple_python/simple_python_28" in page and "missing param" in page
    assert "circle_properties_get(radius=3)" in page
    assert "wrong name" in result.output


def test_seal_tools_and_our_format_through_the_cli(data_dir, tmp_path):
    summary = tmp_path / "summary.json"
    seal = cli("--data", str(data_dir / "seal_tools"), "--llm", "scripted", "--summary-json", str(summary))
    assert seal.exit_code == 0, seal.output
    scores = json.loads(summary.read_text())
    assert scores["accuracy"] == 1.0 and scores["api"]["f1"] == 1.0 and scores["params"]["f1"] == 1.0
    assert set(scores["by_category"]) == {"seal_tools_easy", "seal_tools_difficult"}
    own = cli("--data", str(data_dir / "own.jsonl"), "--llm", "scripted", "--category", "travel", "--summary-json", str(summary))
    assert own.exit_code == 0, own.output
    assert json.loads(summary.read_text())["n"] == 2


def test_limit_is_per_category(data_dir, tmp_path):
    summary = tmp_path / "summary.json"
    result = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--limit", "1", "--summary-json", str(summary))
    assert result.exit_code == 0, result.output
    scores = json.loads(summary.read_text())
    assert scores["n"] == 5 and all(c["n"] == 1 for c in scores["by_category"].values())


async def test_a_rerun_skips_finished_items(data_dir, tmp_path):
    items = load_items(data_dir / "bfcl")
    options = EvalOptions()
    store = tmp_path / "results.jsonl"
    asked: list[str] = []

    def planner(item):
        asked.append(item.key)
        return ScriptedLLM([gold_plan(item)])

    await evaluate(items[:4], planner, options, llm_label="gold", results=store)  # a run stopped after 4 items
    assert len(store.read_text().splitlines()) == 4
    asked.clear()
    skipped: list[str] = []
    found = await evaluate(items, planner, options, llm_label="gold", results=store, on_item=lambda r, s: s and skipped.append(r.key))
    assert asked == [i.key for i in items[4:]] and skipped == [i.key for i in items[:4]]
    assert [r.key for r in found] == [i.key for i in items] and all(r.passed for r in found)
    assert len(store.read_text().splitlines()) == 9
    asked.clear()
    await evaluate(items, planner, options, llm_label="gold", results=store)
    assert asked == []


async def test_an_item_stopped_by_an_llm_error_runs_again(data_dir, tmp_path):
    items = load_items(data_dir / "bfcl", ["parallel", "irrelevance"])
    options = EvalOptions()
    store = tmp_path / "results.jsonl"
    broken = items[0].key

    def flaky(item):  # a ScriptedLLM without completions fails like a dead backend
        return ScriptedLLM([] if item.key == broken else [gold_plan(item)])

    first = await evaluate(items, flaky, options, llm_label="gold", results=store)
    assert [r.reason for r in first] == ["llm error", None] and "ScriptedLLM was called 1 times" in first[0].detail
    asked: list[str] = []

    def fixed(item):
        asked.append(item.key)
        return ScriptedLLM([gold_plan(item)])

    second = await evaluate(items, fixed, options, llm_label="gold", results=store)
    assert asked == [broken] and all(r.passed for r in second)


async def test_repeated_llm_errors_stop_the_run(data_dir):
    items = load_items(data_dir / "bfcl")
    with pytest.raises(EvalError, match="the LLM failed on 3 item\\(s\\) in a row"):
        await evaluate(items, lambda item: ScriptedLLM([]), EvalOptions(), llm_label="dead")


def test_results_of_another_setup_are_refused(data_dir, tmp_path):
    results = tmp_path / "results.jsonl"
    first = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--results", str(results))
    assert first.exit_code == 0, first.output
    again = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--results", str(results))
    assert again.exit_code == 0 and "from results" in again.output
    assert len(results.read_text().splitlines()) == 9
    other = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--results", str(results), "--max-tokens", "99")
    assert other.exit_code == 1
    assert "holds results of another setup" in other.output and "pass another --results file" in other.output
    with pytest.raises(EvalDataError):
        ResultsFile(results, {"llm": "other"}).load()


def test_cli_reports_bad_input(data_dir, tmp_path):
    missing = cli("--data", str(tmp_path / "nowhere"), "--llm", "scripted")
    assert missing.exit_code == 1 and "no data at" in missing.output
    lonely = cli("--data", str(data_dir / "bfcl"), "--llm", "scripted", "--top-k", "3")
    assert lonely.exit_code != 0 and "--retriever and --top-k go together" in lonely.output


async def test_the_bundled_model_plans_real_items_under_the_grammar(data_dir, smollm2_planner, tmp_path):
    items = [
        *load_items(data_dir / "bfcl", ["simple_python"])[:1],
        *load_items(data_dir / "bfcl", ["irrelevance"]),
        *load_items(data_dir / "seal_tools", ["seal_tools_easy"]),
    ]
    options = EvalOptions(grammar=True, max_tokens=160)
    store = tmp_path / "results.jsonl"
    found = await evaluate(items, smollm2_planner, options, llm_label="smollm2", results=store)
    assert [r.key for r in found] == [i.key for i in items]
    # the grammar admits only plans the parser and checker accept
    assert all(r.valid_plan for r in found), [(r.key, r.detail) for r in found]
    assert all(r.prompt_tokens > 100 and r.completion_tokens > 0 for r in found)
    assert all(r.plan.rstrip().endswith("join()") for r in found)
    assert all(r.passed or r.reason in {"bad count", "wrong name", "missing param", "unexpected param", "wrong type", "wrong value", "bad DAG"} for r in found)
    assert len(store.read_text().splitlines()) == 3


async def test_only_the_retrieved_tools_reach_the_prompt(data_dir, tmp_path):
    from agentc.evals.selection import retrieved_tools
    from agentc.retrieval.bm25 import BM25Retriever
    from agentc.tools.schema import tool_from_schema

    items = load_items(data_dir / "bfcl", ["multiple"])
    catalog = {t.name: t for i in items for t in map(tool_from_schema, i.functions)}
    bm25 = BM25Retriever()
    bm25.fit(list(catalog.values()))
    bm25.save(tmp_path / "bm25")
    options = EvalOptions(select_tools=retrieved_tools(tmp_path / "bm25", 1), tools_label="top-1 of bm25")
    planners: list[ScriptedLLM] = []

    def planner(item):
        planners.append(ScriptedLLM([gold_plan(item)]))
        return planners[-1]

    found = await evaluate(items, planner, options, llm_label="gold")
    assert all(r.setup["tools"] == "top-1 of bm25" for r in found)
    prompts = [p.calls[0][0].content for p in planners]
    # multiple_0 offers a triangle and a circle tool; the question is about a triangle
    assert "triangle_properties_get(" in prompts[0] and "circle_properties_get(" not in prompts[0]
    assert all(r.passed for r in found)


async def test_items_play_on_parallel_workers_and_come_back_in_item_order(data_dir, tmp_path):
    items = load_items(data_dir / "bfcl")
    store = tmp_path / "results.jsonl"
    asked: list[str] = []
    asked_when_first_done: list[int] = []

    def planner(item):
        asked.append(item.key)
        return ScriptedLLM([gold_plan(item)], ttft=0.05)

    def settled(result, skipped):
        if not asked_when_first_done:
            asked_when_first_done.append(len(asked))

    found = await evaluate(items, planner, EvalOptions(), llm_label="gold", results=store, on_item=settled, workers=3)
    assert asked_when_first_done == [3]  # three items were being planned before the first finished
    assert [r.key for r in found] == [i.key for i in items] and all(r.passed for r in found)
    assert sorted(json.loads(line)["key"] for line in store.read_text().splitlines()) == sorted(i.key for i in items)


def test_workers_need_a_server(data_dir):
    result = cli("--data", str(data_dir / "bfcl"), "--model", "smollm2", "--workers", "2", "--limit", "1")
    assert result.exit_code != 0 and "--workers needs --base-url" in result.output
