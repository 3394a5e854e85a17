"""Plan-and-Act with the bundled local model (SmolLM2 through llama.cpp) on a real page.

A 135M model is not expected to solve the task; the test checks that a real
model's outputs go through the grammars, the parsers and the loop guards and
that the episode ends cleanly with everything recorded.
"""

from __future__ import annotations

import pytest

from agentc.edge.models import load_local_llm
from agentc.envs.sites import RunningSites
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.tasks import default_tasks_path, read_tasks, sites_url_map
from agentc.planners.plan_and_act import PlanAndActAgent
from agentc.planners.web_run import WebRun


@pytest.mark.slow
async def test_plan_and_act_with_the_bundled_model_ends_cleanly_with_a_trace(env: PlaywrightEnv, sites: RunningSites) -> None:
    task = read_tasks(default_tasks_path())[0].resolved(sites_url_map(sites.urls))
    llm = load_local_llm("smollm2", n_ctx=4096)
    agent = PlanAndActAgent(llm, max_steps=2, plan_tokens=120, action_tokens=60, max_page_chars=2500)
    run = await agent.arun(task.intent, env, await env.reset(task.start_url))
    assert run.stop_reason in {"exit", "max_steps", "repeated_action", "parse_failures"}, run.trace.error
    assert run.trace.error is None and run.trace.finished_at is not None
    calls = run.trace.llm_calls
    assert calls[0].role == "planner" and "executor" in {c.role for c in calls}
    assert all(c.error is None and c.completion and c.completion_tokens > 0 for c in calls)
    assert run.plans and all("## Step 1" in plan for plan in run.plans)  # the plan grammar held
    assert run.steps >= 1 or run.parse_failures
    assert WebRun.from_json(run.to_json()) == run
