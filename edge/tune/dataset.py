"""The data an adapter is trained on: the project's mix, or a user's toolset.

The project's mix (`project_pairs`) is what the shipped adapter learnt:

- planner pairs from the public sets with gold calls (`public_sets`), and
  new items made from their training items: values swapped, and two or
  three requests asked at once (`public_growth`), and, on request, BFCL
  questions offered only close tools that cannot answer them
  (`unfit_requests`);
- planner pairs for the built-in tools and the desktop toolkit, from the
  synthesizer (`synth`), whose held-out templates become validation pairs;
- joiner pairs: a question with the observations of its executed plan, and
  the short `Finish(...)` (or `Replan(...)` after an error) it deserves;
  from the built-in tools, run for real, and from the public sets' calls
  with made-up results (`made_up_joiner`), for tools of every shape.

A user's toolset (`user_pairs`) is grown from a few dozen seed pairs
(`grow`) and rendered over the user's tools the same way.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from agentc.edge.tune.pairs import Pair, Split, offered_tools, plan_pair
from agentc.tools import Tool, ToolRegistry

if TYPE_CHECKING:
    from agentc.edge.tune.made_up_joiner import PlannedQuestion
    from agentc.edge.tune.synth import SynthItem


@dataclass(frozen=True)
class Mix:
    """How many items of each kind the project's mix holds (before the
    validation split), and the seed that picks and renders them."""

    builtin: int = 2400
    desktop: int = 3600
    joiner: int = 1600
    public_renderings: int = 2
    public_swaps: int = 2
    public_combined: int = 600
    public_listed: int = 0
    public_listed_combined: int = 0
    public_unfit: int = 0
    public_joiner: int = 800
    seed: int = 0

    def describe(self) -> dict[str, int]:
        return asdict(self)

    def scaled(self, factor: float) -> "Mix":
        """This mix with `factor` times the synthesized items (built-in,
        desktop, joiner); the public sets' renderings stay as they are."""
        return replace(
            self,
            builtin=round(self.builtin * factor),
            desktop=round(self.desktop * factor),
            joiner=round(self.joiner * factor),
        )


def desktop_toolkit(home: Path) -> list[Tool]:
    """The desktop toolkit on its portable backend (only its schemas matter here)."""
    from agentc.tools.desktop import DesktopConfig, desktop_tools

    return desktop_tools(DesktopConfig(home=home), backend="portable")


def shown_tools(item: "SynthItem", tools: ToolRegistry, rng: random.Random) -> list[Tool]:
    """The tools the planner sees for a synthesized item, in training and
    when measuring: the ones its plan needs among a few others of its
    toolkit, shuffled (ToolRAG-sized for the desktop toolkit)."""
    needed = [tools[name] for name in dict.fromkeys(item.tools)]
    return offered_tools(needed, list(tools), rng, most=7 if item.toolkit == "desktop" else 2)


def project_pairs(mix: Mix, data_dir: Path | None) -> list[Pair]:
    """The project's training and validation pairs (see the module's doc).

    `data_dir` holds `bfcl/` and `seal_tools/` (the repository's
    `benchmarks/data`); None leaves the public sets out."""
    from agentc.edge.tune.synth import synthesize
    from agentc.edge.tune.synth_builtin import runnable_tools

    rng = random.Random(mix.seed)
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory() as scratch:
        toolkits = {"builtin": runnable_tools(), "desktop": desktop_toolkit(Path(scratch) / "home")}
        for toolkit, count in (("builtin", mix.builtin), ("desktop", mix.desktop)):
            registry = ToolRegistry(toolkits[toolkit])
            for number, item in enumerate(synthesize(toolkit, n=count, seed=mix.seed)):
                shown = shown_tools(item, registry, rng)
                split = "train" if item.split == "train" else "validation"
                key = f"synth/{toolkit}/{item.template}/{number}"
                pairs.append(plan_pair(shown, item.question, item.plan, source=f"synth/{toolkit}", key=key, split=split))
    pairs += joiner_training_pairs(mix.joiner, seed=mix.seed)
    if data_dir is not None:
        from agentc.edge.tune.public_sets import public_items, public_pairs

        pairs += public_pairs(
            public_items(data_dir),
            renderings=mix.public_renderings,
            swaps=mix.public_swaps,
            combined=mix.public_combined,
            listed=mix.public_listed,
            listed_combined=mix.public_listed_combined,
            unfit=mix.public_unfit,
            joiner=mix.public_joiner,
            seed=mix.seed,
        )
    return pairs


def joiner_training_pairs(count: int, *, seed: int) -> list[Pair]:
    """Joiner pairs from `count` synthesized built-in items, executed for
    real; those of held-out templates are validation pairs."""
    from agentc.edge.tune.synth import joiner_pairs, synthesize

    made = asyncio.run(joiner_pairs(synthesize("builtin", n=count, seed=seed + 1), seed=seed))
    pairs = []
    for number, joined in enumerate(made):
        split: Split = "train" if joined.split == "train" else "validation"
        key = f"synth/joiner/{joined.template}/{number}"
        pairs.append(Pair(tuple(joined.messages), joined.completion, "joiner", "synth/joiner", key, split))
    return pairs


def user_pairs(tools: Sequence[Tool], seeds_file: Path, *, n: int, seed: int = 0, joiner: int = 400) -> list[Pair]:
    """Planner pairs for a user's own tools, grown from the seed pairs in
    `seeds_file` (JSONL `{"question", "plan"}`), plus joiner pairs: the
    project's from `joiner` items, and as many over the grown plans' own
    calls with made-up results (`made_up_joiner`), so the joiner reads what
    the user's tools return: one adapter serves planner and joiner, and one
    trained on plans alone forgets how to answer. A tenth of the grown items
    (new phrasings of the seeds) are kept for validation."""
    from agentc.edge.tune.grow import grow, load_seeds
    from agentc.edge.tune.made_up_joiner import made_up_joiner_pairs

    registry = ToolRegistry(tools)
    rng = random.Random(seed)
    grown = grow(load_seeds(seeds_file, registry), registry, n=n, seed=seed)
    pairs = []
    trained: list[PlannedQuestion] = []
    for number, (question, plan) in enumerate(grown):
        split: Split = "validation" if number % 10 == 9 else "train"
        shown = list(tools)
        rng.shuffle(shown)
        pairs.append(plan_pair(shown, question, plan, source="user", key=f"user/{number}", split=split))
        if split == "train":
            trained.append((f"user/{number}", question, plan))
    if joiner:
        pairs += [p for p in joiner_training_pairs(joiner, seed=seed) if p.split == "train"]
        pairs += made_up_joiner_pairs(trained, joiner, seed=seed, split="train", source="user/joiner")
    return pairs
