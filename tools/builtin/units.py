"""`convert_units`: physical unit conversion through pint's unit registry."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from agentc.tools.tool import Tool, tool


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def _convert_units(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a quantity from one unit to another.

    Args:
        value: the amount, e.g. 26.2
        from_unit: the unit of the amount, e.g. "miles", "kg", "degC", "hours"
        to_unit: the unit wanted, e.g. "km", "pounds", "degF", "minutes"
    """
    units = _registry()
    try:
        quantity = units.Quantity(value, from_unit).to(to_unit)
    except Exception as exc:  # pint's errors name the unit; keep its words
        raise ValueError(f"cannot convert {from_unit!r} to {to_unit!r}: {exc}") from None
    return readable(float(quantity.magnitude))


def readable(value: float) -> float:
    """`value` at the precision a person reads a conversion with: at least
    4 significant digits and at least 2 decimals (42.164897 -> 42.16,
    1.234567 -> 1.235, 0.0032187 -> 0.003219). An answer then quotes the
    figure as it is, instead of rounding it (which small models get wrong)."""
    if value == 0 or not math.isfinite(value):
        return value
    decimals = max(2, 3 - math.floor(math.log10(abs(value))))
    return round(value, decimals)


convert_units: Tool = tool(name="convert_units", idempotent=True)(_convert_units)
