"""`calculate`: arithmetic from a plan, evaluated safely (no Python code runs).

Results are bounded: an integer too long to show (Python converts integers
of at most 4,300 digits to text) is refused before it is computed where the
size is known up front (`**`, `factorial`), and after otherwise, so the
caller gets an error observation instead of a run that fails later while
writing the observation into a prompt or a trace.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any

from agentc.tools.tool import Tool, tool

MAX_DIGITS = 4300
_LIMIT = 10**MAX_DIGITS
_MAX_BITS = int(MAX_DIGITS * math.log2(10)) + 1


def _too_long(what: str) -> ValueError:
    return ValueError(f"{what} has more than {MAX_DIGITS} digits; use floats (e.g. 9.0**5000) or a smaller number")


def _power(base: Any, exponent: Any) -> Any:
    """`**` that refuses integer results of more than MAX_DIGITS digits before computing them."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if (abs(base).bit_length() - 1) * exponent > _MAX_BITS:
            raise _too_long(f"{base}**{exponent}")
    return operator.pow(base, exponent)


def _factorial(n: Any) -> int:
    """`factorial` that refuses arguments whose factorial is too long (1,700! has 4,700 digits)."""
    if isinstance(n, int) and n > 1700:
        raise _too_long(f"factorial({n})")
    return math.factorial(n)


_FUNCTIONS = {
    name: getattr(math, name) for name in ("sqrt", "log", "log10", "log2", "exp", "sin", "cos", "tan", "floor", "ceil")
}
_FUNCTIONS.update({"abs": abs, "round": round, "min": min, "max": max, "factorial": _factorial})


def _calculate(expression: str) -> float:
    """Evaluate an arithmetic expression and return the number.

    Args:
        expression: arithmetic such as "(3 + 4.5) * 2 / sqrt(16)"; operators + - * / // % **, functions sqrt log exp sin cos tan round abs min max, constants pi and e
    """
    from simpleeval import DEFAULT_OPERATORS, SimpleEval

    operators = {**DEFAULT_OPERATORS, ast.Pow: _power}
    evaluator = SimpleEval(operators=operators, functions=_FUNCTIONS, names={"pi": math.pi, "e": math.e})
    value = evaluator.eval(expression.replace("^", "**"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{expression!r} is not arithmetic: it gave {value!r}")
    if isinstance(value, int) and abs(value) >= _LIMIT:
        raise _too_long(f"the result of {expression!r}")
    return _without_float_noise(value) if isinstance(value, float) else value


def _without_float_noise(value: float) -> float:
    """`value` rounded to 12 significant digits: binary floats turn
    0.17 * 2400 into 408.00000000000006, which a reader (and a small model
    copying figures into an answer) should see as 408.0."""
    return float(f"{value:.12g}") if math.isfinite(value) else value


calculate: Tool = tool(name="calculate", idempotent=True)(_calculate)
