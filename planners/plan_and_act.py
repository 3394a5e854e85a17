"""`PlanAndActAgent`: a planner writes high-level steps, an executor turns the
current step into one browser action, and a replanner rewrites the plan after
every action (Plan-and-Act, Erdogan et al., ICML 2025).

    agent = PlanAndActAgent(llm, max_steps=30)
    run = await agent.arun(task.intent, env, await env.reset(task.start_url))

The plan is text the model reads and writes:

    ## Found
    - order 170 cost $53.96
    ## Step 1
    open the next page of the order history
    ## Step 2
    exit("$53.96")

`## Step 1` is always the current step: the replanner drops steps that are
done and keeps what the pages showed under `## Found`, so a fact seen three
pages ago is still in the prompt when the answer is written (facts the
replanner leaves out are put back). With `replan_every_step=False` the
first plan stays as written and the executor works out the current step
from its action history (the static-plan ablation). Loop guards and LLM call
records are shared with the executor-only baseline (`web_episode.Episode`).
On llama.cpp backends, GBNF grammars (`web_grammar`) constrain every output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agentc.envs.web.env import BrowserEnv
from agentc.envs.web.observation import Observation
from agentc.errors import LLMError
from agentc.llm import LLM, Message
from agentc.planners.templates import fill, load_template
from agentc.planners.web_episode import Episode, Executor, Guards, history_lines
from agentc.planners.web_grammar import plan_grammar_gbnf
from agentc.planners.web_run import WebRun

_HEADING = re.compile(r"^\s*#{1,4}\s*(Step\s*\d+|Found)\s*:?\s*(.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:Step\s*)?\d+[.):]\s+(.+)$", re.IGNORECASE)


@dataclass
class Plan:
    """What was found so far and the steps left; `steps[0]` is the current step."""

    facts: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The plan in the form the prompts show and the model writes."""
        lines = []
        if self.facts:
            lines.append("## Found")
            lines.extend(f"- {fact}" for fact in self.facts)
        for n, step in enumerate(self.steps, start=1):
            lines.extend([f"## Step {n}", step])
        return "\n".join(lines)


def read_plan(text: str) -> Plan:
    """Read a plan: `## Found` bullet lines and `## Step N` blocks (a step's
    text may follow its heading on the same line or the next lines). A text
    without headings is read as numbered lines (`1. ...`). An empty `steps`
    means nothing readable was there."""
    plan = Plan()
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            section = "found" if heading.group(1).lower() == "found" else "step"
            rest = heading.group(2).strip()
            if section == "step":
                plan.steps.append(rest)
            elif rest:
                plan.facts.append(rest.lstrip("-* ").strip())
            continue
        if section == "found":
            plan.facts.append(line.lstrip("-* ").strip())
        elif section == "step":
            plan.steps[-1] = f"{plan.steps[-1]} {line}".strip()
    plan.steps = [s for s in plan.steps if s]
    plan.facts = [f for f in plan.facts if f]
    if not plan.steps and section is None:
        plan.steps = [m.group(1).strip() for m in map(_NUMBERED.match, text.splitlines()) if m]
    return plan


class PlanAndActAgent:
    """Plan, then one action per executor call, replanning after each action.

    `max_steps` bounds browser actions; `max_repeats` stops an episode when
    the same action ran that many times in a row and left the page as it
    was; `max_parse_failures`
    bounds executor outputs that are not an action (each is shown to the
    model once). `max_page_chars` cuts the page in every prompt;
    `grammar=False` leaves llama.cpp outputs unconstrained.
    """

    def __init__(
        self,
        llm: LLM,
        *,
        max_steps: int = 30,
        replan_every_step: bool = True,
        max_repeats: int = 3,
        max_parse_failures: int = 3,
        max_plan_steps: int = 8,
        max_page_chars: int = 4000,
        grammar: bool = True,
        plan_tokens: int = 320,
        action_tokens: int = 120,
    ) -> None:
        if max_plan_steps < 1:
            raise ValueError("max_plan_steps must be 1 or more")
        self.llm = llm
        self.guards = Guards(max_steps, max_repeats, max_parse_failures)
        self.replan_every_step = replan_every_step
        self.max_plan_steps = max_plan_steps
        self.max_page_chars = max_page_chars
        self.grammar = grammar
        self.plan_tokens = plan_tokens
        self.executor = Executor(llm, "web_executor", max_page_chars, grammar, action_tokens)

    async def arun(self, task_intent: str, env: BrowserEnv, start: Observation) -> WebRun:
        """Play one episode from `start`; never raises for the model's mistakes
        or a failing LLM backend (the run's `stop_reason` and trace say what happened)."""
        episode = Episode(task_intent, start, self.guards)
        try:
            plan = await self._plan(episode)
            while not episode.finished:
                plan = await self._step(episode, env, plan)
        except LLMError as exc:
            return episode.fail("llm_error", exc)
        return episode.run

    async def _step(self, episode: Episode, env: BrowserEnv, plan: Plan) -> Plan:
        """One executor call and its action; then the replanned plan."""
        current = plan.steps[0] if self.replan_every_step else "the first step of the plan that the actions so far have not done"
        output = await self.executor.ask(episode, plan=plan.text(), current=current)
        acted = await episode.act_on(env, output, plan_step=plan.steps[0] if self.replan_every_step else None)
        if not acted or episode.finished or not self.replan_every_step:
            return plan
        return await self._replan(episode, plan)

    async def _plan(self, episode: Episode) -> Plan:
        prompt = fill(
            load_template("web_planner"),
            actions=load_template("web_actions").strip(),
            intent=episode.run.intent,
            page=episode.observation.as_prompt(self.max_page_chars),
        )
        text = await episode.complete("planner", self.llm, [Message("user", prompt)], **self._plan_options())
        plan = read_plan(text)
        if not plan.steps:
            episode.run.trace.plan_fallbacks.append("the plan held no `## Step`; planning the whole task as one step")
            plan = Plan(steps=[f"do the task: {episode.run.intent}"])
        return self._keep(episode, plan)

    async def _replan(self, episode: Episode, before: Plan) -> Plan:
        prompt = fill(
            load_template("web_replanner"),
            intent=episode.run.intent,
            plan=before.text(),
            history=history_lines(episode.run),
            page=episode.observation.as_prompt(self.max_page_chars),
        )
        text = await episode.complete("replanner", self.llm, [Message("user", prompt)], **self._plan_options())
        plan = read_plan(text)
        if not plan.steps and plan.facts:
            plan.steps = ['give the answer with exit("...")']
        elif not plan.steps:
            episode.run.trace.plan_fallbacks.append("the new plan held no `## Step`; kept the previous plan")
            plan = Plan(facts=list(before.facts), steps=list(before.steps))
        plan.facts = before.facts + [f for f in plan.facts if f not in before.facts]
        return self._keep(episode, plan)

    def _plan_options(self) -> dict[str, object]:
        options: dict[str, object] = {"max_tokens": self.plan_tokens}
        if self.grammar:
            options["grammar"] = plan_grammar_gbnf(self.max_plan_steps)
        return options

    def _keep(self, episode: Episode, plan: Plan) -> Plan:
        plan.steps = plan.steps[: self.max_plan_steps]
        episode.run.plans.append(plan.text())
        episode.run.trace.plans.append(plan.text())
        return plan

