"""`@tool`, `Tool`, `ToolRegistry` and LangChain tools."""

from __future__ import annotations

import asyncio
import threading
from typing import Literal

import pytest
from langchain_core.tools import StructuredTool
from pydantic import BaseModel

from agentc import Tool, ToolRegistry, tool
from agentc.errors import ToolArgumentError, ToolDefinitionError
from agentc.tools import as_tool


@tool
def search(query: str, limit: int = 5, mode: Literal["fast", "exact"] = "fast") -> list[str]:
    """Search the documents.

    Longer text about searching.

    Args:
        query: what to look for
        limit: how many hits at most
        mode: the search mode
    """
    return [query] * limit


def test_schema_comes_from_signature_and_docstring():
    schema = search.json_schema()
    assert schema["type"] == "function"
    fn = schema["function"]
    assert fn["name"] == "search"
    assert fn["description"] == "Search the documents.\n\nLonger text about searching."
    params = fn["parameters"]
    assert params["required"] == ["query"]
    assert params["properties"]["query"] == {"type": "string", "description": "what to look for"}
    assert params["properties"]["limit"]["default"] == 5
    assert params["properties"]["mode"]["enum"] == ["fast", "exact"]
    assert search.signature() == "search(query: str, limit: int = 5, mode: 'fast' | 'exact' = 'fast')"


def test_decorated_function_is_still_callable():
    assert search("x", limit=2) == ["x", "x"]


async def test_sync_and_async_tools_run_and_validate():
    @tool(idempotent=True, timeout=3)
    async def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    assert add.idempotent and add.timeout == 3 and add.is_async
    assert await add.ainvoke({"a": 2, "b": "3"}) == 5
    names: list[str] = []

    @tool
    def where() -> str:
        """Name the thread this runs on."""
        names.append(threading.current_thread().name)
        return "ok"

    assert await where.ainvoke({}) == "ok"
    assert names[0] != threading.main_thread().name
    with pytest.raises(ToolArgumentError, match="limit"):
        search.validate_args({"query": "x", "limit": "many"})
    with pytest.raises(ToolArgumentError, match="colour: Extra inputs"):
        search.validate_args({"query": "x", "colour": "red"})


def test_pydantic_model_arguments_stay_models():
    class Point(BaseModel):
        x: float
        y: float

    def length(p: Point) -> float:
        """Length of a vector."""
        return (p.x**2 + p.y**2) ** 0.5

    with pytest.raises(ToolDefinitionError, match=r"namespace=locals\(\)"):
        tool(length)  # `Point` is local to this test: the hint names nothing the module holds
    norm = tool(namespace=locals())(length)
    args = norm.validate_args({"p": {"x": 3, "y": 4}})
    assert isinstance(args["p"], Point)
    assert norm(**args) == 5.0


def test_bad_definitions_are_clear_errors():
    def varargs(*items: int) -> int:
        return 0

    with pytest.raises(ToolDefinitionError, match=r"\*items"):
        tool(varargs)
    with pytest.raises(ToolDefinitionError, match="not a tool"):
        as_tool(42)
    with pytest.raises(ToolDefinitionError, match="identifier"):
        tool(name="bad name")(lambda: 1)


def test_registry_rejects_clashes_naming_both_sources():
    def search() -> str:  # noqa: F811  same name on purpose
        """Another search."""
        return ""

    registry = ToolRegistry([globals()["search"]])
    with pytest.raises(ToolDefinitionError) as info:
        registry.add(search)
    message = str(info.value)
    assert "test_tools:search" in message and "test_registry_rejects_clashes_naming_both_sources.<locals>.search" in message
    assert registry.names == ["search"] and "search" in registry and len(registry) == 1
    with pytest.raises(KeyError, match="known tools: search"):
        registry["nope"]


async def test_langchain_tool_is_accepted_wherever_a_tool_is():
    def multiply(a: int, b: int) -> int:
        """Multiply two integers."""
        return a * b

    lc = StructuredTool.from_function(multiply)
    registry = ToolRegistry([lc])
    wrapped = registry["multiply"]
    assert isinstance(wrapped, Tool)
    assert wrapped.description.startswith("Multiply two integers")
    assert wrapped.json_schema()["function"]["parameters"]["required"] == ["a", "b"]
    assert await wrapped.ainvoke({"a": 6, "b": 7}) == 42
    with pytest.raises(ToolArgumentError):
        await wrapped.ainvoke({"a": "six", "b": 7})


async def test_langchain_tool_with_dict_schema():
    async def echo(text: str) -> str:
        return text.upper()

    lc = StructuredTool(
        name="shout",
        description="Shout the text.",
        args_schema={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        coroutine=echo,
    )
    wrapped = as_tool(lc)
    assert wrapped.json_schema()["function"]["parameters"]["properties"] == {"text": {"type": "string"}}
    assert await wrapped.ainvoke({"text": "hi"}) == "HI"
    with pytest.raises(ToolArgumentError, match="text"):
        wrapped.validate_args({})
    await asyncio.sleep(0)


class Line(BaseModel):
    name: str
    qty: int = 1


class Order(BaseModel):
    item: str
    qty: int
    lines: list[Line]


class Node(BaseModel):
    value: int
    children: list["Node"] = []


class Wide(BaseModel):
    f1: int
    f2: int
    f3: int
    f4: int
    f5: int
    f6: int
    f7: int
    f8: int
    f9: int


@tool
def place_order(order: Order, tree: Node | None = None, wide: Wide | None = None) -> str:
    """Place an order."""
    return order.item


def test_a_model_argument_shows_its_fields_in_the_signature():
    signature = place_order.signature()
    assert signature.startswith(
        "place_order(order: {item: str, qty: int, lines: list[{name: str, qty: int = 1}]}, "
    ), signature
    assert "order: any" not in signature and "order: dict" not in signature
    # a model that contains itself is cut off, and a wide one shows its first fields
    assert "tree: {value: int, children: list[{value: int, children: list[{...}] = []}] = []} | None = None" in signature
    assert "wide: {f1: int, f2: int, f3: int, f4: int, f5: int, f6: int, f7: int, f8: int, ...} | None = None" in signature


def test_the_plan_grammar_lets_a_model_fill_a_model_argument(vocab):
    from agentc.edge.gbnf import grammar_accepts
    from agentc.edge.grammar import plan_grammar

    grammar = plan_grammar([place_order])

    def accepts(arguments: str) -> bool:
        return grammar_accepts(vocab, grammar, f"1. place_order({arguments})\n2. join()\n<END_OF_PLAN>")

    assert accepts('order={"item": "pen", "qty": 2, "lines": [{"name": "ink", "qty": 3}]}')
    assert accepts('order={"item": "pen", "qty": 2, "lines": []}, tree={"value": 1, "children": [{"value": 2}]}')
    assert not accepts('order={"item": "pen"}')  # a required field left out
    assert not accepts('order={"item": "pen", "qty": "two", "lines": []}')
