"""The local sites: seeded deterministically, served on free ports, reset to the seed."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from agentc.envs.sites import RunningSites, start_sites
from agentc.envs.web.browser import PlaywrightEnv


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_sites_serve_their_pages(sites: RunningSites) -> None:
    assert set(sites.urls) == {"shop", "forum", "admin"}
    assert len({url.rsplit(":", 1)[1] for url in sites.urls.values()}) == 3
    assert "Search results for" in fetch(sites.urls["shop"] + "/search?q=Mug")
    assert "Page 1 of 3" in fetch(sites.urls["shop"] + "/orders")
    assert "Comments (" in fetch(sites.urls["forum"] + "/post/1")
    assert "must look like 2024-03-31" in fetch(sites.urls["admin"] + "/sales?start=March")
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(sites.urls["shop"] + "/product/9999")
    assert missing.value.code == 404


def test_same_seed_same_data_other_seed_other_data(sites: RunningSites) -> None:
    query = "SELECT name, price FROM products ORDER BY id"
    with start_sites(0) as same, start_sites(1) as other:
        rows = [s.db("shop").execute(query).fetchall() for s in (sites, same, other)]
    assert rows[0] == rows[1]
    assert rows[0] != rows[2]


@pytest.mark.asyncio(loop_scope="module")
async def test_reset_restores_the_seeded_state(browser: PlaywrightEnv, fresh: RunningSites) -> None:
    conn = fresh.db("forum")
    before = conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    await browser.reset(fresh.urls["forum"] + "/submit")
    page = browser.page
    await page.select_option("#forum", "books")
    await page.fill("#title", "A post to be undone")
    await page.click("text=Create post")
    assert conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == before + 1

    started = time.perf_counter()
    fresh.reset()
    elapsed = time.perf_counter() - started
    print(f"\nsites reset took {elapsed * 1000:.1f} ms")
    assert conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == before
    assert "A post to be undone" not in fetch(fresh.urls["forum"] + "/")
    conn.close()


def test_db_connections_are_read_only(sites: RunningSites) -> None:
    conn = sites.db("shop")
    with pytest.raises(Exception, match="readonly"):
        conn.execute("DELETE FROM products")
    conn.close()
    with pytest.raises(KeyError, match="unknown site 'blog'"):
        sites.db("blog")
