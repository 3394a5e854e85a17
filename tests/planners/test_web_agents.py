"""Plan-and-Act and the executor-only baseline over a small in-memory site.

`PageEnv` is a real (tiny) implementation of the environment's interface:
pages with numbered links, `click` follows a link, `exit` ends the episode.
These tests isolate the agents' orchestration — plan parsing, replanning,
loop guards — from the browser; the real browser runs in
`test_webagent_browser.py`.
"""

from __future__ import annotations

import pytest

from agentc.llm.scripted import ScriptedLLM
from agentc.envs.web.actions import Action, parse_action
from agentc.envs.web.observation import Observation
from agentc.planners.plan_and_act import Plan, PlanAndActAgent, read_plan
from agentc.planners.web_episode import read_action_step
from agentc.planners.web_executor import WebExecutorAgent
from agentc.planners.web_grammar import action_grammar_gbnf, max_element_id, plan_grammar_gbnf, step_grammar_gbnf
from agentc.planners.web_oracle import ScriptAgent
from agentc.planners.web_run import WebRun

PAGES = {
    "home": ("Orders", "[1] <a> Page 1\n[2] <a> Page 2"),
    "page1": ("Page 1", "order 7: $10\n[2] <a> Page 2"),
    "page2": ("Page 2", "order 8: $32\n[1] <a> Page 1"),
}
LINKS = {1: "page1", 2: "page2"}


class PageEnv:
    """Three pages linked by ids 1 and 2; unknown ids give an error observation."""

    def __init__(self) -> None:
        self.at = "home"
        self.steps = 0

    def _obs(self, error: str | None = None, answer: str | None = None) -> Observation:
        title, text = PAGES[self.at]
        return Observation(
            url=f"http://site/{self.at}", title=title, text=text, error=error,
            done=answer is not None, answer=answer, step=self.steps,
        )

    async def reset(self, url: str) -> Observation:
        self.at, self.steps = "home", 0
        return self._obs()

    async def observe(self) -> Observation:
        return self._obs()

    async def step(self, action: str | Action) -> Observation:
        action = parse_action(action) if isinstance(action, str) else action
        self.steps += 1
        if action.name == "exit":
            return self._obs(answer=action.args[0])
        if action == Action("click", (3,)):  # "next": flips between the two pages
            self.at = "page2" if self.at == "page1" else "page1"
            return self._obs()
        if action.name == "click" and action.args[0] in LINKS:
            self.at = LINKS[action.args[0]]
            return self._obs()
        return self._obs(error=f"no element with id {action.args[0] if action.args else '?'}")


def test_read_plan_reads_steps_facts_and_numbered_lines() -> None:
    plan = read_plan("## Found\n- order 7 costs $10\n## Step 1\nopen page 2\n## Step 2: add the totals\n")
    assert plan.facts == ["order 7 costs $10"]
    assert plan.steps == ["open page 2", "add the totals"]
    assert read_plan(plan.text()) == plan
    assert read_plan("1. open the cart\n2) check out").steps == ["open the cart", "check out"]
    assert read_plan("I am not sure what to do").steps == []


def test_read_action_step_takes_the_action_line_or_a_bare_action() -> None:
    thought, action = read_action_step('Thought: the link is there\nAction: click(2)\nObservation: made up')
    assert thought == "the link is there" and str(action) == "click(2)"
    assert str(read_action_step('exit("N/A")')[1]) == 'exit("N/A")'
    with pytest.raises(ValueError, match="no `Action:` line"):
        read_action_step("Thought: hmm\nI will click")
    with pytest.raises(ValueError, match="unknown action"):
        read_action_step("Action: tap(3)")


def test_grammars_name_every_action_and_bound_plans() -> None:
    grammar = action_grammar_gbnf(max_id=250)
    for name in ("click", "type", "select", "hover", "scroll", "goto", "go_back", "press", "exit"):
        assert f'"{name}(' in grammar
    assert "[0-9]{1,3}" in grammar
    assert step_grammar_gbnf().startswith('root ::= "Thought: "')
    plan = plan_grammar_gbnf(3)
    assert '"## Step 3\\n"' in plan and '"## Step 4' not in plan
    assert max_element_id("[3] <a> x\n[12] <button> y") == 12
    assert max_element_id("no ids") is None


async def test_plan_and_act_replans_after_every_action_and_keeps_found_facts() -> None:
    llm = ScriptedLLM(
        [
            "## Step 1\nopen page 1\n## Step 2\nopen page 2\n## Step 3\nexit with the total",
            "Thought: page 1 link\nAction: click(1)",
            "## Found\n- order 7 costs $10\n## Step 1\nopen page 2\n## Step 2\nexit with the total",
            "Thought: page 2 link\nAction: click(2)",
            # the replanner forgets the fact from page 1: the agent keeps it
            "## Found\n- order 8 costs $32\n## Step 1\nexit with the total",
            'Thought: 10 + 32\nAction: exit("$42")',
        ]
    )
    env = PageEnv()
    run = await PlanAndActAgent(llm).arun("total of all orders", env, await env.reset("http://site/home"))
    assert run.stop_reason == "exit" and run.answer == "$42"
    assert [s.action for s in run.actions] == ["click(1)", "click(2)", 'exit("$42")']
    assert run.replans == 2
    assert "order 7 costs $10" in run.plans[-1] and "order 8 costs $32" in run.plans[-1]
    assert [c.role for c in run.trace.llm_calls] == ["planner", "executor", "replanner", "executor", "replanner", "executor"]
    # the executor is shown the current step, and the plan carries the facts
    last_prompt = llm.calls[-1][0].content
    assert "Current step: exit with the total" in last_prompt and "order 7 costs $10" in last_prompt
    assert run.actions[1].plan_step == "open page 2"
    assert WebRun.from_json(run.to_json()).actions == run.actions


async def test_static_plan_runs_without_replanning() -> None:
    llm = ScriptedLLM(["## Step 1\nopen page 2\n## Step 2\nanswer", "Action: click(2)", 'Action: exit("$32")'])
    env = PageEnv()
    agent = PlanAndActAgent(llm, replan_every_step=False)
    run = await agent.arun("last order total", env, await env.reset("x"))
    assert run.answer == "$32" and run.replans == 0
    assert [c.role for c in run.trace.llm_calls] == ["planner", "executor", "executor"]


async def test_repeated_action_guard_stops_the_third_identical_action_on_the_same_page() -> None:
    llm = ScriptedLLM(["Action: click(9)"] * 5)
    env = PageEnv()
    run = await WebExecutorAgent(llm, max_repeats=3).arun("loop", env, await env.reset("x"))
    assert run.stop_reason == "repeated_action"
    assert [s.action for s in run.actions] == ["click(9)"] * 3
    assert run.actions[0].error == "no element with id 9"
    assert "no element with id 9" in llm.calls[1][0].content


async def test_the_same_action_that_moves_on_is_not_a_loop() -> None:
    llm = ScriptedLLM(["Action: click(3)"] * 4 + ['Action: exit("ok")'])
    env = PageEnv()
    run = await WebExecutorAgent(llm, max_repeats=2).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "exit" and run.steps == 5
    assert [s.title for s in run.actions[:4]] == ["Page 1", "Page 2", "Page 1", "Page 2"]


async def test_a_parse_failure_is_shown_once_then_counted() -> None:
    llm = ScriptedLLM(["Action: tap(1)", "Action: click(1)", "I do not know", "nothing", "still nothing"])
    env = PageEnv()
    run = await WebExecutorAgent(llm, max_parse_failures=3).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "parse_failures"
    assert len(run.parse_failures) == 3 and "unknown action 'tap'" in run.parse_failures[0]
    assert "not a valid action: unknown action 'tap'" in llm.calls[1][0].content
    assert "not a valid action" not in llm.calls[2][0].content  # the click worked: no error shown
    assert [s.action for s in run.actions] == ["click(1)"]


async def test_max_steps_guard_and_llm_errors_end_the_episode_cleanly() -> None:
    llm = ScriptedLLM(["## Step 1\nbrowse", "Action: click(1)", "## Step 1\nbrowse", "Action: click(2)", "## Step 1\nbrowse"])
    env = PageEnv()
    run = await PlanAndActAgent(llm, max_steps=2).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "max_steps" and run.steps == 2
    short = ScriptedLLM(["## Step 1\nbrowse"])  # the executor call finds the script exhausted
    run = await PlanAndActAgent(short).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "llm_error" and "LLMError" in (run.trace.error or "")
    assert run.trace.llm_calls[-1].error is not None


async def test_an_unreadable_plan_becomes_one_step_and_is_noted() -> None:
    llm = ScriptedLLM(["no plan here", 'Action: exit("N/A")'])
    env = PageEnv()
    run = await PlanAndActAgent(llm).arun("find the refund policy", env, await env.reset("x"))
    assert run.answer == "N/A"
    assert run.plans == [Plan(steps=["do the task: find the refund policy"]).text()]
    assert "no `## Step`" in run.trace.plan_fallbacks[0]


async def test_script_agent_replays_and_reports_a_bad_action() -> None:
    env = PageEnv()
    run = await ScriptAgent(["click(2)", 'exit("$32")', "click(1)"]).arun("x", env, await env.reset("x"))
    assert run.answer == "$32" and run.steps == 2
    run = await ScriptAgent(["click(2)", "klick(1)"]).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "parse_failures" and "klick" in run.parse_failures[0]
    run = await ScriptAgent(["click(2)"]).arun("x", env, await env.reset("x"))
    assert run.stop_reason == "script_end"



async def test_a_replan_with_facts_but_no_steps_left_asks_for_the_answer() -> None:
    llm = ScriptedLLM(
        ["## Step 1\nopen page 2", "Action: click(2)", "## Found\n- order 8 costs $32", 'Action: exit("$32")']
    )
    env = PageEnv()
    run = await PlanAndActAgent(llm).arun("x", env, await env.reset("x"))
    assert run.answer == "$32"
    assert run.plans[-1] == '## Found\n- order 8 costs $32\n## Step 1\ngive the answer with exit("...")'
    assert 'Current step: give the answer with exit("...")' in llm.calls[-1][0].content
