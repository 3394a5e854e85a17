"""`tool_from_schema`: BFCL's, Seal-Tools' and OpenAI's function schemas
become tools the planner prompt, the plan grammar and the checker accept."""

from __future__ import annotations

import pytest

from agentc.edge.grammar import plan_grammar
from agentc.errors import ToolArgumentError, ToolDefinitionError, ToolError
from agentc.tools.schema import plan_name, plan_parameter, tool_from_schema

BFCL_STYLE = {
    "name": "geometry.area",
    "description": "Area of a shape.",
    "parameters": {
        "type": "dict",
        "properties": {
            "shape": {"type": "String", "enum": ["circle", "square"], "description": "which shape"},
            "size": {"type": "float", "description": "its size"},
            "corner": {"type": "tuple", "items": {"type": "integer"}},
            "note": {"type": "any"},
            "options": {"type": "dict", "properties": {"precise": {"type": "boolean"}}, "required": ["precise"]},
            "_from": {"type": "string"},
        },
        "required": ["shape", "size"],
    },
}


def test_bfcl_types_become_a_standard_json_schema():
    tool = tool_from_schema(BFCL_STYLE)
    assert tool.name == "geometry_area" and tool.source == "schema:geometry.area"
    assert tool.parameters == {
        "type": "object",
        "properties": {
            "shape": {"type": "string", "description": "which shape", "enum": ["circle", "square"]},
            "size": {"type": "number", "description": "its size"},
            "corner": {"type": "array", "items": {"type": "integer"}},
            "note": {},
            "options": {"type": "object", "properties": {"precise": {"type": "boolean"}}, "required": ["precise"]},
            "from_": {"type": "string"},
        },
        "required": ["shape", "size"],
    }
    assert tool.signature().startswith("geometry_area(shape: 'circle' | 'square', size: float, corner: list[int] = None")


def test_arguments_are_checked_against_the_schema():
    tool = tool_from_schema(BFCL_STYLE)
    assert tool.validate_args({"shape": "circle", "size": 2})["size"] == 2.0  # an int fits a float
    cases = [
        ({"size": 2}, "shape"),  # required
        ({"shape": "triangle", "size": 2}, "shape"),  # enum
        ({"shape": "circle", "size": "big"}, "size"),  # type
        ({"shape": "circle", "size": 2, "colour": "red"}, "colour"),  # unknown
        ({"shape": "circle", "size": 2, "corner": ["a"]}, "corner"),  # item type
        ({"shape": "circle", "size": 2, "options": {}}, "precise"),  # nested required
        ({"shape": "circle", "size": 2, "options": {"precise": True, "fast": True}}, "fast"),  # nested unknown
    ]
    for arguments, named in cases:
        with pytest.raises(ToolArgumentError, match=named):
            tool.validate_args(arguments)
    assert tool.validate_args({"shape": "square", "size": 1.5, "note": [1, "x"], "from_": "here"})["note"] == [1, "x"]


def test_openai_and_seal_tools_forms():
    openai = tool_from_schema(
        {"type": "function", "function": {"name": "send", "description": "Send.", "parameters": {
            "type": "object", "properties": {"to": {"type": "string"}, "n": {"type": "integer"}}, "required": ["to"]}}}
    )
    assert openai.name == "send" and openai.parameters["required"] == ["to"]
    seal = tool_from_schema(
        {"name": "getX", "parameters": {"type": "object", "properties": {"k": {"type": "int"}, "on": {"type": "bool"}}}}
    )
    assert seal.parameters["properties"] == {"k": {"type": "integer"}, "on": {"type": "boolean"}}
    assert seal.validate_args({}) == {"k": None, "on": None}


def test_a_schema_tool_cannot_be_called():
    tool = tool_from_schema(BFCL_STYLE)
    with pytest.raises(ToolError, match="'geometry.area' was built from a function schema and has no implementation"):
        tool.fn(shape="circle", size=1)


def test_the_plan_grammar_accepts_schema_tools():
    grammar = plan_grammar([tool_from_schema(BFCL_STYLE)], max_tasks=2, min_tasks=0)
    assert 'geometry_area(' in grammar and '"from_="' in grammar


def test_names_that_are_not_identifiers():
    assert plan_name("math.factorial") == "math_factorial"
    assert plan_name("3d-plot") == "_3d_plot"
    assert plan_parameter("_from") == "from_"
    assert plan_parameter("model_config") == "model_config_"
    assert plan_parameter("1st") == "arg_1st_"
    assert plan_parameter("json") == "json"  # shadows a BaseModel method, which is harmless


def test_bad_schemas_name_the_problem():
    with pytest.raises(ToolDefinitionError, match="uses type 'matrix'"):
        tool_from_schema({"name": "f", "parameters": {"type": "dict", "properties": {"m": {"type": "matrix"}}}})
    with pytest.raises(ToolDefinitionError, match='has no "name"'):
        tool_from_schema({"description": "nameless"})
    with pytest.raises(ToolDefinitionError, match="must be an object"):
        tool_from_schema({"name": "f", "parameters": {"type": "array"}})
    with pytest.raises(ToolDefinitionError, match="plan names clash"):
        tool_from_schema({"name": "f", "parameters": {"type": "dict", "properties": {"_a": {}, "a_": {}}}})
