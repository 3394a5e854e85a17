"""The browser reaches the task's sites and nothing else, whatever the agent writes or clicks.

Before, `goto("file:///etc/passwd")` put the file in the observation and
`view-source:`, `chrome://`, `data:` and any other host or port were
reachable. Everything here runs on 127.0.0.1: the "outside" is a second
local port and `localhost` (another origin for the same server).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import pytest_asyncio

from agentc.envs.web.browser import PlaywrightEnv

pytestmark = pytest.mark.asyncio(loop_scope="module")


class _Server:
    """A local site that counts the requests it gets."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.hits.append(self.path)
                body = site.pages.get(self.path.split("?")[0])
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if body.startswith("redirect:"):
                    self.send_response(302)
                    self.send_header("Location", body[len("redirect:") :])
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.pages = pages
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def outside() -> Iterator[_Server]:
    """A server that is not one of the task's sites; it must never be asked for anything."""
    server = _Server({"/secret": "<p>SECRET-OUTSIDE</p>", "/pixel": "x"})
    yield server
    server.close()


@pytest.fixture(scope="module")
def site(outside: _Server) -> Iterator[_Server]:
    server = _Server({})
    server.pages.update(
        {
            "/": f"""<title>Home</title><p>home page</p>
                <a href="{outside.url}/secret">other port</a>
                <a href="http://localhost:{server.port}/about">other host</a>
                <a href="file:///etc/passwd">local file</a>
                <a href="/about">about us</a>
                <img src="{outside.url}/pixel">""",
            "/about": "<title>About</title><p>about page</p>",
            "/away": f"redirect:{outside.url}/secret",
        }
    )
    yield server
    server.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[PlaywrightEnv]:
    async with await PlaywrightEnv.launch() as env:
        yield env


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "view-source:file:///etc/passwd",
        "chrome://version",
        "about:version",
        "data:text/html,<p>DATA-PAGE</p>",
        "javascript:document.title='x'",
    ],
)
async def test_goto_outside_the_web_is_an_error_observation(browser: PlaywrightEnv, site: _Server, url: str) -> None:
    await browser.reset(site.url + "/")
    obs = await browser.step(f'goto("{url}")')
    assert obs.error and "not one of this task's sites" in obs.error, obs.error
    assert obs.url == site.url + "/" and "home page" in obs.text
    assert "root:" not in obs.text + obs.aria and "DATA-PAGE" not in obs.text


async def test_another_port_or_host_is_refused_without_a_request(browser: PlaywrightEnv, site: _Server, outside: _Server) -> None:
    await browser.reset(site.url + "/")
    for url in (f"{outside.url}/secret", f"http://localhost:{site.port}/about"):
        obs = await browser.step(f'goto("{url}")')
        assert obs.error and "not one of this task's sites" in obs.error and obs.url == site.url + "/"
    obs = await browser.step(f'goto("{site.url}/about")')
    assert obs.error is None and obs.title == "About"
    assert outside.hits == [], "the outside server was asked for something (an image, a page)"


@pytest.mark.parametrize("link", ["other port", "other host", "local file"])
async def test_clicking_a_link_out_stops_it_and_says_why(browser: PlaywrightEnv, site: _Server, outside: _Server, link: str) -> None:
    obs = await browser.reset(site.url + "/")
    line = next(line for line in obs.text.splitlines() if link in line)
    element = line.split("]")[0].strip("[")
    obs = await browser.step(f"click({element})")
    assert obs.error and "was stopped" in obs.error and "not one of this task's sites" in obs.error, obs.error
    assert obs.url == site.url + "/" and "home page" in obs.text
    assert "SECRET-OUTSIDE" not in obs.text and outside.hits == []


async def test_a_redirect_out_never_shows_the_outside_page(browser: PlaywrightEnv, site: _Server) -> None:
    await browser.reset(site.url + "/")
    obs = await browser.step(f'goto("{site.url}/away")')
    assert "SECRET-OUTSIDE" not in obs.text + obs.aria
    assert obs.error and "outside the task's sites" in obs.error


async def test_the_task_sites_given_to_reset_are_all_reachable(browser: PlaywrightEnv, site: _Server, outside: _Server) -> None:
    await browser.reset(site.url + "/", sites=[site.url, outside.url])
    obs = await browser.step(f'goto("{outside.url}/secret")')
    assert obs.error is None and "SECRET-OUTSIDE" in obs.text


async def test_the_sandbox_compares_whole_origins_and_resolves_dot_dot() -> None:
    from agentc.envs.web.sandbox import Sandbox

    sandbox = Sandbox.of(["http://127.0.0.1:8001/shop", "file:///opt/miniwob/html/"])
    assert sandbox.allows("http://127.0.0.1:8001/anything?x=1") and sandbox.allows("HTTP://127.0.0.1:8001")
    assert not sandbox.allows("http://127.0.0.1:8002/") and not sandbox.allows("https://127.0.0.1:8001/")
    assert not sandbox.allows("http://localhost:8001/") and not sandbox.allows("http://127.0.0.1:8001@evil.test/")
    assert sandbox.allows("file:///opt/miniwob/html/core/core.js")
    assert not sandbox.allows("file:///opt/miniwob/html/../../../etc/passwd")
    assert not sandbox.allows("file:///opt/miniwob/htmlx/a.html") and sandbox.allows("about:blank")
