"""Every browser action on the real sites, error observations, trimming and screenshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from agentc.envs.sites import RunningSites
from agentc.envs.web.actions import Action
from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.observation import Observation

pytestmark = pytest.mark.asyncio(loop_scope="module")


def id_of(obs: Observation, pattern: str) -> int:
    """The id of the first element whose observation line matches `pattern`."""
    match = re.search(r"\[(\d+)\] " + pattern, obs.text)
    assert match, f"no element matching {pattern!r} in:\n{obs.text}"
    return int(match.group(1))


async def test_observation_has_ids_text_and_aria(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    obs = await browser.reset(fresh.urls["shop"] + "/product/3")
    assert obs.title.startswith("Compact Hoodie")
    assert "[8] <button> Add to cart" in obs.text
    assert '<select name=quantity value="1"> options: 1 | 2 | 3 | 4 | 5' in obs.text
    assert 'heading "Compact Hoodie"' in obs.aria
    assert obs.error is None and not obs.done and obs.step == 0
    again = await browser.observe()
    assert again.text == obs.text, "ids are stable for the same DOM"
    prompt = obs.as_prompt(max_chars=120)
    assert prompt.startswith(f"URL: {obs.url}") and len(prompt) <= 120


async def test_type_press_click_select_and_go_back(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    obs = await browser.reset(fresh.urls["shop"] + "/")
    obs = await browser.step(f'type({id_of(obs, "<input type=text name=q")}, "Lamp")')
    assert 'value="Lamp"' in obs.text and obs.error is None
    obs = await browser.step('press("Enter")')
    assert obs.url.endswith("/search?q=Lamp") and "Trail Lamp" in obs.text
    obs = await browser.step(Action("click", (id_of(obs, "<a> Trail Lamp"),)))
    assert obs.title.startswith("Trail Lamp")
    obs = await browser.step(f'select({id_of(obs, "<select name=quantity")}, "3")')
    assert '<select name=quantity value="3">' in obs.text
    obs = await browser.step(f"click({id_of(obs, '<button> Add to cart')})")
    assert obs.url.endswith("/cart") and "Cart (3)" in obs.text
    obs = await browser.step("go_back()")
    assert "/product/" in obs.url and obs.error is None
    conn = fresh.db("shop")
    assert conn.execute("SELECT quantity FROM cart_items").fetchall() == [(3,)]
    conn.close()


async def test_hover_scroll_goto_and_exit(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    obs = await browser.reset(fresh.urls["admin"] + "/")
    obs = await browser.step(f"hover({id_of(obs, '<a> Sales report')})")
    assert obs.error is None
    hovered = await browser.page.evaluate("() => document.querySelector('a:hover')?.textContent")
    assert hovered == "Sales report"
    obs = await browser.step(f'goto("{fresh.urls["admin"]}/sales?start=2024-03-01&end=2024-03-31")')
    assert "Page 1 of 3" in obs.text
    browser.token_budget = 100
    try:
        top = await browser.observe()
        assert "more lines; scroll(down) to see them]" in top.text
        down = await browser.step("scroll(down)")
        assert "lines above; scroll(up)" in down.text and down.text != top.text
        up = await browser.step("scroll(up)")
        assert up.text == top.text
        again = await browser.step("scroll(up)")
        assert again.error == "scroll(up): already at the top of the page"
    finally:
        browser.token_budget = 2000
    obs = await browser.step('exit("42")')
    assert obs.done and obs.answer == "42"
    after = await browser.step("click(1)")
    assert after.error and "already ended" in after.error


@pytest.mark.parametrize(
    ("action", "error"),
    [
        ("click(999)", "no element with id 999"),
        ("select(1, 'x')", "not a <select>"),
        ("dance()", "unknown action 'dance'"),
        ("click(one)", "element id must be a number"),
        ('goto("http://127.0.0.1:1/")', "goto"),
        ('press("NotAKey")', "press"),
    ],
)
async def test_bad_actions_return_error_observations(browser: PlaywrightEnv, fresh: RunningSites, action: str, error: str) -> None:
    await browser.reset(fresh.urls["forum"] + "/")
    obs = await browser.step(action)
    assert obs.error is not None and error in obs.error
    assert not obs.done


async def test_select_reports_the_options_when_one_is_missing(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    obs = await browser.reset(fresh.urls["forum"] + "/submit")
    obs = await browser.step(f"select({id_of(obs, '<select name=forum')}, 'gardening')")
    assert obs.error is not None and "no option 'gardening'" in obs.error and "'cooking'" in obs.error


async def test_element_gone_after_navigation_is_an_error(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    obs = await browser.reset(fresh.urls["shop"] + "/product/1")
    add = id_of(obs, "<button> Add to cart")
    await browser.step(f"click({add})")
    obs = await browser.step(f"click({add + 5})")
    assert obs.error is not None and "no element with id" in obs.error


async def test_go_back_without_history_is_an_error(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    await browser.reset(fresh.urls["shop"] + "/")
    obs = await browser.step("go_back()")
    assert obs.error is not None and "no previous page" in obs.error


async def test_screenshots_are_saved_per_step(browser: PlaywrightEnv, fresh: RunningSites, tmp_path: Path) -> None:
    browser.screenshots_dir = tmp_path
    try:
        first = await browser.reset(fresh.urls["forum"] + "/")
        second = await browser.step("scroll(down)")
    finally:
        browser.screenshots_dir = None
    assert first.screenshot == str(tmp_path / "step_000.png")
    assert second.screenshot == str(tmp_path / "step_001.png")
    assert Path(second.screenshot).read_bytes().startswith(b"\x89PNG")
