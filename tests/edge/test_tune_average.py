"""Averaging LoRA adapters: exact on the matrices, and right in llama.cpp.

The matrix check builds adapters of different ranks and alphas and compares
the averaged adapter's update with the mean of theirs. The llama.cpp checks
use the shipped SmolLM2 adapter: averaged with itself it must plan as it
does alone, and averaged with its own negation (every B times -1) the
updates cancel, so llama.cpp must compute the base model's logits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentc.edge.models import shipped_adapter
from agentc.edge.tune.average import _read, average_adapters
from agentc.edge.tune.export import AdapterExportError, greedy_tokens, last_logits, load_llama, write_adapter

PROMPT = "<|im_start|>user\nWhat is 15% of 380?<|im_end|>\n<|im_start|>assistant\n"


def _adapter(path: Path, rank: int, alpha: float, seed: int, arch: str = "llama") -> Path:
    rng = np.random.default_rng(seed)
    tensors = []
    for name, (rows, cols) in {"blk.0.attn_q.weight": (8, 6), "blk.0.ffn_up.weight": (10, 6)}.items():
        tensors += [(name + ".lora_a", rng.normal(size=(rank, cols))), (name + ".lora_b", rng.normal(size=(rows, rank)))]
    return write_adapter(path, tensors, alpha, "f32", arch)


def _updates(path: Path) -> dict[str, np.ndarray]:
    _, alpha, pairs = _read(path)
    return {name: alpha / a.shape[0] * b @ a for name, (a, b) in pairs.items()}


def test_the_average_adds_the_mean_of_the_updates(tmp_path: Path) -> None:
    inputs = [_adapter(tmp_path / "a.gguf", 2, 4.0, 0), _adapter(tmp_path / "b.gguf", 3, 1.5, 1),
              _adapter(tmp_path / "c.gguf", 4, 8.0, 2)]
    out = average_adapters(inputs, tmp_path / "mean.gguf")
    expected = [_updates(path) for path in inputs]
    got = _updates(out)
    assert sorted(got) == ["blk.0.attn_q.weight", "blk.0.ffn_up.weight"]
    for name, update in got.items():
        mean = sum(e[name] for e in expected) / len(expected)
        assert np.abs(mean).max() > 1.0  # the check below is not about zeros
        np.testing.assert_allclose(update, mean, rtol=0, atol=2e-2)  # f16 storage
    assert _read(out)[2]["blk.0.attn_q.weight"][0].shape == (9, 6)  # ranks 2 + 3 + 4 stacked


def test_a_rank_keeps_the_closest_update_of_that_rank(tmp_path: Path) -> None:
    inputs = [_adapter(tmp_path / "a.gguf", 2, 4.0, 0), _adapter(tmp_path / "b.gguf", 3, 1.5, 1)]
    expected = [_updates(path) for path in inputs]
    low = _updates(average_adapters(inputs, tmp_path / "r2.gguf", rank=2))
    full = _updates(average_adapters(inputs, tmp_path / "r9.gguf", rank=9))  # above the ranks' sum: all of it
    for name in low:
        mean = sum(e[name] for e in expected) / len(expected)
        u, s, vt = np.linalg.svd(mean)
        assert s[2] > 1.0  # the mean is of rank 5: truncating it loses something
        np.testing.assert_allclose(low[name], (u[:, :2] * s[:2]) @ vt[:2], rtol=0, atol=2e-2)
        np.testing.assert_allclose(full[name], mean, rtol=0, atol=2e-2)
    assert _read(tmp_path / "r2.gguf")[2]["blk.0.attn_q.weight"][0].shape == (2, 6)
    assert _read(tmp_path / "r9.gguf")[2]["blk.0.attn_q.weight"][0].shape == (5, 6)
    with pytest.raises(AdapterExportError, match="rank must be 1 or more"):
        average_adapters(inputs, tmp_path / "r0.gguf", rank=0)
    alone = _updates(average_adapters(inputs[1:], tmp_path / "b1.gguf", rank=1))  # one adapter: its truncation
    for name, update in alone.items():
        u, s, vt = np.linalg.svd(expected[1][name])
        np.testing.assert_allclose(update, s[0] * np.outer(u[:, 0], vt[0]), rtol=0, atol=2e-2)


def test_adapters_that_do_not_match_are_refused(tmp_path: Path) -> None:
    a = _adapter(tmp_path / "a.gguf", 2, 4.0, 0)
    other_arch = _adapter(tmp_path / "gemma.gguf", 2, 4.0, 1, arch="gemma3")
    fewer = write_adapter(tmp_path / "fewer.gguf", [("blk.0.attn_q.weight.lora_a", np.ones((2, 6))),
                                                    ("blk.0.attn_q.weight.lora_b", np.ones((8, 2)))], 4.0, "f32", "llama")
    with pytest.raises(AdapterExportError, match="two adapters or more"):
        average_adapters([a], tmp_path / "out.gguf")
    with pytest.raises(AdapterExportError, match="'gemma3'.*one base model"):
        average_adapters([a, other_arch], tmp_path / "out.gguf")
    with pytest.raises(AdapterExportError, match="adapts other tensors.*ffn_up"):
        average_adapters([a, fewer], tmp_path / "out.gguf")
    wider_tensors = []  # the same tensors as `a`'s, for inputs of 7 columns instead of 6
    for name, rows in {"blk.0.attn_q.weight": 8, "blk.0.ffn_up.weight": 10}.items():
        wider_tensors += [(name + ".lora_a", np.ones((2, 7))), (name + ".lora_b", np.ones((rows, 2)))]
    wider = write_adapter(tmp_path / "wider.gguf", wider_tensors, 4.0, "f32", "llama")
    with pytest.raises(AdapterExportError, match="attn_q.weight is 8 x 6 and 8 x 7 in the adapters"):
        average_adapters([a, wider], tmp_path / "out.gguf")
    with pytest.raises(AdapterExportError, match="no adapter file"):
        average_adapters([a, tmp_path / "missing.gguf"], tmp_path / "out.gguf")
    text = tmp_path / "notes.gguf"
    text.write_text("not a gguf")
    with pytest.raises(AdapterExportError, match="cannot be read as a GGUF"):
        average_adapters([a, text], tmp_path / "out.gguf")
    assert not (tmp_path / "out.gguf").exists()


@pytest.mark.slow
def test_in_llama_cpp_an_adapter_averaged_with_itself_or_its_negation(smollm2_path: Path, tmp_path: Path) -> None:
    shipped = shipped_adapter("smollm2")
    assert shipped is not None
    arch, alpha, pairs = _read(shipped)
    negated = [t for name, (a, b) in pairs.items() for t in ((name + ".lora_a", a), (name + ".lora_b", -b))]
    negation = write_adapter(tmp_path / "negated.gguf", negated, alpha, "f16", arch)
    # The shipped adapter averaged with itself is of its own rank: truncating
    # the stacked copies back to that rank must lose nothing.
    itself = average_adapters([shipped, shipped], tmp_path / "itself.gguf", rank=pairs[next(iter(pairs))][0].shape[0])
    cancelled = average_adapters([shipped, negation], tmp_path / "cancelled.gguf")
    logits, tokens = {}, {}
    for name, adapter in {"base": None, "shipped": shipped, "itself": itself, "cancelled": cancelled}.items():
        llama = load_llama(smollm2_path, adapter)
        try:
            logits[name] = last_logits(llama, PROMPT)
            tokens[name] = greedy_tokens(llama, PROMPT, 16)
        finally:
            llama.close()
    # llama.cpp computes an adapter's product in half precision, so a
    # stacked adapter differs from its parts by float noise (up to about one
    # logit among 49,152), far below what the adapter itself changes.
    effect = np.abs(logits["shipped"] - logits["base"]).max()
    assert effect > 10.0, effect
    assert np.abs(logits["itself"] - logits["shipped"]).max() < 0.15 * effect
    assert np.abs(logits["cancelled"] - logits["base"]).max() < 0.15 * effect
    assert tokens["itself"] == tokens["shipped"] != tokens["base"] == tokens["cancelled"]
