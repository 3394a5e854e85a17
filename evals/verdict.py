"""`Verdict`: whether an item passed, and if not, the one reason why.

The reasons are few and fixed so failures can be counted by kind across a
run; `detail` says which call, parameter and value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Reason = Literal[
    "invalid plan",
    "bad count",
    "wrong name",
    "missing param",
    "unexpected param",
    "wrong type",
    "wrong value",
    "bad DAG",
    "llm error",
]
REASONS: tuple[Reason, ...] = get_args(Reason)
"""Every reason, in the order reports list them."""


@dataclass(frozen=True)
class Verdict:
    """`passed`, or the `reason` it failed and a `detail` naming what."""

    passed: bool
    reason: Reason | None = None
    detail: str = ""

    @classmethod
    def ok(cls) -> "Verdict":
        return cls(True)

    @classmethod
    def fail(cls, reason: Reason, detail: str) -> "Verdict":
        return cls(False, reason, detail)
