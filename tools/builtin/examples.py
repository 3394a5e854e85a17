"""Few-shot plans for the built-in tools, shown to the planner after the tool list."""

from __future__ import annotations

import re
from typing import Iterable

EXAMPLES = [
    """Question: How many kilometres is a 10-mile run, and what is 15% of 80?
1. convert_units(value=10, from_unit="miles", to_unit="km")
2. calculate(expression="0.15 * 80")
3. join()
<END_OF_PLAN>""",
    """Question: A recipe needs 2.5 pounds of flour. How many grams is that for 3 batches?
1. convert_units(value=2.5, from_unit="pounds", to_unit="grams")
2. calculate(expression="$1 * 3")
3. join()
<END_OF_PLAN>""",
    """Question: What do my notes say about the Lyon office and the Berlin office?
1. search_documents(query="Lyon office")
2. search_documents(query="Berlin office")
3. join()
<END_OF_PLAN>""",
]

_CALL = re.compile(r"^\d+\. (\w+)\(", re.MULTILINE)


def examples_for(tool_names: Iterable[str]) -> list[str]:
    """The examples that call only tools in `tool_names`."""
    names = set(tool_names)
    return [e for e in EXAMPLES if set(_CALL.findall(e)) - {"join"} <= names]
