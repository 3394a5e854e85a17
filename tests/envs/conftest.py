"""Real sites on 127.0.0.1 and one real Chromium shared by a test module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from agentc.envs.sites import RunningSites, start_sites
from agentc.envs.web.browser import PlaywrightEnv


@pytest.fixture(scope="module")
def sites() -> Iterator[RunningSites]:
    """The shop, forum and admin sites seeded with seed 0."""
    with start_sites(0) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[PlaywrightEnv]:
    """One Chromium for the whole module; each test starts its own episode with reset(url)."""
    async with await PlaywrightEnv.launch() as env:
        yield env


@pytest.fixture
def fresh(sites: RunningSites) -> RunningSites:
    """The sites, reset to their seed before the test."""
    sites.reset()
    return sites
