"""Use a langchain-core `BaseTool` as an agentc `Tool`."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, create_model

from agentc.tools.tool import Tool, ToolArguments


def from_langchain(lc_tool: BaseTool) -> Tool:
    """Wrap `lc_tool`; calls go through its own `ainvoke`, so its validation,
    callbacks and error handling stay LangChain's."""
    schema = lc_tool.args_schema
    parameters: dict[str, Any] | None = None
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        model: type[BaseModel] = schema
    else:
        parameters = schema if isinstance(schema, dict) else {"type": "object", "properties": dict(lc_tool.args)}
        required = set(parameters.get("required", []))
        fields = {name: (Any, ... if name in required else None) for name in parameters.get("properties", {})}
        model = create_model(f"{lc_tool.name}_arguments", __base__=ToolArguments, **fields)

    async def call(**kwargs: Any) -> Any:
        return await lc_tool.ainvoke(kwargs)

    return Tool(
        name=lc_tool.name,
        description=lc_tool.description,
        args_model=model,
        fn=call,
        source=f"langchain:{type(lc_tool).__module__}.{type(lc_tool).__qualname__}",
        parameters=parameters,
    )
