"""Requests offered only tools that look right but cannot answer them.

BFCL's irrelevance items offer one tool that cannot answer the question,
and most of them are easy: the tool is about something else. The ones a
tuned small model still gets wrong offer a tool on the same subject: "the
external rate of return" beside `calculate_internal_rate_of_return`, "a
pet store" beside `grocery_store.locate_nearby`. The model then calls the
tool anyway, with the question's values.

An unfit request teaches that a tool must fit, not only be on the subject:
a one-call training question offered one or two tools of *other* training
items, among those closest to it in meaning (sentence embeddings), planned
as `join()` alone. The public sets hold many tools twice under other names
(`calc_distance`, `geo_distance.calculate`), so a tool that may answer the
question after all is never offered: one as close to the question as its
own tool, or close to its own tool.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from agentc.evals.items import function_name
from agentc.parser import numbered_plan
from agentc.tools import Tool
from agentc.edge.tune.public_growth import Prepared

if TYPE_CHECKING:
    from agentc.retrieval.encoder import Encoder

CLOSEST = 5
"""An unfit tool is drawn from the question's this many closest tools."""

BELOW_OWN = 0.2
"""How much less like the question (cosine) an unfit tool is than the question's own tool."""

LIKE_OWN = 0.5
"""An unfit tool is less like the question's own tool than this (cosine)."""


def unfit_requests(
    prepared: Sequence[Prepared], count: int, *, seed: int, encoder: "Encoder | None" = None
) -> list[Prepared]:
    """`count` unfit requests (see the module's doc) from the one-call items
    of `prepared`, each over one or two close tools of other items, of
    category `unfit`; an item none of whose tools' neighbours may be offered
    gives none. `encoder` defaults to the packaged sentence encoder."""
    rng = random.Random(seed)
    one_call = [entry for entry in prepared if len(entry[0].calls) == 1]
    chosen_items = rng.sample(one_call, min(count, len(one_call)))
    if not chosen_items:
        return []
    if encoder is None:
        from agentc.retrieval.encoder import SentenceEncoder

        encoder = SentenceEncoder()
    offered = {function_name(f): (f, tool) for item, tools, _ in prepared for f, tool in zip(item.functions, tools)}
    names = sorted(offered)
    tools = encoder.encode([_tool_text(offered[name][1]) for name in names])
    questions = encoder.encode([item.question for item, _, _ in chosen_items])
    row = {name: number for number, name in enumerate(names)}
    made: list[Prepared] = []
    for (item, _, _), question in zip(chosen_items, questions):
        own = row.get(item.calls[0].name)
        if own is None:
            continue
        to_question = tools @ question
        to_own = tools @ tools[own]
        fits = [
            number
            for number in range(len(names))
            if to_question[number] < to_question[own] - BELOW_OWN and to_own[number] < LIKE_OWN
        ]
        close = sorted(fits, key=lambda number: -to_question[number])[:CLOSEST]
        if not close:
            continue
        picked = rng.sample(close, min(len(close), rng.choice((1, 1, 2))))
        functions = tuple(offered[names[number]][0] for number in picked)
        unfit = replace(item, id=f"{item.id}!unfit", category="unfit", functions=functions, calls=())
        made.append((unfit, [offered[names[number]][1] for number in picked], numbered_plan([])))
    return made


def _tool_text(tool: Tool) -> str:
    """What a tool is about: its name's words and its description."""
    return f"{tool.name.replace('_', ' ')}: {tool.description}"
