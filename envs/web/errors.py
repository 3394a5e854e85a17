"""The errors the web environment raises, under `agentc.errors.AgentcError`.

    AgentcError
    └── WebEnvError          the web environment cannot do what was asked
        ├── ActionSyntaxError    the text is not one well-formed browser action
        ├── TaskLoadError        a task file cannot be read or a task in it is invalid
        ├── EvaluationError      a task's eval block asks for something that cannot be checked
        ├── MiniWoBError         a MiniWoB++ task is unknown or its HTML is missing
        └── PageStuckError       a page stopped answering within its deadline and was closed

The first four are also `ValueError`s (the input was wrong) and the last a
`TimeoutError`, so code that catches those keeps working.
"""

from __future__ import annotations

from agentc.errors import AgentcError


class WebEnvError(AgentcError):
    """Base class of every error raised by `agentc.envs.web`."""


class ActionSyntaxError(WebEnvError, ValueError):
    """The text is not one well-formed browser action; the message says why."""


class TaskLoadError(WebEnvError, ValueError):
    """A task file cannot be read or a task in it is invalid; names the file and task_id."""


class EvaluationError(WebEnvError, ValueError):
    """The task's eval block asks for something that cannot be checked (unknown type, missing data)."""


class MiniWoBError(WebEnvError, ValueError):
    """The task is unknown or the miniwob package is missing its HTML."""


class PageStuckError(WebEnvError, TimeoutError):
    """The page stopped answering within the deadline (a busy script, a load that never ends); it was closed."""
