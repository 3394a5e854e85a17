"""Function-calling accuracy of the bundled model, with and without the plan grammar.

    python benchmarks/fc_eval.py                       # full run, updates RESULTS.md
    python benchmarks/fc_eval.py --limit 3 --no-write  # a smoke run, prints only

Items: the first 100 of each BFCL single-turn category (simple_python,
multiple, parallel, parallel_multiple, irrelevance) and the first 100
"easy" plus the first 100 "difficult" items of Seal-Tools dev, from the
slices in benchmarks/data/ (the first 200 lines of Seal-Tools dev are all
single-call "easy" items, so taking 100 of each keeps its dependent calls
in the sample). Each item is planned once with `Agent.aplan` (greedy
decoding, the evaluation's few-shot plans, at most 8 calls, 384 tokens)
and checked by the benchmark's own rules (`agentc.evals`).

The gold plans are scored first through the same pipeline ("gold" column):
the ceiling any planner can reach here; it is below 100% only where a gold
answer contradicts its own schema (a string where the schema says number).

Results go to a resumable JSONL file per setting under
.agentc-cache/fc_eval/, so an interrupted run continues where it stopped;
RESULTS.md is rewritten after each category, marked partial until the end.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc.evals.items import EvalItem  # noqa: E402
from agentc.evals.loaders import load_items  # noqa: E402
from agentc.evals.results import ItemResult  # noqa: E402
from agentc.evals.runner import EvalOptions, evaluate  # noqa: E402
from agentc.evals.scripted import oracle  # noqa: E402
from agentc.evals.summary import Scores, summarise  # noqa: E402
from results import write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RUNS = HERE.parent / ".agentc-cache" / "fc_eval"
SECTION = "Function-calling evaluation"
BFCL = ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")
SEAL = ("seal_tools_easy", "seal_tools_difficult")


def benchmark_items(limit: int) -> list[EvalItem]:
    """The first `limit` items of each category, BFCL then Seal-Tools."""
    items = load_items(DATA / "bfcl", BFCL) + load_items(DATA / "seal_tools", SEAL)
    kept: list[EvalItem] = []
    for category in BFCL + SEAL:
        kept += [i for i in items if i.category == category][:limit]
    return kept


async def run(opts: argparse.Namespace) -> None:
    from agentc.edge.models import load_local_llm

    items = benchmark_items(opts.limit)
    categories = list(dict.fromkeys(i.category for i in items))
    gold = await evaluate(items, oracle, EvalOptions(), llm_label="gold plans")
    llm = load_local_llm(opts.model, n_ctx=4096)
    settings = {"free": EvalOptions(grammar=False), "grammar": EvalOptions(grammar=True)}
    stores = {name: opts.runs / f"{Path(opts.model).name}-{name}-{opts.limit}.jsonl" for name in settings}
    found: dict[str, list[ItemResult]] = {name: [] for name in settings}
    for number, category in enumerate(categories, start=1):
        batch = [i for i in items if i.category == category]
        logs = {name: _log(name, len(batch)) for name in settings}
        # both settings on one item before the next, so the second reuses the first's prompt (llama.cpp's
        # prefix cache); which goes first alternates, so neither setting's s/item gains from it
        for index, item in enumerate(batch):
            order = list(settings.items())
            for name, options in order if index % 2 == 0 else order[::-1]:
                found[name] += await evaluate(
                    [item], llm, options, llm_label=opts.model, results=stores[name], on_item=logs[name], max_llm_errors=1
                )
        done = number == len(categories)
        body = section(gold, found, categories[:number], opts, complete=done)
        print(body, flush=True)
        if opts.write:
            write_section(SECTION, body)


def section(
    gold: list[ItemResult],
    found: dict[str, list[ItemResult]],
    categories: list[str],
    opts: argparse.Namespace,
    *,
    complete: bool,
) -> str:
    """The RESULTS.md section: the command, the table, and how to read it."""
    gold_by = summarise(gold).by_category
    free = summarise(found["free"]).by_category
    constrained = summarise(found["grammar"]).by_category
    header = (
        "| category | n | gold | accuracy (free) | accuracy (grammar) | valid plans (free) | valid plans (grammar) "
        "| DAG (free) | DAG (grammar) | API F1 (free / grammar) | param F1 (free / grammar) | s/item (free / grammar) |"
    )
    rows = [header, "|" + "---|" * 12]
    for category in categories:
        a, b = free[category], constrained[category]
        rows.append(
            f"| {category} | {a.n} | {_pct(gold_by[category].accuracy)} | {_pct(a.accuracy)} | {_pct(b.accuracy)} "
            f"| {_pct(a.valid_plan_rate)} | {_pct(b.valid_plan_rate)} | {_pct(a.dag_accuracy)} | {_pct(b.dag_accuracy)} "
            f"| {_f1(a, 'api')} / {_f1(b, 'api')} | {_f1(a, 'params')} / {_f1(b, 'params')} "
            f"| {a.seconds_per_item:.1f} / {b.seconds_per_item:.1f} |"
        )
    reasons = _reasons(found, categories)
    minutes = sum(r.seconds for results in found.values() for r in results) / 60
    state = "" if complete else f" **Partial: {len(categories)} of 7 categories done so far; the run continues.**"
    command = "python benchmarks/fc_eval.py" + ("" if opts.limit == 100 else f" --limit {opts.limit}") + (
        "" if opts.model == "smollm2" else f" --model {opts.model}"
    )
    return "\n".join(
        [
            f"Command: `{command}` (model: {opts.model} through llama.cpp, greedy, 4-bit KV cache; "
            f"Python {sys.version.split()[0]}, 2 cores shared with other jobs; {minutes:.0f} min of planning).{state}",
            "",
            "Items: the first 100 of each BFCL v4 single-turn category and the first 100 easy (one call) plus the first "
            "100 difficult (several calls, some dependent) items of Seal-Tools dev, in benchmarks/data/. One plan per "
            "item with `Agent.aplan` (parsed and checked, no tool run); *free* lets the model write any text, *grammar* "
            "constrains it with the GBNF plan grammar built from the item's tools. Accuracy: BFCL's AST check for BFCL "
            "items, an exact match of calls, arguments and dependencies for Seal-Tools; valid plans: the plan parsed "
            "and passed the tools' schemas; DAG: the plan's dependency graph is the gold one (TinyAgent's metric); "
            "API / param F1: Seal-Tools' pooled metrics; gold: the gold plans through the same pipeline (the ceiling).",
            "",
            *rows,
            "",
            "Failures by reason (free / grammar): " + reasons + ".",
            "",
            "Gold plans that fail (their gold answer contradicts the function's own schema): "
            + (", ".join(r.key for r in gold if not r.passed and r.category in categories) or "none")
            + ".",
        ]
    )


def _reasons(found: dict[str, list[ItemResult]], categories: list[str]) -> str:
    counts = {
        name: summarise(r for r in results if r.category in categories).overall.reasons for name, results in found.items()
    }
    names = sorted(set(counts["free"]) | set(counts["grammar"]), key=lambda r: -(counts["free"][r] + counts["grammar"][r]))
    return ", ".join(f"{r} {counts['free'][r]} / {counts['grammar'][r]}" for r in names) or "none"


def _log(setting: str, total: int):
    seen = 0

    def show(result: ItemResult, skipped: bool) -> None:
        nonlocal seen
        seen += 1
        outcome = "pass" if result.passed else result.reason
        note = " (from results file)" if skipped else ""
        print(f"{time.strftime('%H:%M:%S')} [{setting}] {seen}/{total} {result.key}: {outcome} {result.seconds:.1f}s{note}", flush=True)

    return show


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _f1(scores: Scores, which: str) -> str:
    value = scores.api_f1() if which == "api" else scores.param_f1()
    return "–" if value is None else f"{value['f1']:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100, help="items of each category (default 100, the benchmark)")
    parser.add_argument("--model", default="smollm2", help="smollm2, gemma3 or a GGUF path")
    parser.add_argument("--runs", type=Path, default=RUNS, help="folder of the resumable results files")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True, help="update RESULTS.md")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
