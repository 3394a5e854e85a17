"""`WebExecutorAgent`: the executor-only baseline — ReAct over the browser, no plan.

Each step the model sees the task, its action history and the page, and
writes a thought and one action; the action runs and the loop repeats until
`exit(...)` or a loop guard (the same `web_episode.Episode` guards as
Plan-and-Act). It is what Plan-and-Act is measured against: the same
executor prompt shape and the same grammar, minus the planner and replanner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentc.errors import LLMError
from agentc.llm import LLM, Message
from agentc.planners.templates import fill, load_template
from agentc.planners.web_episode import Episode, Guards, history_lines, read_action_step
from agentc.planners.web_grammar import max_element_id, step_grammar_gbnf
from agentc.planners.web_run import WebRun

if TYPE_CHECKING:
    from agentc.envs.web.browser import BrowserEnv
    from agentc.envs.web.observation import Observation


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
        self.max_page_chars = max_page_chars
        self.grammar = grammar
        self.action_tokens = action_tokens

    async def arun(self, task_intent: str, env: "BrowserEnv", start: "Observation") -> WebRun:
        """Play one episode from `start`; never raises for the model's mistakes
        or a failing LLM backend (the run's `stop_reason` and trace say what happened)."""
        episode = Episode(task_intent, start, self.guards)
        try:
            while not episode.finished:
                output = await self._ask(episode)
                try:
                    thought, action = read_action_step(output)
                except ValueError as exc:
                    episode.parse_failed(output, str(exc))
                    continue
                await episode.act(env, action, thought=thought)
        except LLMError as exc:
            return episode.fail("llm_error", exc)
        return episode.run

    async def _ask(self, episode: Episode) -> str:
        error = episode.take_error()
        prompt = fill(
            load_template("web_react"),
            actions=load_template("web_actions").strip(),
            intent=episode.run.intent,
            history=history_lines(episode.run),
            error=f"\nError: {error}\n" if error else "",
            page=episode.observation.as_prompt(self.max_page_chars),
        )
        options: dict[str, object] = {"max_tokens": self.action_tokens, "stop": ["\nObservation:", "\nThought:"]}
        if self.grammar:
            options["grammar"] = step_grammar_gbnf(max_element_id(episode.observation.text))
        return await episode.complete("executor", self.llm, [Message("user", prompt)], **options)
