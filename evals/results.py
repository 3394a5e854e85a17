"""`ItemResult` and the results file that makes a run resumable.

Each finished item is appended to a JSONL file as one line, flushed at
once, so an interrupted run loses at most the item in flight. A re-run
with the same file reads it first and skips the items it holds; an item
that ended in an LLM error is not finished and runs again. Every line
records the run's setup (model, grammar, ...): a file written with another
setup is refused rather than mixed into one score.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentc.evals.calls import Counts
from agentc.evals.errors import EvalDataError
from agentc.evals.items import Call
from agentc.plan import to_plain


@dataclass
class ItemResult:
    """What one item's evaluation found, as plain data (one JSONL line)."""

    key: str
    id: str
    category: str
    rules: str
    passed: bool
    reason: str | None
    detail: str
    valid_plan: bool
    dag_match: bool
    counts: Counts
    plan: str
    calls: list[dict[str, Any]]
    seconds: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    setup: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """False for an item an LLM error stopped: a re-run tries it again."""
        return self.reason != "llm error"

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ItemResult":
        data = dict(data)
        data["counts"] = Counts(**data.get("counts", {}))
        return cls(**data)


def plain_calls(calls: list[Call]) -> list[dict[str, Any]]:
    """Calls as JSON: references written `$N`."""
    return [{"idx": c.idx, "name": c.name, "arguments": to_plain(c.arguments), "deps": list(c.deps)} for c in calls]


class ResultsFile:
    """The JSONL file of one run's item results (see the module docstring)."""

    def __init__(self, path: str | Path, setup: dict[str, Any]) -> None:
        self.path = Path(path)
        self.setup = setup

    def load(self) -> dict[str, ItemResult]:
        """The finished results already in the file, by item key (the last line of a key wins)."""
        if not self.path.exists():
            return {}
        found: dict[str, ItemResult] = {}
        with self.path.open(encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    result = ItemResult.from_dict(json.loads(text))
                except (json.JSONDecodeError, TypeError) as exc:
                    raise EvalDataError(
                        f"{self.path} line {number} is not an item result ({exc}); pass a new --results file "
                        "or delete this one to start over"
                    ) from None
                if result.setup != self.setup:
                    raise EvalDataError(
                        f"{self.path} holds results of another setup ({_describe(result.setup)}), not of this run "
                        f"({_describe(self.setup)}); pass another --results file so scores are not mixed"
                    )
                found[result.key] = result
        return {k: r for k, r in found.items() if r.finished}

    def append(self, result: ItemResult) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(result.to_json() + "\n")
            handle.flush()


def _describe(setup: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(setup.items())) or "no setup recorded"
