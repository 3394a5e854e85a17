"""What every retriever shares: the `Retriever` protocol and the data it takes.

A retriever ranks tools for a query. It only needs a tool's name and
description (`ToolLike`), so it works on `agentc.tools.Tool`, on LangChain
tools, and on the `ToolCard`s the evaluation loaders build from data sets.
Usage examples are `Example(query, tools)`: a query and the tools it needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol, Sequence, runtime_checkable

from agentc.retrieval.errors import RetrievalError


@runtime_checkable
class ToolLike(Protocol):
    """Anything with a name and a description: all a retriever reads of a tool."""

    name: str
    description: str


@dataclass(frozen=True)
class ToolCard:
    """A tool known only by its text, as in a data set's catalog.

    `parameters` is the tool's argument schema when the data set has one; the
    retrievers ignore it, prompt-size measurements use it.
    """

    name: str
    description: str
    parameters: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Example:
    """One usage example: a query and the names of the tools it needed."""

    query: str
    tools: tuple[str, ...]


Examples = Iterable[Example] | Mapping[str, Sequence[str]]
"""`Example`s, or a mapping from a tool's name to its example queries."""


@runtime_checkable
class Retriever(Protocol):
    """Ranks tools for a query.

    `fit` learns from the tools and usage examples; `add_tool` makes one more
    tool retrievable at once, without refitting; `search` returns
    `(tool_name, score)` pairs, best first; `save` writes a directory that
    `load` (a classmethod) or `agentc.retrieval.load_retriever` reads back.
    """

    @property
    def tool_names(self) -> list[str]: ...

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None: ...

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None: ...

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]: ...

    def save(self, path: str | Path) -> None: ...

    @classmethod
    def load(cls, path: str | Path, encoder: Any = None) -> "Retriever": ...


def as_examples(examples: Examples) -> list[Example]:
    """Normalise either form of usage examples to a list of `Example`s.

    The same query listed under several tools (mapping form) becomes one
    multi-tool example, so a multi-label learner sees it once.
    """
    if isinstance(examples, Mapping):
        by_query: dict[str, list[str]] = {}
        for name, queries in examples.items():
            if isinstance(queries, str):
                queries = [queries]
            for query in queries:
                names = by_query.setdefault(query, [])
                if name not in names:
                    names.append(name)
        return [Example(query, tuple(names)) for query, names in by_query.items()]
    result = []
    for example in examples:
        if not isinstance(example, Example):
            raise RetrievalError(
                f"usage example {example!r} is not an Example(query, tools); "
                "pass Example objects or a mapping {tool_name: [queries]}"
            )
        result.append(example)
    return result


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def split_name(name: str) -> str:
    """`getHealthWorkforce` / `get_health_workforce` -> `get health workforce`.

    Tool names carry meaning in their parts; an encoder or BM25 sees the parts
    only once the identifier is split.
    """
    spaced = _CAMEL.sub(" ", name)
    return " ".join(re.split(r"[_\-\s.&/]+", spaced)).strip().lower()


def tool_text(tool: ToolLike) -> str:
    """The text that stands for a tool when only its name and description are known."""
    description = " ".join((tool.description or "").split())
    return f"{split_name(tool.name)}: {description}" if description else split_name(tool.name)


def check_unique(tools: Sequence[ToolLike]) -> None:
    """Two tools with one name would make search results ambiguous."""
    seen: set[str] = set()
    for tool in tools:
        if tool.name in seen:
            raise RetrievalError(f"two tools are named {tool.name!r}; give each tool a unique name before fit")
        seen.add(tool.name)
