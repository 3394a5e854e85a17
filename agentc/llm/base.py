"""The one seam between agentc and any language model.

A backend is anything with an async `stream(...)` method that yields
`LLMChunk`s (see `LLM`). Backends never inherit from each other; the
`complete` helper turns a stream into one `Completion` for callers that do
not need tokens as they arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable, Literal, Protocol, Sequence, Union, runtime_checkable

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class Usage:
    """Token counts of one completion, as the backend reports them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class LLMChunk:
    """A piece of a streamed completion. The last chunk may carry `usage`."""

    text: str
    usage: Usage | None = None


@dataclass
class Completion:
    """A whole completion: its text, its token counts and when tokens came."""

    text: str
    usage: Usage = field(default_factory=Usage)
    first_token_s: float | None = None


@runtime_checkable
class LLM(Protocol):
    """An async, streaming chat model.

    `grammar` is a GBNF grammar and `json_schema` a JSON schema the output
    must follow; backends that cannot constrain output ignore both (callers
    still parse and check what comes back). `stop` ends the completion before
    the first occurrence of any of its strings.
    """

    def stream(
        self,
        messages: list[Message],
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        grammar: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMChunk]: ...


JoinerGrammar = Union[str, Callable[[Sequence[Message]], str]]
"""A joiner grammar: fixed GBNF text, or GBNF built for each joiner call from
the messages it is sent (so it can hold what the tools returned)."""


@runtime_checkable
class Grammars(Protocol):
    """A backend that brings the grammars of its own decoding.

    A small local model left free writes plans the parser must reject; one
    held to a grammar cannot. A backend that can constrain its output (the
    in-process llama.cpp one) offers the plan and joiner grammars here, and
    `Agent` uses them unless told otherwise, so `Agent(load_local_llm(),
    tools)` decodes right with no extra arguments.
    """

    def plan_grammar(self, tools: Sequence[Any], first_id: int, max_tasks: int) -> str:
        """The grammar of every valid plan over `tools`, ids from `first_id`."""
        ...

    def joiner_grammar(self, output_schema: dict[str, Any] | None = None) -> JoinerGrammar:
        """The grammar of a joiner decision; with `output_schema` (the JSON
        schema of a typed answer, see `agentc.output`) the answer inside
        `Finish(...)` is JSON that fits it."""
        ...


async def complete(llm: LLM, messages: list[Message], **options: Any) -> Completion:
    """Run `llm.stream` to its end and gather the text and usage."""
    import time

    start = time.perf_counter()
    parts: list[str] = []
    usage: Usage | None = None
    first: float | None = None
    async for chunk in llm.stream(messages, **options):
        if chunk.text:
            if first is None:
                first = time.perf_counter() - start
            parts.append(chunk.text)
        if chunk.usage is not None:
            usage = chunk.usage
    text = "".join(parts)
    if usage is None:
        usage = Usage(count_tokens(" ".join(m.content for m in messages)), count_tokens(text))
    return Completion(text=text, usage=usage, first_token_s=first)


_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")


def split_tokens(text: str) -> list[str]:
    """Split text into word-and-punctuation pieces that join back to `text`.

    Used by backends that do not report their own token counts (and by
    `ScriptedLLM` to pace its output); close to a BPE count for English.
    """
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    """Estimated token count of `text` (see `split_tokens`)."""
    return sum(1 for piece in split_tokens(text) if piece.strip())


def find_stop(text: str, stops: list[str] | None) -> int | None:
    """Where the earliest stop string starts in `text`, or None."""
    found = [at for at in (text.find(s) for s in stops or [] if s) if at != -1]
    return min(found) if found else None


def stop_prefix_length(text: str, stops: list[str] | None) -> int:
    """Length of the longest end of `text` that could still grow into a stop
    string: a streaming backend holds that much back until the next token
    decides, so a stop string is never half-sent."""
    longest = 0
    for s in stops or []:
        for n in range(min(len(s) - 1, len(text)), longest, -1):
            if text.endswith(s[:n]):
                longest = n
                break
    return longest
