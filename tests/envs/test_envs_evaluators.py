"""Each evaluator passes the oracle's final state and fails a wrong one."""

from __future__ import annotations

import pytest
from agentc.envs.sites import RunningSites
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.evaluators import EvaluationError, evaluate
from agentc.envs.web.tasks import WebTask, default_tasks_path, load_tasks, sites_url_map

pytestmark = pytest.mark.asyncio(loop_scope="module")


def first_task(sites: RunningSites, kinds: set[str]) -> WebTask:
    """The first shipped task whose eval types are exactly `kinds`."""
    for task in load_tasks(default_tasks_path(), sites_url_map(sites.urls)):
        if set(task.eval.eval_types) == kinds:
            return task
    raise AssertionError(f"no shipped task checks exactly {kinds}")


async def run_oracle(env: PlaywrightEnv, task: WebTask, steps: list[str] | None = None) -> str | None:
    obs = await env.reset(task.start_url)
    for action in steps if steps is not None else task.oracle or []:
        obs = await env.step(action)
        assert obs.error is None, obs.error
    return obs.answer


async def test_string_match_exact(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    task = first_task(fresh, {"string_match"})
    answer = await run_oracle(browser, task)
    assert (await evaluate(task, browser, answer, fresh)).passed
    wrong = await evaluate(task, browser, "$1.00", fresh)
    assert not wrong.passed and wrong.score == 0.0 and "fail" in wrong.details[0]
    assert not (await evaluate(task, browser, None, fresh)).passed


async def test_string_match_na_answers(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    task = next(t for t in load_tasks(default_tasks_path(), sites_url_map(fresh.urls)) if "Galactic Toaster" in t.intent)
    answer = await run_oracle(browser, task)
    assert answer == "N/A" and (await evaluate(task, browser, answer, fresh)).passed
    assert not (await evaluate(task, browser, "$19.99", fresh)).passed


async def test_must_include_and_or_alternatives(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    raw = {"task_id": "m", "intent": "x", "start_url": fresh.urls["shop"],
           "eval": {"eval_types": ["string_match"], "reference_answers": {"must_include": ["Trail Lamp", "3 |OR| three"]}}}
    task = WebTask.model_validate(raw)
    await browser.reset(task.start_url)
    assert (await evaluate(task, browser, "I bought three of the trail lamp.", fresh)).passed
    assert not (await evaluate(task, browser, "I bought the Trail Lamp.", fresh)).passed


async def test_url_match(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    task = first_task(fresh, {"url_match"})
    answer = await run_oracle(browser, task)
    assert (await evaluate(task, browser, answer, fresh)).passed
    await browser.reset(fresh.urls["forum"] + "/f/movies")
    result = await evaluate(task, browser, answer, fresh)
    assert not result.passed and "does not match" in result.details[0]


async def test_program_html_and_state_check(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    task = first_task(fresh, {"program_html", "state_check"})
    answer = await run_oracle(browser, task)
    result = await evaluate(task, browser, answer, fresh)
    assert result.passed and len(result.details) == 2
    fresh.reset()
    await run_oracle(browser, task, steps=task.oracle[:-2] + ['exit("done")'])  # never presses the button
    result = await evaluate(task, browser, "done", fresh)
    assert not result.passed
    assert all("fail" in line for line in result.details), result.details


async def test_webarena_config_scores_against_our_sites(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    raw = {"sites": ["shopping"], "task_id": 5, "require_login": True, "storage_state": None, "intent_template_id": 1,
           "start_url": "__SHOPPING__", "intent": "Search for mugs",
           "eval": {"eval_types": ["url_match", "program_html"], "reference_answers": None,
                    "reference_url": "__SHOPPING__/search?q=Mug", "url_note": "GOLD in PRED",
                    "program_html": [{"url": "last", "locator": "document.querySelector('h1').outerText",
                                      "required_contents": {"must_include": ["Mug"]}}]}}
    task = WebTask.model_validate(raw).resolved(sites_url_map(fresh.urls))
    await browser.reset(task.start_url)
    await browser.step(f'goto("{fresh.urls["shop"]}/search?q=Mug")')
    assert (await evaluate(task, browser, None, fresh)).passed
    await browser.step(f'goto("{fresh.urls["shop"]}/search?q=Lamp")')
    assert not (await evaluate(task, browser, None, fresh)).passed


async def test_unknown_eval_types_and_missing_data_are_errors(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    await browser.reset(fresh.urls["shop"])
    odd = WebTask.model_validate({"task_id": 1, "intent": "x", "start_url": "u", "eval": {"eval_types": ["llm_judge"]}})
    with pytest.raises(EvaluationError, match="unknown eval type 'llm_judge'"):
        await evaluate(odd, browser, "a", fresh)
    bare = WebTask.model_validate({"task_id": 2, "intent": "x", "start_url": "u", "eval": {"eval_types": ["string_match"]}})
    with pytest.raises(EvaluationError, match="needs eval.reference_answers"):
        await evaluate(bare, browser, "a", fresh)
    stateful = first_task(fresh, {"state_check"})
    with pytest.raises(EvaluationError, match="no running sites"):
        await evaluate(stateful, browser, "done", None)
