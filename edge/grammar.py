"""GBNF grammars for plans, ReAct steps and joiner answers, generated from the tools.

A small model left free writes plans the parser has to reject: a second
`join()`, no `join()` at all, ids out of order, an argument of the wrong
type, a call that never ends. A grammar built from the registered tools
leaves the model only plans that `agentc.parser.parse_plan` and
`agentc.checks.PlanChecker` accept:

- task ids run `first_id, first_id + 1, ...` in order, nested so the number
  of tasks is bounded by `max_tasks` and `N. join()` is always reachable;
- each call names a registered tool, with its arguments as keyword arguments
  in schema order (required ones always, optional ones optionally);
- each value follows its parameter's JSON schema, and a `$N` reference may
  only name an earlier task;
- strings and thoughts are bounded, so a model cannot loop inside one, and
  never contain `<` (so no `<END_OF_PLAN>` can hide in them) or a bare `$`.

GBNF rule names may only hold letters, digits and `-`; rules with identical
bodies are shared, so the grammar grows with the distinct parameter types,
not with the number of tools.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

from agentc.errors import ToolDefinitionError
from agentc.parser import END_OF_PLAN
from agentc.toolspec import ToolSpec, tool_table

MAX_STRING = 200
"""Longest string value or thought line, in characters."""
MAX_ITEMS = 16
"""Most items in a list or dict value."""
MAX_DEPTH = 3
"""Deepest nesting of lists and dicts in a value whose schema says nothing."""
MAX_SCHEMA_DEPTH = 8
"""Deepest nesting followed into a schema: a model that contains itself (a
tree node with `children: list[Node]`) is cut off there, where only a
scalar or a reference may stand (an empty list still ends a branch)."""

_RULE_NAME = re.compile(r"[A-Za-z0-9-]+")
_SCALARS = {
    "int": r'"-"? ([0-9] | [1-9] [0-9]{1,15})',
    "num": r'"-"? ([0-9] | [1-9] [0-9]{1,15}) ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,3})?',
    "bool": r'"True" | "False"',
    "null": r'"None"',
    "char": r'[^"\\$<\x00-\x1F\x7F]',
    "nondigit": r'[^"\\$<0-9\x00-\x1F\x7F]',
    "escape": r'"\\" ["\\nt$/]',
}


def plan_grammar(
    tools: Mapping[str, ToolSpec] | Iterable[ToolSpec],
    *,
    max_tasks: int = 8,
    first_id: int = 1,
    allow_thoughts: bool = True,
    min_tasks: int = 1,
    max_string: int = MAX_STRING,
) -> str:
    """The GBNF grammar of every valid plan over `tools`.

    `first_id` is the id of the plan's first task (a replan continues the
    numbering of the plans before it, and may refer to all their ids);
    `min_tasks`..`max_tasks` bound the number of tool calls before `join()`;
    with `max_tasks=0` the only plan is `join()`, and no tools are needed.
    """
    table = _plannable(tools) if max_tasks else _joinable(tools)
    if not 0 <= min_tasks <= max_tasks or first_id < 1:
        raise ValueError(f"need 0 <= min_tasks <= max_tasks and first_id >= 1, got {min_tasks}, {max_tasks}, {first_id}")
    last = first_id + max_tasks
    builder = _Builder(max_string, reserved={f"{kind}-{k}" for kind in ("step", "call") for k in range(first_id, last + 1)})
    builder.add("root", f"step-{first_id}")
    thought = "thought? " if allow_thoughts else ""
    if allow_thoughts:
        builder.add("thought", f'"Thought: " [^\\n<\\x00-\\x1F]{{1,{max_string}}} "\\n"')
    for k in range(first_id, last + 1):
        join = _join(builder, k)
        if k == last:
            builder.add(f"step-{k}", f"{thought}{join}")
            continue
        calls = " | ".join(builder.call(name, tool, k) for name, tool in table.items())
        builder.add(f"call-{k}", calls)
        task = f'{_lit(f"{k}. ")} call-{k} "\\n" step-{k + 1}'
        body = f"{task} | {join}" if k - first_id >= min_tasks else task
        builder.add(f"step-{k}", f"{thought}( {body} )")
    return builder.text()


def _join(builder: "_Builder", k: int) -> str:
    """`k. join()`, or `k. join($N)` naming the task whose result is the answer."""
    ref = builder.ref(k)
    if ref is None:
        return _lit(f"{k}. join()\n{END_OF_PLAN}")
    opening, closing = _lit(f"{k}. join("), _lit(")\n" + END_OF_PLAN)
    return f"{opening} {ref}? {closing}"


def action_grammar(
    tools: Mapping[str, ToolSpec] | Iterable[ToolSpec],
    *,
    max_thought: int = MAX_STRING,
    max_answer: int = MAX_STRING,
    max_string: int = MAX_STRING,
) -> str:
    """The GBNF grammar of one ReAct step over `tools` (`agentc.planners.react`):

        Thought: <text>
        Action: tool_name(argument=value, ...)      or      Action: Finish[<answer>]

    The call follows the tools' schemas as a plan task does, but with values
    only: an action cannot refer to another call's result. The step ends
    after the action, so the model cannot write an observation of its own.
    """
    table = tool_table(tools)
    if not table:
        raise ToolDefinitionError("an action grammar needs at least one tool; register tools before running ReAct")
    builder = _Builder(max_string, reserved={"action-call", "step-thought", "step-answer"})
    builder.add("root", '"Thought: " step-thought "\\n" "Action: " ( action-call | "Finish[" step-answer "]" )')
    builder.add("step-thought", f"[^\\n]{{1,{max_thought}}}")
    builder.add("step-answer", f"[^\\]\\n]{{1,{max_answer}}}")
    builder.add("action-call", " | ".join(builder.call(name, tool, 1) for name, tool in table.items()))
    return builder.text()


def joiner_grammar(
    *, max_thought: int = 300, max_answer: int = 400, output_schema: dict[str, Any] | None = None
) -> str:
    """The GBNF grammar of a joiner answer.

        Thought: <text>
        Action: Finish(<answer>)      or      Action: Replan(<reason>)

    With `output_schema` (a typed answer, see `agentc.output`) the answer
    inside `Finish(...)` is JSON that fits it; its rules come from
    llama-cpp-python's JSON-schema converter (the one
    `LlamaGrammar.from_json_schema` uses), renamed under `answer-` so they
    cannot clash with the rules here.
    """
    if output_schema is None:
        return "\n".join(
            [
                'root ::= "Thought: " thought "\\n" "Action: " ( "Finish(" answer ")" | "Replan(" answer ")" )',
                f"thought ::= [^\\n]{{1,{max_thought}}}",
                f"answer ::= [^\\n]{{1,{max_answer}}}",
            ]
        )
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return "\n".join(
        [
            'root ::= "Thought: " thought "\\n" "Action: " ( "Finish(" answer-root ")" | "Replan(" reason ")" )',
            f"thought ::= [^\\n]{{1,{max_thought}}}",
            f"reason ::= [^\\n]{{1,{max_answer}}}",
            _prefixed(json_schema_to_gbnf(json.dumps(output_schema)), "answer-"),
        ]
    )


_GBNF_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\[(?:\\.|[^\]\\])*\]|[A-Za-z0-9-]+|\s+|.')
"""A GBNF token: a string literal, a character class, a name or number, or one other character."""


def _prefixed(grammar: str, prefix: str) -> str:
    """`grammar` with every rule name (a name token that is not a number)
    starting with `prefix`; literals and character classes are left alone."""
    return "".join(
        prefix + token if _RULE_NAME.fullmatch(token) and not token.isdigit() else token
        for token in _GBNF_TOKEN.findall(grammar)
    )


class _Builder:
    """Collects rules; values are generated from JSON schemas, one rule per
    distinct body, with references allowed to the ids before the task."""

    def __init__(self, max_string: int, reserved: set[str]) -> None:
        self.max_string = max_string
        self.reserved = reserved
        """Names of rules added later by name, which generated rules must not take."""
        self.rules: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._defs: dict[str, Any] = {}
        for name, body in _SCALARS.items():
            self.add(name, body)

    def text(self) -> str:
        return "\n".join(f"{name} ::= {body}" for name, body in self.rules.items()) + "\n"

    def add(self, name: str, body: str) -> str:
        self.rules[name] = body
        self._names.setdefault(body, name)
        return name

    def named(self, hint: str, body: str) -> str:
        """A rule for `body` (reusing an identical one), named after `hint`."""
        if body in self._names:
            return self._names[body]
        base = re.sub(r"[^A-Za-z0-9]+", "-", hint).strip("-").lower() or "v"
        name, n = base, 1
        while name in self.rules or name in self.reserved:
            n += 1
            name = f"{base}-{n}"
        return self.add(name, body)

    # calls

    def call(self, name: str, tool: ToolSpec, k: int) -> str:
        schema = tool.json_schema()["function"]["parameters"]
        self._defs = schema.get("$defs", {})
        props: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        items = [
            (f"{_lit(arg + '=')} {self.value(prop, k, f'{name}-{arg}-{k}')}", arg in required)
            for arg, prop in props.items()
        ]
        return self.named(f"{name}-{k}", f"{_lit(name + '(')} {_sequence(items, _lit(', '))} {_lit(')')}")

    # values

    def value(self, schema: Any, k: int, hint: str, depth: int = 0) -> str:
        """A rule for a value fitting `schema` in task `k`, or a reference `$N` (N < k)."""
        typed = self.typed(schema, k, hint, depth)
        ref = self.ref(k)
        if ref is None and _RULE_NAME.fullmatch(typed):
            return typed
        return self.named(hint, typed if ref is None else f"{typed} | {ref}")

    def typed(self, schema: Any, k: int, hint: str, depth: int) -> str:
        """A GBNF expression for the literal values `schema` allows."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or not schema:
            return self.any(k, depth)
        if depth > MAX_SCHEMA_DEPTH:
            return self.any(k, MAX_DEPTH)
        if "const" in schema:
            return _lit(_render(schema["const"]))
        if "enum" in schema:
            return " | ".join(_lit(_render(v)) for v in schema["enum"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return " | ".join(f"( {self.typed(s, k, hint, depth)} )" for s in schema[key])
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.typed(schema["allOf"][0], k, hint, depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            return " | ".join(f"( {self.typed({**schema, 'type': t}, k, hint, depth)} )" for t in kind)
        if kind == "string":
            return self.string(k, schema.get("minLength", 0), schema.get("maxLength"))
        if kind in ("integer", "number", "boolean", "null"):
            return {"integer": "int", "number": "num", "boolean": "bool", "null": "null"}[kind]
        if kind == "array":
            return self.array(schema, k, hint, depth)
        if kind == "object":
            return self.object(schema, k, hint, depth)
        return self.any(k, depth)

    def resolve(self, schema: Any) -> Any:
        """Follow a local `$ref` (`#/$defs/Name`), as pydantic writes them."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            target = schema["$ref"].rsplit("/", 1)[-1]
            if target not in self._defs:
                raise ToolDefinitionError(f"schema reference {schema['$ref']!r} is not in the tool's $defs")
            schema = self._defs[target]
            seen += 1
        return schema

    def ref(self, k: int, *, in_string: bool = False) -> str | None:
        """`$N` for the tasks before `k` (`${N}` inside a string, so a digit may follow)."""
        if k <= 1:
            return None
        ids = self.named(f"ids-{k}", " | ".join(f'"{i}"' for i in range(1, k)))
        if in_string:
            return self.named(f"sref-{k}", f'"${{" {ids} "}}"')
        return self.named(f"ref-{k}", f'"$" {ids}')

    def string(self, k: int, min_length: int = 0, max_length: int | None = None) -> str:
        """A double-quoted string of bounded length, in which `${N}` and a bare
        `$N` (as people write it: "$1 * 3") count as one character each. A
        bare `$N` is followed by a non-digit or ends the string, so it can
        never be read as a longer id."""
        most = self.max_string if max_length is None else min(max_length, self.max_string)
        least = min(min_length, most)
        braced, bare = self.ref(k, in_string=True), self.ref(k)
        unit = "char | escape" + (f" | {braced} | {bare} nondigit" if braced else "")
        last = f" {bare}?" if bare else ""
        return self.named(f"string-{k}-{least}-{most}", f'"\\"" ( {unit} ){{{least},{most}}}{last} "\\""')

    def array(self, schema: dict[str, Any], k: int, hint: str, depth: int) -> str:
        if "prefixItems" in schema:
            parts = [self.value(s, k, f"{hint}-item", depth + 1) for s in schema["prefixItems"]]
            return '"[" ' + ' ", " '.join(parts) + ' "]"'
        item = self.value(schema.get("items", {}), k, f"{hint}-item", depth + 1)
        least = schema.get("minItems", 0)
        most = max(least, min(schema.get("maxItems", MAX_ITEMS), MAX_ITEMS))
        return self.named(f"{hint}-list", _repeat(item, least, most, '"["', '"]"'))

    def object(self, schema: dict[str, Any], k: int, hint: str, depth: int) -> str:
        props: dict[str, Any] = schema.get("properties", {})
        if props:
            required = set(schema.get("required", []))
            items = [
                (f"{_lit(json.dumps(key) + ': ')} {self.value(prop, k, f'{hint}-{key}', depth + 1)}", key in required)
                for key, prop in props.items()
            ]
            return self.named(f"{hint}-object", f'"{{" {_sequence(items, _lit(", "))} "}}"')
        extra = schema.get("additionalProperties", {})
        pair = self.named(
            f"{hint}-pair",
            f'{self.string(0)} ": " {self.value(extra if isinstance(extra, dict) else {}, k, f"{hint}-val", depth + 1)}',
        )
        return self.named(f"{hint}-dict", _repeat(pair, 0, MAX_ITEMS, '"{"', '"}"'))

    def any(self, k: int, depth: int) -> str:
        """Any literal value, lists and dicts nested at most `MAX_DEPTH` deep."""
        ref = self.ref(k)
        scalars = f"{self.string(k)} | num | bool | null" + (f" | {ref}" if ref else "")
        if depth >= MAX_DEPTH:
            return self.named(f"any-{k}-{depth}", scalars)
        inner = self.any(k, depth + 1)
        pair = self.named(f"any-pair-{k}-{depth}", f'{self.string(0)} ": " {inner}')
        lists = _repeat(inner, 0, MAX_ITEMS, '"["', '"]"')
        dicts = _repeat(pair, 0, MAX_ITEMS, '"{"', '"}"')
        body = f"{scalars} | {lists} | {dicts}"
        return self.named(f"any-{k}-{depth}", body)


def _plannable(tools: Mapping[str, ToolSpec] | Iterable[ToolSpec]) -> dict[str, ToolSpec]:
    """Tools by name, refusing what no call can name."""
    table = _joinable(tools)
    if not table:
        raise ToolDefinitionError("a grammar of tool calls needs at least one tool; register tools first")
    return table


def _joinable(tools: Mapping[str, ToolSpec] | Iterable[ToolSpec]) -> dict[str, ToolSpec]:
    """Tools by name for a plan that can only join: none is required."""
    table = tool_table(tools)
    if "join" in table:
        raise ToolDefinitionError("a tool may not be named 'join': the plan language uses join() to end a plan; rename it")
    return table


def _sequence(items: list[tuple[str, bool]], sep: str) -> str:
    """`items` in order, joined by `sep`: each required item present, each
    optional one present or not (the first present item has no `sep`)."""

    def after(i: int) -> str:
        # items[i:] when something was already written, so each starts with sep
        parts = [f"{sep} {item}" if required else f"( {sep} {item} )?" for item, required in items[i:]]
        return " ".join(parts)

    alternatives: list[str] = []
    for i, (item, required) in enumerate(items):
        alternatives.append(f"{item} {after(i + 1)}".strip())
        if required:
            return "( " + " | ".join(alternatives) + " )"
    if not alternatives:
        return ""
    return "( " + " | ".join(alternatives) + " )?"


def _repeat(item: str, least: int, most: int, open_: str, close: str) -> str:
    """`open item, item, ... close` with `least`..`most` items."""
    if most == 0:
        return f"{open_} {close}"
    tail = f'( ", " {item} ){{{max(least - 1, 0)},{most - 1}}}'
    body = f"{item} {tail}"
    return f"{open_} {body if least > 0 else f'( {body} )?'} {close}"


def _render(value: Any) -> str:
    """A value as plan text, with `$` escaped so it can never read as a reference."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("$", "\\$")
    return json.dumps(value, ensure_ascii=False)


def _lit(text: str) -> str:
    """A GBNF string literal matching exactly `text`."""
    return json.dumps(text, ensure_ascii=False)


def agent_plan_grammar(tools: Iterable[ToolSpec], first_id: int, max_tasks: int) -> str:
    """The plan grammar an `Agent` decodes with: at most `max_tasks` calls,
    and a plan of only `join()` possible, so the planner can decline when no
    tool helps (the only plan when a tool selector offers no tool). Its
    arguments are `Agent`'s `plan_grammar` hook's."""
    tools = list(tools)
    return plan_grammar(tools, max_tasks=max_tasks if tools else 0, first_id=first_id, min_tasks=0)


def agent_grammars(*, max_tasks: int = 8, output_schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments that make an `Agent` constrain its planner and joiner:
    `Agent(llm, tools, **agent_grammars())`, plans bounded to `max_tasks` calls;
    with `output_schema` (of the agent's `output_type`), the joiner's
    `Finish(...)` holds JSON that fits it."""

    def build(tools: Iterable[ToolSpec], first_id: int, agent_max_tasks: int) -> str:
        return agent_plan_grammar(tools, first_id, min(max_tasks, agent_max_tasks))

    return {"plan_grammar": build, "joiner_grammar": joiner_grammar(output_schema=output_schema)}
