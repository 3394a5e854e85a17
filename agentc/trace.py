"""What a run did, as plain data that round-trips through JSON.

Times are seconds since the run started (`Trace.started_at` is the wall-clock
start). A task's `observation` is kept as the tool returned it; in JSON, a
value JSON cannot hold is written as its `repr`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, Field

from agentc.consent import ConsentDecision

TaskStatus = Literal["pending", "running", "done", "error", "skipped", "cancelled"]


@dataclass
class TaskRecord:
    """One tool call, from dispatch to observation.

    `plan` is the index in `Trace.plans` of the plan that holds the task
    (compiler); `step` is the index in `Trace.steps` of the model step that
    asked for it (step-wise agents: ReAct, parallel FC). The other is None.
    A plain dataclass rather than a pydantic model: the scheduler updates
    records several times per task, and attribute writes here are cheap.
    """

    idx: int
    tool: str
    args: dict[str, Any]
    deps: list[int]
    thought: str | None = None
    plan: int | None = None
    step: int | None = None
    status: TaskStatus = "pending"
    started_at: float | None = None
    finished_at: float | None = None
    observation: Any = None
    error: str | None = None
    attempts: int = 0
    same_as: int | None = None

    @property
    def duration(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def copy(self) -> "TaskRecord":
        return replace(self)


class LLMCall(BaseModel):
    """One call to an LLM: who asked, what came back, and what it cost."""

    role: str
    prompt: list[dict[str, str]] = Field(default_factory=list)
    completion: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started_at: float = 0.0
    first_token_at: float | None = None
    finished_at: float | None = None
    error: str | None = None


class Trace(BaseModel):
    """Everything a run recorded; survives the run's failure (errors carry it).

    Each agent style fills the fields of its kind: a planner's plan texts go
    to `plans` and the reasons for writing another to `replan_reasons`; a
    step-wise agent's model steps go to `steps`; a plan a planner could not
    use as written, and what it did instead, to `plan_fallbacks`.
    """

    question: str = ""
    started_at: float = Field(default_factory=time.time)
    plans: list[str] = Field(default_factory=list)
    """The text of each plan, in order (compiler, Plan-and-Act)."""
    steps: list[str] = Field(default_factory=list)
    """The text of each model step, in order (ReAct, parallel FC)."""
    offered_tools: list[str] | None = None
    """The tools the planner was shown, when a tool selector chose them."""
    replan_reasons: list[str] = Field(default_factory=list)
    """Why each plan after the first was asked for."""
    plan_fallbacks: list[str] = Field(default_factory=list)
    """Each plan that could not be used as written, and what was done instead."""
    consents: list[ConsentDecision] = Field(default_factory=list)
    """Every approval asked for a side-effect call, with its answer, in order."""
    tasks: list[TaskRecord] = Field(default_factory=list)
    llm_calls: list[LLMCall] = Field(default_factory=list)
    answer: str | None = None
    answer_task: int | None = None
    """Set when the answer is this task's result (`join($N)`), with no joiner call."""
    error: str | None = None
    finished_at: float | None = None

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.llm_calls)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.llm_calls)

    def task(self, idx: int) -> TaskRecord:
        for record in self.tasks:
            if record.idx == idx:
                return record
        raise KeyError(f"the trace has no task {idx}")

    def to_json(self, **dump: Any) -> str:
        data = self.model_dump(mode="python")
        return json.dumps(data, default=repr, ensure_ascii=False, **dump)

    @classmethod
    def from_json(cls, text: str) -> "Trace":
        return cls.model_validate_json(text)

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.to_json(indent=2))
