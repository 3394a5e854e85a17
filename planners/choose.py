"""`build_agent`: one of the three agent styles by name, for the CLI and benchmarks.

    build_agent("compiler", llm, tools)   # agentc's Agent: plan, run in parallel, join
    build_agent("react", llm, tools)      # ReActAgent: one tool call per LLM call
    build_agent("parallel", llm, tools)   # ParallelFCAgent: independent calls per turn

All three have `run`, `arun` and `astream` and return a `RunResult` with a
`Trace` of the same shape, so a caller can swap them by name.
"""

from __future__ import annotations

from typing import Any, Iterable

from agentc.agent import Agent
from agentc.llm import LLM
from agentc.planners.parallel_fc import ParallelFCAgent
from agentc.planners.react import ReActAgent
from agentc.tools import ToolRegistry

AGENT_KINDS = {"compiler": Agent, "react": ReActAgent, "parallel": ParallelFCAgent}
"""The names `build_agent` takes, and the class each builds."""

AnyAgent = Agent | ReActAgent | ParallelFCAgent


def build_agent(kind: str, llm: LLM, tools: Iterable[Any] | ToolRegistry, **options: Any) -> AnyAgent:
    """An agent of style `kind` ("compiler", "react" or "parallel") on `llm`
    and `tools`; `options` go to that class's constructor unchanged."""
    cls = AGENT_KINDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown agent kind {kind!r}; choose one of: {', '.join(AGENT_KINDS)}")
    try:
        return cls(llm, tools, **options)
    except TypeError as exc:
        raise TypeError(f"{cls.__name__} (agent kind {kind!r}) does not take these options: {exc}") from None
