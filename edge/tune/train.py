"""LoRA training of a planner adapter on encoded pairs.

The input is a JSONL file of encoded pairs (`agentc.edge.tune.pairs`): each
line holds the token ids of a prompt rendered exactly as the agent renders it
at run time followed by the completion the model should write, and `start`,
the index of the first completion token. The loss covers the completion
only, so the adapter learns to write plans and answers, not to predict the
prompt's tool list.

The base model is the bundled GGUF itself, which transformers dequantizes
on load: the adapter is fitted to the very weights llama.cpp runs.

This module imports nothing from `agentc` (only torch, transformers and
peft), so it also runs on a GPU machine that has no agentc installed:

    python edge/tune/train.py MODEL.gguf pairs.jsonl OUT_DIR --epochs 3 --rank 16

On a GPU the bundled 135M model trains at about a minute an epoch for ~8k
pairs; on a 2-core CPU the same is roughly 100x slower (fine for a few
dozen user pairs, or for a check on a tiny slice).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class TrainConfig:
    """What decides an adapter; stored beside it so a run can be reproduced."""

    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    epochs: float = 3.0
    learning_rate: float = 2e-4
    warmup: float = 0.03
    batch_tokens: int | None = None
    """Padded tokens per batch (batches of long pairs hold fewer pairs);
    default 16384 on a GPU and 2048 on a CPU, where the logits of a big
    batch alone (tokens x 49k vocabulary x 4 bytes) take gigabytes."""
    max_length: int = 2048
    """Pairs longer than this are left out (and counted)."""
    seed: int = 0
    max_steps: int | None = None
    """Stop after this many optimizer steps (for checks on a tiny slice)."""
    max_seconds: float | None = None
    """Stop (and save) once training has run this long (a time-boxed machine)."""
    target_modules: tuple[str, ...] = field(default=TARGET_MODULES)


@dataclass
class TrainReport:
    """What a run did: the losses it saw and what it cost."""

    steps: int
    pairs: int
    skipped_too_long: int
    tokens_seen: int
    seconds: float
    device: str
    first_loss: float
    last_loss: float
    losses: list[float]
    config: dict[str, Any]


def read_pairs(path: Path) -> list[dict[str, Any]]:
    """The encoded pairs of a JSONL file, gzipped or not (`{"ids": [...], "start": n, ...}`)."""
    import gzip

    pairs = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record.get("ids"), list) or not isinstance(record.get("start"), int):
                raise ValueError(f"{path} line {number}: an encoded pair needs 'ids' (token ids) and 'start' (int)")
            if not 0 < record["start"] < len(record["ids"]):
                raise ValueError(f"{path} line {number}: 'start' must point inside 'ids' (a completion is needed)")
            pairs.append(record)
    return pairs


def make_batches(pairs: Sequence[dict[str, Any]], batch_tokens: int, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Batches of pairs of similar length (little padding), in random order.

    Pairs are shuffled, sorted by length inside windows of 64 batches' worth,
    cut so each batch's padded size stays under `batch_tokens`, and the
    batches shuffled: every epoch sees a different mix, padding stays low.
    """
    order = list(pairs)
    rng.shuffle(order)
    window = max(1, 64 * max(1, batch_tokens // 512))
    batches: list[list[dict[str, Any]]] = []
    for begin in range(0, len(order), window):
        chunk = sorted(order[begin : begin + window], key=lambda p: len(p["ids"]))
        current: list[dict[str, Any]] = []
        for pair in chunk:
            longest = max([len(pair["ids"])] + [len(p["ids"]) for p in current])
            if current and longest * (len(current) + 1) > batch_tokens:
                batches.append(current)
                current = []
            current.append(pair)
        if current:
            batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(batch: Sequence[dict[str, Any]], pad_id: int) -> dict[str, Any]:
    """Right-padded input ids, attention mask, and labels that are -100
    everywhere but on completion tokens."""
    import torch

    width = max(len(p["ids"]) for p in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, pair in enumerate(batch):
        tokens = torch.tensor(pair["ids"], dtype=torch.long)
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
        labels[row, pair["start"] : len(tokens)] = tokens[pair["start"] :]
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def load_base(model_path: Path, device: str) -> Any:
    """The bundled GGUF as a transformers model (dequantized to fp32)."""
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the caller shows its own progress
    model = AutoModelForCausalLM.from_pretrained(str(model_path.parent), gguf_file=model_path.name, dtype="float32")
    return model.to(device)


def with_lora(model: Any, config: TrainConfig) -> Any:
    """`model` wrapped with fresh LoRA layers on `config.target_modules`."""
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(
        r=config.rank,
        lora_alpha=config.alpha,
        lora_dropout=config.dropout,
        target_modules=list(config.target_modules),
        task_type="CAUSAL_LM",
        bias="none",
    )
    return get_peft_model(model, lora)


def train(
    model_path: Path,
    pairs: Sequence[dict[str, Any]],
    out_dir: Path,
    config: TrainConfig,
    *,
    device: str | None = None,
    on_step: Callable[[int, int, float], None] | None = None,
) -> TrainReport:
    """Fit a LoRA adapter to `pairs` and save it (PEFT format) in `out_dir`.

    `on_step(step, total, loss)` is called after every optimizer step (for a
    progress bar). The run is seeded: the same pairs, config and device give
    the same adapter.
    """
    import torch

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    kept = [p for p in pairs if len(p["ids"]) <= config.max_length]
    if not kept:
        raise ValueError(f"no pair is at most {config.max_length} tokens long; raise max_length")
    model = with_lora(load_base(model_path, device), config)
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    epochs = max(1, math.ceil(config.epochs))
    batch_tokens = config.batch_tokens or (16384 if device.startswith("cuda") else 2048)
    plan = [make_batches(kept, batch_tokens, rng) for _ in range(epochs)]
    per_epoch = len(plan[0])
    total = int(per_epoch * config.epochs)
    if config.max_steps is not None:
        total = min(total, config.max_steps)
    total = max(total, 1)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.learning_rate, weight_decay=0.0)
    warmup = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total)))
    )
    model.train()
    losses: list[float] = []
    seen = 0
    began = time.perf_counter()
    step = 0
    for batch in (b for epoch in plan for b in epoch):
        if step >= total or (config.max_seconds is not None and time.perf_counter() - began > config.max_seconds):
            break
        inputs = {k: v.to(device) for k, v in collate(batch, pad_id).items()}
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
            loss = model(**inputs).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        seen += int(inputs["attention_mask"].sum())
        losses.append(float(loss.detach()))
        if on_step is not None:
            on_step(step, total, losses[-1])
    seconds = time.perf_counter() - began
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    report = TrainReport(
        steps=step,
        pairs=len(kept),
        skipped_too_long=len(pairs) - len(kept),
        tokens_seen=seen,
        seconds=round(seconds, 2),
        device=device,
        first_loss=_mean(losses[: max(1, min(10, len(losses) // 10 or 1))]),
        last_loss=_mean(losses[-max(1, min(10, len(losses) // 10 or 1)) :]),
        losses=[round(x, 4) for x in losses],
        config=asdict(config),
    )
    (out_dir / "train_report.json").write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
    return report


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else float("nan")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train a LoRA planner adapter on encoded pairs.")
    parser.add_argument("model", type=Path, help="the base GGUF file")
    parser.add_argument("pairs", type=Path, help="encoded pairs (JSONL)")
    parser.add_argument("out", type=Path, help="folder for the PEFT adapter")
    defaults = TrainConfig()
    parser.add_argument("--epochs", type=float, default=defaults.epochs)
    parser.add_argument("--rank", type=int, default=defaults.rank)
    parser.add_argument("--alpha", type=int, default=defaults.alpha)
    parser.add_argument("--lr", type=float, default=defaults.learning_rate)
    parser.add_argument("--batch-tokens", type=int, default=None, help="default: 16384 on a GPU, 2048 on a CPU")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--max-seconds", type=float, default=None)
    parser.add_argument("--device", default=None)
    args = parser.parse_args(argv)
    config = TrainConfig(
        rank=args.rank,
        alpha=args.alpha,
        epochs=args.epochs,
        learning_rate=args.lr,
        batch_tokens=args.batch_tokens,
        max_steps=args.max_steps,
        max_seconds=args.max_seconds,
        seed=args.seed,
    )

    def show(step: int, total: int, loss: float) -> None:
        if step == 1 or step % 20 == 0 or step == total:
            print(f"step {step}/{total} loss {loss:.4f}", flush=True)

    report = train(args.model, read_pairs(args.pairs), args.out, config, device=args.device, on_step=show)
    print(json.dumps({k: v for k, v in asdict(report).items() if k != "losses"}))


if __name__ == "__main__":
    main()
