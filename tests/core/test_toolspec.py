"""`ToolSpec`: the core runs any object with the protocol's members, not only `Tool`."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from pydantic import BaseModel

from agentc.checks import PlanChecker
from agentc.executor import ToolExecutor
from agentc.parser import parse_plan
from agentc.planners.llmcompiler import planner_system_prompt
from agentc.toolspec import ToolSpec


class LookupArguments(BaseModel):
    name: str
    limit: int = 3


class RemoteLookup:
    """A tool served elsewhere: no function, its own signature text, async calls."""

    name = "lookup"
    description = "Find a record by name."
    args_model = LookupArguments
    idempotent = False
    side_effects = False
    timeout = None
    max_concurrency = None
    rate_limit = None
    is_async = True
    preview = None

    def __init__(self) -> None:
        self.pools: list[Executor | None] = []

    def signature(self) -> str:
        return "lookup(name: str, limit: int = 3)"

    def validate_args(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return dict(LookupArguments.model_validate(arguments))

    async def ainvoke(self, arguments: dict[str, Any], *, thread_pool: Executor | None = None) -> Any:
        self.pools.append(thread_pool)
        return {"found": self.validate_args(arguments)["name"]}

    def json_schema(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name, "parameters": LookupArguments.model_json_schema()}}


def test_a_spec_that_is_not_a_tool_fits_the_protocol():
    assert isinstance(RemoteLookup(), ToolSpec)


def test_the_planner_prompt_shows_the_specs_own_signature():
    prompt = planner_system_prompt([RemoteLookup()])
    assert "1. lookup(name: str, limit: int = 3): Find a record by name." in prompt
    assert "lookup(...)" not in prompt


async def test_an_async_spec_is_checked_and_awaited_without_a_thread():
    spec = RemoteLookup()
    task = PlanChecker([spec]).check(parse_plan('1. lookup("ada")\n2. join()')[0])
    executor = ToolExecutor()
    try:
        result, attempts = await executor.call(spec, task.args)
    finally:
        executor.close()
    assert (result, attempts) == ({"found": "ada"}, 1)
    assert spec.pools == [None]
