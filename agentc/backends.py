"""The one place that turns backend options into an LLM.

Every command that talks to a model (`agentc run`, `assistant`, `eval fc`,
`eval web`) describes the model with one `BackendOptions` and gets it from
`build_backend`: a server when `base_url` is set, else a local GGUF model
through llama.cpp (`agentc.edge`). This sits above the edge and below the
commands; the core pipeline never builds backends, it is handed one.

    backend = build_backend(BackendOptions(model="smollm2"))
    agent = Agent(backend.llm, tools, **server_grammars(backend.llm))
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from agentc.errors import LLMError

if TYPE_CHECKING:
    from agentc.llm import LLM

SCRIPTED = "scripted"
"""The model name that lets a benchmark's gold outputs play the model
(`agentc eval fc`, `agentc eval web`): it checks the pipeline, not a model."""
_SCRIPTED_NAMES = (SCRIPTED, "scripted-oracle")  # "scripted-oracle": `eval web`'s earlier spelling


@dataclass(frozen=True)
class BackendOptions:
    """Which model to use and how; plain data, so it travels to worker processes.

    `model` is a bundled model ("smollm2", "gemma3") or a GGUF path; with
    `base_url` (an OpenAI-compatible server) it is the model's name there,
    unless `model_name` gives that. `kv_cache` is the local model's KV cache:
    "auto" (f16 up to 8k tokens of context, 4-bit above), "f16", "q8_0" or
    "q4_0" (a quarter of f16's memory, slower on CPUs). `adapter` is the
    local model's planner adapter: "default" (the one shipped for a bundled
    model), "none", or the path of an adapter GGUF. `grammar` constrains
    plans where the backend can: a local model, or a server on this machine
    (llama.cpp's); a remote server never gets a grammar.
    """

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    model_name: str | None = None
    kv_cache: str = "auto"
    adapter: str = "default"
    grammar: bool = True

    @property
    def scripted(self) -> bool:
        """Whether the benchmark's gold outputs stand in for a model (`SCRIPTED`)."""
        return self.model in _SCRIPTED_NAMES

    def local_model(self) -> str:
        """The local model meant: `model`, else $AGENTC_MODEL, else the bundled default."""
        from agentc.edge.models import DEFAULT_MODEL

        return self.model or os.environ.get("AGENTC_MODEL") or DEFAULT_MODEL

    def server_model(self) -> str:
        """The model's name on `base_url`."""
        return self.model_name or self.model or "default"

    def setting_names(self) -> dict[str, str]:
        """How the user gave the server settings, for error messages: the
        command-line option, or the environment variable that holds the
        value (each option falls back to one)."""

        def given(value: str | None, option: str, variable: str) -> str:
            return variable if value is not None and os.environ.get(variable) == value else option

        model = "--model" if self.model and not self.model_name else given(self.model_name, "--model-name", "AGENTC_MODEL_NAME")
        return {
            "base_url": given(self.base_url, "--base-url", "AGENTC_BASE_URL"),
            "api_key": given(self.api_key, "--api-key", "AGENTC_API_KEY"),
            "model": model,
        }


@dataclass(frozen=True)
class Backend:
    """A built LLM, the line a command prints about it, and whether it runs in
    this process (a local model, which takes grammars) or on a server."""

    llm: "LLM"
    label: str
    local: bool


def build_backend(options: BackendOptions) -> Backend:
    """The backend `options` ask for: a server when `base_url` is set, else a
    local GGUF model with its KV cache and planner adapter."""
    if options.scripted:
        raise LLMError(
            f"--model {SCRIPTED} replays a benchmark's gold outputs: only `agentc eval fc` and "
            "`agentc eval web` take it; pass a bundled model, a GGUF path or --base-url"
        )
    if options.base_url:
        from agentc.llm.openai import OpenAILLM

        name = options.server_model()
        takes_grammar = options.grammar and is_loopback(options.base_url)
        llm = OpenAILLM(
            name,
            base_url=options.base_url,
            api_key=options.api_key,
            accepts_grammar=takes_grammar,
            setting_names=options.setting_names(),
        )
        return Backend(llm, f"{name} at {options.base_url}" + (" (grammar)" if takes_grammar else ""), local=False)
    from agentc.edge.models import load_local_llm

    chosen = options.local_model()
    local = load_local_llm(chosen, adapter=options.adapter, kv_cache=options.kv_cache)
    tuned = f", adapter {local.adapter_path.name}" if local.adapter_path else ", no adapter"
    cache = f"{local.kv_cache} KV cache, {local.kv_cache_bytes / 2**20:.0f} MiB"
    return Backend(local, f"{chosen} (local, llama.cpp, {cache}{tuned})", local=True)


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (where a llama.cpp server takes grammars)."""
    host = (urlparse(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_grammars(llm: "LLM") -> dict[str, Any]:
    """`Agent` keyword arguments with the plan and joiner grammars, for a
    server that takes them (one on this machine, with `grammar` on); a local
    model brings its own (`agentc.llm.Grammars`), and other servers get none."""
    from agentc.llm.openai import OpenAILLM

    if not (isinstance(llm, OpenAILLM) and llm.accepts_grammar):
        return {}
    from agentc.edge.grammar import agent_grammars

    return agent_grammars()
