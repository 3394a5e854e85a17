"""The average of LoRA adapters trained alike, as one llama.cpp adapter GGUF.

Two trainings of one recipe that differ only in their seed (the data's
shuffle, tool orders, value swaps and the training order) make different
mistakes; the average of their weight updates keeps what both learned and
loses part of what each picked up by chance. On the shipped SmolLM2 adapter
the average of two seeds planned better than either seed alone in most
columns of `benchmarks/tune.py` (RESULTS.md, "Tuned planner").

The average is exact, not an approximation: adapter i adds
`s_i * B_i @ A_i` to a weight (`s_i = alpha_i / r_i`), and stacking the
adapters' ranks, A = [A_1; A_2; ...] and B = [B_1 * c_1, B_2 * c_2, ...],
gives `B @ A = sum_i c_i * B_i @ A_i`. With the stacked adapter's scale
`alpha / R` (R = the summed rank), `c_i = s_i / n / (alpha / R)` makes the
update the mean of the n updates; `alpha` is chosen so that the stacked
scale is the inputs' mean scale over n, which leaves every B as it was
(c_i = 1) when the inputs share one scale, as trainings of one recipe do.
The result's rank is the sum of the inputs' ranks, so it is as large as the
inputs together and costs each adapted matrix product that much more rank.
`rank=r` keeps instead, for each weight, the r directions of the mean update
that carry most of it (its truncated SVD, the closest update of rank r): the
mean of two r=16 seeds of the shipped recipe keeps 98% of its squared norm
at r=16 and plans 285 of 509 public validation items right against the full
mean's 287, at half the size (RESULTS.md, "Tuned planner").

Like `export.py` this needs only numpy and `gguf`:

    python -m agentc.edge.tune.average OUT.gguf seed0/adapter.gguf seed1/adapter.gguf [--rank 16]
    python -m agentc.edge.tune.average OUT.gguf mean.gguf --rank 16   # one adapter, truncated
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

import numpy as np

from agentc.edge.tune.export import AdapterExportError, write_adapter


def average_adapters(adapters: Sequence[Path], out: Path, rank: int | None = None) -> Path:
    """Write the mean of `adapters`' weight updates as one adapter at `out`,
    of rank `rank` if given (by SVD), else of the inputs' ranks summed (exact).

    The adapters must adapt the same tensors of one architecture (they were
    trained for one base model); their ranks and alphas may differ."""
    if rank is not None and rank < 1:
        raise AdapterExportError(f"rank must be 1 or more, got {rank}")
    if len(adapters) < (1 if rank is not None else 2):
        raise AdapterExportError(f"averaging needs two adapters or more (one with a rank: its truncation), got {len(adapters)}")
    read = [_read(Path(path)) for path in adapters]
    architecture, _, first = read[0]
    for path, (arch, _, tensors) in zip(adapters[1:], read[1:]):
        if arch != architecture:
            raise AdapterExportError(f"{path} is for {arch!r}, {adapters[0]} for {architecture!r}: one base model only")
        if list(tensors) != list(first):
            missing = sorted(set(first) ^ set(tensors))[:3]
            raise AdapterExportError(
                f"{path} adapts other tensors than {adapters[0]} (e.g. {missing}): train both with the same target modules"
            )
    n = len(read)
    # The stacked scale is the inputs' mean scale over n (read on the first
    # tensor), so adapters of one recipe keep their B matrices as they are;
    # truncated, the update is written at the inputs' own mean scale.
    some = [tensors[next(iter(first))][0].shape[0] for _, _, tensors in read]
    mean_scale = float(np.mean([alpha_i / r for (_, alpha_i, _), r in zip(read, some)]))
    alpha = sum(some) * mean_scale / n if rank is None else min(rank, sum(some)) * mean_scale
    stacked: list[tuple[str, np.ndarray]] = []
    for name in first:
        parts = [(alpha_i, tensors[name]) for _, alpha_i, tensors in read]
        shapes = {(a.shape[1], b.shape[0]) for _, (a, b) in parts}
        if len(shapes) > 1:
            raise AdapterExportError(
                f"{name} is {' and '.join(f'{o} x {i}' for i, o in sorted(shapes))} in the adapters: one base model only"
            )
        # llama.cpp applies alpha over the rank written for this weight.
        stacked_rank = sum(a.shape[0] for _, (a, _) in parts)
        scale = alpha / (stacked_rank if rank is None else min(rank, stacked_rank))
        a_stacked = np.concatenate([a for _, (a, _) in parts], axis=0)
        b_stacked = np.concatenate([b * (alpha_i / a.shape[0] / n / scale) for alpha_i, (a, b) in parts], axis=1)
        if rank is not None:
            a_stacked, b_stacked = _truncated(a_stacked, b_stacked, rank)
        stacked += [(name + ".lora_a", a_stacked), (name + ".lora_b", b_stacked)]
    return write_adapter(out, stacked, alpha, "f16", architecture)


def _truncated(a: np.ndarray, b: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray]:
    """(A', B') of `rank` rows/columns with B' @ A' the closest rank-`rank`
    matrix to B @ A, found without forming it: with A.T = Qa Ra and B = Qb Rb,
    B @ A = Qb (Rb Ra.T) Qa.T, so the SVD of the small R x R core is enough.
    Each side takes the square root of the singular values, so A' and B' are
    of one size, as trained factors are."""
    keep = min(rank, a.shape[0])
    qa, ra = np.linalg.qr(a.T.astype(np.float64))
    qb, rb = np.linalg.qr(b.astype(np.float64))
    u, s, vt = np.linalg.svd(rb @ ra.T)
    root = np.sqrt(s[:keep])
    return root[:, None] * (vt[:keep] @ qa.T), (qb @ u[:, :keep]) * root[None, :]


def _read(path: Path) -> tuple[str, float, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """(architecture, alpha, {weight name: (A r x in, B out x r)}) of an adapter GGUF."""
    import gguf

    if not path.is_file():
        raise AdapterExportError(f"no adapter file at {path}")
    try:
        reader = gguf.GGUFReader(str(path))
    except (ValueError, OSError) as error:
        raise AdapterExportError(f"{path} cannot be read as a GGUF file: {error}") from error
    fields = reader.fields
    alpha_key, architecture_key = gguf.Keys.Adapter.LORA_ALPHA, gguf.Keys.General.ARCHITECTURE
    if alpha_key not in fields or architecture_key not in fields:
        raise AdapterExportError(f"{path} is not a llama.cpp LoRA adapter (no {alpha_key} or {architecture_key})")
    halves: dict[str, dict[str, np.ndarray]] = {}
    for tensor in reader.tensors:
        weight, _, half = tensor.name.rpartition(".")
        if half not in ("lora_a", "lora_b"):
            raise AdapterExportError(f"{path}: tensor {tensor.name!r} is not a LoRA A or B matrix")
        halves.setdefault(weight, {})[half] = np.array(tensor.data, dtype=np.float32)
    pairs = {}
    for weight, half in halves.items():
        if set(half) != {"lora_a", "lora_b"}:
            raise AdapterExportError(f"{path}: {weight} has {sorted(half)} but not both lora_a and lora_b")
        pairs[weight] = (half["lora_a"], half["lora_b"])
    return str(fields[architecture_key].contents()), float(fields[alpha_key].contents()), pairs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Average llama.cpp LoRA adapters trained alike into one adapter GGUF.")
    parser.add_argument("out", type=Path, help="the GGUF file to write")
    parser.add_argument("adapters", type=Path, nargs="+", help="two adapter GGUFs or more (e.g. two seeds' adapter.gguf), or one with --rank")
    parser.add_argument("--rank", type=int, default=None, help="truncate the mean to this rank (default: the ranks summed, exact)")
    args = parser.parse_args(argv)
    try:
        out = average_adapters(args.adapters, args.out, args.rank)
    except AdapterExportError as error:
        parser.error(str(error))
    made = f"the mean of {len(args.adapters)} adapters" if len(args.adapters) > 1 else str(args.adapters[0])
    at = f" truncated to rank {args.rank}" if args.rank else ""
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB), {made}{at}")


if __name__ == "__main__":
    main()
