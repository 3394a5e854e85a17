"""`PlaywrightEnv`: Chromium driven by Playwright (async), the `BrowserEnv` agents act in.

`reset(url, sites=...)` opens a fresh context and page; `step(action)` performs
one action and returns the next `Observation`. Bad actions (syntax, unknown id,
element gone, navigation failure, a URL outside the task's sites) come back as
an observation with `error` set, never as an exception, so an agent can read
the error and try again.

Three promises hold whatever the page or the agent does:

- the browser reaches only the task's sites (`sandbox.Sandbox`): `goto` is
  checked before any request, and every request of the context is routed
  through the same check, so a link, form or script that leaves them fails;
- a page that stops answering (a busy script) cannot hang a step: each step
  has a deadline (`step_timeout`), after which the page is closed and the
  episode ends with `timed_out` set;
- Ctrl-C in the terminal does not kill the browser under a running episode
  (Playwright is told not to handle SIGINT; Chromium runs in its own process
  group), so the caller decides how to stop; a browser that died anyway is
  relaunched by the next `reset`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Sequence

from agentc.envs.web.actions import Action, ActionSyntaxError, parse_action
from agentc.envs.web.errors import PageStuckError
from agentc.envs.web.observation import Observation
from agentc.envs.web.sandbox import Sandbox

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE_TEXT_JS = (Path(__file__).parent / "page_text.js").read_text()
ACTION_TIMEOUT_MS = 3000
NAVIGATION_TIMEOUT_MS = 15000
STEP_TIMEOUT_S = 30.0
"""The most one step (action, page load, observation) may take; longer means the page is stuck."""
CLOSE_TIMEOUT_S = 5.0
"""The most closing a stuck page may take before the whole browser is relaunched."""
CHARS_PER_TOKEN = 4


class PlaywrightEnv:
    """One browser, one page at a time. Create with `await PlaywrightEnv.launch()`.

    It satisfies `agentc.envs.web.env.BrowserEnv` (`observe`, `step`) and adds
    what only a real browser has: `reset`, the live `page` the evaluators read,
    the sandbox and the deadlines.

    `screenshots_dir` may be changed between episodes (e.g. one folder per
    task); when set, every observation saves `step_NNN.png` there.
    """

    def __init__(
        self,
        playwright: Any,
        browser: Any,
        *,
        token_budget: int,
        screenshots_dir: Path | None,
        launch_options: dict[str, Any] | None = None,
        step_timeout: float = STEP_TIMEOUT_S,
    ) -> None:
        self._playwright = playwright
        self._browser = browser
        self._launch_options = launch_options or {}
        self._context: Any = None
        self.page: Any = None
        self.token_budget = token_budget
        self.screenshots_dir = screenshots_dir
        self.step_timeout = step_timeout
        """Seconds one `step` (or `reset`) may take before the page counts as stuck and is closed."""
        self.sandbox = Sandbox(frozenset())
        self.steps = 0
        self.done = False
        self.answer: str | None = None
        self.timed_out: str | None = None
        """Why the episode ended on a stuck page (the page is closed), or None."""
        self._blocked: list[str] = []
        self._window = _TextWindow()

    @classmethod
    async def launch(
        cls,
        *,
        executable_path: str | None = None,
        headless: bool = True,
        token_budget: int = 2000,
        screenshots_dir: Path | None = None,
    ) -> PlaywrightEnv:
        """Start Chromium (`/usr/bin/chromium` when present, else Playwright's own)."""
        from playwright.async_api import async_playwright

        if executable_path is None and DEBIAN_CHROMIUM.exists():
            executable_path = str(DEBIAN_CHROMIUM)
        playwright = await async_playwright().start()
        args = CHROMIUM_ARGS if headless else [a for a in CHROMIUM_ARGS if a != "--headless"]
        # handle_sigint=False: Ctrl-C is the caller's to handle; by default Playwright closes the browser on it
        options = {"executable_path": executable_path, "headless": headless, "args": args, "handle_sigint": False}
        try:
            browser = await playwright.chromium.launch(**options)
        except BaseException:
            await playwright.stop()
            raise
        return cls(playwright, browser, token_budget=token_budget, screenshots_dir=screenshots_dir, launch_options=options)

    @property
    def alive(self) -> bool:
        """Whether the browser process is still there."""
        return bool(self._browser.is_connected())

    async def reset(self, url: str, *, sites: Sequence[str] | None = None) -> Observation:
        """Close the previous page, open a fresh context at `url`, return the first observation.

        `sites` are the URLs the episode may reach (the task's URL map); by
        default only `url`'s own site. A browser that died is relaunched first.
        A start page that cannot be opened raises (there is no episode to
        report on): `PageStuckError` when it does not answer within `step_timeout`.
        """
        from playwright.async_api import Error as PlaywrightError

        if self._context is not None:
            await self._close_context()
        if not self.alive:
            await self._relaunch()
        self.sandbox = Sandbox.of(list(sites) if sites is not None else [url])
        try:
            self._context = await self._new_context()
        except PlaywrightError:  # the browser died, and Playwright has not noticed yet
            await self._relaunch()
            self._context = await self._new_context()
        self._context.set_default_timeout(ACTION_TIMEOUT_MS)
        self._context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        await self._context.route("**/*", self._guard)
        self.page = await self._context.new_page()
        self.steps = 0
        self.done = False
        self.answer = None
        self.timed_out = None
        self._blocked = []
        try:
            return await asyncio.wait_for(self._open(url), self.step_timeout)
        except TimeoutError:
            await self._close_context()
            raise PageStuckError(f"the start page {url} did not answer within {self.step_timeout:g} s; it was closed") from None

    async def _new_context(self) -> Any:
        return await self._browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block", accept_downloads=False
        )

    async def _open(self, url: str) -> Observation:
        await self.page.goto(url)
        return await self.observe()

    async def _guard(self, route: Any) -> None:
        """Let a request through when the sandbox allows its URL; else stop it.

        A refused navigation of the main frame is answered `204 No Content`,
        which leaves the page where it was, and remembered so the step can say
        why nothing happened; any other refused request is aborted.
        """
        request = route.request
        if self.sandbox.allows(request.url):
            await route.fallback()
        elif request.is_navigation_request() and request.frame.parent_frame is None:
            self._blocked.append(request.url)
            await route.fulfill(status=204)
        else:
            await route.abort("blockedbyclient")

    async def abandon(self) -> None:
        """Close the current page without reading it (its task ran out of time); the next `reset` starts afresh."""
        self.done = True
        await self._close_context()

    async def _close_context(self) -> None:
        """Close the current context; if even that does not answer, relaunch the browser."""
        context, self._context = self._context, None
        if context is None:
            return
        try:
            await asyncio.wait_for(context.close(), CLOSE_TIMEOUT_S)
        except Exception:  # it hangs, or its browser is gone: either way a new browser is the way on
            await self._relaunch()

    async def _relaunch(self) -> None:
        """Start a new browser in place of one that died (or would not close a page)."""
        old = self._browser
        try:
            await asyncio.wait_for(old.close(), CLOSE_TIMEOUT_S)
        except Exception:  # already gone or stuck; the new browser replaces it either way
            pass
        self._browser = await self._playwright.chromium.launch(**self._launch_options)

    async def step(self, action: str | Action) -> Observation:
        """Perform one action; errors are returned in `Observation.error`."""
        from playwright.async_api import Error as PlaywrightError

        if self.page is None:
            raise RuntimeError("PlaywrightEnv.step called before reset(url)")
        self.steps += 1
        if self.timed_out:
            return self._closed_observation(f"the page was closed: {self.timed_out}; call reset(url)")
        try:
            return await asyncio.wait_for(self._step(action), self.step_timeout)
        except TimeoutError:
            shown = action if isinstance(action, str) else str(action)
            self.timed_out = f"{shown} did not finish within {self.step_timeout:g} s (a script keeps the page busy?)"
            await self._close_context()
            self.done = True
            return self._closed_observation(f"{self.timed_out}; the page was closed and the episode ended")

    async def _step(self, action: str | Action) -> Observation:
        from playwright.async_api import Error as PlaywrightError

        if self.done:
            return await self.observe(error="the episode has already ended with exit(...); call reset(url)")
        try:
            parsed = action if isinstance(action, Action) else parse_action(action)
        except ActionSyntaxError as exc:
            return await self.observe(error=str(exc))
        self._blocked = []
        try:
            error = await self._perform(parsed)
        except PlaywrightError as exc:
            error = f"{parsed} failed: {_first_line(exc)}"
        await self._settle()
        if self._blocked and error is None:
            error = f"{parsed} was stopped: {self.sandbox.refusal(self._blocked[0])}"
        if not self.sandbox.allows(self.page.url):  # got there past the routing (a redirect): show nothing of it
            refusal = self.sandbox.refusal(self.page.url)
            await self.page.goto("about:blank")
            error = error or f"{parsed} led outside the task's sites, so the page was cleared: {refusal}"
        return await self.observe(error=error)

    def _closed_observation(self, error: str) -> Observation:
        """What is left to see after a stuck page was closed: its last URL and the error."""
        return Observation(
            url=self.page.url, title="", text="", error=error, done=True, answer=self.answer, step=self.steps
        )

    async def _perform(self, action: Action) -> str | None:
        """Carry out `action` on the page; return an error message for the agent or None."""
        name, args = action.name, action.args
        if name == "exit":
            self.done, self.answer = True, args[0]
            return None
        if name == "scroll":
            return await self._scroll(args[0])
        if name == "goto":
            refusal = self.sandbox.refusal(args[0])
            if refusal is not None:
                return f"{action}: {refusal}"
            await self.page.goto(args[0])
            return None
        if name == "go_back":
            if await self.page.go_back() is None:
                return "go_back(): there is no previous page in this tab"
            return None
        if name == "press":
            focused = self.page.locator(":focus")
            if await focused.count():
                await focused.first.press(args[0])  # waits for a navigation the key starts
            else:
                await self.page.keyboard.press(args[0])
            return None
        element = self.page.locator(f'[data-agentc-id="{args[0]}"]')
        if await element.count() == 0:
            return f"{action}: no element with id {args[0]} on this page; use an id shown in the current observation"
        element = element.first
        if name == "click":
            await element.click()
        elif name == "hover":
            await element.hover()
        elif name == "type":
            tag = await element.evaluate("(el) => el.tagName.toLowerCase()")
            if tag in ("input", "textarea"):
                await element.fill(args[1])
            else:
                await element.click()
                await self.page.keyboard.type(args[1])
        elif name == "select":
            tag = await element.evaluate("(el) => el.tagName.toLowerCase()")
            if tag != "select":
                return f"{action}: element {args[0]} is a <{tag}>, not a <select>"
            options = await element.evaluate("(el) => Array.from(el.options).map((o) => [o.text.trim(), o.value])")
            for text, value in options:
                if args[1] in (text, value):
                    await element.select_option(value=value)
                    return None
            shown = ", ".join(repr(text) for text, _ in options)
            return f"{action}: no option {args[1]!r}; options are {shown}"
        return None

    async def _scroll(self, direction: str) -> str | None:
        """Move the observation window by one screenful of lines, and the page with it."""
        window = self._window
        if direction == "down":
            if window.start + window.shown >= len(window.tops):
                return "scroll(down): already at the end of the page"
            window.starts.append(window.start + window.shown)
        else:
            if len(window.starts) == 1:
                return "scroll(up): already at the top of the page"
            window.starts.pop()
        await self.page.evaluate("(y) => window.scrollTo(0, y)", window.tops[window.start] if window.start else 0)
        return None

    async def _settle(self) -> None:
        """Wait for a navigation the action started to finish loading."""
        from playwright.async_api import Error as PlaywrightError

        try:
            await self.page.wait_for_load_state("domcontentloaded")
        except PlaywrightError:
            pass  # the next observation reports whatever page is there

    async def observe(self, error: str | None = None) -> Observation:
        """Observe the current page without acting (`error` is carried into the observation)."""
        from playwright.async_api import Error as PlaywrightError

        if self.page is None:
            raise RuntimeError("PlaywrightEnv.observe called before reset(url)")
        budget = self.token_budget * CHARS_PER_TOKEN
        text, aria, title = "", "", ""
        for attempt in range(3):
            try:
                snapshot = await self.page.evaluate(PAGE_TEXT_JS)
                text = self._window.render(self.page.url, snapshot["lines"], budget)
                aria = _trim(await self.page.locator("body").aria_snapshot(), budget)
                title = await self.page.title()
                break
            except PlaywrightError as exc:
                if attempt == 2 or "context was destroyed" not in str(exc):
                    error = error or f"the page could not be read: {_first_line(exc)}"
                    break
                await self._settle()  # a navigation replaced the page mid-read; read the new one
        screenshot = None
        if self.screenshots_dir is not None:
            self.screenshots_dir.mkdir(parents=True, exist_ok=True)
            path = self.screenshots_dir / f"step_{self.steps:03d}.png"
            await self.page.screenshot(path=str(path))
            screenshot = str(path)
        return Observation(
            url=self.page.url, title=title, text=text, aria=aria, error=error,
            done=self.done, answer=self.answer, step=self.steps, screenshot=screenshot,
        )

    async def close(self) -> None:
        """Close the context, browser and Playwright (each bounded: a stuck page cannot hold this up)."""
        try:
            if self.alive:  # a browser that died has nothing left to close
                await self._close_context()
                try:
                    await asyncio.wait_for(self._browser.close(), CLOSE_TIMEOUT_S)
                except TimeoutError:
                    pass  # stopping Playwright below ends its driver, and the browser with it
        finally:
            await self._playwright.stop()

    async def __aenter__(self) -> PlaywrightEnv:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class _TextWindow:
    """Which lines of the page the observation shows; `scroll` moves it a screenful at a time.

    `starts` is a stack of first-line indexes (one per scroll down), so scrolling
    up returns exactly to the previous view. A new URL starts at the top again.
    """

    def __init__(self) -> None:
        self.url = ""
        self.starts = [0]
        self.shown = 0
        self.tops: list[float] = []

    @property
    def start(self) -> int:
        return self.starts[-1]

    def render(self, url: str, lines: list[dict[str, Any]], budget: int) -> str:
        """The page's lines from the window's start, cut to `budget` characters."""
        if url != self.url:
            self.url, self.starts = url, [0]
        self.tops = [line["top"] for line in lines]
        while len(self.starts) > 1 and self.start >= len(lines):
            self.starts.pop()
        header = f"[{self.start} lines above; scroll(up) to see them]\n" if self.start else ""
        used, shown = len(header), 0
        for line in lines[self.start :]:
            if shown and used + len(line["text"]) + 1 > budget:
                break
            used += len(line["text"]) + 1
            shown += 1
        self.shown = shown
        text = header + "\n".join(line["text"][:budget] for line in lines[self.start : self.start + shown])
        if self.start + shown < len(lines):
            text += f"\n[{len(lines) - self.start - shown} more lines; scroll(down) to see them]"
        return text


def _trim(text: str, budget: int, hint: str = "") -> str:
    """Cut `text` at a line boundary to at most `budget` characters, saying so."""
    if len(text) <= budget:
        return text
    cut = text.rfind("\n", 0, budget)
    cut = cut if cut > 0 else budget
    return text[:cut] + f"\n[page truncated{hint}]"


def _first_line(exc: BaseException) -> str:
    """The first line of a Playwright error (the rest is a call log)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
