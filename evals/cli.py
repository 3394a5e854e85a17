"""`agentc eval fc`: score a planner on BFCL, Seal-Tools or our own JSONL.

    agentc eval fc --data data/bfcl --category parallel --limit 50
    agentc eval fc --data data/seal_tools --llm gemma3 --no-grammar --results runs/seal.jsonl
    agentc eval fc --data my_set.jsonl --base-url http://127.0.0.1:8080/v1 --llm my-model
    agentc eval fc --data data/bfcl --llm scripted      # the gold plans: checks the pipeline, scores 100%

`eval_app` is a Typer group; the `agentc` CLI mounts it as `agentc eval`,
beside the other evaluations (`agentc eval web`: `evals.web.cli`,
`agentc eval retrieval`: `evals.retrieval.cli`). All of them share one
harness: the resumable results file (`results`), the scores table
(`table`), the HTML report (`report`) and the summary JSON (`summary_json`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentc.backends import BackendOptions, build_backend
from agentc.cli_options import backend_options
from agentc.errors import AgentcError
from agentc.evals.items import EvalItem
from agentc.evals.fc_report import html_report, score_table
from agentc.evals.loaders import load_items
from agentc.evals.report import write_page
from agentc.evals.results import ItemResult, ResultsFile
from agentc.evals.runner import EvalOptions, LLMSource, evaluate
from agentc.evals.summary import summarise
from agentc.evals.summary_json import write_summary_json
from agentc.progress import progress_bar
from agentc.tools.examples import GENERIC_EXAMPLES

eval_app = typer.Typer(help="Evaluate planners and models on public benchmarks.", no_args_is_help=True)


@eval_app.callback()
def _group() -> None:
    """Evaluate planners and models on public benchmarks."""


@eval_app.command("fc")
@backend_options
def fc(
    data: Path = typer.Option(..., "--data", help="a BFCL file or folder, a Seal-Tools folder, or a JSONL file"),
    category: list[str] = typer.Option([], "--category", help="only this category (repeatable)"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="the first N items of each category"),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="show the planner the few-shot plans"),
    max_tokens: int = typer.Option(384, "--max-tokens", min=16, help="longest plan, in tokens"),
    max_tasks: int = typer.Option(8, "--max-tasks", min=1, help="most calls in a plan"),
    script: Optional[Path] = typer.Option(None, "--script", help='replay plans from a JSONL of {"id" or "key", "plan"}'),
    retriever: Optional[Path] = typer.Option(None, "--retriever", help="a saved tool retriever (with --top-k)"),
    top_k: Optional[int] = typer.Option(None, "--top-k", min=1, help="show only the top-k retrieved tools"),
    results: Optional[Path] = typer.Option(None, "--results", help="append item results here; a re-run resumes"),
    report: Optional[Path] = typer.Option(None, "--report", help="write an HTML report here"),
    summary_json: Optional[Path] = typer.Option(None, "--summary-json", help="write the scores as JSON here"),
    show_failures: int = typer.Option(10, "--show-failures", min=0, help="failures to print (all are in --report)"),
    workers: int = typer.Option(1, "--workers", min=1, help="items planned at once (against a server; a local model plans one at a time)"),
    *,
    backend: BackendOptions,
) -> None:
    """Plan every item with the planner (no tool runs), check the plans the
    way each benchmark does, and print the scores per category."""
    console = Console()
    try:
        items = _limited(load_items(data, category), limit)
        if not items:
            raise typer.BadParameter(f"no items to evaluate in {data}")
        options = EvalOptions(examples=GENERIC_EXAMPLES if examples else (), max_tokens=max_tokens, max_tasks=max_tasks)
        if (retriever is None) != (top_k is None):
            raise typer.BadParameter("--retriever and --top-k go together")
        if retriever is not None and top_k is not None:
            from agentc.evals.selection import retrieved_tools

            options.select_tools = retrieved_tools(retriever, top_k)
            options.tools_label = f"top-{top_k} of {retriever}"
        with console.status("loading the model"):
            planner, label, local = _planner(backend, script)
        options.grammar = backend.grammar and local
        if local and workers > 1:
            raise typer.BadParameter("a local model plans one item at a time: --workers needs --base-url (a server)")
        setup = options.setup(label)
        console.print(f"[dim]{len(items)} item(s) · planner: {label} · grammar: {'on' if options.grammar else 'off'}[/]")
        if results is not None:  # checked (and a torn last line repaired, saying so) before any item runs
            ResultsFile(results, setup, warn=lambda text: console.print(f"[yellow]warning:[/] {escape(text)}")).load()
        found = _run(console, items, planner, options, label, results, workers)
    except AgentcError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    summary = summarise(found)
    console.print(score_table(summary).rich(f"{data.name} · {label}"))
    _print_failures(console, found, show_failures)
    if report is not None:
        write_page(report, html_report(summary, found, title=f"agentc eval fc: {data.name}", setup=setup))
        console.print(f"[dim]report written to {report}[/]")
    if summary_json is not None:
        write_summary_json(summary_json, summary.as_dict())
        console.print(f"[dim]summary written to {summary_json}[/]")


def _run(
    console: Console,
    items: list[EvalItem],
    planner: LLMSource,
    options: EvalOptions,
    label: str,
    results: Path | None,
    workers: int,
) -> list[ItemResult]:
    passed = 0
    with progress_bar(console) as bar:
        task = bar.add_task("planning", total=len(items))

        def advance(result: ItemResult, skipped: bool) -> None:
            nonlocal passed
            passed += result.passed
            done = bar.tasks[0].completed + 1
            note = " (from results)" if skipped else ""
            bar.update(task, advance=1, description=f"{result.category}{note} · accuracy {passed / done:.0%}")

        return asyncio.run(
            evaluate(items, planner, options, llm_label=label, results=results, on_item=advance, workers=workers)
        )


def _planner(backend: BackendOptions, script: Path | None) -> tuple[LLMSource, str, bool]:
    """`(planner, label, is_local)` for the options given."""
    if script is not None:
        from agentc.evals.scripted import replay

        return replay(script), f"plans from {script.name}", False
    if backend.scripted:
        from agentc.evals.scripted import oracle

        return oracle, "scripted (gold plans)", False
    built = build_backend(backend)
    return built.llm, built.label, built.local


def _limited(items: list[EvalItem], limit: int | None) -> list[EvalItem]:
    """The first `limit` items of each category, in file order."""
    if limit is None:
        return items
    seen: dict[str, int] = {}
    kept = []
    for item in items:
        seen[item.category] = seen.get(item.category, 0) + 1
        if seen[item.category] <= limit:
            kept.append(item)
    return kept


def _print_failures(console: Console, results: list[ItemResult], limit: int) -> None:
    failures = [r for r in results if not r.passed]
    if not failures or not limit:
        return
    table = Table(title=f"failures ({min(limit, len(failures))} of {len(failures)})", show_lines=True)
    for column in ("item", "reason", "detail"):
        table.add_column(column, overflow="fold")
    for result in failures[:limit]:
        table.add_row(result.key, result.reason or "", result.detail[:300])
    console.print(table)
