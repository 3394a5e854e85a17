"""Plan-and-Act and the executor-only baseline on our real sites in a real Chromium.

The scripted LLM's completions are functions of the prompt: they read the
element ids and prices from the page text the agent showed them, so these
tests check what the agents really put in front of the model.
"""

from __future__ import annotations

import re

from agentc.envs.sites import RunningSites
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.evaluators import evaluate
from agentc.envs.web.tasks import WebTask
from agentc.llm import Message
from agentc.llm.scripted import ScriptedLLM
from agentc.planners.plan_and_act import PlanAndActAgent
from agentc.planners.web_executor import WebExecutorAgent


def _page(messages: list[Message]) -> str:
    """The page part of the agent's prompt."""
    return messages[-1].content.rsplit("Page:", 1)[-1]


def _link_id(messages: list[Message], text: str) -> str:
    found = re.search(rf"\[(\d+)\] <a> {re.escape(text)}\b", _page(messages))
    assert found, f"no link {text!r} on the page shown to the model"
    return found.group(1)


def _product_row(page: str) -> tuple[str, str]:
    """The first featured product's name and price on the shop's home page."""
    found = re.search(r"\| \[\d+\] <a> ([^|]+?) \| [^|]+ \| [^|]+ \| (\$[\d.,]+)", page)
    assert found, "the shop's home page lists no product row"
    return found.group(1), found.group(2)


async def test_plan_and_act_finds_a_fact_on_a_second_page_with_a_replan(env: PlaywrightEnv, sites: RunningSites) -> None:
    start = await env.reset(sites.urls["shop"])
    name, price = _product_row(start.text)
    intent = f"What is the price of the {name}?"

    def replan(messages: list[Message]) -> str:
        shown = re.search(r"\$\d+\.\d{2}", _page(messages))
        assert shown, "the replanner was not shown the product page"
        return f"## Found\n- the {name} costs {shown.group(0)}\n## Step 1\nanswer with the price"

    def answer(messages: list[Message]) -> str:
        fact = re.search(rf"- the {re.escape(name)} costs (\$[\d.]+)", messages[-1].content)
        assert fact, "the executor's plan lost the fact found on the product page"
        return f'Thought: the plan has the price\nAction: exit("{fact.group(1)}")'

    llm = ScriptedLLM(
        [
            f"## Step 1\nopen the {name} page\n## Step 2\nread the price\n## Step 3\nanswer with the price",
            lambda m: f"Thought: the product is linked on the home page\nAction: click({_link_id(m, name)})",
            replan,
            answer,
        ]
    )
    run = await PlanAndActAgent(llm).arun(intent, env, start)
    assert run.stop_reason == "exit" and run.answer == price
    assert run.replans == 1 and "costs " + price in run.plans[-1]
    assert run.actions[0].url != start.url and run.actions[0].error is None
    task = WebTask.model_validate(
        {"task_id": "price", "sites": ["shop"], "intent": intent, "start_url": sites.urls["shop"],
         "eval": {"eval_types": ["string_match"], "reference_answers": {"exact_match": price}}}
    )
    assert (await evaluate(task, env, run.answer, sites)).passed
    assert not (await evaluate(task, env, "$0.01", sites)).passed


async def test_executor_only_baseline_sees_error_observations_and_exits(env: PlaywrightEnv, sites: RunningSites) -> None:
    start = await env.reset(sites.urls["shop"])
    llm = ScriptedLLM(
        [
            "Thought: try a button that is not there\nAction: click(9999)",
            lambda m: "Thought: that failed\nAction: " + ("click(" + _link_id(m, "My orders") + ")" if "no element with id 9999" in m[-1].content else "click(9999)"),
            'Thought: the orders page is open\nAction: exit("done")',
        ]
    )
    run = await WebExecutorAgent(llm).arun("open my orders", env, start)
    assert [s.error is not None for s in run.actions] == [True, False, False]
    assert run.stop_reason == "exit" and run.answer == "done"
    assert "order" in run.actions[1].url.lower() or "order" in run.actions[1].title.lower()
    assert [c.role for c in run.trace.llm_calls] == ["executor"] * 3
