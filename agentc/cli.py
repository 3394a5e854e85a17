"""The `agentc` command line: run a question, list tools.

    agentc run "How many km is 26.2 miles, and what is 17% of 2400?"
    agentc run --base-url http://127.0.0.1:8080/v1 --model-name my-model "..."
    agentc tools list --tools mypackage.tools
"""

from __future__ import annotations

import asyncio
import importlib
import os
import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from agentc.agent import Agent
from agentc.errors import AgentcError, describe, trace_of
from agentc.events import FinalAnswer, PlanText, Replanning, TaskFinished, TaskStarted
from agentc.llm import LLM
from agentc.plan import as_text
from agentc.tools import Tool, ToolRegistry
from agentc.trace import TaskRecord, Trace

app = typer.Typer(help="agentc: plan tool calls, run them in parallel, answer.", no_args_is_help=True)
tools_app = typer.Typer(help="Inspect tools.", no_args_is_help=True)
app.add_typer(tools_app, name="tools")


def _needs_extra(group: typer.Typer, name: str, extra: str, reason: ImportError) -> None:
    """A stand-in for a command whose extra is not installed: it shows in
    --help and says what to install, instead of breaking every command at
    import."""

    @group.command(name, help=escape(f"(needs pip install 'agentc[{extra}]')"), context_settings=_ANY_ARGS)
    def missing() -> None:
        typer.echo(f"`agentc eval {name}` needs the {extra} extra ({reason}); install it with: pip install 'agentc[{extra}]'", err=True)
        raise typer.Exit(2)


_ANY_ARGS = {"ignore_unknown_options": True, "allow_extra_args": True}


def _mount_eval() -> None:
    from agentc.evals.cli import eval_app

    try:
        from agentc.retrieval.cli import retrieval_app
    except ImportError as exc:  # numpy and friends come with the retrieval extra
        _needs_extra(eval_app, "retrieval", "retrieval", exc)
    else:
        eval_app.add_typer(retrieval_app, name="retrieval")
    eval_app.command("web")(importlib.import_module("agentc.envs.web.eval_app").web)
    app.add_typer(eval_app, name="eval")


_mount_eval()
app.command("assistant")(importlib.import_module("agentc.edge.assistant_app").assistant)
app.command("tune")(importlib.import_module("agentc.edge.tune.cli").tune)

ModelOption = typer.Option(
    None, "--model", help="local model: smollm2, gemma3 or a GGUF path (default: the bundled default)"
)
BaseUrlOption = typer.Option(None, "--base-url", envvar="AGENTC_BASE_URL", help="an OpenAI-compatible server")
ApiKeyOption = typer.Option(None, "--api-key", envvar="AGENTC_API_KEY", help="API key for --base-url")
ModelNameOption = typer.Option(None, "--model-name", envvar="AGENTC_MODEL_NAME", help="model name on --base-url")
ToolsOption = typer.Option([], "--tools", help="MODULE or MODULE:ATTR with tools to add (repeatable)")
AdapterOption = typer.Option(
    "default", "--adapter", envvar="AGENTC_ADAPTER",
    help="local model's planner adapter: default (the one shipped for a bundled model), none, or an adapter GGUF path",
)


@app.command()
def run(
    question: str = typer.Argument(..., help="what to ask"),
    model: Optional[str] = ModelOption,
    base_url: Optional[str] = BaseUrlOption,
    api_key: Optional[str] = ApiKeyOption,
    model_name: Optional[str] = ModelNameOption,
    tools: list[str] = ToolsOption,
    docs: list[Path] = typer.Option([], "--docs", help="files or folders for the document search tool (repeatable)"),
    no_builtin: bool = typer.Option(False, "--no-builtin", help="leave out the built-in demo tools"),
    plugins: bool = typer.Option(True, "--plugins/--no-plugins", help="add the tools of installed plug-ins"),
    trace: Optional[Path] = typer.Option(None, "--trace", help="write the run's trace as JSON here"),
    max_replans: int = typer.Option(2, "--max-replans", min=0),
    grammar: bool = typer.Option(True, "--grammar/--no-grammar", help="constrain plans on backends that can"),
    kv_cache: str = typer.Option(
        "auto", "--kv-cache", envvar="AGENTC_KV_CACHE",
        help="local model's KV cache: auto (f16, 4-bit on long contexts), f16 (fast), q8_0, q4_0 (a quarter of f16's memory)",
    ),
    adapter: str = AdapterOption,
    agent_kind: str = typer.Option("compiler", "--agent", help="compiler (agentc), react or parallel (baselines)"),
) -> None:
    """Answer QUESTION: stream the plan, run its tasks in parallel, print the answer."""
    console = Console()
    try:
        registry = ToolRegistry([] if no_builtin else _builtin_tools(docs))
        if plugins:
            from agentc.tools.plugins import plugin_tools

            for item in plugin_tools():
                registry.add(item)
        for spec in tools:
            for item in load_tools(spec):
                registry.add(item)
    except AgentcError as exc:  # a plug-in that fails to load, two tools with one name
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if not len(registry):
        raise typer.BadParameter("no tools: drop --no-builtin or add --tools MODULE")
    with console.status("loading the model"):
        llm, label, _ = build_llm(
            model=model, base_url=base_url, api_key=api_key, model_name=model_name, kv_cache=kv_cache,
            adapter=adapter, grammar=grammar,
        )
    if agent_kind == "compiler":
        examples = [] if getattr(llm, "tuned", False) else _examples(registry)
        agent = Agent(
            llm, registry, max_replans=max_replans, examples=examples, constrain=grammar,
            **_grammar_options(llm),
        )
    else:
        from agentc.planners.choose import build_agent

        agent = build_agent(agent_kind, llm, registry)
    console.print(Text(f"model: {label} · tools: {', '.join(registry.names)}", style="dim"))
    try:
        result_trace = asyncio.run(_show_run(console, agent, question))
    except AgentcError as exc:
        _save_trace(console, trace, exc.trace)  # first: printing must not be able to lose it
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt as exc:
        _save_trace(console, trace, trace_of(exc))
        console.print("[yellow]interrupted:[/] the run was stopped (Ctrl-C)")
        raise typer.Exit(130) from None
    _save_trace(console, trace, result_trace)


def _save_trace(console: Console, path: Path | None, trace: Trace | None) -> None:
    """Write `trace` to `path` (`--trace`), if both are given, and say so."""
    if path is None or trace is None:
        return
    trace.save(str(path))
    console.print(Text(f"trace written to {path}", style="dim"))


@app.command("trace")
def show_trace(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="a trace JSON written by --trace"),
    as_mermaid: bool = typer.Option(False, "--mermaid", help="print the DAG as a Mermaid flowchart instead"),
) -> None:
    """Draw a saved trace: its timeline, or its DAG as Mermaid."""
    from agentc.trace_view import mermaid, timeline

    trace = Trace.from_json(path.read_text(encoding="utf-8"))
    console = Console()
    if as_mermaid:
        console.print(mermaid(trace), highlight=False)
        return
    console.print(timeline(trace))
    if trace.answer is not None:
        console.print(f"[bold]Answer:[/] {escape(trace.answer)}")
    if trace.error:
        console.print(f"[red]error:[/] {escape(trace.error)}")


@tools_app.command("list")
def tools_list(
    tools: list[str] = ToolsOption,
    docs: list[Path] = typer.Option([], "--docs"),
    as_json: bool = typer.Option(False, "--json", help="print every tool's full JSON schema instead"),
) -> None:
    """Show the installed tools (built-in, desktop toolkit, plug-ins) with their schemas."""
    from agentc.tools.plugins import installed_tools

    console = Console()
    registry = ToolRegistry(_builtin_tools(docs))
    try:
        for item in installed_tools():
            registry.add(item)
        for spec in tools:
            for item in load_tools(spec):
                registry.add(item)
    except AgentcError as exc:  # PluginError, or two tools with one name
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if as_json:
        console.print_json(data=registry.json_schemas())
        return
    table = Table(title=f"{len(registry)} tools")
    for column in ("tool", "description", "source"):
        table.add_column(column)
    for item in registry:
        acts = " [yellow](asks first)[/]" if item.side_effects else ""
        table.add_row(escape(item.signature()), escape(item.description.split("\n")[0]) + acts, escape(item.source))
    console.print(table)


def build_llm(
    *,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    model_name: str | None,
    kv_cache: str = "auto",
    adapter: str = "default",
    grammar: bool = True,
) -> tuple[LLM, str, bool]:
    """The backend a command asked for: a server when `base_url` is set,
    otherwise a local GGUF model with a `kv_cache` of "auto" (f16 up to 8k
    tokens of context, 4-bit above), "f16", "q8_0" or "q4_0" (a quarter of
    f16's memory, slower on CPUs) and its planner
    `adapter` ("default": the one shipped for a bundled model; "none"; a path).
    A server on this machine (127.0.0.1, localhost: llama.cpp's, say) is sent
    the plan grammars when `grammar` is on; a remote one never is.
    Returns `(llm, label, is_local)`."""
    if base_url:
        from agentc.llm.openai import OpenAILLM

        name = model_name or "default"
        local_server = grammar and _is_loopback(base_url)
        llm = OpenAILLM(name, base_url=base_url, api_key=api_key, accepts_grammar=local_server)
        return llm, f"{name} at {base_url}" + (" (grammar)" if local_server else ""), False
    from agentc.edge.models import DEFAULT_MODEL, load_local_llm

    chosen = model or os.environ.get("AGENTC_MODEL") or DEFAULT_MODEL
    llm = load_local_llm(chosen, adapter=adapter, kv_cache=kv_cache)
    tuned = f", adapter {llm.adapter_path.name}" if llm.adapter_path else ", no adapter"
    cache = f"{llm.kv_cache} KV cache, {llm.kv_cache_bytes / 2**20:.0f} MiB"
    return llm, f"{chosen} (local, llama.cpp, {cache}{tuned})", True


def _is_loopback(url: str) -> bool:
    """Whether `url` names this machine (where a llama.cpp server takes grammars)."""
    import ipaddress
    from urllib.parse import urlparse

    host = (urlparse(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_tools(spec: str) -> list[Any]:
    """Tools from `module` (every `Tool` it defines) or `module:attr` (a tool,
    a list of tools, or a function returning them). As with pytest and
    uvicorn, the module may sit in the current folder (`mytools`) or be
    named by its file (`./mytools.py`, `tools/mine.py:TOOLS`)."""
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
    import importlib.util
    import sys

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
    import inspect

    try:
        return bool(inspect.signature(value).parameters)
    except (TypeError, ValueError):
        return False


def _builtin_tools(docs: list[Path]) -> list[Tool]:
    from agentc.tools.builtin import demo_tools

    return demo_tools(docs)


def _examples(registry: ToolRegistry) -> list[str]:
    from agentc.tools.builtin import examples_for

    return examples_for(registry.names)


def _grammar_options(llm: LLM) -> dict[str, Any]:
    """The plan and joiner grammars for a server that takes them (one on this
    machine, with `--grammar` on: see `build_llm`); a local model brings its
    own (`agentc.llm.Grammars`), and other servers get none."""
    from agentc.llm.openai import OpenAILLM

    if not (isinstance(llm, OpenAILLM) and llm.accepts_grammar):
        return {}
    from agentc.edge.grammar import agent_grammars

    return agent_grammars()


async def _show_run(console: Console, agent: Agent, question: str) -> Trace:
    """Run with a live view: the plan as it streams, and the tasks as they run."""
    plan = Text()
    records: dict[int, TaskRecord] = {}
    began = time.perf_counter()
    answer: FinalAnswer | None = None

    def view() -> Group:
        table = Table(expand=True)
        for column, style in (("task", "bold"), ("call", ""), ("status", ""), ("seconds", ""), ("result", "")):
            table.add_column(column, style=style, overflow="fold")
        for record in records.values():
            seconds = f"{(record.finished_at or (time.perf_counter() - began)) - (record.started_at or 0):.2f}" if record.started_at is not None else ""
            result = as_text(record.observation) if record.status == "done" else (record.error or "")
            call = Text(f"{record.tool}({_short(record.args)})")
            table.add_row(f"${record.idx}", call, _status(record.status), seconds, Text(_short(result)))
        return Group(Text("plan", style="cyan bold"), plan, table)

    with Live(view(), console=console, refresh_per_second=12, transient=False) as live:
        async for event in agent.astream(question):
            if isinstance(event, PlanText):
                plan.append(event.text, style="cyan")
            elif isinstance(event, (TaskStarted, TaskFinished)):
                records[event.record.idx] = event.record
            elif isinstance(event, Replanning):
                plan.append(f"\n-- replanning: {event.reason}\n", style="magenta")
            elif isinstance(event, FinalAnswer):
                answer = event
            live.update(view())
    assert answer is not None
    trace = answer.trace
    console.print(f"\n[bold]Answer:[/] {escape(answer.answer)}")
    tool_seconds = sum(r.duration or 0.0 for r in trace.tasks)
    console.print(
        f"[dim]{trace.finished_at:.2f} s · {len(trace.tasks)} task(s), {tool_seconds:.2f} s of tool time · "
        f"{len(trace.llm_calls)} LLM call(s), {trace.prompt_tokens} prompt + {trace.completion_tokens} completion tokens[/]"
    )
    return trace


def _status(status: str) -> str:
    return {"done": "[green]done[/]", "error": "[red]error[/]", "skipped": "[yellow]skipped[/]", "running": "[blue]running[/]"}.get(
        status, status
    )


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else ", ".join(f"{k}={v!r}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    app()
