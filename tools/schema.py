"""`tool_from_schema`: a `Tool` from a JSON-schema function description.

Function-calling data sets describe their tools as schemas only (there is
no function behind them), in OpenAI's format or in a variant of it: BFCL
writes `"type": "dict"` for objects and Python-ish types ("float",
"tuple", "any", "String"), Seal-Tools writes "str", "int", "float", "bool".
The tool built here lets the planner prompt, the plan grammar and
`PlanChecker` treat such a description like any other tool:

- `Tool.args_model` declares the description's parameters as a normalised
  JSON schema (standard type names, objects with `properties`/`required`),
  which `Tool.parameters` gives back, and checks arguments against it: required parameters,
  types (pydantic's lax rules, so `2` fits a float), enums as `Literal`s,
  no unknown parameters (also inside objects that list their properties);
- calling the tool raises a `ToolError`: it can be planned with
  (`Agent.aplan`) but not run.

The plan language names tools and parameters with Python identifiers, so a
name such as BFCL's `math.factorial` becomes `math_factorial`, and a
parameter pydantic cannot hold as a field (`_from`, `model_config`) becomes
`from_`, `model_config_`; `plan_name` and `plan_parameter` say how, so a
caller can map a plan's calls back to the schema's own names.
"""

from __future__ import annotations

import re
import warnings
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, create_model

from agentc.errors import ToolDefinitionError, ToolError
from agentc.tools.tool import Tool, ToolArguments, declared_arguments_model

_TYPES = {
    "string": "string",
    "str": "string",
    "integer": "integer",
    "int": "integer",
    "number": "number",
    "float": "number",
    "double": "number",
    "boolean": "boolean",
    "bool": "boolean",
    "array": "array",
    "list": "array",
    "tuple": "array",
    "object": "object",
    "dict": "object",
    "null": "null",
    "any": "any",
}
"""Type names as data sets write them (compared lower-case) -> JSON schema types."""

_KEPT = ("description", "default", "format", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength")
"""Keywords copied unchanged into the normalised schema."""

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def tool_from_schema(schema: dict[str, Any]) -> Tool:
    """A schema-only `Tool` from `{"name", "description", "parameters"}`
    (BFCL, plain) or `{"type": "function", "function": {...}}` (OpenAI)."""
    function = _function_part(schema)
    original = function["name"]
    name = plan_name(original)
    parameters = normalise_parameters(function.get("parameters") or {}, where=f"tool {original!r}")
    return Tool(
        name=name,
        description=str(function.get("description") or ""),
        args_model=_model(name, parameters),
        fn=_schema_only(original),
        source=f"schema:{original}",
    )


def plan_name(name: str) -> str:
    """The tool's name in a plan: every character outside `[A-Za-z0-9_]`
    becomes `_` (`math.factorial` -> `math_factorial`), and a leading digit
    gets a `_` before it."""
    if not name:
        raise ToolDefinitionError("a function schema has an empty name; give every function a \"name\"")
    cleaned = _NOT_IDENTIFIER.sub("_", name)
    return f"_{cleaned}" if cleaned[0].isdigit() else cleaned


def plan_parameter(name: str) -> str:
    """The parameter's name in a plan and in `Tool.parameters`: pydantic
    keeps no field whose name starts with `_` or is `model_config`, so
    leading underscores move to the end (`_from` -> `from_`), and a name
    that would start with a digit gets `arg_` before it."""
    cleaned = plan_name(name)
    stripped = cleaned.lstrip("_")
    if not stripped:
        raise ToolDefinitionError(f"parameter name {name!r} has no letters or digits; rename it in the schema")
    moved = stripped + "_" * (len(cleaned) - len(stripped))
    if moved[0].isdigit():
        moved = "arg_" + moved
    return moved + "_" if moved == "model_config" else moved


def normalise_parameters(parameters: dict[str, Any], *, where: str = "the schema") -> dict[str, Any]:
    """`parameters` as a JSON schema of an object, with standard type names
    and plan parameter names. `where` names the tool in error messages."""
    if not isinstance(parameters, dict):
        raise ToolDefinitionError(f"the parameters of {where} are {type(parameters).__name__}, not an object schema")
    kind = parameters.get("type", "object")
    if _TYPES.get(str(kind).lower()) != "object":
        raise ToolDefinitionError(
            f"the parameters of {where} have type {kind!r}; a function's parameters must be an object "
            "(\"type\": \"object\" or BFCL's \"dict\") with \"properties\""
        )
    return _normalise(parameters, where)


def _function_part(schema: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(schema, dict):
        raise ToolDefinitionError(f"a function schema must be an object, not {type(schema).__name__}")
    if schema.get("type") == "function" and isinstance(schema.get("function"), dict):
        schema = schema["function"]
    if not isinstance(schema.get("name"), str):
        raise ToolDefinitionError(
            f"function schema {str(schema)[:80]!r} has no \"name\"; expected {{\"name\", \"description\", "
            "\"parameters\"}} or OpenAI's {\"type\": \"function\", \"function\": {...}}"
        )
    return schema


def _normalise(schema: dict[str, Any], where: str) -> dict[str, Any]:
    """One (sub)schema in standard form; recursion follows `items` and `properties`."""
    raw_type = schema.get("type", "any")
    if isinstance(raw_type, list):
        raw_type = next((t for t in raw_type if str(t).lower() != "null"), "any")
    kind = _TYPES.get(str(raw_type).lower())
    if kind is None:
        raise ToolDefinitionError(
            f"{where} uses type {raw_type!r}, which agentc does not know; use one of: "
            + ", ".join(sorted(set(_TYPES)))
        )
    out: dict[str, Any] = {} if kind == "any" else {"type": kind}
    for key in _KEPT:
        if key in schema:
            out[key] = schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        out["enum"] = list(schema["enum"])
    if kind == "array" and isinstance(schema.get("items"), dict):
        out["items"] = _normalise(schema["items"], f"{where}, items")
    if kind == "object" and isinstance(schema.get("properties"), dict):
        names = {original: plan_parameter(original) for original in schema["properties"]}
        clash = len(set(names.values())) < len(names)
        if clash:
            raise ToolDefinitionError(f"{where} has parameters whose plan names clash: {', '.join(names)}")
        out["properties"] = {
            names[original]: _normalise(sub if isinstance(sub, dict) else {}, f"{where}, parameter {original!r}")
            for original, sub in schema["properties"].items()
        }
        required = [names[r] for r in schema.get("required", []) if r in names]
        if required:
            out["required"] = required
    return out


def _model(name: str, parameters: dict[str, Any]) -> type[BaseModel]:
    """The tool's arguments model: it checks arguments, and its JSON schema is `parameters`."""
    model_name = "".join(part.capitalize() for part in name.split("_")) + "Arguments"
    return _object_model(model_name, parameters, declared=True)


def _object_model(model_name: str, schema: dict[str, Any], *, declared: bool = False) -> type[BaseModel]:
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for field, sub in schema.get("properties", {}).items():
        annotation = _annotation(sub, f"{model_name}_{field}")
        if field in required:
            fields[field] = (annotation, Field(..., description=sub.get("description")))
        else:
            fields[field] = (Optional[annotation], Field(sub.get("default"), description=sub.get("description")))
    with warnings.catch_warnings():
        # a parameter may be named like a BaseModel method ("json", "copy"): it shadows it, which is harmless here
        warnings.filterwarnings("ignore", message=".*shadows an attribute in parent.*")
        if declared:
            return declared_arguments_model(model_name, schema, fields)
        return create_model(model_name, __base__=ToolArguments, **fields)


def _annotation(schema: dict[str, Any], model_name: str) -> Any:
    """The Python type that checks a value against a normalised (sub)schema."""
    if "enum" in schema and all(isinstance(v, (str, int, float, bool)) or v is None for v in schema["enum"]):
        return Literal[tuple(schema["enum"])]
    kind = schema.get("type")
    if kind == "array":
        return list[_annotation(schema.get("items", {}), model_name + "_item")]
    if kind == "object":
        if schema.get("properties"):
            return _object_model(model_name, schema)
        return dict[str, Any]
    return {"string": str, "integer": int, "number": float, "boolean": bool, "null": type(None)}.get(kind, Any)


def _schema_only(name: str) -> Any:
    def call(**arguments: Any) -> Any:
        raise ToolError(
            f"tool {name!r} was built from a function schema and has no implementation; plan with it "
            "(Agent.aplan) or register a real function with @tool to run it",
            tool=name,
        )

    call.__name__ = plan_name(name)
    return call
