"""Web agent benchmark: Plan-and-Act vs the executor-only baseline, on our
sites and on MiniWoB++, plus environment speed and runner throughput.

    python benchmarks/web.py            # full run; writes the "Web agent" section of benchmarks/RESULTS.md
    python benchmarks/web.py --quick    # a few tasks each, prints only

What it measures, all through the web evaluation (`agentc.evals.web`),
the same code `agentc eval web` runs:

- success rate of Plan-and-Act and of the executor-only baseline driven by
  (a) the scripted oracle planner: `ScriptedLLM` fed each task's oracle
  trajectory as plan, executor and replanner outputs, which shows the
  orchestration (plans, replans, guards, evaluators) carries a right answer
  through; (b) the bundled SmolLM2-135M through llama.cpp with the GBNF
  grammars, on a subset (the first tasks of each site) and with a step cap,
  as a 135M model takes seconds per call;
- MiniWoB++ likewise, on the tasks that have scripted solutions;
- seconds per environment step (a browser action plus the observation after
  it), from the oracle runs;
- tasks per minute with 1, 2 and 4 local workers (oracle agent; each worker
  has its own sites and browser).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import write_section  # noqa: E402

from agentc.backends import SCRIPTED, BackendOptions  # noqa: E402
from agentc.envs.web.miniwob import miniwob_tasks  # noqa: E402
from agentc.envs.web.tasks import default_tasks_path, load_tasks  # noqa: E402
from agentc.evals.web.items import deferred_url_map, miniwob_items, task_items  # noqa: E402
from agentc.evals.web.options import WebEvalOptions  # noqa: E402
from agentc.evals.web.outcome import TaskOutcome, WorkItem  # noqa: E402
from agentc.evals.web.worker import run_local  # noqa: E402


def first_per_site(items: Sequence[WorkItem], per_site: int) -> list[WorkItem]:
    """The first `per_site` items of each site, in task order."""
    seen: dict[str, int] = {}
    chosen = []
    for item in items:
        if seen.get(item.site, 0) < per_site:
            seen[item.site] = seen.get(item.site, 0) + 1
            chosen.append(item)
    return chosen


def rate(outcomes: Sequence[TaskOutcome]) -> float:
    return sum(o.result.passed for o in outcomes) / len(outcomes) if outcomes else 0.0


def step_seconds(outcomes: Sequence[TaskOutcome]) -> float:
    steps = sum(o.result.steps for o in outcomes)
    return sum(o.result.env_seconds for o in outcomes) / steps if steps else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def run(items: Sequence[WorkItem], options: WebEvalOptions, workers: int, label: str) -> tuple[list[TaskOutcome], float]:
    began = time.perf_counter()
    outcomes = asyncio.run(run_local(items, options, workers=workers))
    seconds = time.perf_counter() - began
    errors = [o.result for o in outcomes if o.result.error]
    print(f"{label}: {rate(outcomes):.1%} of {len(outcomes)} in {seconds:.1f} s" + (f", {len(errors)} error(s)" if errors else ""))
    for result in errors[:3]:
        print(f"  {result.key}: {result.error}")
    return outcomes, seconds


def agent_row(label: str, agent: str, outcomes: Sequence[TaskOutcome]) -> str:
    stops: dict[str, int] = {}
    for o in outcomes:
        stops[o.result.stop_reason or "error"] = stops.get(o.result.stop_reason or "error", 0) + 1
    stop_text = ", ".join(f"{k} {v}" for k, v in sorted(stops.items()))
    return (
        f"| {label} | {agent} | {len(outcomes)} | {rate(outcomes):.1%} | {mean([o.result.steps for o in outcomes]):.1f} | "
        f"{mean([o.result.llm_calls for o in outcomes]):.1f} | {mean([o.result.replans for o in outcomes]):.1f} | "
        f"{mean([o.result.seconds for o in outcomes]):.1f} | {stop_text} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few tasks each; print only")
    parser.add_argument("--model", default="smollm2", help="the bundled model for the LLM rows")
    parser.add_argument("--model-per-site", type=int, default=2, help="tasks per site for the bundled model")
    parser.add_argument("--model-miniwob", type=int, default=5, help="MiniWoB++ tasks for the bundled model")
    parser.add_argument("--model-max-steps", type=int, default=5, help="step cap for the bundled model")
    parser.add_argument("--workers", default="1,2,4", help="worker counts for the throughput rows")
    opts = parser.parse_args()

    web = task_items(load_tasks(default_tasks_path(), deferred_url_map()))
    if opts.quick:
        web = first_per_site(web, 2)
    miniwob = miniwob_items(miniwob_tasks())
    oracle = WebEvalOptions(agent="oracle")

    # throughput and environment speed: the oracle agent
    throughput = []
    oracle_web: list[TaskOutcome] = []
    for workers in [int(w) for w in opts.workers.split(",")]:
        outcomes, seconds = run(web, oracle, workers, f"oracle, {workers} worker(s)")
        throughput.append((workers, len(outcomes), seconds, 60 * len(outcomes) / seconds, rate(outcomes), step_seconds(outcomes)))
        oracle_web = oracle_web or outcomes
    oracle_miniwob, _ = run(miniwob, oracle, 1, "oracle, MiniWoB++")
    solvable = [item for item, o in zip(miniwob, oracle_miniwob) if o.result.error is None]

    rows: list[str] = [agent_row("oracle replay", "oracle", oracle_web)]
    miniwob_rows: list[str] = [agent_row("oracle replay", "oracle", [o for o in oracle_miniwob if o.result.error is None])]
    for agent in ("plan-and-act", "executor"):
        scripted = WebEvalOptions(agent=agent, backend=BackendOptions(model=SCRIPTED))  # type: ignore[arg-type]
        outcomes, _ = run(web, scripted, 2, f"{agent}, scripted oracle planner")
        rows.append(agent_row("scripted oracle planner", agent, outcomes))
        outcomes, _ = run(solvable, scripted, 1, f"{agent}, scripted oracle planner, MiniWoB++")
        miniwob_rows.append(agent_row("scripted oracle planner", agent, outcomes))

    model_web = first_per_site(web, 1 if opts.quick else opts.model_per_site)
    model_miniwob = solvable[: 2 if opts.quick else opts.model_miniwob]
    for agent in ("plan-and-act", "executor"):
        local = WebEvalOptions(  # type: ignore[arg-type]
            agent=agent, backend=BackendOptions(model=opts.model), max_steps=opts.model_max_steps, plan_tokens=160
        )
        outcomes, _ = run(model_web, local, 1, f"{agent}, {opts.model}")
        rows.append(agent_row(f"{opts.model} (bundled), {len(model_web)}-task subset", agent, outcomes))
        outcomes, _ = run(model_miniwob, replace(local, max_steps=4), 1, f"{agent}, {opts.model}, MiniWoB++")
        miniwob_rows.append(agent_row(f"{opts.model} (bundled)", agent, outcomes))

    header = "| LLM | agent | tasks | success | steps/task | LLM calls/task | replans/task | s/task | stop reasons |\n|---|---|---|---|---|---|---|---|---|"
    body = "\n".join(
        [
            f"`python benchmarks/web.py` on {platform.machine()} with {_cores()} cores, headless Chromium "
            f"(`/usr/bin/chromium`), our sites on 127.0.0.1 (seed 0). Every row runs through the eval runner.",
            "",
            f"### Our task set ({len(web)} tasks: shop, forum, admin)",
            "",
            header,
            *rows,
            "",
            f"Bundled-model rows: the first {opts.model_per_site} task(s) of each site ({len(model_web)} tasks; "
            f"task ids {', '.join(i.key for i in model_web)}), at most {opts.model_max_steps} actions each, "
            "GBNF grammars on, plans capped at 160 tokens.",
            "",
            f"### MiniWoB++ ({len(solvable)} tasks with scripted solutions, seed 0)",
            "",
            header,
            *miniwob_rows,
            "",
            f"Bundled-model rows: {', '.join(i.miniwob or '' for i in model_miniwob)}; at most 4 actions each.",
            "",
            "### Environment and runner speed (oracle agent, our task set)",
            "",
            "| workers | tasks | seconds | tasks/min | success | s per env step |\n|---|---|---|---|---|---|",
            *[f"| {w} | {n} | {s:.1f} | {tpm:.1f} | {r:.1%} | {step:.3f} |" for w, n, s, tpm, r, step in throughput],
            "",
            "A step is one browser action plus the observation after it (cleaned page text with ids and the ARIA "
            "snapshot). Each worker runs its own sites and Chromium; the scaling is bounded by the machine's cores.",
        ]
    )
    print(body)
    if not opts.quick:
        write_section("Web agent", body)
        print("wrote the Web agent section of benchmarks/RESULTS.md")


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
