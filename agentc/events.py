"""Events a run emits while it goes, for `Agent.astream` and live displays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from agentc.trace import TaskRecord, Trace


@dataclass(frozen=True)
class PlanText:
    """A piece of plan text as the planner streams it."""

    text: str
    plan: int
    kind: str = "plan_text"


@dataclass(frozen=True)
class TaskStarted:
    record: "TaskRecord"
    kind: str = "task_started"


@dataclass(frozen=True)
class TaskFinished:
    """A task settled: done, error, skipped or cancelled (see `record.status`)."""

    record: "TaskRecord"
    kind: str = "task_finished"


@dataclass(frozen=True)
class Replanning:
    reason: str
    plan: int
    kind: str = "replanning"


@dataclass(frozen=True)
class FinalAnswer:
    answer: str
    trace: "Trace"
    kind: str = "answer"


Event = Union[PlanText, TaskStarted, TaskFinished, Replanning, FinalAnswer]
