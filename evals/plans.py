"""Between plans and data sets: a plan's tasks as calls, gold calls as a plan.

A plan names tools and parameters by their plan names (`math_factorial`,
`from_`, see `agentc.tools.schema`); the checkers compare against the data
set's own names (`math.factorial`, `_from`). `plan_calls` maps a checked
plan's tasks back; `gold_plan` writes an item's gold calls as the plan a
perfect planner would write (the scripted oracle, and a check that loaders,
schemas and checkers agree: every gold plan must score 100%).
"""

from __future__ import annotations

from typing import Any, Sequence

from agentc.evals.errors import EvalDataError
from agentc.evals.items import Call, EvalItem, function_name, function_parameters
from agentc.parser import numbered_plan
from agentc.plan import Task, render
from agentc.tools.schema import plan_name, plan_parameter


def plan_calls(tasks: Sequence[Task], functions: Sequence[dict[str, Any]]) -> list[Call]:
    """The plan's tasks as `Call`s with the data set's tool and parameter names."""
    originals = {plan_name(function_name(f)): f for f in functions}
    calls = []
    for task in tasks:
        schema = originals.get(task.tool)
        if schema is None:  # the checker rejects unknown tools, so this is a tool added from elsewhere
            calls.append(Call(task.idx, task.tool, dict(task.args), task.deps))
            continue
        params = {plan_parameter(p): p for p in function_parameters(schema).get("properties", {})}
        arguments = {params.get(k, k): v for k, v in task.args.items()}
        calls.append(Call(task.idx, function_name(schema), arguments, task.deps))
    return calls


def gold_plan(item: EvalItem) -> str:
    """The plan text of `item`'s gold calls, numbered from 1, ending in join()."""
    schemas = {function_name(f): f for f in item.functions}
    calls = []
    for call in item.calls:
        if call.name not in schemas:
            raise EvalDataError(f"item {item.key}: gold call {call.name!r} is not among the item's tools")
        args = ", ".join(f"{plan_parameter(k)}={render(v)}" for k, v in call.arguments.items())
        calls.append(f"{plan_name(call.name)}({args})")
    return numbered_plan(calls)
