"""`BrowserEnv`: Chromium driven by Playwright (async) as an agent environment.

`reset(url)` opens a fresh context and page; `step(action)` performs one action
and returns the next `Observation`. Bad actions (syntax, unknown id, element
gone, navigation failure) come back as an observation with `error` set, never
as an exception, so an agent can read the error and try again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentc.envs.web.actions import Action, ActionSyntaxError, parse_action
from agentc.envs.web.observation import Observation

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE_TEXT_JS = (Path(__file__).parent / "page_text.js").read_text()
ACTION_TIMEOUT_MS = 3000
NAVIGATION_TIMEOUT_MS = 15000
CHARS_PER_TOKEN = 4


class BrowserEnv:
    """One browser, one page at a time. Create with `await BrowserEnv.launch()`.

    `screenshots_dir` may be changed between episodes (e.g. one folder per
    task); when set, every observation saves `step_NNN.png` there.
    """

    def __init__(self, playwright: Any, browser: Any, *, token_budget: int, screenshots_dir: Path | None) -> None:
        self._playwright = playwright
        self._browser = browser
        self._context: Any = None
        self.page: Any = None
        self.token_budget = token_budget
        self.screenshots_dir = screenshots_dir
        self.steps = 0
        self.done = False
        self.answer: str | None = None
        self._window = _TextWindow()

    @classmethod
    async def launch(
        cls,
        *,
        executable_path: str | None = None,
        headless: bool = True,
        token_budget: int = 2000,
        screenshots_dir: Path | None = None,
    ) -> BrowserEnv:
        """Start Chromium (`/usr/bin/chromium` when present, else Playwright's own)."""
        from playwright.async_api import async_playwright

        if executable_path is None and DEBIAN_CHROMIUM.exists():
            executable_path = str(DEBIAN_CHROMIUM)
        playwright = await async_playwright().start()
        try:
            args = CHROMIUM_ARGS if headless else [a for a in CHROMIUM_ARGS if a != "--headless"]
            browser = await playwright.chromium.launch(executable_path=executable_path, headless=headless, args=args)
        except BaseException:
            await playwright.stop()
            raise
        return cls(playwright, browser, token_budget=token_budget, screenshots_dir=screenshots_dir)

    async def reset(self, url: str) -> Observation:
        """Close the previous page, open a fresh context at `url`, return the first observation.

        A URL that cannot be opened raises, since there is no episode to report on.
        """
        if self._context is not None:
            await self._context.close()
        self._context = await self._browser.new_context(viewport={"width": 1280, "height": 900})
        self._context.set_default_timeout(ACTION_TIMEOUT_MS)
        self._context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        self.page = await self._context.new_page()
        self.steps = 0
        self.done = False
        self.answer = None
        await self.page.goto(url)
        return await self.observe()

    async def step(self, action: str | Action) -> Observation:
        """Perform one action; errors are returned in `Observation.error`."""
        from playwright.async_api import Error as PlaywrightError

        if self.page is None:
            raise RuntimeError("BrowserEnv.step called before reset(url)")
        self.steps += 1
        if self.done:
            return await self.observe(error="the episode has already ended with exit(...); call reset(url)")
        try:
            parsed = action if isinstance(action, Action) else parse_action(action)
        except ActionSyntaxError as exc:
            return await self.observe(error=str(exc))
        try:
            error = await self._perform(parsed)
        except PlaywrightError as exc:
            error = f"{parsed} failed: {_first_line(exc)}"
        await self._settle()
        return await self.observe(error=error)

    async def _perform(self, action: Action) -> str | None:
        """Carry out `action` on the page; return an error message for the agent or None."""
        name, args = action.name, action.args
        if name == "exit":
            self.done, self.answer = True, args[0]
            return None
        if name == "scroll":
            return await self._scroll(args[0])
        if name == "goto":
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
            raise RuntimeError("BrowserEnv.observe called before reset(url)")
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
        """Close the context, browser and Playwright."""
        try:
            if self._context is not None:
                await self._context.close()
            await self._browser.close()
        finally:
            await self._playwright.stop()

    async def __aenter__(self) -> BrowserEnv:
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
