"""Tools: `@tool`, `Tool`, `ToolRegistry`, and LangChain interop."""

from agentc.tools.convert import as_tool
from agentc.tools.registry import ToolRegistry
from agentc.tools.tool import Tool, tool

__all__ = ["Tool", "ToolRegistry", "as_tool", "tool"]
