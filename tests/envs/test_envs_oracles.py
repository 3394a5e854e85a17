"""Every shipped task is solvable: its oracle trajectory passes its evaluator on the live sites."""

from __future__ import annotations

import statistics
import time

import pytest
from agentc.envs.sites import RunningSites
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.evaluators import evaluate
from agentc.envs.web.tasks import default_tasks_path, load_tasks, sites_url_map

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_every_task_oracle_succeeds(browser: PlaywrightEnv, sites: RunningSites) -> None:
    tasks = load_tasks(default_tasks_path(), sites_url_map(sites.urls))
    failures, step_seconds, reset_seconds = [], [], []
    for task in tasks:
        started = time.perf_counter()
        sites.reset()
        reset_seconds.append(time.perf_counter() - started)
        obs = await browser.reset(task.start_url)
        for action in task.oracle or []:
            started = time.perf_counter()
            obs = await browser.step(action)
            step_seconds.append(time.perf_counter() - started)
            if obs.error:
                failures.append(f"task {task.task_id}: {action} -> {obs.error}")
                break
        result = await evaluate(task, browser, obs.answer, sites)
        if not result.passed:
            failures.append(f"task {task.task_id}: {result.details}")
    print(
        f"\n{len(tasks)} oracle runs, {len(step_seconds)} steps: median {statistics.median(step_seconds):.3f} s/step, "
        f"median site reset {statistics.median(reset_seconds) * 1000:.1f} ms"
    )
    assert failures == []
