"""The web evaluation: local workers, Ray, resumable results, skipped tasks, the CLI.

Runs use `--agent oracle` (replayed trajectories) so results are
deterministic and any difference between 1 worker, 2 workers and Ray is a
runner bug, not model noise.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.backends import SCRIPTED, BackendOptions
from agentc.cli import app
from agentc.envs.web.tasks import default_tasks_path, load_tasks
from agentc.evals.web.items import deferred_url_map, miniwob_items, task_items
from agentc.evals.web.options import SCRIPTED_ORACLE, WebEvalOptions
from agentc.evals.web.outcome import TaskOutcome
from agentc.evals.web.worker import run_local, run_ray


def _sample(per_site: int = 2):
    """The first `per_site` tasks of each site of our task set."""
    tasks = load_tasks(default_tasks_path(), deferred_url_map())
    chosen, seen = [], {}
    for task in tasks:
        site = "+".join(task.sites)
        if seen.get(site, 0) < per_site:
            seen[site] = seen.get(site, 0) + 1
            chosen.append(task)
    return task_items(chosen)


def _essence(outcomes: list[TaskOutcome]) -> list[tuple]:
    """What must not depend on how tasks were spread: scores, answers, actions, pages."""
    return [
        (o.result.key, o.result.passed, o.result.answer, o.result.stop_reason, tuple((s.action, s.title, s.error) for s in o.run.actions))
        for o in outcomes
    ]


async def test_two_local_workers_give_the_same_results_as_one() -> None:
    items = _sample()
    seen: list[str] = []
    one = await run_local(items, WebEvalOptions(agent="oracle"), workers=1)
    two = await run_local(items, WebEvalOptions(agent="oracle"), workers=2, on_outcome=lambda o: seen.append(o.result.key))
    assert len(items) == 6 and {i.site for i in items} == {"shop", "forum", "admin"}
    assert all(o.result.passed and o.result.error is None for o in one)
    assert _essence(one) == _essence(two)
    assert sorted(seen) == sorted(i.key for i in items)


def test_a_ray_run_on_a_local_cluster_gives_the_same_results_as_local_workers() -> None:
    import asyncio

    import ray

    items = _sample(per_site=1)
    local = asyncio.run(run_local(items, WebEvalOptions(agent="oracle"), workers=1))
    ray.init(num_cpus=2, log_to_driver=False)
    try:
        remote = run_ray(items, WebEvalOptions(agent="oracle"), workers=2, chunk_size=2)
        assert ray.is_initialized()  # a cluster the caller started is left running
    finally:
        ray.shutdown()
    assert _essence(remote) == _essence(local)
    assert all(o.result.passed for o in remote)


def test_dry_run_validates_and_counts_without_a_browser(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "web", "--dry-run"])
    assert result.exit_code == 0, result.output
    count = len(load_tasks(default_tasks_path(), deferred_url_map()))
    assert count >= 60 and f"{count} tasks in the built-in task set" in result.output
    result = runner.invoke(app, ["eval", "web", "--dry-run", "--miniwob-task", "click-button"])
    assert result.exit_code == 0 and "1 task in MiniWoB++ (miniwob: 1)" in result.output
    result = runner.invoke(app, ["eval", "web", "--dry-run", "--miniwob-task", "draw-circle"])
    assert result.exit_code != 0 and "unknown MiniWoB++ task(s) draw-circle" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"task_id": 7, "intent": "x", "start_url": "__SHOP__/", "eval": {}}]))
    result = runner.invoke(app, ["eval", "web", "--dry-run", "--tasks", str(bad)])
    assert result.exit_code != 0 and "bad.json" in result.output and "task_id 7" in result.output


def test_cli_resumes_writes_traces_report_and_summary(tmp_path: Path) -> None:
    runner = CliRunner()
    out, summary = tmp_path / "run", tmp_path / "summary.json"
    args = ["eval", "web", "--agent", "oracle", "--out", str(out), "--summary-json", str(summary)]
    first = runner.invoke(app, [*args, "--limit", "2"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, [*args, "--limit", "3", "--workers", "2"])
    assert second.exit_code == 0, second.output
    assert "2 already in" in second.output
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 3 and len({line["key"] for line in lines}) == 3
    data = json.loads(summary.read_text())
    assert set(data) == {"n", "success_rate", "by_site", "setup"}
    assert data["setup"]["agent"] == "oracle" and data["setup"]["llm"] is None
    assert data["n"] == 3 and data["success_rate"] == 1.0 and data["by_site"]["shop"] == {"n": 3, "success_rate": 1.0}
    trace = json.loads((out / "traces" / f"{lines[0]['key']}.json").read_text())
    assert trace["run"]["actions"] and trace["run"]["stop_reason"] == "exit"
    report = (out / "report.html").read_text()
    assert "Success by site" in report and html.escape(trace["run"]["actions"][0]["action"]) in report
    other = runner.invoke(app, ["eval", "web", "--agent", "executor", "--out", str(out), "--limit", "1"])
    assert other.exit_code == 1 and "another setup" in other.output


def test_a_task_that_cannot_run_is_recorded_with_its_error(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.json"
    tasks.write_text(
        json.dumps(
            [
                {"task_id": "no-oracle", "sites": ["shop"], "intent": "x", "start_url": "__SHOP__/",
                 "eval": {"eval_types": ["string_match"], "reference_answers": {"exact_match": "x"}}},
                {"task_id": "n-a", "sites": ["shop"], "intent": "the CEO's name?", "start_url": "__SHOP__/",
                 "eval": {"eval_types": ["string_match"], "reference_answers": {"fuzzy_match": "N/A"}},
                 "oracle": ['exit("N/A")']},
            ]
        )
    )
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", "web", "--agent", "oracle", "--tasks", str(tasks), "--out", str(out)])
    assert result.exit_code == 1
    assert "no-oracle has no oracle trajectory" in result.output
    lines = {json.loads(line)["key"]: json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()}
    assert lines["no-oracle"]["error"] and not lines["no-oracle"]["passed"]
    assert lines["n-a"]["passed"] and lines["n-a"]["error"] is None


@pytest.mark.parametrize("bad", ["shopping", "=http://x", "shop="])
def test_url_option_needs_site_equals_url(bad: str) -> None:
    result = CliRunner().invoke(app, ["eval", "web", "--dry-run", "--url", bad])
    assert result.exit_code != 0 and "SITE=URL" in result.output


async def test_the_scripted_oracle_planner_drives_plan_and_act_and_the_baseline_to_success() -> None:
    items = _sample(per_site=1)
    for agent in ("plan-and-act", "executor"):
        outcomes = await run_local(items, WebEvalOptions(agent=agent, backend=BackendOptions(model=SCRIPTED)), workers=1)
        assert all(o.result.passed and o.result.stop_reason == "exit" for o in outcomes), [o.result for o in outcomes]
        for o in outcomes:
            calls = [c.role for c in o.run.trace.llm_calls]
            if agent == "plan-and-act":
                assert calls[0] == "planner" and o.result.replans == o.result.steps - 1
                assert calls.count("replanner") == o.result.steps - 1
            else:
                assert set(calls) == {"executor"} and o.result.replans == 0


async def test_miniwob_tasks_run_through_the_runner_and_score_the_task_reward() -> None:
    items = miniwob_items(["click-button", "enter-text"], seeds=(3,))
    oracle = await run_local(items, WebEvalOptions(agent="oracle"), workers=1)
    planned = await run_local(items, WebEvalOptions(agent="plan-and-act", backend=BackendOptions(model=SCRIPTED)), workers=1)
    for outcome in oracle + planned:
        assert outcome.result.passed and outcome.result.score > 0, outcome.result
        assert outcome.result.site == "miniwob" and outcome.result.intent
    assert [o.result.key for o in oracle] == ["miniwob.click-button.3", "miniwob.enter-text.3"]


def test_screenshots_are_kept_per_task_and_shown_in_the_report(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", "web", "--agent", "oracle", "--limit", "2", "--screenshots", "--out", str(out)])
    assert result.exit_code == 0, result.output
    shots = []
    for trace in sorted((out / "traces").glob("*.json")):
        steps = json.loads(trace.read_text())["run"]["actions"]
        assert all(s["screenshot"] and Path(s["screenshot"]).is_file() for s in steps)
        shots += [s["screenshot"] for s in steps]
    assert len(shots) == len(set(shots)) > 2  # no task overwrote another's screenshots
    assert '<img src="screenshots/' in (out / "report.html").read_text()


def test_dry_run_of_a_webarena_file_counts_per_site_and_names_the_sites_without_a_url(tmp_path: Path) -> None:
    def task(task_id: int, sites: list[str], start: str, answers: dict) -> dict:
        return {"sites": sites, "task_id": task_id, "require_login": True, "storage_state": None, "start_url": start,
                "geolocation": None, "intent": f"task {task_id}", "require_reset": False, "intent_template_id": task_id,
                "eval": {"eval_types": ["string_match"], "reference_answers": answers, "reference_url": "", "program_html": []}}

    tasks = tmp_path / "webarena_lite.json"
    tasks.write_text(json.dumps([
        task(1, ["shopping"], "__SHOPPING__", {"must_include": "346"}),
        task(2, ["shopping"], "__SHOPPING__/sales", {"fuzzy_match": "N/A"}),
        task(3, ["gitlab"], "__GITLAB__", {"must_include": ["x"]}),
        task(4, ["gitlab", "wikipedia"], "__GITLAB__ |AND| __WIKIPEDIA__", {"exact_match": "y"}),
    ]))
    args = ["eval", "web", "--dry-run", "--tasks", str(tasks), "--url", "shopping=http://my-host:7770"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the terminal wraps long lines
    assert f"2 tasks in {tasks} (shopping: 2)" in said
    assert "2 task(s) not runnable, no URL for: gitlab (2 task(s)), wikipedia (1 task(s))" in said
    everything = CliRunner().invoke(app, [*args, "--url", "gitlab=http://g", "--url", "wikipedia=http://w"])
    assert everything.exit_code == 0 and "4 tasks in" in everything.output and "not runnable" not in everything.output


def test_the_setup_names_the_model_that_plays() -> None:
    from agentc.edge.models import DEFAULT_MODEL

    assert WebEvalOptions(agent="oracle").setup()["llm"] is None
    assert WebEvalOptions(agent="executor").setup()["llm"] == DEFAULT_MODEL
    assert WebEvalOptions(agent="plan-and-act", backend=BackendOptions(model="gemma3")).setup()["llm"] == "gemma3"
    served = WebEvalOptions(agent="executor", backend=BackendOptions(model="qwen", base_url="http://127.0.0.1:8080/v1"))
    assert served.setup()["llm"] == "qwen at http://127.0.0.1:8080/v1"
    for scripted in (SCRIPTED, SCRIPTED_ORACLE):
        assert WebEvalOptions(agent="executor", backend=BackendOptions(model=scripted)).setup()["llm"] == SCRIPTED_ORACLE
