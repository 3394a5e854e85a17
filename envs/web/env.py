"""`BrowserEnv`: the browser as a web agent sees it — observe the page, take one action.

Agents (`agentc.planners.plan_and_act`, `agentc.planners.web_executor`, the
oracle replayer) are written against this Protocol, not against Playwright,
so the same agent plays on a real Chromium (`browser.PlaywrightEnv`), on a
MiniWoB++ page (`miniwob.MiniWoBEnv`, which ends the episode when the task
page does), or on a small in-memory site in a test.
"""

from __future__ import annotations

from typing import Protocol

from agentc.envs.web.actions import Action
from agentc.envs.web.observation import Observation


class BrowserEnv(Protocol):
    """What an agent may do during an episode: look, and act.

    `step` never raises for a bad action: an unknown id, a syntax error or a
    refused URL comes back as `Observation.error`, so the agent can read it
    and try again. An observation with `done` set ends the episode.
    """

    async def observe(self) -> Observation:
        """The current page, without acting."""
        ...

    async def step(self, action: str | Action) -> Observation:
        """Perform one action and return the page after it."""
        ...
