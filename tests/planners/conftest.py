"""Real sites on 127.0.0.1 and a real Chromium for the web agent tests."""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import pytest

from agentc.envs.sites import RunningSites, start_sites
from agentc.envs.web.browser import PlaywrightEnv


@pytest.fixture(scope="module")
def sites() -> Iterator[RunningSites]:
    """The shop, forum and admin sites, seeded with seed 0, for one test module."""
    with start_sites(0) as running:
        yield running


@pytest.fixture
async def env(sites: RunningSites) -> AsyncIterator[PlaywrightEnv]:
    """A fresh browser, over freshly reset sites."""
    sites.reset()
    async with await PlaywrightEnv.launch() as browser:
        yield browser
