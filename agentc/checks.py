"""Semantic checks: bind each parsed call to its tool and check it.

`PlanChecker.check(call)` runs on each call as it streams in: the tool must
exist, positional arguments bind to parameter names in schema order, no
argument may be unknown or missing, and every literal argument must fit its
parameter's type (arguments holding references are validated when they are
substituted, just before the call). Identical calls are merged: a repeated
call takes the earlier task's result instead of running again.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Iterable, Mapping

from pydantic import TypeAdapter, ValidationError

from agentc.errors import PlanError
from agentc.plan import ParsedCall, Ref, Task, Template, references, to_plain
from agentc.toolspec import ToolSpec, tool_table


class PlanChecker:
    """Checks calls against `tools`. Keeps the calls seen so far for merging,
    across the replans of one run (so a replan never re-runs a finished call)."""

    def __init__(self, tools: Mapping[str, ToolSpec] | Iterable[ToolSpec], *, merge_identical: bool = True) -> None:
        self.tools = tool_table(tools)
        self.merge_identical = merge_identical
        self._seen: dict[str, int] = {}
        self._adapters: dict[tuple[str, str], TypeAdapter[Any]] = {}

    def check(self, call: ParsedCall) -> Task:
        tool = self.tools.get(call.tool)
        if tool is None:
            known = ", ".join(sorted(self.tools)) or "none"
            raise PlanError(f"unknown tool {call.tool!r}; the tools are: {known}", line=call.line, text=call.text)
        args = self._bind(call, tool)
        deps = tuple(dict.fromkeys(r for v in args.values() for r in references(v)))
        task = Task(idx=call.idx, tool=call.tool, args=args, deps=deps, thought=call.thought, line=call.line, text=call.text)
        if self.merge_identical:
            key = _call_key(task)
            if key is not None:
                task.same_as = self._seen.setdefault(key, task.idx)
                if task.same_as == task.idx:
                    task.same_as = None
        return task

    def _bind(self, call: ParsedCall, tool: ToolSpec) -> dict[str, Any]:
        fields = tool.args_model.model_fields
        names = list(fields)
        if len(call.positional) > len(names):
            raise PlanError(
                f"{call.tool} takes {len(names)} argument(s) ({', '.join(names) or 'none'}) "
                f"but {len(call.positional)} were given",
                line=call.line,
                text=call.text,
            )
        args: dict[str, Any] = dict(zip(names, call.positional))
        for key, value in call.keywords:
            if key not in fields:
                raise PlanError(
                    f"{call.tool} has no argument {key!r}; its arguments are: {', '.join(names) or 'none'}",
                    line=call.line,
                    text=call.text,
                )
            if key in args:
                raise PlanError(f"argument {key!r} of {call.tool} is given twice", line=call.line, text=call.text)
            args[key] = value
        missing = [n for n, f in fields.items() if f.is_required() and n not in args]
        if missing:
            raise PlanError(
                f"{call.tool} needs argument(s) {', '.join(missing)}", line=call.line, text=call.text
            )
        for key, value in args.items():
            if next(references(value), None) is not None:
                continue
            try:
                self._adapter(call.tool, key, tool).validate_python(value)
            except ValidationError as exc:
                reason = "; ".join(e.get("msg", "invalid") for e in exc.errors())
                raise PlanError(
                    f"argument {key}={value!r} does not fit {call.tool}: {reason}", line=call.line, text=call.text
                ) from None
        return args

    def _adapter(self, tool_name: str, field: str, tool: ToolSpec) -> TypeAdapter[Any]:
        key = (tool_name, field)
        adapter = self._adapters.get(key)
        if adapter is None:
            info = tool.args_model.model_fields[field]
            annotation = info.annotation if info.annotation is not None else Any
            if info.metadata:  # constraints such as Field(max_length=5) live here
                annotation = Annotated[(annotation, *info.metadata)]
            adapter = TypeAdapter(annotation)
            self._adapters[key] = adapter
        return adapter


def _call_key(task: Task) -> str | None:
    """A text key equal for identical calls; None when a value has no stable text."""
    try:
        return json.dumps([task.tool, _keyable(task.args)], sort_keys=True)
    except (TypeError, ValueError):
        return None


def _keyable(value: Any) -> Any:
    if isinstance(value, Ref):
        return {"$ref": value.idx}
    if isinstance(value, Template):
        return {"$template": [_keyable(p) for p in value.parts]}
    if isinstance(value, dict):
        return {json.dumps(_keyable(k)): _keyable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [type(value).__name__] + [_keyable(v) for v in value]
    return to_plain(value)
