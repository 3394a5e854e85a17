"""Few-shot plans for the built-in tools, shown to the planner after the tool list."""

from __future__ import annotations

import re
from typing import Iterable

EXAMPLES = [
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
    """Question: What is 8% of 150, and how many feet is 3 metres?
1. calculate(expression="0.08 * 150")
2. convert_units(value=3, from_unit="metres", to_unit="feet")
3. join()
<END_OF_PLAN>""",
    """Question: How many kilograms is 12 stone, and what is 45 * 19?
1. convert_units(value=12, from_unit="stone", to_unit="kg")
2. calculate(expression="45 * 19")
3. join()
<END_OF_PLAN>""",
]

_CALL = re.compile(r"^\d+\. (\w+)\(", re.MULTILINE)


def examples_for(tool_names: Iterable[str], examples: Iterable[str] = EXAMPLES) -> list[str]:
    """The `examples` (default: these) that call only tools in `tool_names`."""
    names = set(tool_names)
    return [e for e in examples if set(_CALL.findall(e)) - {"join"} <= names]
