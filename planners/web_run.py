"""`WebRun`: what one web episode did, as plain data that round-trips through JSON.

Every web agent (Plan-and-Act, the executor-only baseline, the oracle
replayer) returns one from `arun(intent, env, start)`, so the evaluation
stores, compares and reports them alike. The LLM calls live in an agentc `Trace` (same record as every other
agent style); the browser side is one `WebStep` per action.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from agentc.trace import Trace

StopReason = Literal["exit", "max_steps", "repeated_action", "parse_failures", "llm_error", "script_end", "timeout"]
"""Why an episode ended: the agent wrote `exit(...)`; a loop guard fired
(too many actions, the same action again and again, too many unreadable
outputs); the LLM backend failed; a replayed script ran out of actions; or
the page stopped answering and was closed (the runner sets "timeout")."""


class WebStep(BaseModel):
    """One browser action and what the page looked like after it."""

    step: int
    action: str
    url: str = ""
    title: str = ""
    error: str | None = None
    """The environment's error observation (unknown id, element gone, ...)."""
    screenshot: str | None = None
    plan_step: str | None = None
    """The plan step the action was written for (Plan-and-Act only)."""
    thought: str | None = None
    seconds: float = 0.0
    """How long the environment took to perform the action and observe the page."""


class WebRun(BaseModel):
    """One episode: the answer, every action, every plan, the LLM calls and why it stopped."""

    intent: str
    answer: str | None = None
    stop_reason: StopReason | None = None
    start_url: str = ""
    actions: list[WebStep] = Field(default_factory=list)
    plans: list[str] = Field(default_factory=list)
    """The plan text after the first planning and after every replanning."""
    parse_failures: list[str] = Field(default_factory=list)
    """Each executor output that was not an action, with the reason."""
    trace: Trace = Field(default_factory=Trace)

    @property
    def steps(self) -> int:
        """How many browser actions ran."""
        return len(self.actions)

    @property
    def replans(self) -> int:
        """How many times the plan was rewritten after the first one."""
        return max(0, len(self.plans) - 1)

    def to_json(self, **dump: Any) -> str:
        return json.dumps(self.model_dump(mode="python"), default=repr, ensure_ascii=False, **dump)

    @classmethod
    def from_json(cls, text: str) -> "WebRun":
        return cls.model_validate_json(text)

