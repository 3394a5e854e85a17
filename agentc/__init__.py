"""agentc: agents built like compilers.

A planner writes a plan of tool calls, the plan becomes a task DAG, a Task
Fetching Unit dispatches every task whose inputs are ready, and a joiner
answers or asks for a new plan.
"""

from agentc.agent import Agent
from agentc.conversation import Conversation, Turn
from agentc.errors import (
    AgentcError,
    BudgetExceeded,
    JoinerError,
    LLMError,
    OutputError,
    PlanError,
    RunError,
    ToolArgumentError,
    ToolDefinitionError,
    ToolError,
    ToolTimeoutError,
)
from agentc.result import PlanResult, RunResult
from agentc.tools import Tool, ToolRegistry, tool

__all__ = [
    "Agent",
    "AgentcError",
    "Conversation",
    "BudgetExceeded",
    "JoinerError",
    "LLMError",
    "OutputError",
    "PlanError",
    "PlanResult",
    "RunError",
    "RunResult",
    "Tool",
    "ToolArgumentError",
    "ToolDefinitionError",
    "ToolError",
    "ToolRegistry",
    "ToolTimeoutError",
    "Turn",
    "tool",
]
