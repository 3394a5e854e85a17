"""`ScriptedLLM`: a real LLM backend that replays completions it was given.

It is a test double for isolating orchestration from model speed and quality,
in tests and benchmarks; it is never a default. Pacing follows an absolute
schedule (time to first token, then one token every 1/tokens_per_second), so
the timing does not drift however slow the event loop is.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Callable

from agentc.errors import LLMError
from agentc.llm.base import LLMChunk, Message, Usage, count_tokens, find_stop, split_tokens

Script = str | Callable[[list[Message]], str]


class ScriptedLLM:
    """Returns `completions` in order, one per call.

    Each item is a string, or a function of the messages that returns one (for
    answers that depend on what the agent asked). `ttft` is the delay before
    the first token; `tokens_per_second` paces the rest (None: all at once).
    `calls` keeps the messages of every call and `grammars` the grammar each
    was asked to follow (None: free), for assertions.
    """

    def __init__(
        self,
        completions: list[Script],
        *,
        ttft: float = 0.0,
        tokens_per_second: float | None = None,
    ) -> None:
        if tokens_per_second is not None and tokens_per_second <= 0:
            raise ValueError("tokens_per_second must be positive or None")
        self.completions = list(completions)
        self.ttft = ttft
        self.tokens_per_second = tokens_per_second
        self.calls: list[list[Message]] = []
        self.grammars: list[str | None] = []

    async def stream(
        self,
        messages: list[Message],
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        grammar: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMChunk]:
        call_number = len(self.calls) + 1
        if call_number > len(self.completions):
            raise LLMError(
                f"ScriptedLLM was called {call_number} times but was given "
                f"{len(self.completions)} completion(s); add one per expected call"
            )
        self.calls.append(list(messages))
        self.grammars.append(grammar)
        script = self.completions[call_number - 1]
        text = script(messages) if callable(script) else script
        cut = find_stop(text, stop)
        text = text if cut is None else text[:cut]
        tokens = split_tokens(text)
        if max_tokens is not None:
            tokens = _first_n_tokens(tokens, max_tokens)
        start = time.perf_counter()
        sent = 0
        while sent < len(tokens):
            due = self._due_count(time.perf_counter() - start, len(tokens))
            if due <= sent:
                await asyncio.sleep(self._time_of(sent) - (time.perf_counter() - start))
                continue
            yield LLMChunk("".join(tokens[sent:due]))
            sent = due
        prompt = count_tokens(" ".join(m.content for m in messages))
        completion = sum(1 for t in tokens if t.strip())
        yield LLMChunk("", usage=Usage(prompt, completion))

    def _time_of(self, index: int) -> float:
        """Seconds after the call's start at which token `index` is due."""
        step = 0.0 if self.tokens_per_second is None else 1.0 / self.tokens_per_second
        return self.ttft + index * step

    def _due_count(self, elapsed: float, total: int) -> int:
        """How many tokens are due `elapsed` seconds after the call's start."""
        if elapsed < self.ttft:
            return 0
        if self.tokens_per_second is None:
            return total
        return min(total, int((elapsed - self.ttft) * self.tokens_per_second) + 1)


def _first_n_tokens(tokens: list[str], n: int) -> list[str]:
    kept: list[str] = []
    counted = 0
    for t in tokens:
        if t.strip():
            if counted == n:
                break
            counted += 1
        kept.append(t)
    return kept
