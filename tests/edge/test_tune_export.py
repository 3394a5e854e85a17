"""Exporting a LoRA adapter to llama.cpp, checked for real against transformers.

SmolLM2 is loaded in transformers from the bundled GGUF (dequantized, so both
runtimes hold the same weights), wrapped with a PEFT LoRA (r=8 on all seven
projections) whose B matrices are set to seeded random values large enough
to change what the model writes, saved, and exported. llama.cpp then runs the
base GGUF with the exported adapter and must write the tokens the PEFT model
writes; an export without the q/k row reordering must not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest

from agentc.edge.tune.export import (
    MODULES,
    AdapterExportError,
    export_adapter,
    last_logits,
    load_llama,
    permute_rows,
    prompt_ids,
    verify_adapter,
)

pytestmark = pytest.mark.slow

PROMPTS = (
    "<|im_start|>user\nName a fruit.<|im_end|>\n<|im_start|>assistant\n",
    "def fibonacci(n):",
    "Once upon a time,",
)
"""Prompts whose 12 tokens have no near tie between the top two (all gaps
above 0.1 logit): where two tokens tie, float differences between the
runtimes may pick either, which says nothing about the export."""
N_TOKENS = 12
RANK, ALPHA = 8, 16
B_SCALE = 0.2
"""B's entries are N(0, 0.2^2): the adapter then changes every prompt's
greedy continuation, and the q/k reordering matters well above the float
differences between the two runtimes (about 0.5-1 logit)."""
HEADS, KV_HEADS = 9, 3


@pytest.fixture(scope="module")
def peft_model(smollm2_path: Path) -> Iterator[Any]:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # two shared cores: a second thread mostly waits
    torch.manual_seed(0)
    folder, name = str(smollm2_path.parent), smollm2_path.name
    base = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    lora = LoraConfig(r=RANK, lora_alpha=ALPHA, lora_dropout=0.0, target_modules=list(MODULES), bias="none")
    model = get_peft_model(base, lora)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "lora_B" in name:
                parameter.copy_(torch.randn(parameter.shape) * B_SCALE)
    model.eval()
    yield model
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def adapter_dir(peft_model: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("adapter")
    peft_model.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def exported(adapter_dir: Path) -> Path:
    return export_adapter(adapter_dir, adapter_dir / "adapter.gguf", n_head=HEADS, n_head_kv=KV_HEADS)


@pytest.fixture(scope="module")
def unpermuted(adapter_dir: Path) -> Path:
    out = adapter_dir / "unpermuted.gguf"
    return export_adapter(adapter_dir, out, n_head=HEADS, n_head_kv=KV_HEADS, permute_qk=False)


@pytest.fixture(scope="module")
def reference(peft_model: Any, vocab: Any) -> dict[str, tuple[list[int], np.ndarray]]:
    """Each prompt's greedy tokens and first-step logits from the PEFT model (fp32)."""
    import torch

    out = {}
    for prompt in PROMPTS:
        ids = torch.tensor([prompt_ids(vocab, prompt)])
        with torch.no_grad():
            generated = peft_model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=N_TOKENS,
                do_sample=False,
                output_logits=True,
                return_dict_in_generate=True,
                pad_token_id=0,
            )
        tokens = [int(t) for t in generated.sequences[0, ids.shape[1] :]]
        out[prompt] = (tokens, generated.logits[0][0].numpy())
    return out


def reference_tokens(reference: dict[str, tuple[list[int], np.ndarray]]) -> dict[str, list[int]]:
    return {prompt: tokens for prompt, (tokens, _) in reference.items()}


def test_permute_rows_interleaves_the_halves_of_each_head() -> None:
    rows = np.arange(8)[:, None] * np.ones((1, 3))
    assert permute_rows(rows, 2)[:, 0].tolist() == [0, 2, 1, 3, 4, 6, 5, 7]
    with pytest.raises(AdapterExportError, match="head counts"):
        permute_rows(rows, 3)


def test_the_file_is_a_llama_cpp_lora_adapter(exported: Path, adapter_dir: Path) -> None:
    from gguf import GGUFReader
    from safetensors.numpy import load_file

    reader = GGUFReader(str(exported))
    fields = {name: reader.fields[name].contents() for name in reader.fields}
    assert fields["general.type"] == "adapter"
    assert fields["general.architecture"] == "llama"
    assert fields["adapter.type"] == "lora"
    assert fields["adapter.lora.alpha"] == ALPHA
    tensors = {t.name: np.asarray(t.data) for t in reader.tensors}
    assert len(tensors) == 30 * len(MODULES) * 2
    assert all(t.dtype == np.float16 for t in tensors.values())
    assert tensors["blk.0.attn_q.weight.lora_a"].shape == (RANK, 576)
    assert tensors["blk.0.attn_k.weight.lora_b"].shape == (192, RANK)
    assert tensors["blk.29.ffn_down.weight.lora_a"].shape == (RANK, 1536)
    peft = load_file(str(adapter_dir / "adapter_model.safetensors"))
    prefix = "base_model.model.model.layers.3."
    for gguf_name, peft_name, heads in [("attn_q", "q_proj", HEADS), ("attn_k", "k_proj", KV_HEADS)]:
        b = peft[f"{prefix}self_attn.{peft_name}.lora_B.weight"]
        assert np.array_equal(tensors[f"blk.3.{gguf_name}.weight.lora_b"], permute_rows(b, heads).astype(np.float16))
    v = peft[f"{prefix}self_attn.v_proj.lora_B.weight"]
    assert np.array_equal(tensors["blk.3.attn_v.weight.lora_b"], v.astype(np.float16))


def test_llama_cpp_writes_what_the_peft_model_writes(
    smollm2_path: Path, exported: Path, reference: dict[str, tuple[list[int], np.ndarray]]
) -> None:
    tokens = reference_tokens(reference)
    assert all(len(t) >= 8 for t in tokens.values())
    assert verify_adapter(smollm2_path, exported, tokens, n_threads=1) == 1.0
    base = verify_adapter(smollm2_path, None, tokens, n_threads=1)
    assert base == 0.0, "the adapter should change every prompt's tokens"


def test_without_the_qk_reordering_the_adapter_is_wrong(
    smollm2_path: Path, unpermuted: Path, reference: dict[str, tuple[list[int], np.ndarray]]
) -> None:
    assert verify_adapter(smollm2_path, unpermuted, reference_tokens(reference), n_threads=1) == 0.0


def test_last_token_logits_agree(
    smollm2_path: Path, exported: Path, unpermuted: Path, reference: dict[str, tuple[list[int], np.ndarray]]
) -> None:
    diffs: dict[str, list[float]] = {}
    for name, adapter in [("adapter", exported), ("unpermuted", unpermuted), ("base", None)]:
        llama = load_llama(smollm2_path, adapter, n_threads=1)
        try:
            diffs[name] = [float(np.abs(last_logits(llama, p) - logits).max()) for p, (_, logits) in reference.items()]
        finally:
            llama.close()
    spans = [float(logits.max() - logits.min()) for _, logits in reference.values()]
    for i, prompt in enumerate(reference):
        print(
            f"{prompt[:28]!r}: max |logit diff| vs PEFT: adapter {diffs['adapter'][i]:.3f}, "
            f"unpermuted {diffs['unpermuted'][i]:.3f}, base {diffs['base'][i]:.3f} (logit span {spans[i]:.1f})"
        )
    for i in range(len(reference)):
        assert diffs["adapter"][i] < 0.08 * spans[i]
        assert diffs["unpermuted"][i] > 2 * diffs["adapter"][i]
        assert diffs["base"][i] > 2 * diffs["adapter"][i]


def test_refuses_adapters_llama_cpp_would_run_differently(adapter_dir: Path, tmp_path: Path) -> None:
    def variant(**changes: Any) -> Path:
        folder = tmp_path / "-".join(changes)
        folder.mkdir()
        shutil.copy(adapter_dir / "adapter_model.safetensors", folder)
        config = json.loads((adapter_dir / "adapter_config.json").read_text()) | changes
        (folder / "adapter_config.json").write_text(json.dumps(config))
        return folder

    out = tmp_path / "out.gguf"
    for changes, message in [
        ({"use_rslora": True}, "rsLoRA"),
        ({"use_dora": True}, "DoRA"),
        ({"target_modules": ["q_proj", "lm_head"]}, "lm_head"),
    ]:
        with pytest.raises(AdapterExportError, match=message):
            export_adapter(variant(**changes), out, n_head=HEADS, n_head_kv=KV_HEADS)
    with pytest.raises(AdapterExportError, match="head counts"):
        export_adapter(adapter_dir, out, n_head=KV_HEADS, n_head_kv=HEADS)
    assert not out.exists()


def test_a_gemma3_export_names_its_architecture_and_keeps_q_and_k_rows(adapter_dir: Path) -> None:
    """Gemma 3's converter keeps transformers' q/k row order, and llama.cpp
    refuses an adapter whose architecture is not its model's."""
    from gguf import GGUFReader
    from safetensors.numpy import load_file

    out = export_adapter(adapter_dir, adapter_dir / "gemma3.gguf", n_head=HEADS, n_head_kv=KV_HEADS, architecture="gemma3")
    reader = GGUFReader(str(out))
    assert reader.fields["general.architecture"].contents() == "gemma3"
    tensors = {t.name: np.asarray(t.data) for t in reader.tensors}
    b = load_file(str(adapter_dir / "adapter_model.safetensors"))["base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight"]
    assert np.array_equal(tensors["blk.3.attn_q.weight.lora_b"], b.astype(np.float16))
    assert not np.array_equal(permute_rows(b, HEADS), b)  # the llama export would have reordered them
