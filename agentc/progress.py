"""What long-running commands show while they work: the progress bar of
evaluations and web runs, and the status line of a run waiting on a model."""

from __future__ import annotations

import time
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from agentc.events import Event, LLMFinished, LLMStarted, LLMTokens, TaskFinished, TaskStarted


def progress_bar(console: Console) -> Progress:
    """Description, bar, done/total, elapsed and remaining time."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


_DOING = {"planner": "planning", "joiner": "joining", "replanner": "replanning"}
"""What the status line says while an LLM call of each role runs; other roles "thinking"."""


class RunStatus:
    """One line saying what a run is waiting on, folded from its events
    (`agentc.events`): "planning… 37 tokens · running 1/3 tasks · 12 s".

    A local model can read a long prompt for most of a minute before its
    first token, and a run's tasks can take as long again; this line keeps
    the wait visible. It is a rich renderable drawn anew at every refresh,
    so the seconds count up between events; put it in a `Spinner` or a
    `console.status`. `clock` gives seconds (tests pass their own).
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.began = clock()
        self.calling: str | None = None
        """The role of the LLM call in flight, if one is."""
        self.tokens = 0
        self.seen: set[int] = set()
        self.settled: set[int] = set()

    def update(self, event: Event) -> None:
        if isinstance(event, LLMStarted):
            self.calling, self.tokens = event.role, 0
        elif isinstance(event, LLMTokens):
            self.tokens = event.tokens
        elif isinstance(event, LLMFinished):
            self.calling = None
        elif isinstance(event, TaskStarted):
            self.seen.add(event.record.idx)
        elif isinstance(event, TaskFinished):
            self.seen.add(event.record.idx)
            self.settled.add(event.record.idx)

    def text(self) -> str:
        parts = []
        if self.calling is not None:
            doing = _DOING.get(self.calling, "thinking")
            written = f"{self.tokens} token{'s' if self.tokens != 1 else ''}"
            parts.append(f"{doing}… {written}" if self.tokens else f"{doing}… reading the prompt")
        if len(self.settled) < len(self.seen) or (self.seen and self.calling is None):
            parts.append(f"running {len(self.settled)}/{len(self.seen)} tasks")
        if not parts:
            parts.append("starting…")
        parts.append(f"{self.clock() - self.began:.0f} s")
        return " · ".join(parts)

    def __rich__(self) -> Text:
        return Text(self.text(), style="dim")
