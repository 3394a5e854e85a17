"""More planner items from the public sets' training items.

The public sets hold about 2,800 training items, each naming its values
once: a small model learns some of them by heart and, asked a new question,
writes a value it has seen instead of the one it was given, or drops one of
several values it must call a tool with. Two kinds of new items push
against that, made from training items only (validation items stay unseen):

- *value swaps*: `grow` swaps the values a gold plan shares with its
  question for others of the same kind, consistently in both, so the same
  request shape comes with new numbers, names and places;
- *listed requests*: a one-call item asking for two or three values of
  one of its slots at once ("radius 3, 5 and 8"), planned as a call for
  each value: the shape of BFCL's parallel items, which a small model
  otherwise meets in only a few hundred items;
- *combined requests*: two or three training items without references
  between calls, asked together ("... Also, ..."), over the union of their
  tools, with their gold calls one after another: plans with more calls over
  more tools, the shape of BFCL's parallel_multiple items.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Sequence

from agentc.edge.tune.grow import Seed, grow_with_stats, listed_variants
from agentc.errors import AgentcError
from agentc.evals.items import EvalItem, function_name
from agentc.tools import Tool

Prepared = tuple[EvalItem, list[Tool], str]
"""A training item, its tools and its checked gold plan."""

JOINS = (" Also, ", " And ", " In addition, ", " Then ", " Besides that, ")


def value_swaps(prepared: Sequence[Prepared], per_item: int, *, seed: int) -> list[Prepared]:
    """Up to `per_item` new (question, plan) pairs of each item, its values
    swapped; items whose plan shares no value with the question give none."""
    grown: list[Prepared] = []
    if per_item <= 0:
        return grown
    for number, (item, tools, plan) in enumerate(prepared):
        if not item.calls:
            continue
        try:
            grown_items = grow_with_stats([Seed(item.question, plan)], tools, n=per_item + 1, seed=seed + number, warn=False)
            variants = grown_items.items
        except AgentcError:
            continue
        for index, (question, new_plan) in enumerate(variants[1:], start=1):
            swapped = replace(item, id=f"{item.id}~{index}", question=question)
            grown.append((swapped, tools, new_plan))
    return grown


def listed_requests(prepared: Sequence[Prepared], per_item: int, *, seed: int) -> list[Prepared]:
    """Up to `per_item` listed requests of each one-call item (see the
    module's doc), of category `listed`. As with value swaps, the plan holds
    the new calls; the item's `calls` stay the source item's."""
    grown: list[Prepared] = []
    if per_item <= 0:
        return grown
    for number, (item, tools, plan) in enumerate(prepared):
        if len(item.calls) != 1:
            continue
        try:
            variants = listed_variants(Seed(item.question, plan), tools, n=per_item, seed_value=seed + number)
        except AgentcError:
            continue
        for index, (question, new_plan) in enumerate(variants, start=1):
            listed = replace(item, id=f"{item.id}*{index}", category="listed", question=question)
            grown.append((listed, tools, new_plan))
    return grown


def combined_requests(prepared: Sequence[Prepared], count: int, *, seed: int) -> list[EvalItem]:
    """`count` items each asking two or three training items' questions
    together; only items with calls and no references between them, and
    tools of distinct names, are combined."""
    rng = random.Random(seed)
    parts = [item for item, _, _ in prepared if item.calls and not any(call.deps for call in item.calls)]
    if len(parts) < 3:
        return []
    made: list[EvalItem] = []
    attempts = 0
    while len(made) < count and attempts < count * 10:
        attempts += 1
        chosen = rng.sample(parts, rng.choice((2, 2, 3)))
        names = [function_name(f) for item in chosen for f in item.functions]
        if len(set(names)) != len(names):
            continue
        question = chosen[0].question.strip()
        for item in chosen[1:]:
            question = _sentence(question) + rng.choice(JOINS) + _lower_first(item.question.strip())
        made.append(
            EvalItem(
                id="+".join(item.id for item in chosen),
                category="combined",
                question=question,
                functions=tuple(f for item in chosen for f in item.functions),
                calls=tuple(call for item in chosen for call in item.calls),
                rules=chosen[0].rules,
            )
        )
    return made


def _sentence(text: str) -> str:
    return text if text[-1:] in ".?!" else text + "."


def _lower_first(text: str) -> str:
    """Lower the first letter unless the first word looks like a name or an
    acronym (a capital after it)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text
