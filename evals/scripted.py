"""Scripted planners for the evaluation: the gold plan, or plans from a file.

Both give each item its own `ScriptedLLM` (a real backend that replays
text), so the whole pipeline — prompt, streaming parser, checks, scoring —
runs as with a model. The gold plan scores 100% by construction except
where a data set's gold answer contradicts its own schema, which makes it
the check that loaders, schemas and checkers agree; replayed plans let a
stored set of plans (another system's, or hand-written) be scored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from agentc.evals import jsonl
from agentc.evals.errors import EvalDataError
from agentc.evals.items import EvalItem
from agentc.evals.plans import gold_plan
from agentc.llm import ScriptedLLM

ScriptedSource = Callable[[EvalItem], ScriptedLLM]


def oracle(item: EvalItem) -> ScriptedLLM:
    """A planner that writes `item`'s gold plan."""
    return ScriptedLLM([gold_plan(item)])


def replay(path: str | Path) -> ScriptedSource:
    """Planners that write the plans of a JSONL file of `{"id", "plan"}`
    (or `{"key", "plan"}` with `key` = "category/id")."""
    source = Path(path)
    plans: dict[str, str] = {}
    for number, record in jsonl.records(source):
        key = record.get("key") or record.get("id")
        if not isinstance(key, (str, int)) or isinstance(key, bool) or not isinstance(record.get("plan"), str):
            raise EvalDataError(f'{source} line {number} must be {{"id" or "key", "plan"}} with a text plan; it has {sorted(record)}')
        plans[str(key)] = record["plan"]

    def planner(item: EvalItem) -> ScriptedLLM:
        text = plans.get(item.key, plans.get(item.id))
        if text is None:
            raise EvalDataError(f"{source} has no plan for {item.key}; add a line {{\"key\": \"{item.key}\", \"plan\": ...}}")
        return ScriptedLLM([text])

    return planner
