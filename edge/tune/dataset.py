"""The data an adapter is trained on: the project's mix, or a user's toolset.

The project's mix (`project_pairs`) is what the shipped adapter learnt:

- planner pairs from the public sets with gold calls (`public_sets`);
- planner pairs for the built-in tools and the desktop toolkit, from the
  synthesizer (`synth`), whose held-out templates become validation pairs;
- joiner pairs: a question with the observations of its executed plan, and
  the short `Finish(...)` (or `Replan(...)` after an error) it deserves.

A user's toolset (`user_pairs`) is grown from a few dozen seed pairs
(`grow`) and rendered over the user's tools the same way.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from agentc.edge.tune.pairs import Pair, offered_tools, plan_pair
from agentc.tools import Tool, ToolRegistry


@dataclass(frozen=True)
class Mix:
    """How many items of each kind the project's mix holds (before the
    validation split), and the seed that picks and renders them."""

    builtin: int = 2400
    desktop: int = 3600
    joiner: int = 1600
    public_renderings: int = 2
    seed: int = 0

    def describe(self) -> dict[str, int]:
        return asdict(self)


def builtin_tools() -> list[Tool]:
    """The built-in tools, with document search over the synthesizer's notes
    (so its calls find what the items ask about)."""
    from agentc.edge.tune.synth_builtin import runnable_tools

    return runnable_tools()


def desktop_toolkit(home: Path) -> list[Tool]:
    """The desktop toolkit on its portable backend (only its schemas matter here)."""
    from agentc.tools.desktop import DesktopConfig, desktop_tools

    return desktop_tools(DesktopConfig(home=home), backend="portable")


def project_pairs(mix: Mix, data_dir: Path | None) -> list[Pair]:
    """The project's training and validation pairs (see the module's doc).

    `data_dir` holds `bfcl/` and `seal_tools/` (the repository's
    `benchmarks/data`); None leaves the public sets out."""
    from agentc.edge.tune.synth import joiner_pairs, synthesize

    rng = random.Random(mix.seed)
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        builtin = builtin_tools()
        desktop = desktop_toolkit(root / "home")
        for toolkit, tools, count, most in (("builtin", builtin, mix.builtin, 2), ("desktop", desktop, mix.desktop, 7)):
            registry = ToolRegistry(tools)
            for number, item in enumerate(synthesize(toolkit, n=count, seed=mix.seed)):
                needed = [registry[name] for name in dict.fromkeys(item.tools)]
                shown = offered_tools(needed, tools, rng, most=most)
                split = "train" if item.split == "train" else "validation"
                key = f"synth/{toolkit}/{item.template}/{number}"
                pairs.append(plan_pair(shown, item.question, item.plan, source=f"synth/{toolkit}", key=key, split=split))
        chosen = synthesize("builtin", n=mix.joiner, seed=mix.seed + 1)
        for number, joined in enumerate(asyncio.run(joiner_pairs(chosen, seed=mix.seed))):
            split = "train" if joined.split == "train" else "validation"
            key = f"synth/joiner/{joined.template}/{number}"
            pairs.append(Pair(tuple(joined.messages), joined.completion, "joiner", "synth/joiner", key, split))
    if data_dir is not None:
        from agentc.edge.tune.public_sets import public_items, public_pairs

        pairs += public_pairs(public_items(data_dir), renderings=mix.public_renderings, seed=mix.seed)
    return pairs


def user_pairs(tools: Sequence[Tool], seeds_file: Path, *, n: int, seed: int = 0, joiner: int = 400) -> list[Pair]:
    """Planner pairs for a user's own tools, grown from the seed pairs in
    `seeds_file` (JSONL `{"question", "plan"}`), plus `joiner` of the
    project's joiner pairs: one adapter serves planner and joiner, and one
    trained on plans alone forgets how to answer. A tenth of the grown items
    (new phrasings of the seeds) are kept for validation."""
    from agentc.edge.tune.grow import grow, load_seeds
    from agentc.edge.tune.synth import joiner_pairs, synthesize

    registry = ToolRegistry(tools)
    rng = random.Random(seed)
    grown = grow(load_seeds(seeds_file, registry), registry, n=n, seed=seed)
    pairs = []
    for number, (question, plan) in enumerate(grown):
        split = "validation" if number % 10 == 9 else "train"
        shown = list(tools)
        rng.shuffle(shown)
        pairs.append(plan_pair(shown, question, plan, source="user", key=f"user/{number}", split=split))
    if joiner:
        made = asyncio.run(joiner_pairs(synthesize("builtin", n=joiner, seed=seed + 1), seed=seed))
        for number, joined in enumerate(j for j in made if j.split == "train"):
            key = f"synth/joiner/{joined.template}/{number}"
            pairs.append(Pair(tuple(joined.messages), joined.completion, "joiner", "synth/joiner", key, "train"))
    return pairs
