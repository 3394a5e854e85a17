"""Consent for side effects: a tool marked `side_effects=True` runs only
after an approval callback says yes.

As in LangGraph's human-in-the-loop, the run pauses before the action: the
agent hands the approver the concrete call (its `$N` references already
replaced by values), and the approver answers `True` (run it) or `False`
(do not). A declined call becomes the task's error observation, "not run:
the user declined", and the tasks that depend on it are skipped, so nothing
happened. Every decision is recorded in the run's trace, in order.

What the approver sees is what will happen: a tool with a `preview` (see
`agentc.tools.Tool.preview`) says, before the question, what the call will
concretely do (the addresses a contact name resolves to, the URL that
opens), and that goes to the approver as `ConsentRequest.resolved` and into
the trace. A call the preview finds cannot run becomes its error
observation without a question.

Approvers may be sync (run in a thread, so a blocking prompt does not stop
the other tasks) or async. Questions are asked one at a time, even when
the plan runs side-effect calls in parallel, so a terminal prompt never
interleaves.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal, Sequence

from pydantic import BaseModel

from agentc.errors import ToolError, describe
from agentc.toolspec import ToolSpec


@dataclass(frozen=True)
class ConsentRequest:
    """One call that waits for approval: the tool, its description, the
    arguments it would be called with and, from the tool's preview, what
    that concretely means (`resolved`; empty for a tool without a preview)."""

    tool: str
    description: str
    arguments: dict[str, Any]
    resolved: dict[str, Any] = field(default_factory=dict)


Approver = Callable[[Sequence[ConsentRequest]], "bool | Awaitable[bool]"]
"""`(requests) -> bool`, sync or async: True runs the calls, False declines them."""


class ConsentDecision(BaseModel):
    """What the trace keeps of one approval question."""

    tool: str
    arguments: dict[str, Any]
    resolved: dict[str, Any] = {}
    """What the approver was shown the call would do (the tool's preview)."""
    decision: Literal["approved", "declined"]
    at: float
    """Wall-clock time of the answer (`time.time()`)."""


class ConsentDeclined(ToolError):
    """The user declined a side-effect call; it was not run."""


DECLINED = "not run: the user declined"


def approve_all(requests: Sequence[ConsentRequest]) -> bool:
    """An approver that says yes to everything (`--yes`)."""
    return True


def decline_all(requests: Sequence[ConsentRequest]) -> bool:
    """An approver that says no to everything."""
    return False


class ConsentGate:
    """Asks `approver` before each side-effect call and records the answer
    in `decisions` (the run's trace list)."""

    def __init__(self, approver: Approver, decisions: list[ConsentDecision]) -> None:
        self.approver = approver
        self.decisions = decisions
        self._one_at_a_time = asyncio.Lock()

    async def require(self, tool: ToolSpec, arguments: dict[str, Any]) -> None:
        """Return if the call may run; raise `ConsentDeclined` if not, or the
        preview's `ToolError` if the call cannot run."""
        resolved = await _preview(tool, arguments)
        request = ConsentRequest(
            tool=tool.name, description=tool.description, arguments=dict(arguments), resolved=resolved
        )
        async with self._one_at_a_time:
            if inspect.iscoroutinefunction(self.approver):
                answer = await self.approver([request])
            else:  # a sync approver may block on a prompt: keep the loop free
                answer = await asyncio.to_thread(self.approver, [request])
                if inspect.isawaitable(answer):
                    answer = await answer
        if not isinstance(answer, bool):
            raise TypeError(f"the approval callback returned {answer!r}; it must return True or False")
        self.decisions.append(
            ConsentDecision(
                tool=tool.name,
                arguments=dict(arguments),
                resolved=resolved,
                decision="approved" if answer else "declined",
                at=time.time(),
            )
        )
        if not answer:
            raise ConsentDeclined(f"{DECLINED} to call {tool.name}", tool=tool.name)


async def _preview(tool: ToolSpec, arguments: dict[str, Any]) -> dict[str, Any]:
    """The tool's own account of what the call will do; {} without a preview.
    A sync preview may read files (contacts), so it runs in a thread."""
    preview = tool.preview
    if preview is None:
        return {}
    kwargs = tool.validate_args(arguments)
    try:
        if inspect.iscoroutinefunction(preview):
            shown = await preview(**kwargs)
        else:
            shown = await asyncio.to_thread(preview, **kwargs)
    except ToolError as exc:
        if exc.tool is None:
            exc.tool = tool.name
        raise
    except Exception as exc:
        raise ToolError(f"tool {tool.name!r} cannot say what it would do: {describe(exc)}", tool=tool.name) from exc
    return dict(shown)
