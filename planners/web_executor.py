"""`WebExecutorAgent`: the executor-only baseline — ReAct over the browser, no plan.

Each step the model sees the task, its action history and the page, and
writes a thought and one action; the action runs and the loop repeats until
`exit(...)` or a loop guard (the same `web_episode.Episode` guards as
Plan-and-Act). It is what Plan-and-Act is measured against: the same
executor prompt shape and the same grammar, minus the planner and replanner.
"""

from __future__ import annotations

from agentc.envs.web.env import BrowserEnv
from agentc.envs.web.observation import Observation
from agentc.errors import LLMError
from agentc.llm import LLM
from agentc.planners.web_episode import Episode, Executor, Guards
from agentc.planners.web_run import WebRun


class WebExecutorAgent:
    """One LLM call per browser action, with the history in every prompt.

    The options mean what they mean for `PlanAndActAgent`.
    """

    def __init__(
        self,
        llm: LLM,
        *,
        max_steps: int = 30,
        max_repeats: int = 3,
        max_parse_failures: int = 3,
        max_page_chars: int = 4000,
        grammar: bool = True,
        action_tokens: int = 120,
    ) -> None:
        self.llm = llm
        self.guards = Guards(max_steps, max_repeats, max_parse_failures)
        self.executor = Executor(llm, "web_react", max_page_chars, grammar, action_tokens)

    async def arun(self, task_intent: str, env: BrowserEnv, start: Observation) -> WebRun:
        """Play one episode from `start`; never raises for the model's mistakes
        or a failing LLM backend (the run's `stop_reason` and trace say what happened)."""
        episode = Episode(task_intent, start, self.guards)
        try:
            while not episode.finished:
                await episode.act_on(env, await self.executor.ask(episode))
        except LLMError as exc:
            return episode.fail("llm_error", exc)
        return episode.run
