"""`calculate`: arithmetic from a plan, evaluated safely (no Python code runs)."""

from __future__ import annotations

import math

from agentc.tools.tool import Tool, tool

_FUNCTIONS = {
    name: getattr(math, name)
    for name in ("sqrt", "log", "log10", "log2", "exp", "sin", "cos", "tan", "floor", "ceil", "factorial")
}
_FUNCTIONS.update({"abs": abs, "round": round, "min": min, "max": max})


def _calculate(expression: str) -> float:
    """Evaluate an arithmetic expression and return the number.

    Args:
        expression: arithmetic such as "(3 + 4.5) * 2 / sqrt(16)"; operators + - * / // % **, functions sqrt log exp sin cos tan round abs min max, constants pi and e
    """
    from simpleeval import SimpleEval

    evaluator = SimpleEval(functions=_FUNCTIONS, names={"pi": math.pi, "e": math.e})
    value = evaluator.eval(expression.replace("^", "**"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{expression!r} is not arithmetic: it gave {value!r}")
    return value


calculate: Tool = tool(name="calculate", idempotent=True)(_calculate)
