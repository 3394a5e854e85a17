"""`Agent` as a langchain-core `Runnable`, so it composes in LCEL chains.

Input is the question (a string, or a dict with a "question" key); output is
the answer string. The trace of the latest call is kept on `last_trace`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Optional

from langchain_core.runnables import Runnable, RunnableConfig

if TYPE_CHECKING:
    from agentc.agent import Agent
    from agentc.trace import Trace


class AgentRunnable(Runnable[Any, str]):
    """Wraps an `Agent`; see `Agent.as_runnable()`."""

    def __init__(self, agent: "Agent") -> None:
        self.agent = agent
        self.last_trace: "Trace | None" = None

    def invoke(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> str:
        result = self.agent.run(_question(input))
        self.last_trace = result.trace
        return result.answer

    async def ainvoke(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> str:
        result = await self.agent.arun(_question(input))
        self.last_trace = result.trace
        return result.answer

    async def astream(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> AsyncIterator[str]:
        """Yields the answer once it is known (use `Agent.astream` for task events)."""
        yield await self.ainvoke(input, config, **kwargs)


def _question(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("question"), str):
        return value["question"]
    raise TypeError(f"an agent takes a question string or {{'question': str}}, not {type(value).__name__}")
