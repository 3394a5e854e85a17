"""The LLMCompiler agent style: its planning loop and its planner and joiner prompts."""

from agentc.planners.llmcompiler.planner import GrammarBuilder, LLMCompilerPlanner, ToolSelector
from agentc.planners.llmcompiler.prompts import format_history, joiner_messages, planner_messages, planner_system_prompt

__all__ = [
    "GrammarBuilder",
    "LLMCompilerPlanner",
    "ToolSelector",
    "format_history",
    "joiner_messages",
    "planner_messages",
    "planner_system_prompt",
]
