"""`agentc tune`: data -> training -> a llama.cpp adapter, in one command.

    agentc tune --out tuned/                                   # the project's mix, for the bundled model
    agentc tune --tools mytools --examples seeds.jsonl --out tuned/   # your own tools
    agentc tune --data-only --out data/                        # only write the pairs (train elsewhere)

Then `agentc run --adapter tuned/adapter.gguf ...` (or
`load_local_llm(adapter="tuned/adapter.gguf")`) plans with it.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from agentc.backends import BackendOptions
from agentc.cli_options import MODEL_OPTION, TOOLS_OPTION, load_tools, reported_errors

if TYPE_CHECKING:
    from agentc.edge.llamacpp import LlamaCppLLM
    from agentc.edge.tune.dataset import Mix
    from agentc.edge.tune.pairs import Pair


def tune(
    out: Path = typer.Option(Path("tuned"), "--out", help="folder for the data, the adapter and its recipe"),
    model: Optional[str] = MODEL_OPTION,
    tools: list[str] = TOOLS_OPTION,
    examples: Optional[Path] = typer.Option(None, "--examples", help="JSONL of seed {question, plan} pairs for --tools"),
    items: int = typer.Option(1500, "--items", help="how many items to grow from the seeds (with --tools)"),
    public_data: Optional[Path] = typer.Option(
        None, "--public-data", help="folder with bfcl/ and seal_tools/ to add to the project's mix"
    ),
    synth_scale: float = typer.Option(
        1.0, "--synth-scale", min=0.01,
        help="synthesized items (built-in, desktop, joiner) times this; the shipped adapters used 1.5 (smollm2) and 2 (gemma3)",
    ),
    public_swaps: int = typer.Option(
        2, "--public-swaps", min=0, help="value-swapped variants of each public training item (with --public-data)"
    ),
    public_combined: int = typer.Option(
        600, "--public-combined", min=0, help="requests combining two or three public training items, per data set"
    ),
    public_listed: int = typer.Option(
        0, "--public-listed", min=0,
        help="requests asking a one-call public training item for two or three values at once, per item",
    ),
    public_listed_combined: int = typer.Option(
        0, "--public-listed-combined", min=0,
        help="requests asking a listed request together with one or two other public training items, per data set",
    ),
    public_unfit: int = typer.Option(
        0, "--public-unfit", min=0,
        help="requests of BFCL's one-call training items offered only close tools that cannot answer them, planned as join()",
    ),
    public_joiner: int = typer.Option(
        800, "--public-joiner", min=0, help="joiner pairs over public items' calls with made-up results, per data set"
    ),
    epochs: float = typer.Option(
        3.0, "--epochs", min=0.01, help="the shipped adapters used 4 (smollm2) and 3 (gemma3); see their recipes"
    ),
    rank: int = typer.Option(16, "--rank", min=1, help="LoRA rank (alpha is twice the rank)"),
    learning_rate: float = typer.Option(
        4e-4, "--lr", min=0.0, help="the shipped adapters used 6e-4 (smollm2) and 4e-4 (gemma3); see their recipes"
    ),
    seed: int = typer.Option(0, "--seed"),
    device: Optional[str] = typer.Option(None, "--device", help="cuda or cpu (default: a GPU when there is one)"),
    data_only: bool = typer.Option(False, "--data-only", help="write the pairs and stop"),
) -> None:
    """Tune the planner for a toolset: build pairs, train a LoRA adapter, export it for llama.cpp."""
    from agentc.edge.models import resolve_model
    from agentc.edge.tune.dataset import Mix, project_pairs, user_pairs
    from agentc.edge.tune.pairs import encode, pair_record, write_jsonl

    console = Console()
    if bool(tools) != bool(examples):
        raise typer.BadParameter("--tools and --examples go together: your tools and seed pairs that use them")
    model = BackendOptions(model=model).local_model()
    with reported_errors(console):
        base = resolve_model(model)
    mix: Mix | None = None
    with console.status("building the pairs"), reported_errors(console):
        if tools:
            user_tools = [t for spec in tools for t in load_tools(spec)]
            assert examples is not None
            pairs = user_pairs(user_tools, examples, n=items, seed=seed)
            recipe_data: dict[str, object] = {"tools": tools, "examples": str(examples), "items": items}
        else:
            mix = Mix(
                seed=seed,
                public_swaps=public_swaps,
                public_combined=public_combined,
                public_listed=public_listed,
                public_listed_combined=public_listed_combined,
                public_unfit=public_unfit,
                public_joiner=public_joiner,
            ).scaled(synth_scale)
            pairs = project_pairs(mix, public_data)
            recipe_data = {"mix": mix.describe(), "public_data": str(public_data) if public_data else None}
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl((pair_record(p) for p in pairs), out / "pairs.jsonl")
    vocab = _vocabulary(base)
    train_pairs = [p for p in pairs if p.split == "train"]
    encoded = list(encode(train_pairs, vocab))
    write_jsonl(encoded, out / "encoded.jsonl")
    counts = _counts(pairs)
    console.print(f"[dim]{len(pairs)} pairs ({len(train_pairs)} to train on) → {out / 'pairs.jsonl'}[/]")
    for source, (train, held) in sorted(counts.items()):
        console.print(f"  {source}: {train} train, {held} validation")
    if data_only:
        return
    from agentc.edge.tune.export import export_adapter
    from agentc.edge.tune.train import TrainConfig, train

    config = TrainConfig(rank=rank, alpha=2 * rank, epochs=epochs, learning_rate=learning_rate, seed=seed)
    began = time.perf_counter()
    with Progress(TextColumn("training"), BarColumn(), TextColumn("{task.completed}/{task.total} loss {task.fields[loss]}"),
                  TimeRemainingColumn(), console=console) as progress:
        bar = progress.add_task("train", total=None, loss="–")

        def step(done: int, total: int, loss: float) -> None:
            progress.update(bar, completed=done, total=total, loss=f"{loss:.3f}")

        report = train(base, encoded, out / "peft", config, device=device, on_step=step)
    heads, kv_heads = vocab.attention_heads
    adapter = export_adapter(
        out / "peft", out / "adapter.gguf", n_head=heads, n_head_kv=kv_heads, architecture=vocab.architecture
    )
    argv = _argv(model, tools, examples, items, public_data, synth_scale, mix, epochs, rank, learning_rate, seed)
    recipe = {
        "base": base.name,
        "command": "agentc tune " + " ".join(argv),
        "data": recipe_data,
        "pairs": {k: {"train": v[0], "validation": v[1]} for k, v in counts.items()},
        "train": {k: v for k, v in asdict(report).items() if k != "losses"},
        "seconds": round(time.perf_counter() - began, 1),
    }
    (out / "recipe.json").write_text(json.dumps(recipe, indent=1), encoding="utf-8")
    console.print(
        f"[bold]adapter:[/] {adapter} ({adapter.stat().st_size / 1e6:.1f} MB) · loss {report.first_loss} → "
        f"{report.last_loss} in {report.seconds:.0f} s on {report.device}\n"
        f"use it: agentc run --adapter {adapter} \"...\""
    )


def _vocabulary(base: Path) -> "LlamaCppLLM":
    """A vocabulary-only llama.cpp model: tokenizer and chat template, no weights."""
    from llama_cpp import Llama

    from agentc.edge.llamacpp import LlamaCppLLM

    return LlamaCppLLM(Llama(str(base), vocab_only=True, verbose=False))


def _counts(pairs: Sequence["Pair"]) -> dict[str, tuple[int, int]]:
    """Train and validation pairs by source."""
    counts: dict[str, list[int]] = {}
    for pair in pairs:
        slot = counts.setdefault(pair.source, [0, 0])
        slot[0 if pair.split == "train" else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _argv(
    model: str,
    tools: Sequence[str],
    examples: Optional[Path],
    items: int,
    public_data: Optional[Path],
    synth_scale: float,
    mix: Optional["Mix"],
    epochs: float,
    rank: int,
    learning_rate: float,
    seed: int,
) -> list[str]:
    """The options of this run, for the recipe's command line."""
    args = [f"--model {model}"] + [f"--tools {t}" for t in tools]
    if examples:
        args += [f"--examples {examples}", f"--items {items}"]
    if public_data:
        args.append(f"--public-data {public_data}")
    if synth_scale != 1.0 and not tools:
        args.append(f"--synth-scale {synth_scale:g}")
    if public_data and mix is not None:
        args.append(f"--public-swaps {mix.public_swaps} --public-combined {mix.public_combined} --public-joiner {mix.public_joiner}")
        if mix.public_listed:
            args.append(f"--public-listed {mix.public_listed}")
        if mix.public_listed_combined:
            args.append(f"--public-listed-combined {mix.public_listed_combined}")
        if mix.public_unfit:
            args.append(f"--public-unfit {mix.public_unfit}")
    return args + [f"--epochs {epochs}", f"--rank {rank}", f"--lr {learning_rate:g}", f"--seed {seed}"]
