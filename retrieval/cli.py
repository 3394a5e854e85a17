"""`agentc eval retrieval`: score retrieval methods on a data set, as a table.

`retrieval_app` is a Typer app whose callback is the command, so it runs on
its own and when mounted: `eval_app.add_typer(retrieval_app, name="retrieval")`
gives `agentc eval retrieval --data PATH --method tool2vec,refiner --k 1,3,5,10`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agentc.retrieval.datasets import DATASET_KINDS, RetrievalDataset, load_dataset, load_jsonl, split_queries
from agentc.retrieval.errors import RetrievalError
from agentc.retrieval.evaluate import RetrievalReport, evaluate_retrieval
from agentc.retrieval.methods import METHODS, make_retriever

retrieval_app = typer.Typer(
    help="Evaluate tool retrieval (Recall@K, NDCG@K, latency, train time).",
    add_completion=False,
    no_args_is_help=False,
)


@retrieval_app.callback(invoke_without_command=True)
def retrieval(
    data: Optional[Path] = typer.Option(
        None, "--data", help="A MetaTool, Seal-Tools, or plain (tools.jsonl + queries.jsonl) folder."
    ),
    dataset: str = typer.Option("auto", "--dataset", help=f"Format of --data: {', '.join(DATASET_KINDS)}."),
    tools: Optional[Path] = typer.Option(None, "--tools", help='Catalog JSONL: {"name", "description", "examples"?}.'),
    queries: Optional[Path] = typer.Option(None, "--queries", help='Queries JSONL: {"query", "tools"}.'),
    method: str = typer.Option(
        "tool2vec", "--method", help=f"Comma-separated methods, or 'all': {', '.join(METHODS)}."
    ),
    k: str = typer.Option("1,3,5,10", "--k", help="Comma-separated cut-offs for Recall@K and NDCG@K."),
    test_fraction: float = typer.Option(0.3, "--test-fraction", help="Share of queries held out for testing."),
    seed: int = typer.Option(0, "--seed", help="Seed of the train/test split."),
    model: Optional[str] = typer.Option(
        None, "--model", help="Sentence-transformers model folder or name (default: the packaged all-MiniLM-L6-v2)."
    ),
    summary_json: Optional[Path] = typer.Option(None, "--summary-json", help="Write the scores as JSON here."),
    save: Optional[Path] = typer.Option(None, "--save", help="Save the fitted retriever here (one method only)."),
    results: Optional[Path] = typer.Option(
        None, "--results", help="Append each method's scores here (one JSON line) the moment the method finishes."
    ),
) -> None:
    """Fit each method on the training queries and score it on the held-out ones."""
    console = Console()
    try:
        ks = _cutoffs(k)
        methods = list(METHODS) if method.strip() == "all" else [m.strip() for m in method.split(",") if m.strip()]
        unknown = [m for m in methods if m not in METHODS]
        if unknown:
            raise typer.BadParameter(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)} or all")
        if save is not None and len(methods) != 1:
            raise typer.BadParameter("--save needs exactly one --method")
        loaded = _dataset(data, dataset, tools, queries)
        train, test = split_queries(loaded, test_fraction=test_fraction, seed=seed)
        reports = _run(console, loaded, train, test, methods, ks, model, save, results)
    except RetrievalError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    console.print(
        report_table(reports, ks, title=f"{loaded.name}: {len(loaded.tools)} tools, {len(test)} test queries")
    )
    if summary_json is not None:
        summary_json.parent.mkdir(parents=True, exist_ok=True)
        summary_json.write_text(json.dumps(summary(reports), indent=1), encoding="utf-8")
        console.print(f"scores written to {summary_json}")


def summary(reports: list[RetrievalReport]) -> dict[str, object]:
    """One method: its scores at the top level. Several: `{"methods": {name: scores}}`."""
    if len(reports) == 1:
        return reports[0].summary()
    return {"dataset": reports[0].dataset, "methods": {r.method: r.summary() for r in reports}}


def report_table(reports: list[RetrievalReport], ks: list[int], *, title: str = "") -> Table:
    """The scores of several methods side by side."""
    table = Table(title=title)
    table.add_column("method")
    for cutoff in ks:
        table.add_column(f"R@{cutoff}", justify="right")
    for cutoff in ks:
        table.add_column(f"NDCG@{cutoff}", justify="right")
    table.add_column("ms/query", justify="right")
    table.add_column("train s", justify="right")
    for report in reports:
        table.add_row(
            report.method,
            *(f"{report.recall[c]:.3f}" for c in ks),
            *(f"{report.ndcg[c]:.3f}" for c in ks),
            f"{report.ms_per_query:.2f}",
            f"{report.train_seconds:.1f}",
        )
    return table


def _run(
    console: Console,
    dataset: RetrievalDataset,
    train: list,
    test: list,
    methods: list[str],
    ks: list[int],
    model: Optional[str],
    save: Optional[Path],
    results: Optional[Path] = None,
) -> list[RetrievalReport]:
    from agentc.retrieval.encoder import SentenceEncoder

    encoder = SentenceEncoder(model) if any(m != "bm25" for m in methods) else None
    reports = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        for name in methods:
            task = progress.add_task(f"{name}: fitting", total=len(test))
            retriever = make_retriever(name, encoder)

            def advance(task: int = task, name: str = name) -> None:
                progress.update(task, advance=1, description=f"{name}: ranking")

            reports.append(
                evaluate_retrieval(
                    retriever, dataset.tools, train, test, ks=ks, method=name, dataset=dataset.name, on_query=advance
                )
            )
            if results is not None:  # written as it goes: a long run stopped later keeps the methods it finished
                _append(results, reports[-1].summary())
            if save is not None:
                retriever.save(save)
    return reports


def _append(path: Path, scores: dict[str, object]) -> None:
    """One method's scores as one JSONL line, flushed at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(scores) + "\n")
        handle.flush()


def _dataset(data: Optional[Path], kind: str, tools: Optional[Path], queries: Optional[Path]) -> RetrievalDataset:
    if (tools is None) != (queries is None):
        raise typer.BadParameter("--tools and --queries go together")
    if tools is not None and queries is not None:
        if data is not None:
            raise typer.BadParameter("pass either --data or --tools/--queries, not both")
        return load_jsonl(tools, queries)
    if data is None:
        raise typer.BadParameter("pass --data FOLDER, or --tools CATALOG.jsonl --queries QUERIES.jsonl")
    if kind not in DATASET_KINDS:
        raise typer.BadParameter(f"--dataset must be one of {', '.join(DATASET_KINDS)}")
    return load_dataset(data, kind)  # type: ignore[arg-type]


def _cutoffs(text: str) -> list[int]:
    try:
        values = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(f"--k {text!r} must be comma-separated whole numbers, e.g. 1,3,5,10") from None
    if not values or values[0] < 1:
        raise typer.BadParameter(f"--k {text!r} needs cut-offs of 1 or more")
    return values
