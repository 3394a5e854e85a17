"""`agentc assistant`: the local desktop assistant on the command line.

    agentc assistant                       an interactive session
    agentc assistant "text Ann I'm late"   one request, then exit
    agentc assistant --dry-run "..."       show the plan, run nothing
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from agentc.backends import BackendOptions, build_backend, server_grammars
from agentc.cli_options import backend_options, reported_errors


@backend_options
def assistant(
    question: Optional[str] = typer.Argument(None, help="one request; without it, an interactive session"),
    yes: bool = typer.Option(False, "--yes", "-y", help="run side effects (send, create) without asking"),
    dry_run: bool = typer.Option(False, "--dry-run", help="show the plan only; run nothing"),
    home: Optional[Path] = typer.Option(None, "--home", help="the assistant's data folder (default: the user data dir)"),
    files: list[Path] = typer.Option([], "--files", help="a folder the file tools may use (repeatable; default: --home)"),
    tool_rag: bool = typer.Option(True, "--tool-rag/--all-tools", help="show the planner only the tools a request needs"),
    trace: Optional[Path] = typer.Option(None, "--trace", help="write the run's trace as JSON here (one request only)"),
    *,
    backend: BackendOptions,
) -> None:
    """The local desktop assistant: contacts, mail, calendar, notes, files, maps."""
    from agentc.edge.assistant import Assistant, TerminalSession, interactive
    from agentc.edge.assistant import tool_rag as make_tool_rag
    from agentc.errors import AgentcError
    from agentc.tools.desktop import DesktopConfig, desktop_tools

    console = Console()
    missing = [name for name in ("icalendar", "vobject", "platformdirs", "filelock") if importlib.util.find_spec(name) is None]
    if missing:
        console.print(f"[red]error:[/] the assistant needs {', '.join(missing)}; install them with: pip install 'agentc\\[desktop]'")
        raise typer.Exit(2)
    config = DesktopConfig(**({"home": home} if home else {}), file_roots=list(files))
    with console.status("loading the model"), reported_errors(console):
        built = build_backend(backend)
    llm = built.llm
    tools = desktop_tools(config, llm=llm)
    session = TerminalSession(console, assume_yes=yes)
    assistant_ = Assistant(llm, tools, approve=session.approve, agent_options=server_grammars(llm))
    if getattr(llm, "tuned", False):
        assistant_.examples = ()  # the adapter learnt the plan language: no few-shot plans, a shorter prompt
    if tool_rag:
        with console.status("indexing the tools"):
            rag = make_tool_rag(tools)
        if rag is not None:
            assistant_.selector, assistant_.similarity = rag
    console.print(f"[dim]model: {escape(built.label)} · home: {escape(str(config.home))} · {len(tools)} tools"
                  f"{' · ToolRAG' if assistant_.selector else ''}{' · dry run' if dry_run else ''}[/]")

    async def one(question: str) -> None:
        if dry_run:
            session.dry_run(await session.plan(assistant_, question), tools)
            return
        result = await session.run(assistant_, question)
        if trace:
            result.save(str(trace))

    if question is None:
        def ask() -> str | None:
            try:
                return Prompt.ask("[bold]you[/]", console=console)
            except (EOFError, KeyboardInterrupt):
                return None

        if dry_run:
            while (text := ask()) is not None and text.strip().lower() not in ("exit", "quit", "bye"):
                asyncio.run(one(text))
            return
        asyncio.run(interactive(session, assistant_, ask))
        return
    try:
        asyncio.run(one(question))
    except AgentcError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        if trace and exc.trace is not None:
            exc.trace.save(str(trace))
        raise typer.Exit(1) from None
