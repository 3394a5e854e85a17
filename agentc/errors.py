"""Every exception agentc raises, in one hierarchy.

    AgentcError
    ├── PlanError          the planner's text is not a valid plan (names line and column)
    ├── JoinerError        the joiner's text is neither Finish(...) nor Replan(...)
    │   └── OutputError        the final answer does not fit the agent's output_type
    ├── ToolDefinitionError  a function cannot become a tool (bad signature, clash)
    │   └── PluginError          (agentc.tools.plugins) an installed plug-in gives no tools
    ├── ToolError          a tool call failed: bad arguments, raised, timed out, declined
    │   ├── ToolArgumentError
    │   ├── ToolTimeoutError
    │   ├── ConsentDeclined      (agentc.consent) the user said no to a side effect
    │   └── DesktopError         (agentc.tools.desktop.errors) a desktop action failed
    ├── LLMError           an LLM backend failed (connection, auth, exhausted script)
    ├── RunError           a run ended without an answer; carries the trace
    ├── BudgetExceeded     a run used up a budget (tokens, tool calls, seconds); carries the trace
    ├── RetrievalError     (agentc.retrieval.errors) encoder, data set, retriever state
    ├── EvalError          (agentc.evals.errors) an evaluation cannot go on
    ├── WebEnvError        (agentc.envs.web.errors) a browser environment or web task failed
    └── SeedError          (agentc.edge.tune.grow) a seeds file or seed plan is malformed

(`agentc.edge.tune.export.AdapterExportError` alone stays outside: that
module runs on machines without agentc installed.)

Every public exception of every `agentc` package derives from `AgentcError`,
so `except AgentcError` catches whatever agentc raises on purpose. A folder
may declare its own errors in its own module; they still join this tree.
A task whose dependency failed is not an exception: it is recorded as
status "skipped" with the reason (see `agentc.scheduler`).

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


class OutputError(JoinerError):
    """The joiner's answer does not fit the agent's `output_type`, also when
    asked again. `problem` says what did not fit; `reply` is the last reply."""

    def __init__(self, message: str, *, problem: str = "", reply: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.reply = reply


class ToolDefinitionError(AgentcError):
    """A function or object cannot be used as a tool, or two tools share a name."""


class ToolError(AgentcError):
    """A tool call failed. Recorded as the task's error observation.

    `attempts` is how many times the call was tried before it failed for
    good (more than 1 for an idempotent tool that was retried).
    """

    def __init__(
        self, message: str, *, tool: str | None = None, task_idx: int | None = None, attempts: int = 1
    ) -> None:
        self.tool = tool
        self.task_idx = task_idx
        self.attempts = attempts
        super().__init__(message)


class ToolArgumentError(ToolError):
    """The arguments of a call do not fit the tool's schema."""


class ToolTimeoutError(ToolError):
    """A tool call did not finish within its timeout."""


class LLMError(AgentcError):
    """An LLM backend could not produce a completion."""


class RunError(AgentcError):
    """A run ended without an answer. `cause` is the error that ended it."""

    def __init__(self, message: str, *, trace: "Trace | None" = None, cause: Exception | None = None):
        super().__init__(message)
        self.trace = trace
        self.cause = cause


class BudgetExceeded(AgentcError):
    """A run went over one of its budgets and was stopped (see `agentc.budget`).

    `budget` names it (`"max_llm_tokens"`, `"max_tool_calls"` or
    `"max_seconds"`), `limit` is its value and `used` what the run had used
    when it was stopped; `trace` is everything the run recorded until then.
    """

    def __init__(self, message: str, *, budget: str, limit: float, used: float, trace: "Trace | None" = None):
        super().__init__(message)
        self.budget = budget
        self.limit = limit
        self.used = used
        self.trace = trace


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
