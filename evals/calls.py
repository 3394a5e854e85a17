"""Call-by-call comparison with single gold values: Seal-Tools and our JSONL.

Seal-Tools' published metric pools counts over the whole set:

- API precision / recall / F1: a plan call is correct when a gold call has
  the same tool name (each gold call matched once, in plan order);
- parameter precision / recall / F1: every parameter of every plan call is
  predicted, every parameter of every gold call is gold, and a parameter of
  a matched call is correct when the gold call has it with the same value,
  values compared as text (`str(a) == str(b)`, the data set's rule);
- a plan that does not parse predicts nothing (its gold still counts).

An item passes when its calls match the gold ones exactly: same count,
every gold call matched by name, the same parameters with the same values,
and the same dependency graph (`dag.same_dag`). A reference compares by
the tool whose result it takes, so `$2` is right wherever the plan put the
call the gold's `API_call_k` came from. Our own JSONL format ("exact"
rules) compares values as values (`2 == 2.0`, but `True` is no `1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from agentc.evals.dag import same_dag
from agentc.evals.items import Call, EvalItem, GoldCall
from agentc.evals.verdict import Verdict
from agentc.plan import Ref, Template, render


@dataclass(frozen=True)
class Counts:
    """The counts Seal-Tools pools: API and parameter hits, predictions, gold."""

    api_correct: int = 0
    api_predicted: int = 0
    api_gold: int = 0
    param_correct: int = 0
    param_predicted: int = 0
    param_gold: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.api_correct, self.api_predicted, self.api_gold, self.param_correct, self.param_predicted, self.param_gold)


def count_calls(item: EvalItem, calls: Sequence[Call]) -> Counts:
    """Seal-Tools' counts for one item (`calls` empty for a plan that did not parse)."""
    pairs = match_by_name(item.calls, calls)
    same = _comparer(item)
    gold_names, plan_names = _names(item.calls, calls)
    correct = 0
    for gold_index, call_index in pairs:
        gold, call = item.calls[gold_index], calls[call_index]
        for param, value in call.arguments.items():
            if param in gold.arguments and same(
                _canonical(value, plan_names), _canonical(gold.arguments[param], gold_names)
            ):
                correct += 1
    return Counts(
        api_correct=len(pairs),
        api_predicted=len(calls),
        api_gold=len(item.calls),
        param_correct=correct,
        param_predicted=sum(len(c.arguments) for c in calls),
        param_gold=sum(len(g.arguments) for g in item.calls),
    )


def check_calls(item: EvalItem, calls: Sequence[Call]) -> Verdict:
    """Whether `calls` are exactly the gold calls (see the module docstring), and why not."""
    if len(calls) != len(item.calls):
        return Verdict.fail("bad count", f"{len(calls)} call(s) made, {len(item.calls)} expected")
    pairs = dict(match_by_name(item.calls, calls))
    for number, gold in enumerate(item.calls, start=1):
        if number - 1 not in pairs:
            made = ", ".join(sorted({c.name for c in calls})) or "nothing"
            return Verdict.fail("wrong name", f"no call of {gold.name} (gold call {number}); the plan calls {made}")
    same = _comparer(item)
    gold_names, plan_names = _names(item.calls, calls)
    for gold_index, call_index in sorted(pairs.items()):
        gold, call = item.calls[gold_index], calls[call_index]
        for param in gold.arguments:
            if param not in call.arguments:
                return Verdict.fail("missing param", f"{gold.name}: parameter {param!r} is not given")
        for param, value in call.arguments.items():
            if param not in gold.arguments:
                return Verdict.fail("unexpected param", f"{gold.name}: parameter {param!r} is not in the gold call")
            mine, right = _canonical(value, plan_names), _canonical(gold.arguments[param], gold_names)
            if not same(mine, right):
                kind = "wrong type" if item.rules == "exact" and str(mine) == str(right) else "wrong value"
                return Verdict.fail(kind, f"{gold.name}: {param}={render(value)}, expected {render(gold.arguments[param])}")
    if not same_dag(calls, item.calls):
        return Verdict.fail("bad DAG", "the calls are right but depend on each other differently from the gold plan")
    return Verdict.ok()


def match_by_name(gold: Sequence[GoldCall], calls: Sequence[Call]) -> list[tuple[int, int]]:
    """`(gold index, call index)` pairs: each plan call, in order, takes the
    first gold call of its name not taken yet."""
    free = list(range(len(gold)))
    pairs = []
    for call_index, call in enumerate(calls):
        for gold_index in free:
            if gold[gold_index].name == call.name:
                pairs.append((gold_index, call_index))
                free.remove(gold_index)
                break
    return pairs


def _names(gold: Sequence[GoldCall], calls: Sequence[Call]) -> tuple[dict[int, str], dict[int, str]]:
    """Tool names by gold call number and by plan task id, for references."""
    return {n: g.name for n, g in enumerate(gold, start=1)}, {c.idx: c.name for c in calls}


def _canonical(value: Any, names: dict[int, str]) -> Any:
    """`value` with each reference written as `${tool}` of the call it takes."""
    if isinstance(value, Ref):
        return "${" + names.get(value.idx, f"?{value.idx}") + "}"
    if isinstance(value, Template):
        return "".join(_canonical(p, names) if isinstance(p, Ref) else p for p in value.parts)
    if isinstance(value, (list, tuple)):
        return [_canonical(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v, names) for k, v in value.items()}
    return value


def _comparer(item: EvalItem) -> Any:
    return _same_text if item.rules == "seal_tools" else _same_value


def _same_text(a: Any, b: Any) -> bool:
    return str(a) == str(b)


def _same_value(a: Any, b: Any) -> bool:
    """Equal as JSON values: numbers by value, but a bool only equals a bool."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return False
    return a == b
