"""`Tool` and the `@tool` decorator: a function's signature and docstring are
the single source of its name, description and argument schema."""

from __future__ import annotations

import asyncio
import functools
import inspect
import copy
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, get_type_hints, overload

import docstring_parser
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from agentc.errors import ToolArgumentError, ToolDefinitionError


PLAN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""The plan language's identifier rule (`agentc.call_syntax`): the only tool
and parameter names a plan line can call. ASCII only, so `météo` is out."""


def check_plan_name(name: object, *, what: str = "tool name", way_out: str = "pass name= to @tool") -> str:
    """`name` if a plan can call it by that name; else a `ToolDefinitionError`.

    The name is printed into the planner prompt and read back from plan
    lines, so anything outside the identifier rule would either never be
    callable (`get weather`, `météo`) or rewrite the prompt itself
    (`"evil\\n1. send_email"` adds a plan line).
    """
    if isinstance(name, str) and PLAN_NAME.fullmatch(name):
        return name
    raise ToolDefinitionError(
        f"{what} {name!r} is not a plan identifier (ASCII letters, digits and '_', not starting with a "
        f"digit), so no plan could call it; {way_out}"
    )


class ToolArguments(BaseModel):
    """Base of every generated argument model: unknown arguments are errors.

    A model built from a JSON schema (a function-calling data set's tool, a
    LangChain tool with a dict schema) keeps that schema as
    `declared_schema` and gives it as its own JSON schema, so the model is
    the tool's one source of both validation and schema.
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, protected_namespaces=())
    declared_schema: ClassVar[dict[str, Any] | None] = None

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if cls.declared_schema is not None:
            return copy.deepcopy(cls.declared_schema)
        return super().model_json_schema(*args, **kwargs)


def declared_arguments_model(model_name: str, schema: dict[str, Any], fields: dict[str, Any]) -> type[ToolArguments]:
    """An arguments model with `fields` whose JSON schema is `schema` as declared."""
    model = create_model(model_name, __base__=ToolArguments, **fields)
    model.declared_schema = schema
    return model


@dataclass
class Tool:
    """A function the planner may call.

    Built by `@tool` (or `Tool.from_function`) from a sync or async function.
    Calling the `Tool` object directly calls the function unchanged.
    """

    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[..., Any]
    idempotent: bool = False
    side_effects: bool = False
    timeout: float | None = None
    max_concurrency: int | None = None
    rate_limit: tuple[int, float] | None = None
    source: str = ""
    preview: Callable[..., dict[str, Any]] | None = field(default=None, repr=False)
    """For a side-effect tool: called with the validated keyword arguments
    before consent is asked, it returns what the call will concretely do
    (names resolved to the addresses mail goes to, the URL that opens), so
    the approver sees that rather than the planner's words. It raises a
    `ToolError` for a call that cannot run, which then is never asked about."""

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        idempotent: bool = False,
        side_effects: bool = False,
        timeout: float | None = None,
        max_concurrency: int | None = None,
        rate_limit: tuple[int, float] | None = None,
        preview: Callable[..., dict[str, Any]] | None = None,
        namespace: dict[str, Any] | None = None,
    ) -> "Tool":
        """`namespace` resolves type hints that name classes the function's
        module does not hold at its top level (a class defined inside a
        function: pass `namespace=locals()`)."""
        if not callable(fn):
            raise ToolDefinitionError(f"{fn!r} is not callable, so it cannot be a tool")
        tool_name = check_plan_name(name or getattr(fn, "__name__", None))
        doc = docstring_parser.parse(inspect.getdoc(fn) or "")
        summary = "\n\n".join(p for p in (doc.short_description, doc.long_description) if p)
        param_docs = {p.arg_name: p.description or "" for p in doc.params}
        model = _arguments_model(fn, tool_name, param_docs, namespace)
        return cls(
            name=tool_name,
            description=description if description is not None else summary,
            args_model=model,
            fn=fn,
            idempotent=idempotent,
            side_effects=side_effects,
            timeout=timeout,
            max_concurrency=max_concurrency,
            rate_limit=rate_limit,
            preview=preview,
            source=f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', tool_name)}",
        )

    def __post_init__(self) -> None:
        """Every way a `Tool` is made (`@tool`, LangChain, a schema, plain
        construction, `dataclasses.replace`) passes here, so no name a plan
        cannot call reaches a registry or a prompt."""
        check_plan_name(self.name)
        for parameter in self._parameter_names():
            check_plan_name(
                parameter, what=f"parameter of tool {self.name!r}", way_out="rename the parameter"
            )
        self.is_async: bool = inspect.iscoroutinefunction(self.fn)
        """True for an async function: called on the event loop, not in a thread."""

    def _parameter_names(self) -> list[str]:
        if issubclass(self.args_model, ToolArguments) and self.args_model.declared_schema is not None:
            return list(self.args_model.declared_schema.get("properties", {}))
        return [f.alias or n for n, f in self.args_model.model_fields.items()]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    @property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments object (from `args_model`)."""
        return self.parameters_schema()

    def parameters_schema(self) -> dict[str, Any]:
        """The JSON schema of the arguments object, as `args_model` gives it."""
        schema = self.args_model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return schema

    def json_schema(self) -> dict[str, Any]:
        """The tool in OpenAI's function-calling format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters_schema(),
            },
        }

    def signature(self) -> str:
        """`name(arg: type, opt: type = default)`, as the planner prompt shows it.

        A pydantic-model or object argument shows its fields, nested ones
        too (`order: {item: str, qty: int = 1}`), so a model can fill it."""
        schema = self.parameters_schema()
        return f"{self.name}({_fields_text(schema, schema.get('$defs', {}), 0)})"

    def validate_args(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check arguments against the schema; return the keyword arguments to call with."""
        try:
            validated = self.args_model.model_validate(arguments)
        except ValidationError as exc:
            raise ToolArgumentError(
                f"arguments {arguments!r} do not fit tool {self.name!r}: "
                + "; ".join(_error_text(e) for e in exc.errors()),
                tool=self.name,
            ) from None
        return dict(validated.__dict__)

    async def ainvoke(self, arguments: dict[str, Any], *, thread_pool: Executor | None = None) -> Any:
        """Validate and call. Sync functions run in `thread_pool` (or asyncio's default)."""
        kwargs = self.validate_args(arguments)
        if self.is_async:
            return await self.fn(**kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(thread_pool, functools.partial(self.fn, **kwargs))


@overload
def tool(fn: Callable[..., Any], /) -> Tool: ...
@overload
def tool(
    *,
    name: str | None = None,
    description: str | None = None,
    idempotent: bool = False,
    side_effects: bool = False,
    timeout: float | None = None,
    max_concurrency: int | None = None,
    rate_limit: tuple[int, float] | None = None,
    preview: Callable[..., dict[str, Any]] | None = None,
    namespace: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Tool]: ...


def tool(fn: Callable[..., Any] | None = None, /, **options: Any) -> Tool | Callable[[Callable[..., Any]], Tool]:
    """Turn a sync or async function into a `Tool`.

    Use bare (`@tool`) or with options (`@tool(idempotent=True, timeout=5)`,
    `@tool(side_effects=True, preview=...)`).
    Type hints give the argument types, the docstring (Google, reST or numpy
    style) gives the description and each argument's description. A hint
    naming a class defined inside a function needs `@tool(namespace=locals())`.
    """
    if fn is not None:
        return Tool.from_function(fn, **options)

    def decorate(f: Callable[..., Any]) -> Tool:
        return Tool.from_function(f, **options)

    return decorate


def _arguments_model(
    fn: Callable[..., Any], tool_name: str, param_docs: dict[str, str], namespace: dict[str, Any] | None
) -> type[BaseModel]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise ToolDefinitionError(f"cannot read the signature of {fn!r}: {exc}") from None
    try:
        hints = get_type_hints(fn, localns=namespace, include_extras=True)
    except Exception as exc:  # unresolvable forward references
        raise ToolDefinitionError(
            f"cannot resolve the type hints of tool {tool_name!r}: {exc}; a class defined inside a function "
            "is not visible from the function's module: pass @tool(namespace=locals())"
        ) from None
    fields: dict[str, Any] = {}
    for param in sig.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ToolDefinitionError(
                f"tool {tool_name!r} takes *{param.name}; a tool needs named parameters so the planner knows what to pass"
            )
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        fields[param.name] = (annotation, Field(default, description=param_docs.get(param.name) or None))
    model_name = "".join(part.capitalize() for part in tool_name.split("_")) + "Arguments"
    return create_model(model_name, __base__=ToolArguments, **fields)


def _error_text(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ())) or "arguments"
    return f"{where}: {error.get('msg', 'invalid')}"


SHOWN_DEPTH = 2
"""How deep nested objects are spelled out in a signature; deeper ones show as `{...}`."""
SHOWN_FIELDS = 8
"""How many fields of one object a signature shows before `...`."""


def _fields_text(schema: dict[str, Any], defs: dict[str, Any], depth: int) -> str:
    """`a: type, b: type = default` for the properties of an object schema."""
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    parts = []
    for arg, prop in list(props.items())[:SHOWN_FIELDS]:
        text = f"{arg}: {_type_text(prop, defs, depth)}"
        if arg not in required:
            text += f" = {prop.get('default')!r}"
        parts.append(text)
    if len(props) > SHOWN_FIELDS:
        parts.append("...")
    return ", ".join(parts)


def _resolved(prop: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """`prop` with a local `$ref` (`#/$defs/Name`, as pydantic writes them)
    or a lone `allOf` followed; a missing target is any value."""
    for _ in range(32):  # a bound: a reference may point at a reference
        if not isinstance(prop, dict):
            return {}
        if "$ref" in prop:
            prop = defs.get(str(prop["$ref"]).rsplit("/", 1)[-1], {})
        elif isinstance(prop.get("allOf"), list) and len(prop["allOf"]) == 1:
            prop = prop["allOf"][0]
        else:
            return prop
    return {}


def _type_text(prop: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> str:
    prop = _resolved(prop, defs)
    if "enum" in prop:
        return " | ".join(repr(v) for v in prop["enum"])
    if "const" in prop:
        return repr(prop["const"])
    for key in ("anyOf", "oneOf"):
        if key in prop:
            return " | ".join(_type_text(p, defs, depth) for p in prop[key])
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            return f"tuple[{', '.join(_type_text(p, defs, depth) for p in prop['prefixItems'])}]"
        return f"list[{_type_text(prop.get('items', {}), defs, depth)}]"
    if kind == "object":
        if prop.get("properties"):
            return "{...}" if depth >= SHOWN_DEPTH else f"{{{_fields_text(prop, defs, depth + 1)}}}"
        values = prop.get("additionalProperties")
        return f"dict[str, {_type_text(values, defs, depth)}]" if isinstance(values, dict) and values else "dict"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}.get(kind or "", "any")
