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
  more tools, the shape of BFCL's parallel_multiple items;
- *listed combined requests*: a listed request asked together with one or
  two other training items, so several calls of one tool sit beside calls
  of other tools (parallel_multiple's shape, where listed requests alone
  teach only repeating one tool).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Sequence

from agentc.edge.tune.grow import Seed, check_plan, grow_with_stats, listed_variants
from agentc.errors import AgentcError
from agentc.parser import numbered_plan, parse_plan
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
    parts = [item for item, _, _ in prepared if _combinable(item)]
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
        made.append(_asked_as_one(chosen, rng))
    return made


def listed_combined_requests(
    listed: Sequence[Prepared], parts: Sequence[Prepared], count: int, *, seed: int
) -> list[Prepared]:
    """`count` requests each asking one of the `listed` requests together
    with one or two of the `parts` (training items with calls and no
    references between them), at a random place among them; their tools must
    have distinct names. The plan is their plans' calls one after another;
    as with listed requests, the plan, not the item's calls, holds the listed
    calls."""
    rng = random.Random(seed)
    parts = [entry for entry in parts if _combinable(entry[0])]
    if not listed or len(parts) < 2:
        return []
    made: list[Prepared] = []
    attempts = 0
    while len(made) < count and attempts < count * 10:
        attempts += 1
        chosen = rng.sample(parts, rng.choice((1, 1, 2)))
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(listed))
        names = [tool.name for _, tools, _ in chosen for tool in tools]
        if len(set(names)) != len(names):
            continue
        tools = [tool for _, entry_tools, _ in chosen for tool in entry_tools]
        plan = _plans_together([plan for _, _, plan in chosen])
        try:
            check_plan(plan, tools)
        except AgentcError:
            continue
        made.append((_asked_as_one([item for item, _, _ in chosen], rng), tools, plan))
    return made


def _asked_as_one(items: Sequence[EvalItem], rng: random.Random) -> EvalItem:
    """`items` as one combined item: their questions asked together, their
    tools and gold calls one after another."""
    return EvalItem(
        id="+".join(item.id for item in items),
        category="combined",
        question=_asked_together([item.question for item in items], rng),
        functions=tuple(f for item in items for f in item.functions),
        calls=tuple(call for item in items for call in item.calls),
        rules=items[0].rules,
    )


def _combinable(item: EvalItem) -> bool:
    """Whether `item`'s calls can sit beside another item's: it has calls
    and none of them takes another's result."""
    return bool(item.calls) and not any(call.deps for call in item.calls)


def _asked_together(questions: Sequence[str], rng: random.Random) -> str:
    """`questions` as one request, joined by a word such as "Also"."""
    question = questions[0].strip()
    for other in questions[1:]:
        question = _sentence(question) + rng.choice(JOINS) + _lower_first(other.strip())
    return question


def _plans_together(plans: Sequence[str]) -> str:
    """The calls of `plans` (without references between tasks) one after
    another, renumbered, ending in join()."""
    return numbered_plan([call.text.split(". ", 1)[1] for plan in plans for call in parse_plan(plan)])


def _sentence(text: str) -> str:
    return text if text[-1:] in ".?!" else text + "."


def _lower_first(text: str) -> str:
    """Lower the first letter unless the first word looks like a name or an
    acronym (a capital after it)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text
