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
class LLMStarted:
    """An LLM call began: `role` is "planner", "joiner" or a step-wise
    agent's role. A local model may read its prompt for many seconds before
    the first token; this says the wait has begun."""

    role: str
    kind: str = "llm_started"


@dataclass(frozen=True)
class LLMTokens:
    """A piece of an LLM call's completion as it streams. `tokens` counts the
    call's pieces so far (a backend streams about one token a piece): a
    cheap progress count for live displays."""

    role: str
    text: str
    tokens: int
    kind: str = "llm_tokens"


@dataclass(frozen=True)
class LLMFinished:
    """An LLM call ended; `tokens` is its completion's token count."""

    role: str
    tokens: int
    kind: str = "llm_finished"


@dataclass(frozen=True)
class FinalAnswer:
    answer: str
    trace: "Trace"
    kind: str = "answer"


Event = Union[PlanText, TaskStarted, TaskFinished, Replanning, LLMStarted, LLMTokens, LLMFinished, FinalAnswer]
