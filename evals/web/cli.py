"""`agentc eval web`: play web tasks with an agent in parallel browsers and score them.

    agentc eval web --dry-run                                  # validate our task set, count it
    agentc eval web --agent oracle --workers 4                 # replay every oracle trajectory
    agentc eval web --agent plan-and-act --model smollm2 --limit 10 --out runs/pa
    agentc eval web --tasks webarena/configs --url shopping=http://my-host:7770 --agent executor --base-url http://127.0.0.1:8080/v1
    agentc eval web --miniwob --agent executor --model smollm2
    agentc eval web --miniwob-task click-button --miniwob-task enter-text --agent oracle
    agentc eval web --agent oracle --workers 8 --ray ray://head:10001

Results go to `OUT/results.jsonl` (a re-run with the same OUT resumes), one
trace per task to `OUT/traces/`, and the report to `OUT/report.html`. Tasks
whose sites have no URL (no `--url` for them) are listed and left out.
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from agentc.backends import BackendOptions
from agentc.cli_options import backend_options
from agentc.errors import AgentcError
from agentc.evals.results import ResultsFile
from agentc.evals.summary_json import write_summary_json
from agentc.evals.web.items import SkippedTask, deferred_url_map, miniwob_items, missing_urls, select_tasks, task_items
from agentc.evals.web.options import AGENTS, WebEvalOptions
from agentc.evals.web.outcome import TaskOutcome, TaskResult, WorkItem, load_outcome, results_file, save_outcome, summary
from agentc.progress import progress_bar

WEB_PACKAGES = ("playwright", "starlette", "jinja2", "uvicorn")
"""What the browser and the local sites import (the `web` extra)."""


@backend_options
def web(
    tasks: Optional[Path] = typer.Option(
        None, "--tasks", help="a WebArena-format task file, list, JSONL or folder (default: our own task set)"
    ),
    agent: str = typer.Option("plan-and-act", "--agent", help="plan-and-act, executor (the baseline) or oracle (replay)"),
    workers: int = typer.Option(1, "--workers", min=1, help="parallel browsers, each with its own sites"),
    ray_address: Optional[str] = typer.Option(
        None, "--ray", help='run as Ray tasks on this cluster (an address for ray.init, or "local")'
    ),
    out: Path = typer.Option(Path("runs/web"), "--out", help="results, traces and report go here; a re-run resumes"),
    dry_run: bool = typer.Option(False, "--dry-run", help="load and validate the tasks, print how many, run nothing"),
    summary_json: Optional[Path] = typer.Option(
        None, "--summary-json", help='write {"n", "success_rate", "by_site", "setup"} here'
    ),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N tasks"),
    miniwob: bool = typer.Option(False, "--miniwob", help="run the MiniWoB++ tasks instead of web tasks"),
    miniwob_task: list[str] = typer.Option([], "--miniwob-task", help="only this MiniWoB++ task (repeatable; implies --miniwob)"),
    url: list[str] = typer.Option([], "--url", help="SITE=URL: run against an existing deployment (repeatable)"),
    max_steps: int = typer.Option(30, "--max-steps", min=1, help="most browser actions per task"),
    seed: int = typer.Option(0, "--seed", help="the sites' seed (and the MiniWoB++ episode seed)"),
    screenshots: bool = typer.Option(False, "--screenshots/--no-screenshots", help="save a screenshot after every step"),
    replan: bool = typer.Option(True, "--replan/--no-replan", help="Plan-and-Act: rewrite the plan after every action"),
    step_timeout: float = typer.Option(30.0, "--step-timeout", min=1, help="seconds one action may take; a stuck page is closed"),
    task_timeout: float = typer.Option(1800.0, "--task-timeout", min=1, help="seconds one task may take; then it times out"),
    *,
    backend: BackendOptions,
) -> None:
    """Play web tasks with an agent in real browsers, score them, write results, traces and a report."""
    console = Console()
    if agent not in AGENTS:
        raise typer.BadParameter(f"unknown agent {agent!r}; pick one of {', '.join(AGENTS)}", param_hint="--agent")
    miniwob = miniwob or bool(miniwob_task)
    if miniwob and tasks is not None:
        raise typer.BadParameter("--miniwob runs the MiniWoB++ tasks; leave out --tasks", param_hint="--miniwob")
    url_map = _url_map(url)
    items, skipped = _items(tasks, miniwob, miniwob_task, url_map, seed)
    if limit is not None:
        items = items[:limit]
    if dry_run:
        _print_counts(console, items, skipped, tasks, miniwob)
        return
    _print_skipped(console, skipped)
    if not items:
        raise typer.BadParameter("no tasks to run", param_hint="--tasks")
    missing = [name for name in WEB_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        console.print(f"[red]error:[/] running web tasks needs {', '.join(missing)}; install them with: pip install 'agentc\\[web]'")
        raise typer.Exit(2)
    options = WebEvalOptions(
        agent=agent,  # type: ignore[arg-type]
        backend=backend,
        max_steps=max_steps,
        seed=seed,
        screenshots_dir=str(out / "screenshots") if screenshots else None,
        replan_every_step=replan,
        url_map=url_map,
        step_timeout=step_timeout,
        task_timeout=task_timeout,
    )
    store = results_file(
        out / "results.jsonl", options.setup(), warn=lambda text: console.print(f"[yellow]warning:[/] {escape(text)}")
    )
    try:
        done = store.load()
    except AgentcError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    todo = [item for item in items if item.key not in done]
    where = f"Ray ({ray_address})" if ray_address else "local"
    console.print(
        f"[dim]{len(items)} task(s), {len(items) - len(todo)} already in {store.path} · agent: {agent} · "
        f"llm: {options.llm_label() or 'none'} · {workers} worker(s), {where}[/]"
    )
    fresh = _play(console, todo, options, workers, ray_address, out, store)
    outcomes = [fresh[i.key] if i.key in fresh else load_outcome(out, done[i.key]) for i in items]
    _finish(console, outcomes, options, out, summary_json, title=f"agentc eval web · {agent}")


def _items(
    tasks: Path | None, miniwob: bool, chosen: list[str], url_map: dict[str, str], seed: int
) -> tuple[list[WorkItem], list[SkippedTask]]:
    """The work items to play, and the tasks left out for want of a site URL."""
    if miniwob:
        from agentc.envs.web.miniwob import miniwob_tasks

        supported = miniwob_tasks()
        unknown = [name for name in chosen if name not in supported]
        if unknown:
            raise typer.BadParameter(
                f"unknown MiniWoB++ task(s) {', '.join(unknown)}; supported: {', '.join(supported)}", param_hint="--miniwob-task"
            )
        return miniwob_items(chosen or supported, seeds=(seed,)), []
    from agentc.envs.web.tasks import default_tasks_path

    path = tasks if tasks is not None else default_tasks_path()
    if not path.exists():
        raise typer.BadParameter(f"no such file or folder: {path}", param_hint="--tasks")
    try:
        selection = select_tasks(path, url_map or deferred_url_map())
        return task_items(selection.tasks), selection.skipped
    except AgentcError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tasks") from None


def _url_map(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        site, sep, address = pair.partition("=")
        if not sep or not site or not address:
            raise typer.BadParameter(f"{pair!r} is not SITE=URL (e.g. shopping=http://127.0.0.1:7770)", param_hint="--url")
        found[site.strip()] = address.strip().rstrip("/")
    return found


def _print_counts(console: Console, items: list[WorkItem], skipped: list[SkippedTask], tasks: Path | None, miniwob: bool) -> None:
    source = "MiniWoB++" if miniwob else str(tasks) if tasks is not None else "the built-in task set"
    counts: dict[str, int] = {}
    for item in items:
        counts[item.site] = counts.get(item.site, 0) + 1
    by_site = ", ".join(f"{site}: {n}" for site, n in sorted(counts.items()))
    noun = "task" if len(items) == 1 else "tasks"
    console.print(f"{len(items)} {noun} in {source} ({by_site})", highlight=False)
    _print_skipped(console, skipped)


def _print_skipped(console: Console, skipped: list[SkippedTask]) -> None:
    """Say which tasks are left out and which sites lack a URL (`--url SITE=URL` adds one)."""
    if not skipped:
        return
    sites = ", ".join(f"{site} ({n} task(s))" for site, n in missing_urls(skipped).items())
    console.print(
        f"{len(skipped)} task(s) not runnable, no URL for: {sites}; add --url SITE=URL to run them", highlight=False
    )


def _play(
    console: Console,
    todo: list[WorkItem],
    options: WebEvalOptions,
    workers: int,
    ray_address: str | None,
    out: Path,
    store: ResultsFile[TaskResult],
) -> dict[str, TaskOutcome]:
    """Play `todo` with a progress bar; every outcome is saved the moment it arrives."""
    from agentc.evals.web.worker import run_local, run_ray

    found: dict[str, TaskOutcome] = {}
    if not todo:
        return found
    with progress_bar(console) as bar:
        job = bar.add_task("starting workers", total=len(todo))

        def take(outcome: TaskOutcome) -> None:
            save_outcome(out, store, outcome)
            found[outcome.result.key] = outcome
            passed = sum(o.result.passed for o in found.values())
            bar.update(job, advance=1, description=f"{outcome.result.key} · success {passed}/{len(found)}")

        try:
            try:
                if ray_address:
                    run_ray(todo, options, workers=workers, address=ray_address, on_outcome=take)
                else:
                    asyncio.run(run_local(todo, options, workers=workers, on_outcome=take))
            except* Exception as group:
                for exc in group.exceptions:
                    console.print(f"[red]error:[/] a worker failed: {type(exc).__name__}: {exc}")
                console.print(f"[dim]{len(found)} finished task(s) are in {store.path}; re-run to resume[/]")
                raise typer.Exit(1) from None
        except KeyboardInterrupt:
            # the tasks in flight were cancelled, not failed: nothing is recorded for them, so a re-run plays them
            console.print(
                f"[yellow]interrupted:[/] {len(found)} task(s) finished in this run are in {store.path}; "
                f"{len(todo) - len(found)} not finished were not recorded; re-run with the same --out to resume"
            )
            raise typer.Exit(130) from None
    return found


def _finish(
    console: Console,
    outcomes: list[TaskOutcome],
    options: WebEvalOptions,
    out: Path,
    summary_json: Path | None,
    *,
    title: str,
) -> None:
    from agentc.evals.web.report import site_table, write_report

    console.print(site_table(outcomes).rich(title))
    errors = [o.result for o in outcomes if o.result.error]
    for result in errors[:10]:
        console.print(f"[red]error in {result.key}:[/] {result.error}")
    report = write_report(outcomes, title=title, setup=options.setup(), path=out / "report.html")
    console.print(f"[dim]report: {report} · results: {out / 'results.jsonl'} · traces: {out / 'traces'}[/]")
    if summary_json is not None:
        write_summary_json(summary_json, {**summary([o.result for o in outcomes]), "setup": options.setup()})
        console.print(f"[dim]summary written to {summary_json}[/]")
    if errors:
        console.print(f"[red]{len(errors)} task(s) raised; re-run with the same --out to retry them[/]")
        raise typer.Exit(1)
