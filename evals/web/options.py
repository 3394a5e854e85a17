"""`WebEvalOptions`: how every web task of a run is played, as plain data.

The options travel to every worker (Ray ships them to other processes), and
`setup()` is what makes two runs comparable: it is stored with every result,
and a results file of another setup is refused rather than mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from agentc.backends import BackendOptions

if TYPE_CHECKING:
    from agentc.llm import LLM

AgentKind = Literal["plan-and-act", "executor", "oracle"]
AGENTS: tuple[str, ...] = ("plan-and-act", "executor", "oracle")
SCRIPTED_ORACLE = "scripted-oracle"
"""How results name the scripted model (`backend.scripted`: `--model scripted`),
which drives an LLM agent with the task's oracle trajectory
(`web_oracle.oracle_completions`): the orchestration with perfect outputs."""


@dataclass(frozen=True)
class WebEvalOptions:
    """How every task is played; plain data, so it travels to Ray workers.

    `backend` is the model the LLM agents use (`agentc.backends`), or the
    scripted one (`backend.scripted`); its `grammar` constrains their outputs.
    `screenshots_dir` gets one folder of step screenshots per task.
    `url_map` maps site names to URLs when tasks run against an existing
    deployment (a user's WebArena) instead of our own sites. The deadlines
    are not part of `setup()`: a task that times out is a failed result,
    and changing a deadline does not make earlier results incomparable.
    """

    agent: AgentKind = "oracle"
    backend: BackendOptions = BackendOptions()
    max_steps: int = 30
    seed: int = 0
    token_budget: int = 2000
    screenshots_dir: str | None = None
    replan_every_step: bool = True
    plan_tokens: int = 320
    url_map: dict[str, str] = field(default_factory=dict)
    step_timeout: float = 30.0
    """Seconds one browser action may take; a page stuck longer is closed and its task times out."""
    task_timeout: float = 1800.0
    """Seconds one task may take in all (agent, browser and scoring); then it is recorded as timed out."""

    @property
    def scripted(self) -> bool:
        """Whether the task's oracle trajectory plays the agent (or the model) instead of an LLM."""
        return self.agent == "oracle" or self.backend.scripted

    def setup(self) -> dict[str, Any]:
        """What makes two runs comparable: stored with every result."""
        return {
            "agent": self.agent,
            "llm": self.llm_label(),
            "max_steps": self.max_steps,
            "seed": self.seed,
            "grammar": self.backend.grammar,
            "replan_every_step": self.replan_every_step,
            "plan_tokens": self.plan_tokens,
        }

    def llm_label(self) -> str | None:
        """The model that plays, named without loading it: the local model
        (the bundled default when `model` is None) or "NAME at BASE_URL";
        None for the oracle agent, which has no model."""
        if self.agent == "oracle":
            return None
        backend = self.backend
        if backend.scripted:
            return SCRIPTED_ORACLE
        return f"{backend.server_model()} at {backend.base_url}" if backend.base_url else backend.local_model()

    def make_llm(self) -> LLM:
        """The LLM `model` names (loaded once per worker)."""
        from agentc.backends import build_backend

        return build_backend(self.backend).llm
