"""`ScriptAgent`: replays a fixed list of browser actions — the oracle agent.

A task's scripted oracle trajectory (`WebTask.oracle`) or a MiniWoB++
solution computed from the page is replayed through the same `Episode`
bookkeeping as the LLM agents, so `agentc eval web --agent oracle` proves
every task solvable and measures the runner with no model in the loop. An
action that does not parse stops the episode as a parse failure, naming it.
"""

from __future__ import annotations

from typing import Sequence

from agentc.envs.web.actions import ActionSyntaxError, parse_action
from agentc.envs.web.env import BrowserEnv
from agentc.envs.web.observation import Observation
from agentc.planners.web_episode import Episode, Guards
from agentc.planners.web_run import WebRun


class ScriptAgent:
    """Plays `actions` in order (texts such as `click(12)`), until `exit(...)`
    or the script ends (stop reason "script_end")."""

    def __init__(self, actions: Sequence[str], *, max_steps: int = 100) -> None:
        self.actions = list(actions)
        self.max_steps = max(max_steps, len(self.actions), 1)

    async def arun(self, task_intent: str, env: BrowserEnv, start: Observation) -> WebRun:
        episode = Episode(task_intent, start, Guards(self.max_steps, max_repeats=self.max_steps + 1, max_parse_failures=1))
        for text in self.actions:
            try:
                action = parse_action(text)
            except ActionSyntaxError as exc:
                episode.parse_failed(text, str(exc))
                return episode.run
            await episode.act(env, action)
            if episode.finished:
                return episode.run
        return episode.stop("script_end")


def oracle_completions(actions: Sequence[str], *, plan_and_act: bool, replan_every_step: bool = True) -> list[str]:
    """The completions that make an LLM agent play `actions` exactly: the
    scripted oracle planner (with `ScriptedLLM`), which runs the whole
    orchestration — plan, executor, replanner, guards — with perfect outputs.

    For Plan-and-Act: a plan with one `## Step` per action, then each executor
    output followed (after every action but the last, when replanning) by a
    replanned plan of the steps left. A trajectory that does not end with
    `exit(...)` gets `exit("done")`, so the episode ends with an answer.
    """
    script = list(actions)
    if not script or not script[-1].strip().startswith("exit("):
        script.append('exit("done")')
    steps = [f"do {action}" for action in script]

    def plan(first: int) -> str:
        return "\n".join(f"## Step {n}\n{step}" for n, step in enumerate(steps[first:], start=1))

    completions: list[str] = [plan(0)] if plan_and_act else []
    for index, action in enumerate(script):
        completions.append(f"Thought: step {index + 1} of the known trajectory\nAction: {action}")
        if plan_and_act and replan_every_step and index + 1 < len(script):
            completions.append(plan(index + 1))
    return completions
