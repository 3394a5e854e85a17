"""The errors the function-calling evaluation raises, under `AgentcError`.

    AgentcError
    └── EvalError            an evaluation cannot go on
        └── EvalDataError    a data set or results file is missing or malformed
                             (names the file, the line or item, and the fix)

They live here rather than in `agentc/errors.py` because the evaluation is
a tool around agentc, not part of a run: the core never raises them.
"""

from __future__ import annotations

from agentc.errors import AgentcError


class EvalError(AgentcError):
    """Base class of every error raised by `agentc.evals`."""


class EvalDataError(EvalError):
    """A data set or results file is missing, malformed, or does not match the run."""
