"""`agentc eval retrieval`: score retrieval methods on a data set, as a table, a report and JSON.

    agentc eval retrieval --data data/metatool --method tool2vec,refiner --k 1,3,5,10
    agentc eval retrieval --tools catalog.jsonl --queries queries.jsonl --method all --results runs/r.jsonl --report runs/r.html

`retrieval_app` is a Typer app whose callback is the command, so it runs on
its own and when mounted: `eval_app.add_typer(retrieval_app, name="retrieval")`.
With `--results`, each method's scores are appended the moment the method
finishes, and a re-run with the same file and setup skips the methods it
holds (as `eval fc --results` and `eval web --out` do).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from agentc.errors import AgentcError
from agentc.evals.report import write_page
from agentc.evals.results import ResultsFile
from agentc.evals.retrieval.scores import MethodResult, html_report, score_table, summary
from agentc.evals.summary_json import write_summary_json
from agentc.progress import progress_bar
from agentc.retrieval.base import Example
from agentc.retrieval.datasets import DATASET_KINDS, RetrievalDataset, load_dataset, load_jsonl, split_queries
from agentc.retrieval.evaluate import evaluate_retrieval
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
        None,
        "--results",
        help="Append each method's scores here (one JSON line) as it finishes; a re-run skips the methods already there.",
    ),
    report: Optional[Path] = typer.Option(None, "--report", help="Write an HTML report here."),
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
        setup = {
            "dataset": loaded.name,
            "tools": len(loaded.tools),
            "test_queries": len(test),
            "test_fraction": test_fraction,
            "seed": seed,
            "k": ks,
            "model": model or "default",
        }
        store = None
        if results is not None:
            store = ResultsFile(
                results,
                setup,
                read=MethodResult.from_dict,
                option="--results",
                warn=lambda text: console.print(f"[yellow]warning:[/] {escape(text)}"),
            )
        found = _run(console, loaded, train, test, methods, ks, model, save, store, setup)
    except AgentcError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    title = f"{loaded.name}: {len(loaded.tools)} tools, {len(test)} test queries"
    console.print(score_table(found, ks).rich(title))
    if report is not None:
        write_page(report, html_report(found, ks, title=f"agentc eval retrieval: {title}", setup=setup))
        console.print(f"report written to {report}")
    if summary_json is not None:
        write_summary_json(summary_json, summary(found))
        console.print(f"scores written to {summary_json}")


def _run(
    console: Console,
    dataset: RetrievalDataset,
    train: list[Example],
    test: list[Example],
    methods: list[str],
    ks: list[int],
    model: Optional[str],
    save: Optional[Path],
    store: ResultsFile[MethodResult] | None,
    setup: dict[str, Any],
) -> list[MethodResult]:
    """Each method's result, in `methods` order: from the results file when
    it holds the method for this setup (unless `--save` needs it fitted),
    else fitted and scored now and appended to the file."""
    done = store.load() if store is not None else {}
    todo = [m for m in methods if m not in done or save is not None]
    if store is not None and len(todo) < len(methods):
        console.print(f"[dim]{len(methods) - len(todo)} method(s) already in {store.path}[/]")
    from agentc.retrieval.encoder import SentenceEncoder

    encoder = SentenceEncoder(model) if any(m != "bm25" for m in todo) else None
    fresh: dict[str, MethodResult] = {}
    with progress_bar(console) as progress:
        for name in todo:
            task = progress.add_task(f"{name}: fitting", total=len(test))
            retriever = make_retriever(name, encoder)

            def advance(task: Any = task, name: str = name) -> None:
                progress.update(task, advance=1, description=f"{name}: ranking")

            scored = evaluate_retrieval(
                retriever, dataset.tools, train, test, ks=ks, method=name, dataset=dataset.name, on_query=advance
            )
            fresh[name] = MethodResult(name, scored.summary(), setup)
            if store is not None:  # written as it goes: a long run stopped later keeps the methods it finished
                store.append(fresh[name])
            if save is not None:
                retriever.save(save)
    return [fresh[m] if m in fresh else done[m] for m in methods]


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
