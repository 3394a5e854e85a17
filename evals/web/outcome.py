"""What a web run records: one `TaskResult` line per task and one trace file per task.

`TaskResult` is the results-file line (scores, answer, stop reason, counts);
`TaskOutcome` pairs it with the `WebRun` behind it (plans, actions, pages,
LLM calls), which goes to `OUT/traces/<key>.json`. Both are plain data, so
outcomes travel back from Ray workers and are read back on resume.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from pydantic import BaseModel, Field

from agentc.evals.results import ResultsFile
from agentc.planners.web_run import WebRun


@dataclass(frozen=True)
class WorkItem:
    """One episode to play: a web task (as plain data) or a MiniWoB++ task and seed."""

    key: str
    site: str
    task: dict[str, Any] | None = None
    miniwob: str | None = None
    seed: int = 0


class TaskResult(BaseModel):
    """What one episode scored, as one JSONL line (the trajectory is in the trace file)."""

    key: str
    site: str
    intent: str = ""
    passed: bool = False
    score: float = 0.0
    answer: str | None = None
    stop_reason: str | None = None
    steps: int = 0
    replans: int = 0
    llm_calls: int = 0
    seconds: float = 0.0
    env_seconds: float = 0.0
    """Time spent in browser actions (`WebStep.seconds` summed)."""
    details: list[str] = Field(default_factory=list)
    error: str | None = None
    """Set when the episode raised instead of finishing; a resumed run retries it."""
    setup: dict[str, Any] = Field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.error is None

    def to_json(self) -> str:
        """One results-file line."""
        return self.model_dump_json()


@dataclass
class TaskOutcome:
    """A result and the run behind it (None when the episode never started)."""

    result: TaskResult
    run: WebRun | None = None

    def to_plain(self) -> dict[str, Any]:
        return {"result": self.result.model_dump(), "run": None if self.run is None else self.run.model_dump(mode="json")}

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> "TaskOutcome":
        run = None if data["run"] is None else WebRun.model_validate(data["run"])
        return cls(TaskResult.model_validate(data["result"]), run)


def results_file(path: str | Path, setup: dict[str, Any], warn: Callable[[str], None] | None = None) -> ResultsFile[TaskResult]:
    """The resumable JSONL of a web run: one `TaskResult` a line, the same
    file type (and the same repair of a torn last line) as every evaluation."""
    return ResultsFile(path, setup, read=TaskResult.model_validate, option="--out", warn=warn)


def file_name(key: str) -> str:
    """`key` as a safe file or folder name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key)


def trace_path(out_dir: Path, key: str) -> Path:
    """Where the trace of task `key` is written under `out_dir`."""
    return out_dir / "traces" / f"{file_name(key)}.json"


def save_outcome(out_dir: Path, results: ResultsFile[TaskResult], outcome: TaskOutcome) -> None:
    """Append the result and write the trace file: the result, the plans,
    the actions with their pages and screenshots, and every LLM call."""
    path = trace_path(out_dir, outcome.result.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(outcome.to_plain(), indent=2, ensure_ascii=False, default=repr), encoding="utf-8")
    results.append(outcome.result)


def load_outcome(out_dir: Path, result: TaskResult) -> TaskOutcome:
    """The outcome of `result` with its run read back from its trace file (None if missing)."""
    path = trace_path(out_dir, result.key)
    if not path.exists():
        return TaskOutcome(result)
    return TaskOutcome(result, TaskOutcome.from_plain(json.loads(path.read_text(encoding="utf-8"))).run)


def summary(results: Sequence[TaskResult]) -> dict[str, Any]:
    """`{"n", "success_rate", "by_site": {site: {"n", "success_rate"}}}`."""
    by_site: dict[str, list[TaskResult]] = {}
    for result in results:
        by_site.setdefault(result.site, []).append(result)

    def rate(group: Sequence[TaskResult]) -> float:
        return sum(r.passed for r in group) / len(group) if group else 0.0

    return {
        "n": len(results),
        "success_rate": rate(results),
        "by_site": {site: {"n": len(group), "success_rate": rate(group)} for site, group in sorted(by_site.items())},
    }
