"""What a run hands back: `RunResult` (an answer) and `PlanResult` (a plan, not run).

They live in the core so every agent style in `agentc.planners` returns the
same types without importing `agentc.agent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentc.errors import PlanError
from agentc.plan import Task
from agentc.trace import Trace


@dataclass
class RunResult:
    """What `arun` returns: the answer and the trace of the run that found it.

    With an `output_type`, `output` is the answer as a validated object of
    that type and `answer` its JSON text; without one, `output` is None."""

    answer: str
    trace: Trace
    output: Any = None


@dataclass
class PlanResult:
    """What `aplan` returns: the checked tasks of one plan, not run.

    `error` is the `PlanError` that stopped the plan, if any; `tasks` then
    holds the tasks checked before it.
    """

    tasks: list[Task]
    text: str
    trace: Trace
    error: PlanError | None = None

    @property
    def valid(self) -> bool:
        return self.error is None
