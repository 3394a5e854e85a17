"""What the agent sees after each browser step.

An `Observation` is plain data (no page handles) so traces can store it as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Observation:
    """One view of the browser after a step.

    `text` is the cleaned page: one line per visible text run or interactive
    element, interactive elements prefixed by their stable numeric id, e.g.
    `[12] <button> Add to cart`, trimmed to the environment's token budget.
    `aria` is the ARIA snapshot of the page body, trimmed the same way.
    `error` is set when the last action failed (unknown id, element gone, bad
    syntax, navigation failure); the page itself is unchanged in that case.
    `done`/`answer` are set after `exit(message)`.
    """

    url: str
    title: str
    text: str
    aria: str = ""
    error: str | None = None
    done: bool = False
    answer: str | None = None
    step: int = 0
    screenshot: str | None = None

    def as_prompt(self, max_chars: int | None = None) -> str:
        """Render the observation as prompt text for an LLM, cut to `max_chars`."""
        parts = [f"URL: {self.url}", f"Title: {self.title}"]
        if self.error:
            parts.append(f"Error from last action: {self.error}")
        if self.done:
            parts.append(f"Finished with answer: {self.answer}")
        parts.append("Page:")
        parts.append(self.text)
        rendered = "\n".join(parts)
        if max_chars is not None and len(rendered) > max_chars:
            rendered = rendered[: max(0, max_chars - 12)] + "\n[truncated]"
        return rendered

    def to_dict(self) -> dict[str, Any]:
        """The observation as a JSON-ready dict."""
        return asdict(self)
