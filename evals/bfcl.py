"""BFCL's AST check, written from the leaderboard's published rules.

For one item (the rules of BFCL's `ast_checker`, Python categories):

- irrelevance: right when the plan makes no call (a valid plan of only
  `join()`; BFCL also counts output it cannot decode as "no call", but a
  text that is not a plan fails a real run, so here it is an invalid plan);
- otherwise the number of calls must equal the number of gold calls, and
  each gold call, in order, takes the first not-yet-taken plan call that
  passes the check below (so parallel calls may come in any order);
- one call: the function name is the gold one; every required parameter
  is given; no parameter outside the function's schema or the gold answer;
  each value has the schema's type (Python types: integer -> int, float
  -> float, and an int is accepted for a float, string and any -> str,
  array and tuple -> list, dict -> dict, boolean -> bool; list items are
  type-checked one level deep; a value of the gold answer's own type is
  accepted when that differs from the schema's, as BFCL does for
  "variables"); the value is among the allowed ones, strings compared
  after BFCL's normalisation (`normalise`), inside lists and dicts too;
  a parameter left out must have `""` among its allowed values.

A plan value that refers to another task's result (`$N`) is a wrong
value: BFCL's gold answers are all literals.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from agentc.evals.items import Call, EvalItem, GoldCall, function_name, function_parameters
from agentc.evals.verdict import Verdict
from agentc.plan import Ref, Template, references, render

_PYTHON_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "float": float,
    "number": float,
    "boolean": bool,
    "array": list,
    "tuple": list,
    "dict": dict,
    "object": dict,
    "any": str,
}
"""BFCL's Python type of each schema type name."""

_IGNORED = re.compile(r"[ ,./\-_*^]")


def normalise(text: str) -> str:
    """BFCL's string normalisation: drop spaces and `,./-_*^`, lower-case,
    and turn single quotes into double quotes."""
    return _IGNORED.sub("", text).lower().replace("'", '"')


def check_bfcl(item: EvalItem, calls: Sequence[Call]) -> Verdict:
    """Whether `calls` answer `item` by BFCL's AST rules, and why not."""
    if not item.calls:
        if calls:
            return Verdict.fail("bad count", f"{len(calls)} call(s) made where no function fits; the right plan is only join()")
        return Verdict.ok()
    if len(calls) != len(item.calls):
        return Verdict.fail("bad count", f"{len(calls)} call(s) made, {len(item.calls)} expected")
    schemas = {function_name(f): function_parameters(f) for f in item.functions}
    taken: set[int] = set()
    for number, gold in enumerate(item.calls, start=1):
        schema = schemas.get(gold.name, {})
        failures: list[Verdict] = []
        for index, call in enumerate(calls):
            if index in taken:
                continue
            verdict = check_call(gold, schema, call)
            if verdict.passed:
                taken.add(index)
                break
            failures.append(verdict)
        else:
            return _closest(failures, gold, number)
    return Verdict.ok()


def check_call(gold: GoldCall, schema: dict[str, Any], call: Call) -> Verdict:
    """One plan call against one gold call (`schema`: the function's parameters)."""
    if call.name != gold.name:
        return Verdict.fail("wrong name", f"called {call.name}, expected {gold.name}")
    allowed = gold.allowed or {}
    properties = schema.get("properties") or {}
    for param in schema.get("required") or []:
        if param not in call.arguments:
            return Verdict.fail("missing param", f"{gold.name}: required parameter {param!r} is not given")
    for param, value in call.arguments.items():
        if param not in properties or param not in allowed:
            where = "the function's schema" if param not in properties else "the gold answer"
            return Verdict.fail("unexpected param", f"{gold.name}: parameter {param!r} is not in {where}")
        verdict = _check_value(gold.name, param, value, properties[param], allowed[param])
        if not verdict.passed:
            return verdict
    for param, values in allowed.items():
        if param not in call.arguments and "" not in values:
            return Verdict.fail(
                "missing param", f"{gold.name}: parameter {param!r} is left out but the gold answer needs one of {values!r}"
            )
    return Verdict.ok()


def _check_value(name: str, param: str, value: Any, prop: dict[str, Any], allowed: list[Any]) -> Verdict:
    if next(references(value), None) is not None or isinstance(value, (Ref, Template)):
        return Verdict.fail("wrong value", f"{name}: {param}={render(value)} uses another task's result; expected one of {allowed!r}")
    type_name = str(prop.get("type", "any")).lower()
    expected = _PYTHON_TYPES.get(type_name, str)
    if type_name == "tuple" and isinstance(value, tuple):
        value = list(value)
    if expected is float and type(value) is int:
        value = float(value)
    gold_type = _gold_type(allowed)
    # a "variable": the gold answer's values have another type than the schema's
    variable = gold_type is not None and gold_type is not expected
    if not _type_fits(value, expected, prop, allowed):
        if gold_type is None or type(value) is not gold_type:
            return Verdict.fail(
                "wrong type", f"{name}: {param}={render(value)} is {type(value).__name__}, expected {type_name}"
            )
        variable = True
    fits = value in allowed if variable else _value_fits(value, expected, prop, allowed)
    if fits:
        return Verdict.ok()
    return Verdict.fail("wrong value", f"{name}: {param}={render(value)}, expected one of {allowed!r}")


def _type_fits(value: Any, expected: type, prop: dict[str, Any], allowed: list[Any]) -> bool:
    """The schema type, exactly (a bool is no int); list items one level deep."""
    if type(value) is not expected:
        return False
    if expected is not list:
        return True
    item_type = _item_type(prop)
    for candidate in allowed:
        if not isinstance(candidate, list):
            return True  # BFCL checks items only against list answers; "" lets any items through
        candidate_type = _gold_type(candidate)
        if all(type(v) is item_type or (candidate_type is not None and type(v) is candidate_type) for v in value):
            return True
    return False


def _value_fits(value: Any, expected: type, prop: dict[str, Any], allowed: list[Any]) -> bool:
    if expected is dict:
        return any(_dict_fits(value, c) for c in allowed if c != "")
    if expected is list and _item_type(prop) is dict:
        return any(
            isinstance(c, list) and len(c) == len(value) and all(_dict_fits(v, g) for v, g in zip(value, c))
            for c in allowed
        )
    if expected is str:
        return normalise(value) in [normalise(c) for c in allowed if isinstance(c, str)]
    if expected is list:
        return _normalised(value) in [_normalised(c) for c in allowed if isinstance(c, list)]
    return value in allowed


def _dict_fits(value: Any, candidate: Any) -> bool:
    """A dict against one allowed dict whose keys list allowed values."""
    if not isinstance(value, dict) or not isinstance(candidate, dict):
        return False
    for key, item in value.items():
        if key not in candidate:
            return False
        if _scalar(item) not in [_scalar(c) for c in _options(candidate[key])]:
            return False
    return all(key in value or "" in _options(options) for key, options in candidate.items())


def _options(values: Any) -> list[Any]:
    return values if isinstance(values, list) else [values]


def _item_type(prop: dict[str, Any]) -> type:
    items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
    return _PYTHON_TYPES.get(str(items.get("type", "any")).lower(), str)


def _scalar(value: Any) -> Any:
    return normalise(value) if isinstance(value, str) else value


def _normalised(value: Any) -> Any:
    """Strings normalised, and the strings directly inside a list."""
    if isinstance(value, list):
        return [_scalar(v) for v in value]
    return _scalar(value)


def _gold_type(allowed: list[Any]) -> type | None:
    """The type of the first allowed value that is not `""` (None if all are)."""
    return next((type(v) for v in allowed if v != ""), None)


def _closest(failures: list[Verdict], gold: GoldCall, number: int) -> Verdict:
    """The failure that says most: against a call of the right name, if any."""
    named = [f for f in failures if f.reason != "wrong name"]
    if named:
        return named[0]
    return Verdict.fail("wrong name", f"no call of {gold.name} (gold call {number}); the plan calls other functions")
