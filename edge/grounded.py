"""A joiner grammar whose answers only quote figures they were given.

A small model asked to restate tool results copies most figures right and
some wrong: `382.79` for an observation of `382.77`, a number from its
training for a tool result it never saw. Built for each joiner call from
the messages it is sent (the question, the tasks' observations, earlier
turns), this grammar lets a `Finish(...)` answer hold digits only as one of
the figures found there, as written or rounded (`42.1649` may be quoted as
`42.16`, `42.2` or `42`, `408.0` as `408`); everything between figures is
free text without digits. The thought and a `Replan(...)` reason stay free.

Only the answers of a model that was tuned to restate results are held
this way (`LlamaCppLLM.joiner_grammar` with a planner adapter): a larger
model may rightly work a figure out in its answer ("3 degrees warmer").
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

from agentc.llm import Message

_FIGURE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
"""A figure as text shows it: `408`, `42.1649`, `1,048.52`."""


def figures_in(texts: Iterable[str]) -> list[str]:
    """Every figure in `texts` in the forms an answer may quote it, sorted
    longest first (so the grammar tries `42.16` before `42`)."""
    found: set[str] = set()
    for text in texts:
        for figure in _FIGURE.findall(text):
            found.update(_forms(figure))
    return sorted(found, key=lambda f: (-len(f), f))


def _forms(figure: str) -> set[str]:
    """`figure` as written, without thousands separators, and rounded to 2,
    1 and 0 decimals (with and without separators, trailing zeros dropped)."""
    plain = figure.replace(",", "")
    forms = {figure, plain}
    value = float(plain)
    if not math.isfinite(value):
        return forms
    for places in (2, 1, 0):
        rounded = f"{value:.{places}f}"
        if "." in rounded:
            rounded = rounded.rstrip("0").rstrip(".")
        forms.add(rounded)
        whole, _, decimals = rounded.partition(".")
        grouped = f"{int(whole):,}" + (f".{decimals}" if decimals else "")
        forms.add(grouped)
    return forms


def grounded_joiner_grammar(messages: Sequence[Message], *, max_thought: int = 300, max_answer: int = 400) -> str:
    """The joiner grammar (see `agentc.edge.grammar.joiner_grammar`) with a
    `Finish(...)` answer whose figures all come from `messages`."""
    figures = figures_in(m.content for m in messages)
    rules = [
        'root ::= "Thought: " thought "\\n" "Action: " ( "Finish(" answer ")" | "Replan(" reason ")" )',
        f"thought ::= [^\\n]{{1,{max_thought}}}",
        f"reason ::= [^\\n]{{1,{max_answer}}}",
        f"prose ::= [^0-9\\n]{{1,{max_answer}}}",
    ]
    if not figures:
        return "\n".join([*rules, "answer ::= prose"])
    alternatives = " | ".join(f'"{figure}"' for figure in figures)
    return "\n".join(
        [
            *rules,
            "answer ::= prose ( figure prose )* figure? | figure ( prose figure )* prose?",
            f"figure ::= {alternatives}",
        ]
    )
