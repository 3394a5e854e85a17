"""Use a langchain-core `BaseTool` as an agentc `Tool`.

LangChain (like OpenAI) allows `-` and `.` in tool names, the plan language
does not: `get-weather` is called `get_weather` in plans, prompts and
traces (`plan_name`), while calls still go to the LangChain tool itself.
A name with anything else a plan cannot call (a space, a newline, `$`, a
non-ASCII letter) is refused with a `ToolDefinitionError`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel

from agentc.errors import ToolDefinitionError
from agentc.tools.tool import PLAN_NAME, Tool, declared_arguments_model


def plan_name(name: str) -> str:
    """The plan name of LangChain tool `name`: each `-` and `.` becomes `_`
    (`get-weather` -> `get_weather`); a `ToolDefinitionError` if the result
    is still not a plan identifier."""
    mapped = name.replace("-", "_").replace(".", "_")
    if PLAN_NAME.fullmatch(mapped):
        return mapped
    raise ToolDefinitionError(
        f"LangChain tool name {name!r} is not a plan identifier even with each '-' and '.' made '_' "
        "(ASCII letters, digits and '_', not starting with a digit); rename the tool (BaseTool.name)"
    )


def from_langchain(lc_tool: BaseTool) -> Tool:
    """Wrap `lc_tool` under its plan name (`plan_name`); calls go through its
    own `ainvoke`, so its validation, callbacks and error handling stay
    LangChain's."""
    name = plan_name(lc_tool.name)
    schema = lc_tool.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        model: type[BaseModel] = schema
    else:
        parameters = schema if isinstance(schema, dict) else {"type": "object", "properties": dict(lc_tool.args)}
        required = set(parameters.get("required", []))
        fields = {key: (Any, ... if key in required else None) for key in parameters.get("properties", {})}
        model = declared_arguments_model(f"{name}_arguments", parameters, fields)

    async def call(**kwargs: Any) -> Any:
        return await lc_tool.ainvoke(kwargs)

    return Tool(
        name=name,
        description=lc_tool.description,
        args_model=model,
        fn=call,
        source=f"langchain:{type(lc_tool).__module__}.{type(lc_tool).__qualname__}",
    )
