"""What an evaluation item is: a question, its tools, and the gold calls.

Every loader (BFCL, Seal-Tools, our own JSONL) produces `EvalItem`s, and
every checker reads them, so the sets differ only in their `rules`:

- "bfcl": BFCL's AST check; each gold call lists the allowed values of
  each parameter (`GoldCall.allowed`, `""` meaning "may be left out");
- "seal_tools": Seal-Tools' rule, values compare as text;
- "exact": our own format, values compare as values (`2 == 2.0`).

Gold calls are numbered from 1 in order, and a gold argument that uses an
earlier call's result holds a `Ref` (or a `Template`) to that number,
exactly as a plan's `$N` does, so gold and plans compare with one code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Rules = Literal["bfcl", "seal_tools", "exact"]


@dataclass(frozen=True)
class GoldCall:
    """One expected call, with the data set's own tool and parameter names.

    `arguments` holds one right value per parameter (for BFCL the first
    allowed one); `deps` the numbers of the gold calls whose results it
    uses; `allowed`, for BFCL, every accepted value of each parameter.
    """

    name: str
    arguments: dict[str, Any]
    deps: tuple[int, ...] = ()
    allowed: dict[str, list[Any]] | None = None


@dataclass(frozen=True)
class EvalItem:
    """One question of a data set, with its tools (as schemas) and gold calls.

    An item whose `calls` is empty expects no call at all (BFCL's
    irrelevance category).
    """

    id: str
    category: str
    question: str
    functions: tuple[dict[str, Any], ...]
    calls: tuple[GoldCall, ...]
    rules: Rules

    @property
    def key(self) -> str:
        """Unique within a run: the results file is keyed by it."""
        return f"{self.category}/{self.id}"


@dataclass(frozen=True)
class Call:
    """One call of a plan, mapped back to the data set's names.

    `idx` is the task's id in the plan, `deps` the ids it uses; arguments
    keep the plan's `Ref`s and `Template`s (which refer to task ids).
    """

    idx: int
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    deps: tuple[int, ...] = ()


def function_name(schema: dict[str, Any]) -> str:
    """The name in a function schema, plain or OpenAI-wrapped."""
    inner = schema.get("function") if schema.get("type") == "function" else None
    return str((inner or schema)["name"])


def function_parameters(schema: dict[str, Any]) -> dict[str, Any]:
    """The parameters object of a function schema, plain or OpenAI-wrapped."""
    inner = schema.get("function") if schema.get("type") == "function" else None
    return dict((inner or schema).get("parameters") or {})
