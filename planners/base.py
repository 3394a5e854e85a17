"""`Planner`: the one protocol every agent style implements.

The compiler (`LLMCompilerPlanner`, which `agentc.Agent` composes) and the
ReAct and parallel-FC baselines answer a question the same way from the
caller's side: `arun` for the answer and its trace,
`astream` for the events as they happen, and `run` as the sync wrapper. A
caller (the CLI, a benchmark race) swaps styles through this protocol only.
The web agents (Plan-and-Act) act in a browser environment rather than
answer from tools, and have their own entry point.
"""

from __future__ import annotations

from typing import AsyncIterator, Protocol, runtime_checkable

from agentc.events import Event
from agentc.result import RunResult


@runtime_checkable
class Planner(Protocol):
    """An agent style: a question in, a `RunResult` (answer and `Trace`) out.

    Errors are `AgentcError`s that carry the run's trace.
    """

    async def arun(self, question: str) -> RunResult: ...

    def astream(self, question: str) -> AsyncIterator[Event]: ...

    def run(self, question: str) -> RunResult: ...
