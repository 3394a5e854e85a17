"""The command-line options several `agentc` commands share, defined once.

`@backend_options` gives a command the options that choose its model
(`--model`, `--base-url`, `--api-key`, `--model-name`, `--kv-cache`,
`--adapter`, `--grammar/--no-grammar`) and hands them to it as one
`BackendOptions` named `backend`:

    @app.command()
    @backend_options
    def run(question: str, backend: BackendOptions) -> None: ...

`TOOLS_OPTION` is `--tools MODULE[:ATTR]`, read by `load_tools`;
`reported_errors` ends a command with one `error:` line instead of a
traceback when an agentc error (a clash of tool names, a bad seeds file)
stops it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from agentc.backends import SCRIPTED, BackendOptions
from agentc.errors import AgentcError, describe

Result = TypeVar("Result")

MODEL_OPTION: Any = typer.Option(
    None, "--model", "--llm",
    help="a bundled model (smollm2, gemma3) or a GGUF path (default: $AGENTC_MODEL, else the bundled default); "
    f"with --base-url, the model's name there; for agentc eval, {SCRIPTED}: the benchmark's gold outputs",
)
TOOLS_OPTION: Any = typer.Option([], "--tools", help="MODULE or MODULE:ATTR with tools to add (repeatable)")

_BACKEND_OPTIONS: dict[str, tuple[Any, Any]] = {  # a `BackendOptions` field: its type and its option
    "model": (Optional[str], MODEL_OPTION),
    "base_url": (Optional[str], typer.Option(None, "--base-url", envvar="AGENTC_BASE_URL", help="an OpenAI-compatible server")),
    "api_key": (Optional[str], typer.Option(None, "--api-key", envvar="AGENTC_API_KEY", help="API key for --base-url")),
    "model_name": (
        Optional[str],
        typer.Option(None, "--model-name", envvar="AGENTC_MODEL_NAME", help="model name on --base-url (default: --model)"),
    ),
    "kv_cache": (
        str,
        typer.Option(
            "auto", "--kv-cache", envvar="AGENTC_KV_CACHE",
            help="local model's KV cache: auto (f16, 4-bit on long contexts), f16 (fast), q8_0, "
            "q4_0 (a quarter of f16's memory)",
        ),
    ),
    "adapter": (
        str,
        typer.Option(
            "default", "--adapter", envvar="AGENTC_ADAPTER",
            help="local model's planner adapter: default (the one shipped for a bundled model), none, "
            "or an adapter GGUF path",
        ),
    ),
    "grammar": (
        bool,
        typer.Option(
            True, "--grammar/--no-grammar",
            help="constrain plans where the backend can: a local model, or a llama.cpp server on this machine",
        ),
    ),
}
_BACKEND_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=option)
    for name, (annotation, option) in _BACKEND_OPTIONS.items()
]


def backend_options(command: Callable[..., Result]) -> Callable[..., Result]:
    """`command` with the backend options in place of its `backend:
    BackendOptions` parameter, so every command spells them the same way."""
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "backend"]

    @functools.wraps(command)
    def with_backend(*args: Any, **kwargs: Any) -> Result:
        backend = BackendOptions(**{name: kwargs.pop(name) for name in _BACKEND_OPTIONS})
        return command(*args, backend=backend, **kwargs)

    parameters = [*kept, *_BACKEND_PARAMETERS]
    with_backend.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_backend.__annotations__ = {p.name: p.annotation for p in parameters}
    return with_backend


@contextmanager
def reported_errors(console: Console) -> Iterator[None]:
    """Turn an agentc error raised inside into one `error:` line and exit code 1."""
    try:
        yield
    except AgentcError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None


def load_tools(spec: str) -> list[Any]:
    """Tools from `module` (every `Tool` it defines) or `module:attr` (a tool,
    a list of tools, or a function returning them). As with pytest and
    uvicorn, the module may sit in the current folder (`mytools`) or be
    named by its file (`./mytools.py`, `tools/mine.py:TOOLS`)."""
    from agentc.tools import Tool

    module_name, _, attr = spec.partition(":")
    try:
        module = _import_tools_module(module_name)
    except (Exception, SystemExit) as exc:  # a module may fail on import in any way, even sys.exit
        raise typer.BadParameter(f"cannot import {module_name!r} for --tools: {describe(exc)}") from None
    if not attr:
        found = [v for v in vars(module).values() if isinstance(v, Tool)]
        if not found:
            raise typer.BadParameter(f"module {module_name!r} defines no @tool; name one as {module_name}:NAME")
        return found
    if not hasattr(module, attr):
        raise typer.BadParameter(f"module {module_name!r} has no attribute {attr!r}")
    value = getattr(module, attr)
    if callable(value) and not isinstance(value, Tool) and not _looks_like_tool_function(value):
        value = value()
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _import_tools_module(name: str) -> Any:
    """`name` as a module path, a module of the current folder, or a .py file."""
    path = Path(name)
    if name.endswith(".py"):
        if not path.is_file():
            raise FileNotFoundError(f"no file {path}")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"{path} cannot be imported as a module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        return module
    here = str(Path.cwd())
    if here not in sys.path and importlib.util.find_spec(name.partition(".")[0]) is None:
        sys.path.insert(0, here)
    return importlib.import_module(name)


def _looks_like_tool_function(value: Any) -> bool:
    """A plain function with parameters is a tool; one without is a factory."""
    try:
        return bool(inspect.signature(value).parameters)
    except (TypeError, ValueError):
        return False
