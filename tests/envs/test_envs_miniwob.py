"""MiniWoB++ from the miniwob package's HTML: seeded episodes scored by the task's own reward."""

from __future__ import annotations

import re

import pytest
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.miniwob import (
    MiniWoBError,
    miniwob_instruction,
    miniwob_oracle,
    miniwob_reward,
    miniwob_tasks,
    open_miniwob,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
SCRIPTED = ["click-test", "click-button", "click-link", "focus-text", "enter-text", "login-user",
            "enter-password", "choose-list", "click-checkboxes", "click-option"]


@pytest.mark.parametrize("name", SCRIPTED)
async def test_scripted_trajectories_earn_reward(browser: PlaywrightEnv, name: str) -> None:
    obs = await open_miniwob(browser, name, seed=3)
    assert obs.url.startswith("file://") and obs.url.endswith(f"{name}.html")
    assert await miniwob_reward(browser) == 0.0
    for action in await miniwob_oracle(browser, name) or []:
        obs = await browser.step(action)
        assert obs.error is None, obs.error
    assert await miniwob_reward(browser) > 0


async def test_same_seed_same_episode(browser: PlaywrightEnv) -> None:
    await open_miniwob(browser, "enter-text", seed=11)
    first = await miniwob_instruction(browser)
    await open_miniwob(browser, "enter-text", seed=11)
    assert await miniwob_instruction(browser) == first
    await open_miniwob(browser, "enter-text", seed=12)
    assert await miniwob_instruction(browser) != first


async def test_wrong_answer_earns_negative_reward(browser: PlaywrightEnv) -> None:
    await open_miniwob(browser, "enter-text", seed=5)
    actions = await miniwob_oracle(browser, "enter-text")
    assert actions is not None
    field_id = actions[0].split("(")[1].split(",")[0]
    await browser.step(f'type({field_id}, "definitely wrong")')
    await browser.step(actions[1])
    assert await miniwob_reward(browser) < 0


async def test_every_supported_task_opens(browser: PlaywrightEnv) -> None:
    names = miniwob_tasks()
    assert set(SCRIPTED) <= set(names)
    for name in names:
        obs = await open_miniwob(browser, name, seed=0)
        assert obs.error is None and re.search(r"\[\d+\] <", obs.text), name
        assert await miniwob_instruction(browser)
    with pytest.raises(MiniWoBError, match="no MiniWoB\\+\\+ task 'fly-a-plane'"):
        await open_miniwob(browser, "fly-a-plane", seed=0)
