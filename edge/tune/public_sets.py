"""Planner pairs from the public function-calling sets with gold calls.

BFCL's non-live categories (simple, multiple, parallel, parallel_multiple,
irrelevance) and Seal-Tools' dev set become pairs whose target is the gold
plan. Items are split by a hash of their key: a quarter of them
(`VALIDATION_SHARE`) are never trained on and measure the adapter, so its
figures are on data it never saw. BFCL's live categories, Seal-Tools' test
files and WebArena are never read here: others judge the project on them.

Each training item is rendered `renderings` times with a different tool
list (its own tools plus distractors drawn from other items of the same
split, shuffled). A gold plan that the project's own checks reject (a data
set whose gold answer contradicts its schema) is left out, not taught.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Iterable, Sequence

from agentc.checks import PlanChecker
from agentc.errors import AgentcError
from agentc.evals.items import EvalItem
from agentc.evals.loaders import load_items
from agentc.evals.plans import gold_plan
from agentc.parser import parse_plan
from agentc.tools import Tool
from agentc.tools.schema import tool_from_schema
from agentc.edge.tune.pairs import Pair, Split, offered_tools, plan_pair
from agentc.edge.tune.public_growth import (
    Prepared,
    combined_requests,
    listed_combined_requests,
    listed_requests,
    value_swaps,
)
from agentc.edge.tune.made_up_joiner import made_up_joiner_pairs
from agentc.edge.tune.unfit_requests import unfit_requests

VALIDATION_SHARE = 0.25
BFCL_CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")
SEAL_CATEGORIES = ("seal_tools_easy", "seal_tools_difficult")


def split_of(key: str, share: float = VALIDATION_SHARE) -> Split:
    """"validation" for a fixed `share` of keys, chosen by a hash of the key
    (stable across runs, machines and Python versions)."""
    digest = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return "validation" if digest / 0xFFFFFFFF < share else "train"


def public_items(data_dir: Path) -> list[EvalItem]:
    """BFCL (non-live) and Seal-Tools dev items from `data_dir/bfcl` and `data_dir/seal_tools`."""
    items = load_items(data_dir / "bfcl", BFCL_CATEGORIES)
    items += load_items(data_dir / "seal_tools", SEAL_CATEGORIES)
    return items


def checked_plan(item: EvalItem, tools: Sequence[Tool]) -> str | None:
    """The item's gold plan, or None when the project's own checks reject it."""
    try:
        plan = gold_plan(item)
        checker = PlanChecker(tools)
        for call in parse_plan(plan):
            checker.check(call)
    except AgentcError:
        return None
    return plan


def public_pairs(
    items: Iterable[EvalItem],
    *,
    renderings: int = 2,
    swaps: int = 0,
    combined: int = 0,
    listed: int = 0,
    listed_combined: int = 0,
    unfit: int = 0,
    joiner: int = 0,
    seed: int = 0,
) -> list[Pair]:
    """Pairs of every item whose gold plan passes the checks: training items
    `renderings` times, validation items once (for measuring); plus, from
    training items only, `swaps` value-swapped variants of each and
    `combined` requests of each rule set asking two or three items together
    and `listed` requests of each one-call item asking for two or three values
    at once and `listed_combined` requests of each rule set asking such a
    request together with other items (`public_growth`), and `unfit` of
    BFCL's one-call items offered only close tools that cannot answer them
    (`unfit_requests`), each rendered once; and `joiner` joiner pairs of each
    data set over its items' calls with made-up results (`made_up_joiner`), with a quarter as many
    from validation items, for measuring."""
    rng = random.Random(seed)
    prepared = [(*entry, split_of(entry[0].key)) for entry in map(prepare, items) if entry is not None]
    pools: dict[Split, list[Tool]] = {"train": [], "validation": []}
    for _, tools, _, split in prepared:
        pools[split].extend(tools)
    pairs = []
    for item, tools, plan, split in prepared:
        source = f"{_family(item)}/{item.category}"
        for _ in range(renderings if split == "train" else 1):
            shown = offered_tools(tools, pools[split], rng, most=2)
            pairs.append(plan_pair(shown, item.question, plan, source=source, key=item.key, split=split))
    training = [(item, tools, plan) for item, tools, plan, split in prepared if split == "train"]
    for item, tools, plan in _grown(
        training, swaps=swaps, combined=combined, listed=listed, listed_combined=listed_combined, seed=seed
    ):
        source = f"{_family(item)}/{item.category if item.category in ('combined', 'listed') else 'swapped'}"
        shown = offered_tools(tools, pools["train"], rng, most=2)
        pairs.append(plan_pair(shown, item.question, plan, source=source, key=item.key, split="train"))
    bfcl_training = [entry for entry in training if _family(entry[0]) == "bfcl"]
    for item, tools, plan in unfit_requests(bfcl_training, unfit, seed=seed):
        pairs.append(plan_pair(tools, item.question, plan, source="bfcl/unfit", key=item.key, split="train"))
    for family in ("bfcl", "seal_tools"):
        for split, count in (("train", joiner), ("validation", round(joiner * VALIDATION_SHARE))):
            same = [
                (item.key, item.question, plan)
                for item, _, plan, s in prepared
                if s == split and _family(item) == family
            ]
            pairs += made_up_joiner_pairs(same, count, seed=seed, split=split, source=f"{family}/joiner")
    return pairs


def _grown(
    training: list[Prepared], *, swaps: int, combined: int, listed: int, listed_combined: int, seed: int
) -> list[Prepared]:
    """The value-swapped, listed and combined items made from `training`,
    and listed requests asked together with other items; requests are
    combined within one data set (BFCL's or Seal-Tools')."""
    made = value_swaps(training, swaps, seed=seed) + listed_requests(training, listed, seed=seed)
    for family in ("bfcl", "seal_tools"):
        same = [entry for entry in training if _family(entry[0]) == family]
        for item in combined_requests(same, combined, seed=seed):
            entry = prepare(item)
            if entry is not None:
                made.append(entry)
        if listed_combined:
            lists = listed_requests(same, 1, seed=seed + 1)
            made += listed_combined_requests(lists, same, listed_combined, seed=seed)
    return made


def prepare(item: EvalItem) -> Prepared | None:
    """`item` with its tools and gold plan, or None when the project's own
    checks reject the plan."""
    tools = [tool_from_schema(f) for f in item.functions]
    plan = checked_plan(item, tools)
    return None if plan is None else (item, tools, plan)


def _family(item: EvalItem) -> str:
    """The data set an item comes from, as pair sources name it."""
    return "bfcl" if item.rules == "bfcl" else "seal_tools"


def validation_items(items: Iterable[EvalItem]) -> list[EvalItem]:
    """The items kept out of training, for measuring an adapter."""
    return [item for item in items if split_of(item.key) == "validation"]
