"""`as_tool`: accept a `Tool`, a LangChain `BaseTool` or a function wherever a tool is."""

from __future__ import annotations

import inspect
from typing import Any

from agentc.errors import ToolDefinitionError
from agentc.tools.tool import Tool


def as_tool(item: Any) -> Tool:
    """Return `item` as a `Tool`."""
    if isinstance(item, Tool):
        return item
    if _is_langchain_tool(item):
        from agentc.tools.langchain import from_langchain

        return from_langchain(item)
    if inspect.isfunction(item) or inspect.ismethod(item) or inspect.iscoroutinefunction(item):
        return Tool.from_function(item)
    raise ToolDefinitionError(
        f"{item!r} is not a tool: pass a function, a @tool, or a langchain_core BaseTool"
    )


def _is_langchain_tool(item: Any) -> bool:
    try:
        from langchain_core.tools import BaseTool
    except ImportError:  # langchain-core is a dependency, but keep the check honest
        return False
    return isinstance(item, BaseTool)
