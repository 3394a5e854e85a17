"""Every exception agentc raises, in one hierarchy.

    AgentcError
    ├── PlanError          the planner's text is not a valid plan (names line and column)
    ├── JoinerError        the joiner's text is neither Finish(...) nor Replan(...)
    ├── ToolDefinitionError  a function cannot become a tool (bad signature, clash)
    ├── ToolError          a tool call failed: bad arguments, raised, timed out, skipped
    │   ├── ToolArgumentError
    │   ├── ToolTimeoutError
    │   └── ToolSkippedError
    ├── LLMError           an LLM backend failed (connection, auth, exhausted script)
    └── RunError           a run ended without an answer; carries the trace

Every message names the thing that failed and, where there is one, the way out.
Errors raised out of a run carry the run's `trace` so nothing recorded is lost;
so do the `asyncio.CancelledError` and `KeyboardInterrupt` that stop a run
(as an attribute `trace`; `trace_of` finds it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentc.trace import Trace


class AgentcError(Exception):
    """Base class of every agentc error."""

    trace: "Trace | None" = None


class PlanError(AgentcError):
    """The plan text cannot be turned into a valid task DAG.

    `line` and `column` are 1-based positions in the plan text (column may be
    None when the whole line is at fault, line None when the whole plan is).
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None, text: str | None = None):
        self.message = message
        self.line = line
        self.column = column
        self.text = text
        where = ""
        if line is not None:
            where = f"plan line {line}" + (f", column {column}" if column is not None else "") + ": "
        shown = f"\n    {text}" if text else ""
        super().__init__(f"{where}{message}{shown}")


class JoinerError(AgentcError):
    """The joiner answered with neither `Action: Finish(...)` nor `Action: Replan(...)`."""


class ToolDefinitionError(AgentcError):
    """A function or object cannot be used as a tool, or two tools share a name."""


class ToolError(AgentcError):
    """A tool call failed. Recorded as the task's error observation."""

    def __init__(self, message: str, *, tool: str | None = None, task_idx: int | None = None):
        self.tool = tool
        self.task_idx = task_idx
        super().__init__(message)


class ToolArgumentError(ToolError):
    """The arguments of a call do not fit the tool's schema."""


class ToolTimeoutError(ToolError):
    """A tool call did not finish within its timeout."""


class ToolSkippedError(ToolError):
    """A task was not run because a task it depends on failed."""


class LLMError(AgentcError):
    """An LLM backend could not produce a completion."""


class RunError(AgentcError):
    """A run ended without an answer. `cause` is the error that ended it."""

    def __init__(self, message: str, *, trace: "Trace | None" = None, cause: Exception | None = None):
        super().__init__(message)
        self.trace = trace
        self.cause = cause


def describe(exc: BaseException) -> str:
    """The text an error observation shows: the class name and the message."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def trace_of(exc: BaseException) -> "Trace | None":
    """The trace an error carries, looking through the errors it was raised
    from: Ctrl-C in `asyncio.run` arrives as a fresh `KeyboardInterrupt`
    whose context is the `CancelledError` that ended the run (and carries
    its trace)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        trace = getattr(current, "trace", None)
        if trace is not None:
            return trace
        current = current.__cause__ or current.__context__
    return None


def attach_trace(exc: AgentcError, trace: Any) -> AgentcError:
    """Give an error the trace of the run it ended, unless it has one already."""
    if exc.trace is None:
        exc.trace = trace
    return exc
