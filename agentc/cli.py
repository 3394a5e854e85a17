"""The `agentc` command line: run a question, list tools, draw a trace; and
mount the commands that live beside their library (`eval`, `assistant`,
`tune`), each imported only when it runs so that `agentc run` loads no
embedding, training or browser code.

    agentc run "How many km is 26.2 miles, and what is 17% of 2400?"
    agentc run --base-url http://127.0.0.1:8080/v1 --model-name my-model "..."
    agentc tools list --tools mypackage.tools
"""

from __future__ import annotations

import asyncio
import importlib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Iterator, Optional

import click
import typer
from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from agentc.backends import BackendOptions, build_backend, server_grammars
from agentc.cli_options import TOOLS_OPTION, backend_options, load_tools, reported_errors
from agentc.errors import AgentcError, trace_of
from agentc.plan import shortened

if TYPE_CHECKING:
    from agentc.agent import Agent
    from agentc.tools import Tool, ToolRegistry
    from agentc.trace import TaskRecord, Trace

__all__ = ["app", "load_tools"]


@dataclass(frozen=True)
class Lazy:
    """A command imported when it is run or listed: `target` is "module:attr",
    a Typer app or a command function; `extra` is the pip extra its imports
    need, named by a stand-in command when they are missing."""

    target: str
    extra: str | None = None


class LazyGroup(TyperGroup):
    """A command group whose `lazy` commands are imported on first use."""

    lazy: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(dict.fromkeys([*super().list_commands(ctx), *self.lazy]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(_imported_command(cmd_name, self.lazy[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)


def _imported_command(name: str, lazy: Lazy) -> click.Command:
    """The click command `lazy` names, or a stand-in that says which extra to install."""
    module, _, attr = lazy.target.partition(":")
    try:
        found = getattr(importlib.import_module(module), attr)
    except ImportError as exc:
        if lazy.extra is None:
            raise
        found = _needs_extra(lazy.extra, exc)
    holder = typer.Typer(add_completion=False)  # mounted as the root app mounts its own commands
    holder.callback()(lambda: None)
    if isinstance(found, typer.Typer):
        holder.add_typer(found, name=name)
    else:
        holder.command(name, context_settings=getattr(found, "context_settings", None))(found)
    return typer.main.get_group(holder).commands[name]


def _needs_extra(extra: str, reason: ImportError) -> Callable[..., None]:
    """A stand-in for a command whose extra is not installed: it shows in
    --help and says what to install, instead of breaking every command."""

    def missing(ctx: typer.Context) -> None:
        typer.echo(
            f"`{ctx.command_path}` needs the {extra} extra ({reason}); install it with: pip install 'agentc[{extra}]'",
            err=True,
        )
        raise typer.Exit(2)

    missing.__doc__ = escape(f"(needs pip install 'agentc[{extra}]')")
    missing.context_settings = {"ignore_unknown_options": True, "allow_extra_args": True}  # type: ignore[attr-defined]
    return missing


class _Commands(LazyGroup):
    lazy = {
        "assistant": Lazy("agentc.commands.assistant:assistant"),
        "tune": Lazy("agentc.commands.tune:tune"),
        "mcp": Lazy("agentc.mcp_server:mcp_app", extra="mcp"),
    }


class _EvalCommands(LazyGroup):
    lazy = {
        "fc": Lazy("agentc.evals.cli:fc"),
        "retrieval": Lazy("agentc.evals.retrieval.cli:retrieval_app", extra="retrieval"),  # numpy and friends
        "web": Lazy("agentc.evals.web.cli:web"),
    }


app = typer.Typer(
    cls=_Commands, help="agentc: plan tool calls, run them in parallel, answer.", no_args_is_help=True
)
tools_app = typer.Typer(help="Inspect tools.", no_args_is_help=True)
app.add_typer(tools_app, name="tools")
eval_app = typer.Typer(cls=_EvalCommands, help="Evaluate planners and models on public benchmarks.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@app.command()
@backend_options
def run(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="what to ask"),
    tools: list[str] = TOOLS_OPTION,
    mcp: list[str] = typer.Option(
        [], "--mcp", metavar='"CMD ARGS"', help="start an MCP server with this command line and add its tools (repeatable)"
    ),
    mcp_url: list[str] = typer.Option(
        [], "--mcp-url", metavar="URL", help="add the tools of the MCP server at this streamable HTTP URL (repeatable)"
    ),
    docs: list[Path] = typer.Option([], "--docs", help="files or folders for the document search tool (repeatable)"),
    no_builtin: bool = typer.Option(False, "--no-builtin", help="leave out the built-in demo tools"),
    plugins: bool = typer.Option(True, "--plugins/--no-plugins", help="add the tools of installed plug-ins"),
    trace: Optional[Path] = typer.Option(None, "--trace", help="write the run's trace as JSON here"),
    max_replans: int = typer.Option(2, "--max-replans", min=0),
    agent_kind: str = typer.Option("compiler", "--agent", help="compiler (agentc), react or parallel (baselines)"),
    instructions: str = typer.Option(
        "", "--instructions", metavar="TEXT", help='standing instructions for the planner and the joiner, e.g. "give distances in km"'
    ),
    max_seconds: Optional[float] = typer.Option(None, "--max-seconds", help="stop the run after this many seconds"),
    max_tool_calls: Optional[int] = typer.Option(
        None, "--max-tool-calls", min=0, help="stop the run before it makes more tool calls"
    ),
    max_llm_tokens: Optional[int] = typer.Option(
        None, "--max-llm-tokens", min=0, help="stop the run once its LLM calls used more tokens"
    ),
    otel: bool = typer.Option(
        False,
        "--otel",
        help="send OpenTelemetry spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT "
        "(default http://localhost:4318); needs agentc[otel]",
    ),
    *,
    backend: BackendOptions,
) -> None:
    """Answer QUESTION: stream the plan, run its tasks in parallel, print the answer."""
    from agentc.agent import Agent, build_agent
    from agentc.tools.plugins import plugin_tools

    console = Console()
    mcp_tools = _mcp_tools(ctx, console, mcp, mcp_url)
    registry = _tool_registry(
        console,
        lambda: [*([] if no_builtin else _builtin_tools(docs)), *(plugin_tools() if plugins else []), *mcp_tools],
        tools,
    )
    if not len(registry):
        raise typer.BadParameter("no tools: drop --no-builtin or add --tools MODULE, --mcp or --mcp-url")
    with console.status("loading the model"), reported_errors(console):
        built = build_backend(backend)
    llm = built.llm
    options: dict[str, Any] = {
        "max_seconds": max_seconds,
        "max_tool_calls": max_tool_calls,
        "max_llm_tokens": max_llm_tokens,
        "instructions": instructions,
    }
    tracer_provider = None
    if otel:
        from agentc.telemetry import otlp_tracer_provider

        try:
            tracer_provider = options["tracer_provider"] = otlp_tracer_provider()
        except ImportError as exc:
            raise typer.BadParameter(str(exc), param_hint="--otel") from None
    try:
        if agent_kind == "compiler":
            examples = [] if getattr(llm, "tuned", False) else _examples(registry)
            agent = Agent(
                llm,
                registry,
                max_replans=max_replans,
                examples=examples,
                constrain=backend.grammar,
                **server_grammars(llm),
                **options,
            )
        else:
            agent = build_agent(agent_kind, llm, registry, **options)
    except ValueError as exc:  # e.g. --max-seconds 0
        raise typer.BadParameter(str(exc)) from None
    console.print(Text(f"model: {built.label} · tools: {', '.join(registry.names)}", style="dim"))
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
    finally:
        if tracer_provider is not None:
            tracer_provider.shutdown()  # sends the spans still batched
    _save_trace(console, trace, result_trace)


def _save_trace(console: Console, path: Path | None, trace: "Trace | None") -> None:
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
    from agentc.trace_view import mermaid, read_trace, timeline

    console = Console()
    try:
        trace = read_trace(path.read_text(encoding="utf-8"), str(path))
    except ValueError as exc:  # not JSON, not a trace, not UTF-8
        console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None
    if as_mermaid:
        console.print(mermaid(trace), highlight=False)
        return
    console.print(timeline(trace, console.width))
    if trace.answer is not None:
        console.print(f"[bold]Answer:[/] {escape(trace.answer)}")
    if trace.error:
        console.print(f"[red]error:[/] {escape(trace.error)}")


@tools_app.command("list")
def tools_list(
    tools: list[str] = TOOLS_OPTION,
    docs: list[Path] = typer.Option([], "--docs"),
    as_json: bool = typer.Option(False, "--json", help="print every tool's full JSON schema instead"),
) -> None:
    """Show the installed tools (built-in, desktop toolkit, plug-ins) with their schemas."""
    from agentc.tools.plugins import installed_tools

    console = Console()
    registry = _tool_registry(console, lambda: [*_builtin_tools(docs), *installed_tools()], tools)
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


def _tool_registry(console: Console, first: Callable[[], Iterable["Tool"]], specs: list[str]) -> "ToolRegistry":
    """The tools `first` gives, then those of every `--tools` spec. A plug-in
    that fails to load or two tools with one name end the command with one
    error line."""
    from agentc.tools import ToolRegistry

    with reported_errors(console):
        return ToolRegistry([*first(), *(item for spec in specs for item in load_tools(spec))])


def _mcp_tools(ctx: typer.Context, console: Console, commands: list[str], urls: list[str]) -> list["Tool"]:
    """The tools of the MCP servers of --mcp and --mcp-url, kept open until
    the command ends (Ctrl-C included): `ctx.with_resource` closes them."""
    if not commands and not urls:
        return []
    try:
        from agentc.tools.mcp import open_mcp_tools  # the mcp extra, imported only when asked for

        servers = open_mcp_tools(commands, urls)
    except (ImportError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None
    with console.status("starting the MCP servers"), reported_errors(console):
        return ctx.with_resource(servers)


def _builtin_tools(docs: list[Path]) -> list["Tool"]:
    from agentc.tools.builtin import demo_tools

    return demo_tools(docs)


def _examples(registry: "ToolRegistry") -> list[str]:
    from agentc.tools.builtin import examples_for

    return examples_for(registry.names)


async def _show_run(console: Console, agent: "Agent", question: str) -> "Trace":
    """Run with a live view: the plan as it streams, the tasks as they run,
    and a status line saying what the run waits on (the model reading its
    prompt, writing, the tasks, the joiner)."""
    from agentc.events import FinalAnswer, PlanText, Replanning, TaskFinished, TaskStarted
    from agentc.progress import RunStatus

    plan = Text()
    records: dict[int, TaskRecord] = {}
    began = time.perf_counter()
    answer: FinalAnswer | None = None
    status = RunStatus()
    waiting = Spinner("dots", text=status)

    def view(running: bool) -> Group:
        written = plan.copy()
        written.rstrip()  # the plan's last newline would leave a blank line
        parts: list[Any] = [Text("plan", style="cyan bold"), written] if plan else []
        if records:  # a run that fails before any task draws no empty table
            parts.append(task_table(records.values(), time.perf_counter() - began))
        return Group(*parts, *([waiting] if running else []))

    with _line_after(console), Live(view(True), console=console, refresh_per_second=12, transient=False) as live:
        try:
            async for event in agent.astream(question):
                status.update(event)
                if isinstance(event, PlanText):
                    plan.append(event.text, style="cyan")
                elif isinstance(event, (TaskStarted, TaskFinished)):
                    records[event.record.idx] = event.record
                elif isinstance(event, Replanning):
                    plan.append(f"\n-- replanning: {event.reason}\n", style="magenta")
                elif isinstance(event, FinalAnswer):
                    answer = event
                live.update(view(True))
        finally:
            live.update(view(False))
    assert answer is not None
    trace = answer.trace
    console.print(f"\n[bold]Answer:[/] {escape(answer.answer)}")
    tool_seconds = sum(r.duration or 0.0 for r in trace.tasks if r.same_as is None)
    console.print(
        f"[dim]{trace.finished_at:.2f} s · {len(trace.tasks)} task(s), {tool_seconds:.2f} s of tool time · "
        f"{len(trace.llm_calls)} LLM call(s), {trace.prompt_tokens} prompt + {trace.completion_tokens} completion tokens[/]"
    )
    return trace


@contextmanager
def _line_after(console: Console) -> Iterator[None]:
    """End the line a `Live` view leaves open: rich ends it on a terminal
    only, and piped output would glue the next line (an error) to the view."""
    try:
        yield
    finally:
        if not console.is_terminal:
            console.line()


def task_table(records: Iterable["TaskRecord"], now: float) -> Table:
    """The run's tasks: call, status, seconds and result. A call merged into
    an identical earlier one ran once: it says "same as $N" and shows no
    seconds of its own. `now` (seconds since the run began) times the tasks
    still running."""
    from agentc.plan import as_text

    table = Table(expand=True)
    for column, style in (("task", "bold"), ("call", ""), ("status", ""), ("seconds", ""), ("result", "")):
        table.add_column(column, style=style, overflow="fold")
    for record in records:
        merged = record.same_as is not None
        seconds = (
            f"{(record.finished_at or now) - record.started_at:.2f}" if record.started_at is not None and not merged else ""
        )
        result = as_text(record.observation) if record.status == "done" else (record.error or "")
        status = f"[dim]same as ${record.same_as}[/]" if merged and record.status == "done" else _status(record.status)
        call = Text(f"{record.tool}({_short(record.args)})")
        table.add_row(f"${record.idx}", call, status, seconds, Text(_short(result)))
    return table


def _status(status: str) -> str:
    return {"done": "[green]done[/]", "error": "[red]error[/]", "skipped": "[yellow]skipped[/]", "running": "[blue]running[/]"}.get(
        status, status
    )


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else ", ".join(f"{k}={v!r}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return shortened(text, limit)


if __name__ == "__main__":
    app()
