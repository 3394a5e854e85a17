"""`ItemResult` and the results file that makes a run resumable.

Each finished item is appended to a JSONL file as one line, flushed at
once, so an interrupted run loses at most the item in flight; a last line
cut short by a kill is dropped (with a warning) and its item runs again. A re-run
with the same file reads it first and skips the items it holds; an item
that ended in an LLM error is not finished and runs again. Every line
records the run's setup (model, grammar, ...): a file written with another
setup is refused rather than mixed into one score.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Generic, Protocol, TypeVar

from agentc.evals.calls import Counts
from agentc.evals.errors import EvalDataError
from agentc.evals.items import Call
from agentc.plan import to_plain

log = logging.getLogger(__name__)


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
        counts = data.get("counts", {})
        if not isinstance(counts, dict):
            raise TypeError(f"'counts' is a {type(counts).__name__}, not an object")
        data["counts"] = Counts(**counts)
        return cls(**data)


def plain_calls(calls: list[Call]) -> list[dict[str, Any]]:
    """Calls as JSON: references written `$N`."""
    return [{"idx": c.idx, "name": c.name, "arguments": to_plain(c.arguments), "deps": list(c.deps)} for c in calls]


class Result(Protocol):
    """What a results file holds a line of: an item's key, the run's setup, and
    whether the item is finished (an unfinished one runs again on resume)."""

    key: str
    setup: dict[str, Any]

    @property
    def finished(self) -> bool: ...

    def to_json(self) -> str: ...


R = TypeVar("R", bound=Result)


class ResultsFile(Generic[R]):
    """The JSONL file of one run's results (see the module docstring).

    `read` turns one parsed line into a result (`ItemResult.from_dict` by
    default; the web and retrieval evaluations read their own); `option` is the command
    line option that names the file ("--results file"), for error messages.

    A last line that a kill cut short (not JSON) is the one fault a crash
    leaves; it is cut off the file with a warning (`repaired` says what was
    dropped) and its item runs again. A bad line anywhere else is an error.
    """

    def __init__(
        self,
        path: str | Path,
        setup: dict[str, Any],
        *,
        read: Callable[[dict[str, Any]], R] = ItemResult.from_dict,  # type: ignore[assignment]
        option: str = "--results file",
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.setup = setup
        self.read = read
        self.option = option
        self.warn = warn or log.warning
        """Where the warning about a dropped torn line goes (a CLI prints it; by default it is logged)."""
        self.repaired: str | None = None
        """What `load` cut off the end of the file, or None."""

    def load(self) -> dict[str, R]:
        """The finished results already in the file, by item key (the last line of a key wins)."""
        if not self.path.exists():
            return {}
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        found: dict[str, R] = {}
        offset = 0
        for number, raw in enumerate(lines, start=1):
            start, offset = offset, offset + len(raw) + 1
            if not raw.strip():
                continue
            try:
                value = json.loads(raw.decode("utf-8"))
            except ValueError as exc:  # not JSON, or not UTF-8 (a cut inside a character)
                if any(rest.strip() for rest in lines[number:]):
                    raise EvalDataError(
                        f"{self.path} line {number} is not a result ({exc}); pass another {self.option} "
                        "or delete this one to start over"
                    ) from None
                self._cut(start, number, raw)
                break
            result = self._result(value, number)
            if result.setup != self.setup:
                raise EvalDataError(
                    f"{self.path} holds results of another setup ({_describe(result.setup)}), not of this run "
                    f"({_describe(self.setup)}); pass another {self.option} so scores are not mixed"
                )
            found[result.key] = result
        else:
            if data and not data.endswith(b"\n"):  # a whole last line whose newline was never written
                with self.path.open("ab") as handle:
                    handle.write(b"\n")
        return {k: r for k, r in found.items() if r.finished}

    def append(self, result: R) -> None:
        """Add one result as one line, flushed at once (an interrupted run loses at most the item in flight)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(result.to_json() + "\n")
            handle.flush()

    def _result(self, value: Any, number: int) -> R:
        """One parsed line as a result, or an error naming the line."""
        try:
            if not isinstance(value, dict):
                raise TypeError(f"a JSON {type(value).__name__}, not an object")
            return self.read(value)
        except (TypeError, ValueError, KeyError) as exc:
            raise EvalDataError(
                f"{self.path} line {number} is not a result ({exc}); pass another {self.option} "
                "or delete this one to start over"
            ) from None

    def _cut(self, start: int, number: int, raw: bytes) -> None:
        """Drop the torn last line (from byte `start`), so the next append starts a clean line."""
        with self.path.open("r+b") as handle:
            handle.truncate(start)
        shown = raw[:60].decode("utf-8", "replace")
        self.repaired = f"line {number} ({len(raw)} bytes, {shown!r}...) was cut short"
        self.warn(
            f"{self.path}: the last line (line {number}) was cut short, as a run killed mid-write leaves it; "
            "dropped it, its item runs again"
        )


def _describe(setup: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(setup.items())) or "no setup recorded"
