"""MiniWoB++ tasks from the `miniwob` package's HTML, opened from file:// in `PlaywrightEnv`.

The episode is started with a fixed seed through the task page's own JS core
(`Math.seedrandom`, then `core.startEpisodeReal()`), and scored by the task's
own reward (`WOB_REWARD_GLOBAL`). The page's episode timer is raised so a slow
model is not cut off; the reward's time discount is relative to that limit.
An agent plays the episode through `MiniWoBEnv`, which ends it when the page does.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from agentc.envs.web.actions import Action
from agentc.envs.web.errors import MiniWoBError
from agentc.envs.web.observation import Observation

if TYPE_CHECKING:
    from agentc.envs.web.browser import PlaywrightEnv

EPISODE_MAX_MS = 600_000
SUPPORTED = [
    "click-button", "click-checkboxes", "click-dialog", "click-link", "click-option", "click-test",
    "click-test-2", "choose-list", "enter-password", "enter-text", "enter-text-2", "focus-text",
    "focus-text-2", "login-user", "click-tab", "click-widget", "click-collapsible", "click-button-sequence",
    "enter-text-dynamic", "read-table", "simple-arithmetic", "find-word", "click-menu",
]
"""Tasks solvable with the click/type/select/press actions (no drawing, dragging or canvas)."""


def miniwob_html_dir() -> Path:
    """The `html/miniwob` folder of the installed `miniwob` package."""
    try:
        import miniwob
    except ImportError as exc:
        raise MiniWoBError("MiniWoB++ needs the miniwob package: pip install 'agentc[web]'") from exc
    folder = Path(miniwob.__file__).parent / "html" / "miniwob"
    if not folder.is_dir():
        raise MiniWoBError(f"the installed miniwob package has no HTML tasks at {folder}")
    return folder


def miniwob_tasks() -> list[str]:
    """Names of the MiniWoB++ tasks this environment supports (e.g. "click-button")."""
    folder = miniwob_html_dir()
    return [name for name in SUPPORTED if (folder / f"{name}.html").exists()]


async def open_miniwob(env: PlaywrightEnv, name: str, seed: int) -> Observation:
    """Open task `name` from file://, start an episode with `seed`, return the first observation."""
    path = miniwob_html_dir() / f"{name}.html"
    if not path.exists():
        raise MiniWoBError(f"no MiniWoB++ task {name!r}; supported: {', '.join(miniwob_tasks())}")
    # the task pages load their scripts from sibling folders (../core/), so the sandbox is the whole html folder
    await env.reset(path.as_uri(), sites=[path.parent.parent.as_uri() + "/"])
    await env.page.wait_for_function("() => typeof core !== 'undefined' && core.cover_div !== null")
    await env.page.evaluate(
        "([seed, maxMs]) => { Math.seedrandom(seed); core.EPISODE_MAX_TIME = maxMs; core.startEpisodeReal(); }",
        [str(seed), EPISODE_MAX_MS],
    )
    await env.page.wait_for_function("() => WOB_TASK_READY")
    return await env.observe()


async def miniwob_instruction(env: PlaywrightEnv) -> str:
    """The task's instruction (the `#query` text), e.g. 'Click on the "ok" button.'."""
    return str(await env.page.evaluate("() => core.getUtterance()"))


async def miniwob_reward(env: PlaywrightEnv) -> float:
    """The task's own reward for the current episode (0.0 while it is still running)."""
    return float(await env.page.evaluate("() => WOB_DONE_GLOBAL ? WOB_REWARD_GLOBAL : 0.0"))


async def miniwob_done(env: PlaywrightEnv) -> bool:
    """Whether the task page has ended the episode (solved or failed)."""
    return bool(await env.page.evaluate("() => WOB_DONE_GLOBAL"))


async def _id_of(env: PlaywrightEnv, selector: str) -> int:
    """The observation id of the one element `selector` finds (ids come from the last observation)."""
    found = env.page.locator(selector)
    if await found.count() == 0:
        raise MiniWoBError(f"scripted solution: nothing matches {selector!r} on {env.page.url}")
    value = await found.first.get_attribute("data-agentc-id")
    if value is None:
        raise MiniWoBError(f"scripted solution: {selector!r} has no observation id; observe the page first")
    return int(value)


def _quoted(text: str) -> str:
    """The first double-quoted phrase of an instruction."""
    match = re.search(r'"([^"]*)"', text)
    if not match:
        raise MiniWoBError(f"scripted solution: no quoted phrase in instruction {text!r}")
    return match.group(1)


async def miniwob_oracle(env: PlaywrightEnv, name: str) -> list[str] | None:
    """Scripted actions that solve the open episode of `name`, computed from the page; None if unsupported.

    Call after `open_miniwob` (which observed the page, so elements carry ids).
    """
    query = await miniwob_instruction(env)
    if name == "click-test":
        return [f"click({await _id_of(env, '#subbtn')})"]
    if name == "click-button":
        label = _quoted(query)
        return [f"click({await _id_of(env, f'#area button:text-is({json.dumps(label)})')})"]
    if name == "click-link":
        label = _quoted(query)
        return [f"click({await _id_of(env, f'#area span.alink:text-is({json.dumps(label)})')})"]
    if name == "focus-text":
        return [f"click({await _id_of(env, '#tt')})"]
    if name == "enter-text":
        return [f"type({await _id_of(env, '#tt')}, {json.dumps(_quoted(query))})", f"click({await _id_of(env, '#subbtn')})"]
    if name == "login-user":
        user, password = re.findall(r'"([^"]*)"', query)[:2]
        return [
            f"type({await _id_of(env, '#username')}, {json.dumps(user)})",
            f"type({await _id_of(env, '#password')}, {json.dumps(password)})",
            f"click({await _id_of(env, '#subbtn')})",
        ]
    if name == "enter-password":
        password = _quoted(query)
        return [
            f"type({await _id_of(env, '#password')}, {json.dumps(password)})",
            f"type({await _id_of(env, '#verify')}, {json.dumps(password)})",
            f"click({await _id_of(env, '#subbtn')})",
        ]
    if name == "choose-list":
        match = re.match(r"Select (.+) from the list", query)
        if not match:
            raise MiniWoBError(f"scripted solution: unexpected instruction {query!r}")
        return [f"select({await _id_of(env, '#options')}, {json.dumps(match.group(1))})", f"click({await _id_of(env, '#area button')})"]
    if name in ("click-checkboxes", "click-option"):
        match = re.match(r"Select (.*) and click Submit", query)
        if not match:
            raise MiniWoBError(f"scripted solution: unexpected instruction {query!r}")
        wanted = [] if match.group(1) == "nothing" else [w.strip() for w in match.group(1).split(",")]
        actions = []
        for label in wanted:
            actions.append(f"click({await _id_of(env, f'label:text-is({json.dumps(label)}) input')})")
        return actions + [f"click({await _id_of(env, '#subbtn')})"]
    return None


class MiniWoBEnv:
    """The browser as a MiniWoB++ agent sees it (a `BrowserEnv`): when the task
    page ends its episode (solved or failed), the step's observation says
    `done`, so the agent stops there instead of playing on into the next episode."""

    def __init__(self, env: PlaywrightEnv) -> None:
        self.env = env

    async def observe(self) -> Observation:
        return await self.env.observe()

    async def step(self, action: str | Action) -> Observation:
        observation = await self.env.step(action)
        if not observation.done and await miniwob_done(self.env):
            return dataclasses.replace(observation, done=True, answer=observation.answer or "episode ended")
        return observation
