"""A PEFT LoRA adapter as a llama.cpp LoRA adapter GGUF, and its check.

`save_pretrained` writes a LoRA adapter as `adapter_model.safetensors` plus
`adapter_config.json`; llama.cpp loads an adapter beside its base model
(`llama_cpp.Llama(model_path=BASE, lora_path=ADAPTER)`) only as a GGUF with
`general.type=adapter`, `adapter.type=lora`, `adapter.lora.alpha`, and a
`.lora_a` (r x in) and `.lora_b` (out x r) tensor for each adapted weight,
named as the base GGUF names it (`blk.N.attn_q.weight`, ...). llama.cpp then
adds `alpha / r * B @ A` to each weight, the same scaling as PEFT's LoRA.

One thing is not a renaming: llama.cpp's converter stores the rows of the q
and k projections in another order than transformers does (it regroups each
head's rotary pairs), and transformers undoes that reordering when it loads a
GGUF. An adapter trained in transformers therefore has its `lora_b` rows of q
and k in transformers' order; they must get the converter's reordering
(`permute_rows`) too, or the adapter loads without complaint and acts on the
wrong rows.

This module imports nothing from `agentc` (only numpy, safetensors, torch and
`gguf`; `llama_cpp` for the check), so it also runs on a GPU machine that has
no agentc installed:

    python edge/tune/export.py ADAPTER_DIR OUT.gguf --heads 9 --kv-heads 3
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:
    from llama_cpp import Llama

MODULES = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}
"""transformers' Llama linear layers and the GGUF tensor each one is."""

REORDERED_QK = frozenset({"llama"})
"""Architectures whose llama.cpp converter regroups the q and k rows per head
(Gemma 3's, for one, keeps transformers' order)."""

_DTYPES = {"f16": np.float16, "f32": np.float32}
_TENSOR = re.compile(r"^base_model\.model\.model\.layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)\.lora_([AB])\.weight$")

Prompt = str | tuple[int, ...]
"""A prompt as text (tokenized the way the agent does) or as token ids."""


class AdapterExportError(ValueError):
    """An adapter that llama.cpp could not run as it ran in transformers.

    Defined here rather than in `agentc.errors` because this module must not
    import agentc."""


def export_adapter(
    adapter_dir: Path,
    out: Path,
    *,
    n_head: int,
    n_head_kv: int,
    alpha: float | None = None,
    dtype: str = "f16",
    permute_qk: bool = True,
    architecture: str = "llama",
) -> Path:
    """Write the PEFT adapter in `adapter_dir` as a llama.cpp LoRA GGUF at `out`.

    `n_head` and `n_head_kv` are the base model's attention and key-value
    head counts (9 and 3 for SmolLM2-135M), which the q and k reordering
    needs. `alpha` replaces the config's `lora_alpha` (llama.cpp scales by
    `alpha / r`, so this sets the adapter's strength). `dtype` is "f16" (half
    the size, and measured as close to transformers in llama.cpp) or "f32".
    `architecture` is the base GGUF's `general.architecture` ("llama" for
    SmolLM2, "gemma3" for Gemma 3): llama.cpp refuses an adapter of another
    architecture, and only some converters reorder q and k (`REORDERED_QK`).
    `permute_qk=False` leaves q and k in transformers' order: a wrong export
    for "llama", there only to show what the reordering is for.
    """
    if dtype not in _DTYPES:
        raise AdapterExportError(f"dtype {dtype!r} is not supported; use one of {', '.join(_DTYPES)}")
    config = read_config(adapter_dir)
    alpha = float(config["lora_alpha"] if alpha is None else alpha)
    if alpha <= 0:
        raise AdapterExportError(f"alpha must be positive, got {alpha} (llama.cpp reads 0 as 'no scaling')")
    pairs = read_pairs(adapter_dir)
    permute_qk = permute_qk and architecture in REORDERED_QK
    if permute_qk:
        _check_heads(pairs, n_head, n_head_kv)
    tensors: list[tuple[str, np.ndarray]] = []
    order = list(MODULES)
    for (layer, module), (a, b) in sorted(pairs.items(), key=lambda item: (item[0][0], order.index(item[0][1]))):
        if permute_qk and module in ("q_proj", "k_proj"):
            b = permute_rows(b, n_head if module == "q_proj" else n_head_kv)
        name = f"blk.{layer}.{MODULES[module]}.weight"
        tensors.append((name + ".lora_a", a))
        tensors.append((name + ".lora_b", b))
    return write_adapter(out, tensors, alpha, dtype, architecture)


def read_config(adapter_dir: Path) -> dict[str, Any]:
    """The adapter's `adapter_config.json`, refused where llama.cpp would
    compute something else than PEFT did."""
    path = Path(adapter_dir) / "adapter_config.json"
    if not path.is_file():
        raise AdapterExportError(f"{path} is missing: pass the folder that PEFT's save_pretrained wrote")
    config = json.loads(path.read_text(encoding="utf-8"))
    refusals = {
        "peft_type": (config.get("peft_type", "LORA") != "LORA", "only LoRA adapters can be exported"),
        "use_dora": (bool(config.get("use_dora")), "DoRA rescales weights in a way llama.cpp's LoRA does not"),
        "use_rslora": (
            bool(config.get("use_rslora")),
            "rsLoRA scales by alpha/sqrt(r) but llama.cpp by alpha/r; train without rsLoRA",
        ),
        "alpha_pattern": (bool(config.get("alpha_pattern")), "llama.cpp has one alpha for the whole adapter"),
        "bias": (config.get("bias", "none") != "none", "llama.cpp's LoRA adapters carry no biases; use bias='none'"),
        "modules_to_save": (
            bool(config.get("modules_to_save")),
            "fully trained modules are not LoRA tensors; train without modules_to_save",
        ),
    }
    for key, (refused, why) in refusals.items():
        if refused:
            raise AdapterExportError(f"{path}: {key}={config.get(key)!r} cannot be exported: {why}")
    targets = config.get("target_modules")
    if isinstance(targets, list):
        unknown = sorted(set(targets) - set(MODULES))
        if unknown:
            raise AdapterExportError(
                f"{path}: target modules {unknown} have no llama.cpp LoRA tensor; "
                f"target only {', '.join(MODULES)}"
            )
    if "lora_alpha" not in config:
        raise AdapterExportError(f"{path} has no lora_alpha; pass alpha= explicitly")
    return config


def read_pairs(adapter_dir: Path) -> dict[tuple[int, str], tuple[np.ndarray, np.ndarray]]:
    """The (A, B) matrices of each (layer, module), as float32 arrays.

    Read through torch because an adapter saved from a bf16 model holds
    bf16 tensors, which numpy has no type for."""
    from safetensors.torch import load_file

    path = Path(adapter_dir) / "adapter_model.safetensors"
    if not path.is_file():
        raise AdapterExportError(f"{path} is missing: save the adapter with save_pretrained (safetensors)")
    halves: dict[tuple[int, str], dict[str, np.ndarray]] = {}
    for name, tensor in load_file(str(path)).items():
        match = _TENSOR.match(name)
        if match is None or match[2] not in MODULES:
            raise AdapterExportError(
                f"{path}: tensor {name!r} cannot be mapped to a llama.cpp LoRA tensor; "
                f"only LoRA A/B matrices of {', '.join(MODULES)} in model.layers.N can"
            )
        halves.setdefault((int(match[1]), match[2]), {})[match[3]] = tensor.float().numpy()
    pairs: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
    for (layer, module), half in halves.items():
        if set(half) != {"A", "B"}:
            raise AdapterExportError(f"{path}: layer {layer} {module} has lora_{''.join(half)} but not both A and B")
        a, b = half["A"], half["B"]
        if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1]:
            raise AdapterExportError(
                f"{path}: layer {layer} {module} has A {a.shape} and B {b.shape}, not r x in and out x r"
            )
        pairs[(layer, module)] = (a, b)
    if not pairs:
        raise AdapterExportError(f"{path} holds no LoRA tensors")
    return pairs


def permute_rows(weight: np.ndarray, n_head: int) -> np.ndarray:
    """`weight`'s rows (a q or k projection's outputs) reordered as llama.cpp's
    converter reorders them: within each head, the first and second halves of
    the head's rows are interleaved (rows 0, h/2, 1, h/2+1, ...)."""
    rows = weight.shape[0]
    if rows % (2 * n_head):
        raise AdapterExportError(
            f"{rows} rows cannot be split into {n_head} heads of an even size; check the head counts"
        )
    return weight.reshape(n_head, 2, rows // n_head // 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def _check_heads(pairs: Mapping[tuple[int, str], tuple[np.ndarray, np.ndarray]], n_head: int, n_head_kv: int) -> None:
    """Catch swapped or wrong head counts, which would reorder q and k wrongly
    without any shape error: q and k heads have one size."""
    sizes = {}
    for (_, module), (_, b) in pairs.items():
        if module in ("q_proj", "k_proj"):
            heads = n_head if module == "q_proj" else n_head_kv
            sizes[module] = b.shape[0] / heads
    if len(sizes) == 2 and sizes["q_proj"] != sizes["k_proj"]:
        raise AdapterExportError(
            f"with {n_head} heads and {n_head_kv} key-value heads, q heads would have "
            f"{sizes['q_proj']:g} rows but k heads {sizes['k_proj']:g}; pass the base model's head counts"
        )


def write_adapter(
    out: Path, tensors: Sequence[tuple[str, np.ndarray]], alpha: float, dtype: str, architecture: str
) -> Path:
    """`tensors` ((name, array) in the order given) as a llama.cpp LoRA adapter GGUF at `out`."""
    import gguf

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(out), architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.ALL_F32)
    for name, array in tensors:
        writer.add_tensor(name, np.ascontiguousarray(array, dtype=_DTYPES[dtype]))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


# The check: does llama.cpp with the adapter write what transformers wrote?


def load_llama(base_gguf: Path, adapter_gguf: Path | None = None, *, n_threads: int = 2, n_ctx: int = 512) -> "Llama":
    """llama.cpp on `base_gguf` (plus the adapter), set up to be compared with
    transformers: f16 KV cache, no flash attention, so the only differences
    left are those of float arithmetic."""
    import llama_cpp

    return llama_cpp.Llama(
        model_path=str(base_gguf),
        lora_path=None if adapter_gguf is None else str(adapter_gguf),
        n_ctx=n_ctx,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        type_k=llama_cpp.GGML_TYPE_F16,
        type_v=llama_cpp.GGML_TYPE_F16,
        flash_attn=False,
        verbose=False,
    )


def prompt_ids(llama: "Llama", prompt: Prompt) -> list[int]:
    """Token ids of `prompt`; text is tokenized as the agent tokenizes a
    rendered chat (special tokens parsed, no BOS added)."""
    if isinstance(prompt, str):
        return llama.tokenize(prompt.encode(), add_bos=False, special=True)
    return list(prompt)


def greedy_tokens(llama: "Llama", prompt: Prompt, n: int) -> list[int]:
    """The first `n` tokens llama.cpp writes after `prompt` at temperature 0."""
    out: list[int] = []
    for token in llama.generate(prompt_ids(llama, prompt), temp=0.0, reset=True):
        out.append(int(token))
        if len(out) == n:
            break
    return out


def last_logits(llama: "Llama", prompt: Prompt) -> np.ndarray:
    """llama.cpp's logits for the token after `prompt` (a copy)."""
    import llama_cpp

    llama.reset()
    llama.eval(prompt_ids(llama, prompt))
    pointer = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),)).copy()


def verify_adapter(
    base_gguf: Path,
    adapter_gguf: Path | None,
    reference: Mapping[Prompt, Sequence[int]],
    *,
    n_threads: int = 2,
) -> float:
    """The fraction of prompts after which llama.cpp, on `base_gguf` with
    `adapter_gguf`, writes greedily exactly the reference tokens (as many as
    each reference holds), e.g. those the PEFT model wrote in transformers.

    Expect less than 1.0 on long references: where the top two tokens are
    nearly tied, float differences between the two runtimes pick either."""
    if not reference:
        raise ValueError("no reference prompts to verify against")
    llama = load_llama(base_gguf, adapter_gguf, n_threads=n_threads)
    try:
        same = sum(greedy_tokens(llama, prompt, len(tokens)) == list(tokens) for prompt, tokens in reference.items())
    finally:
        llama.close()
    return same / len(reference)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export a PEFT LoRA adapter as a llama.cpp LoRA adapter GGUF.")
    parser.add_argument("adapter", type=Path, help="the folder PEFT's save_pretrained wrote")
    parser.add_argument("out", type=Path, help="the GGUF file to write")
    parser.add_argument(
        "--heads", type=int, required=True, help="the base model's attention heads (9 for SmolLM2-135M)"
    )
    parser.add_argument("--kv-heads", type=int, required=True, help="its key-value heads (3 for SmolLM2-135M)")
    parser.add_argument("--alpha", type=float, default=None, help="replaces the config's lora_alpha")
    parser.add_argument("--dtype", choices=sorted(_DTYPES), default="f16")
    parser.add_argument("--arch", default="llama", help="the base GGUF's architecture (llama for SmolLM2, gemma3)")
    args = parser.parse_args(argv)
    try:
        out = export_adapter(
            args.adapter,
            args.out,
            n_head=args.heads,
            n_head_kv=args.kv_heads,
            alpha=args.alpha,
            dtype=args.dtype,
            architecture=args.arch,
        )
    except AdapterExportError as error:
        parser.error(str(error))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
