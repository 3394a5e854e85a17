"""agentc: agents built like compilers.

A planner writes a plan of tool calls, the plan becomes a task DAG, a Task
Fetching Unit dispatches every task whose inputs are ready, and a joiner
answers or asks for a new plan.
"""

from agentc.errors import (
    AgentcError,
    JoinerError,
    LLMError,
    PlanError,
    RunError,
    ToolArgumentError,
    ToolDefinitionError,
    ToolError,
    ToolTimeoutError,
)
from agentc.tools import Tool, ToolRegistry, tool

__all__ = [
    "AgentcError",
    "JoinerError",
    "LLMError",
    "PlanError",
    "RunError",
    "Tool",
    "ToolArgumentError",
    "ToolDefinitionError",
    "ToolError",
    "ToolRegistry",
    "ToolTimeoutError",
    "tool",
]

from agentc.agent import Agent, RunResult  # noqa: E402  (after the tools it wires)

__all__ += ["Agent", "RunResult"]
