"""`ToolRegistry`: the set of tools a plan may call, by name."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from agentc.errors import ToolDefinitionError
from agentc.tools.convert import as_tool
from agentc.tools.tool import Tool


RESERVED_NAMES = frozenset({"join"})
"""Names the plan language keeps for itself: `N. join()` ends a plan, so a
tool named `join` could never be called with no arguments."""


class ToolRegistry:
    """Tools by name. Two tools with one name are an error naming both sources.

    Every name is one a plan can call (`Tool` refuses the others when it is
    made; a LangChain name like `get-weather` is registered as `get_weather`)
    and none is reserved (`RESERVED_NAMES`).
    """

    def __init__(self, tools: Iterable[Any] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for item in tools:
            self.add(item)

    def add(self, item: Any) -> Tool:
        """Add a `Tool`, a LangChain `BaseTool` or a plain function."""
        new = as_tool(item)
        if new.name in RESERVED_NAMES:
            raise ToolDefinitionError(
                f"a tool cannot be named {new.name!r} ({new.source or '?'}): the plan language uses "
                f"`N. {new.name}()` itself; rename it with @tool(name=...)"
            )
        old = self._tools.get(new.name)
        if old is not None and old is not new:
            raise ToolDefinitionError(
                f"two tools are named {new.name!r}: one from {old.source or '?'}, one from "
                f"{new.source or '?'}; rename one with @tool(name=...)"
            )
        self._tools[new.name] = new
        return new

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def __getitem__(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise KeyError(f"no tool named {name!r}; known tools: {', '.join(sorted(self._tools)) or 'none'}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def json_schemas(self) -> list[dict[str, Any]]:
        """Every tool in OpenAI's function-calling format."""
        return [t.json_schema() for t in self._tools.values()]
