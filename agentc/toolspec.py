"""What the compiler core needs from a tool, as a protocol.

The core (checks, scheduler, executor) works with anything that has these
attributes; `agentc.tools.Tool` is the implementation users get from `@tool`
or from a LangChain `BaseTool`.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any, Callable, Iterable, Mapping, Protocol, runtime_checkable

from pydantic import BaseModel


@runtime_checkable
class ToolSpec(Protocol):
    """A callable tool with a pydantic argument model and execution limits.

    `args_model` fields, in order, name the parameters (positional plan
    arguments bind to them in that order). `timeout` is seconds per call
    (None: the agent's default); `max_concurrency` caps calls in flight;
    `rate_limit` is `(calls, per_seconds)`; `idempotent` tools may be retried.
    `is_async` tools are awaited on the event loop, the others get a thread
    from `ainvoke`'s `thread_pool`. A `side_effects` tool's `preview` (or
    None) says, from the validated arguments, what the call will concretely
    do before consent is asked (`agentc.consent`).
    """

    name: str
    description: str
    args_model: type[BaseModel]
    idempotent: bool
    side_effects: bool
    timeout: float | None
    max_concurrency: int | None
    rate_limit: tuple[int, float] | None
    is_async: bool
    preview: Callable[..., Any] | None

    def signature(self) -> str:
        """`name(arg: type, opt: type = default)`, as planner prompts show the tool."""
        ...

    def validate_args(self, arguments: dict[str, Any]) -> dict[str, Any]: ...

    async def ainvoke(self, arguments: dict[str, Any], *, thread_pool: Executor | None = None) -> Any: ...

    def json_schema(self) -> dict[str, Any]: ...


def tool_table(tools: Mapping[str, ToolSpec] | Iterable[ToolSpec]) -> dict[str, ToolSpec]:
    """Tools by name, from a mapping or from any iterable of tools (a registry)."""
    if isinstance(tools, Mapping):
        return dict(tools)
    return {t.name: t for t in tools}
