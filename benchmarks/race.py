"""The speed race: agentc vs ReAct vs parallel function calling, same questions,
same backend, same tools.

    python benchmarks/race.py --quick     # scripted backend, one question a workload; prints only
    python benchmarks/race.py             # full run; writes benchmarks/RESULTS.md

Runs are interleaved (agentc, agentc without plan streaming, ReAct,
parallel FC, then the next question), so every agent sees the same machine
load. Per workload and tool latency it reports the median latency, the
latency ratio against ReAct, LLM calls, prompt and completion tokens (from
the `LLMCall` records, counted the same way for every agent), the token-cost
ratio against ReAct, and answer accuracy.

Backends:
- "scripted": `ScriptedLLM` paced like a hosted model (time to first token
  and tokens per second below), whose completions come from oracles
  (`benchmarks/oracles.py`) that read each prompt and write the right plan,
  action or answer in that agent's format; every agent makes the same tool
  calls, so only the orchestration differs.
- "local": the bundled SmolLM2-135M through llama.cpp, with each agent's
  output constrained (plan grammar, action grammar, JSON schema): real
  generation, real mistakes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc.errors import AgentcError  # noqa: E402
from agentc.llm import LLM, ScriptedLLM, count_tokens  # noqa: E402
from agentc.agent import build_agent  # noqa: E402
from agentc.trace import Trace  # noqa: E402
from oracles import SCRIPTS, example_for  # noqa: E402
from pacing import PacedLLM, Pieces, bpe_pieces  # noqa: E402
from results import markdown, show, write_section  # noqa: E402
from workloads import WORKLOADS, Question, Workload, generate_all, is_correct  # noqa: E402

SECTION = "Race: agentc vs ReAct vs parallel function calling"
LABELS = {"2-way": "2-way (HotpotQA-like)", "8-way": "8-way (movie-like)", "parallelqa": "ParallelQA-like"}


@dataclass(frozen=True)
class Contender:
    """One agent in the race: its style (`build_agent` kind) and options."""

    name: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)


CONTENDERS = [
    Contender("agentc", "compiler"),
    Contender("agentc, no streaming", "compiler", {"stream_plan": False}),
    Contender("ReAct", "react", {"max_steps": 15}),
    Contender("parallel FC", "parallel", {"max_turns": 8}),
]
BASELINE = "ReAct"

GOALS = {  # workload: (latency vs ReAct, token cost vs ReAct, latency vs parallel FC or None)
    "2-way": (1.8, 3.4, None),
    "8-way": (3.7, 6.7, None),
    "parallelqa": (2.2, 4.7, 1.35),
}
"""LLMCompiler's ratios (rounded up); parallel FC is compared only where calls depend on each other."""


@dataclass
class Record:
    """One run of one agent on one question."""

    workload: str
    agent: str
    question: str
    seconds: float
    correct: bool
    trace: Trace
    error: str | None = None

    @property
    def llm_calls(self) -> int:
        return len(self.trace.llm_calls)

    @property
    def tokens(self) -> int:
        return self.trace.prompt_tokens + self.trace.completion_tokens

    def llm_seconds(self, role: str | None = None) -> float:
        return sum(
            (c.finished_at or c.started_at) - c.started_at
            for c in self.trace.llm_calls
            if role is None or c.role == role
        )

    def tool_tail(self) -> float:
        """Seconds from the end of the (last) plan to the last tool result: the
        part of the tools' time that planning could not hide."""
        planned = [c.finished_at or 0.0 for c in self.trace.llm_calls if c.role == "planner"]
        ends = [t.finished_at for t in self.trace.tasks if t.finished_at is not None]
        return max(0.0, max(ends, default=0.0) - max(planned, default=0.0))


    def tool_critical_path(self) -> float:
        """The longest chain of dependent tool calls, by their durations."""
        path: dict[int, float] = {}
        for task in self.trace.tasks:
            path[task.idx] = (task.duration or 0.0) + max((path.get(d, 0.0) for d in task.deps), default=0.0)
        return max(path.values(), default=0.0)

    def system_prompt_tokens(self, role: str) -> int:
        """Word pieces of the static (system) prompt of the first call of `role`."""
        call = next((c for c in self.trace.llm_calls if c.role == role), None)
        return count_tokens(call.prompt[0]["content"]) if call is not None else 0


# building the agents


def scripted_backend(ttft: float, tps: float, pieces: Pieces | None) -> Callable[[str, dict[str, Question]], LLM]:
    """A fresh oracle `ScriptedLLM` per run, paced by its own word pieces or,
    given `pieces`, by a BPE tokenizer (`benchmarks/pacing.py` says why)."""

    def make(kind: str, questions: dict[str, Question]) -> LLM:
        script = [SCRIPTS[kind](questions)] * 64
        if pieces is None:
            return ScriptedLLM(script, ttft=ttft, tokens_per_second=tps)
        return PacedLLM(ScriptedLLM(script), pieces, ttft=ttft, tokens_per_second=tps)

    return make


def local_backend(threads: int | None) -> tuple[Callable[[str, dict[str, Question]], LLM], str]:
    from agentc.edge.models import load_local_llm

    llm = load_local_llm("smollm2", n_ctx=4096, n_threads=threads)
    return (lambda kind, questions: llm), llm.model_path.name


def constraints(kind: str, workload: Workload, local: bool) -> dict[str, Any]:
    """On the local model, each agent's output is constrained by its own grammar."""
    if not local:
        return {}
    from agentc.edge.grammar import action_grammar, joiner_grammar, plan_grammar

    if kind == "compiler":
        return {
            "plan_grammar": lambda tools, first_id, max_tasks: plan_grammar(list(tools), max_tasks=10, first_id=first_id),
            "joiner_grammar": joiner_grammar(),
        }
    if kind == "react":
        return {"action_grammar": action_grammar(workload.tools(0.0)), "max_step_tokens": 128}
    return {"max_turn_tokens": 384}


async def run_one(
    contender: Contender, workload: Workload, question: Question, latency: float, llm: LLM, local: bool, timeout: float
) -> Record:
    options = {**contender.options, **constraints(contender.kind, workload, local)}
    example = example_for(contender.kind, workload.example)
    agent = build_agent(contender.kind, llm, workload.tools(latency), examples=[example], **options)
    began = time.perf_counter()
    try:
        result = await asyncio.wait_for(agent.arun(question.text), timeout)
        answer, trace, error = result.answer, result.trace, None
    except AgentcError as exc:
        answer, trace, error = None, exc.trace or Trace(question=question.text), str(exc)
    except TimeoutError:
        answer, trace, error = None, Trace(question=question.text), f"no answer within {timeout:g} s"
    seconds = time.perf_counter() - began
    return Record(workload.name, contender.name, question.id, seconds, is_correct(question, answer), trace, error)


async def race(
    workloads: dict[str, Workload],
    make_llm: Callable[[str, dict[str, Question]], LLM],
    latency: float,
    *,
    local: bool,
    timeout: float,
    progress: Callable[[Record], None],
    contenders: list[Contender] = CONTENDERS,
) -> list[Record]:
    """Every question, every contender in turn (A B C D A B C D ...)."""
    records = []
    for workload in workloads.values():
        by_text = {q.text: q for q in workload.questions}
        for question in workload.questions:
            for contender in contenders:
                record = await run_one(contender, workload, question, latency, make_llm(contender.kind, by_text), local, timeout)
                records.append(record)
                progress(record)
    return records


# summaries


@dataclass
class Row:
    workload: str
    agent: str
    median_s: float
    llm_calls: float
    prompt_tokens: float
    completion_tokens: float
    accuracy: float
    records: list[Record]
    latency_ratio: float = 0.0
    cost_ratio: float = 0.0
    bpe_cost_ratio: float | None = None


def summarise(records: list[Record], bpe: Pieces | None) -> list[Row]:
    rows = []
    for workload in WORKLOADS:
        group = {c.name: [r for r in records if r.workload == workload and r.agent == c.name] for c in CONTENDERS}
        if not group[BASELINE]:
            continue
        for name, runs in group.items():
            if not runs:
                continue
            rows.append(
                Row(
                    workload,
                    name,
                    statistics.median(r.seconds for r in runs),
                    statistics.mean(r.llm_calls for r in runs),
                    statistics.mean(r.trace.prompt_tokens for r in runs),
                    statistics.mean(r.trace.completion_tokens for r in runs),
                    sum(r.correct for r in runs) / len(runs),
                    runs,
                )
            )
        base = next(r for r in rows if r.workload == workload and r.agent == BASELINE)
        base_bpe = _bpe_tokens(base.records, bpe) if bpe else None
        for row in (r for r in rows if r.workload == workload):
            row.latency_ratio = base.median_s / row.median_s
            row.cost_ratio = sum(r.tokens for r in base.records) / max(1, sum(r.tokens for r in row.records))
            if bpe is not None and base_bpe is not None:
                row.bpe_cost_ratio = base_bpe / max(1, _bpe_tokens(row.records, bpe))
    return rows


def _bpe_tokens(records: list[Record], pieces: Pieces) -> int:
    """Prompt and completion tokens recounted with a real BPE tokenizer (message
    texts only, no chat template), as a check on the word-piece estimate."""
    total = 0
    for record in records:
        for call in record.trace.llm_calls:
            total += sum(len(pieces(m["content"])) for m in call.prompt) + len(pieces(call.completion))
    return total


MAIN_HEADERS = [
    "workload", "agent", "median latency (s)", "latency vs ReAct", "LLM calls", "prompt tokens",
    "completion tokens", "token cost vs ReAct", "cost vs ReAct (BPE recount)", "accuracy",
]


def main_rows(rows: list[Row]) -> list[list[str]]:
    return [
        [
            LABELS[r.workload], r.agent, f"{r.median_s:.2f}", f"{r.latency_ratio:.2f}x", f"{r.llm_calls:.1f}",
            f"{r.prompt_tokens:.0f}", f"{r.completion_tokens:.0f}", f"{r.cost_ratio:.2f}x",
            f"{r.bpe_cost_ratio:.2f}x" if r.bpe_cost_ratio is not None else "-", f"{r.accuracy:.0%}",
        ]
        for r in rows
    ]


PHASE_HEADERS = [
    "workload", "agent", "LLM time (s)", "time outside LLM calls (s)", "planner (s)", "tool tail after plan (s)", "joiner (s)",
]


def phase_rows(rows: list[Row]) -> list[list[str]]:
    """Where the time goes (medians): in LLM calls, and waiting outside them."""
    out = []
    for r in rows:
        llm = statistics.median(x.llm_seconds() for x in r.records)
        outside = statistics.median(x.seconds - x.llm_seconds() for x in r.records)
        compiler = r.agent.startswith("agentc")
        planner = f"{statistics.median(x.llm_seconds('planner') for x in r.records):.2f}" if compiler else "-"
        tail = f"{statistics.median(x.tool_tail() for x in r.records):.2f}" if compiler else "-"
        joiner = f"{statistics.median(x.llm_seconds('joiner') for x in r.records):.2f}" if compiler else "-"
        out.append([LABELS[r.workload], r.agent, f"{llm:.2f}", f"{outside:.2f}", planner, tail, joiner])
    return out


@dataclass(frozen=True)
class Check:
    """One goal at one tool latency."""

    workload: str
    what: str
    goal: float
    latency: float
    value: float

    @property
    def met(self) -> bool:
        return self.value >= self.goal


def goal_checks(by_latency: dict[float, list[Row]]) -> list[Check]:
    checks = []
    for workload, (lat_goal, cost_goal, fc_goal) in GOALS.items():
        for latency, rows in by_latency.items():
            named = {r.agent: r for r in rows if r.workload == workload}
            if "agentc" not in named:
                continue
            ours = named["agentc"]
            checks.append(Check(workload, "latency vs ReAct", lat_goal, latency, ours.latency_ratio))
            checks.append(Check(workload, "token cost vs ReAct", cost_goal, latency, ours.cost_ratio))
            if fc_goal is not None:
                versus_fc = named["parallel FC"].median_s / ours.median_s
                checks.append(Check(workload, "latency vs parallel FC", fc_goal, latency, versus_fc))
    return checks


def goal_rows(checks: list[Check], latencies: list[float]) -> list[list[str]]:
    """Each goal, and the measured ratio at each tool latency."""
    out = []
    for workload, what, goal in dict.fromkeys((c.workload, c.what, c.goal) for c in checks):
        cells = []
        for latency in latencies:
            found = [c for c in checks if (c.workload, c.what, c.latency) == (workload, what, latency)]
            cells.append(f"{found[0].value:.2f}x {'met' if found[0].met else 'missed'}" if found else "-")
        out.append([LABELS[workload], what, f">= {goal}x", *cells])
    return out


ABLATION_HEADERS = ["workload", "tools", "streamed (s)", "parsed after completion (s)", "streaming gain"]


def ablation_rows(by_latency: dict[float, list[Row]]) -> list[list[str]]:
    out = []
    for latency, rows in by_latency.items():
        for workload in WORKLOADS:
            named = {r.agent: r for r in rows if r.workload == workload}
            if "agentc" in named:
                on, off = named["agentc"].median_s, named["agentc, no streaming"].median_s
                out.append([LABELS[workload], f"{latency:g} s", f"{on:.2f}", f"{off:.2f}", f"{off / on:.2f}x"])
    return out


def explain(checks: list[Check], by_latency: dict[float, list[Row]]) -> str:
    """Why each missed goal was missed, from the traces, and what would close it."""
    missed = [c for c in checks if not c.met]
    lines = ["### Why goals are missed, and what would close them", ""]
    if not missed:
        return "\n".join(lines + ["Every goal was met at every tool latency."])
    first = {r.agent: r.records[0] for r in next(iter(by_latency.values())) if r.workload == "8-way"}
    if {"agentc", "ReAct", "parallel FC"} <= set(first):
        lines += [
            "Static prompts (word pieces, 8-way): agentc planner "
            f"{first['agentc'].system_prompt_tokens('planner')} and joiner {first['agentc'].system_prompt_tokens('joiner')} "
            "(the joiner's user message adds the plan and every observation), ReAct "
            f"{first['ReAct'].system_prompt_tokens('react')} (re-sent every step with the growing scratchpad), "
            f"parallel FC {first['parallel FC'].system_prompt_tokens('parallel_fc')}; each holds the tool list and "
            "one worked example.",
            "",
        ]
    for what in dict.fromkeys(c.what for c in missed):
        group = [c for c in missed if c.what == what]
        if what == "token cost vs ReAct":  # tokens do not depend on tool latency: one line a workload
            group = list({c.workload: c for c in reversed(group)}.values())[::-1]
        lines.append(f"**{what[0].upper()}{what[1:]}**, missed on:")
        for check in group:
            named = {r.agent: r for r in by_latency[check.latency] if r.workload == check.workload}
            where = "" if what == "token cost vs ReAct" else f", tools {check.latency:g} s"
            lines.append(
                f"- {LABELS[check.workload]}{where}: {check.value:.2f}x (goal {check.goal}x). " + _breakdown(what, named)
            )
        lines += ["", _remedy(what), ""]
    return "\n".join(lines).rstrip()


def _median(values: Any) -> float:
    return statistics.median(list(values))


def _breakdown(what: str, named: dict[str, Row]) -> str:
    """The trace behind one missed ratio, and the ratio without the joiner call."""
    ours, react, fc = named["agentc"], named["ReAct"], named["parallel FC"]
    if what == "token cost vs ReAct":
        react_tokens = sum(r.tokens for r in react.records)
        joiner = sum(c.prompt_tokens + c.completion_tokens for r in ours.records for c in r.trace.llm_calls if c.role == "joiner")
        ours_tokens = sum(r.tokens for r in ours.records)
        scratch = _median(r.trace.llm_calls[-1].prompt_tokens - r.trace.llm_calls[0].prompt_tokens for r in react.records)
        n = len(ours.records)
        return (
            f"ReAct {react_tokens / n:.0f} tokens a question over {react.llm_calls:.1f} calls (its prompt grows by "
            f"{scratch:.0f} tokens of scratchpad by the last step); agentc {ours_tokens / n:.0f} over 2 calls, "
            f"{joiner / n:.0f} of them the joiner's (without the joiner call: {react_tokens / (ours_tokens - joiner):.2f}x)."
        )
    without_joiner = _median(r.seconds - r.llm_seconds("joiner") for r in ours.records)
    agentc = (
        f"agentc {ours.median_s:.2f} s = planner {_median(r.llm_seconds('planner') for r in ours.records):.2f} s "
        f"+ tools after the plan {_median(r.tool_tail() for r in ours.records):.2f} s (tool critical path "
        f"{_median(r.tool_critical_path() for r in ours.records):.2f} s) + joiner "
        f"{_median(r.llm_seconds('joiner') for r in ours.records):.2f} s"
    )
    if what == "latency vs parallel FC":
        return (
            f"{agentc}; parallel FC {fc.median_s:.2f} s over {fc.llm_calls:.1f} turns "
            f"({_median(r.llm_seconds() for r in fc.records):.2f} s in LLM calls, "
            f"{_median(r.seconds - r.llm_seconds() for r in fc.records):.2f} s waiting on tools); "
            f"without the joiner call: {fc.median_s / without_joiner:.2f}x."
        )
    return (
        f"{agentc}; ReAct {react.median_s:.2f} s = {react.llm_calls:.1f} LLM calls "
        f"({_median(r.llm_seconds() for r in react.records):.2f} s) + tools one after another "
        f"({_median(r.seconds - r.llm_seconds() for r in react.records):.2f} s); "
        f"without the joiner call: {react.median_s / without_joiner:.2f}x."
    )


def _remedy(what: str) -> str:
    if what == "latency vs ReAct":
        return (
            "Why: on pick questions (2-way, 8-way) agentc pays two LLM calls, the planner and the joiner that "
            "compares the results; ReAct pays one per tool call plus one. With fast tools the ratio is bounded by "
            "those calls (3 against 2 on 2-way); it grows with tool latency, which ReAct pays in series while "
            "agentc hides most of it behind the streamed plan. On 8-way the planner's eight lines take most of "
            "agentc's time: writing them is a floor no orchestration removes. ParallelQA-like plans end with "
            "`join($N)` (the last calculation is the answer), so they make no joiner call. What would close the "
            "rest: a joiner that answers without a Thought line, shorter plan lines on wide fan-outs, and a "
            "ReAct that wanders (ours is an oracle that never takes a wasted step)."
        )
    if what == "token cost vs ReAct":
        return (
            "Why: ReAct's cost is its static prompt plus the growing scratchpad, times its calls; agentc's is one "
            "planner prompt plus, on pick questions, one joiner prompt that repeats the plan and every "
            "observation. With lean prompts and one short example each, the ratio is about ReAct's call count "
            "times its prompt over agentc's prompts: 3 calls against 2 cannot reach 3.4x on 2-way. LLMCompiler's "
            "ReAct re-sent several worked trajectories on every step; we do not pad ours. What would close it: "
            "observations cut to the lines that answer before the joiner reads them."
        )
    return (
        "Why: parallel FC pays one turn per link of the dependency chain plus its answer; agentc one planner "
        "call, plus a joiner call only when no task's result is the answer."
    )


def failures(rows: list[Row]) -> str:
    """How the runs that gave no answer ended, by agent: the error each raised."""
    ended = [(r.agent, x.workload, x.error) for r in rows for x in r.records if x.error]
    if not ended:
        return "Every run ended with an answer (right or wrong)."
    lines = ["Runs that ended without an answer:"]
    for agent, workload, error in ended:
        lines.append(f"- {agent} on {LABELS[workload]}: {' '.join(error.split())[:220]}")
    return "\n".join(lines)


# the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scripted backend, one question a workload, 0.2 s tools; print only")
    parser.add_argument("--questions", type=int, default=5, help="questions per workload (full run)")
    parser.add_argument("--latencies", default="0,0.2,1", help="tool latencies in seconds, comma-separated (full run)")
    parser.add_argument("--ttft", type=float, default=0.4, help="scripted time to first token, s")
    parser.add_argument("--tps", type=float, default=60.0, help="scripted tokens per second")
    parser.add_argument(
        "--pacing", choices=["bpe", "words"], default="bpe", help="pace scripted tokens by SmolLM2's BPE or by word pieces"
    )
    parser.add_argument("--seed", type=int, default=7)
    on_in_full = argparse.BooleanOptionalAction
    parser.add_argument("--local", action=on_in_full, default=None, help="also race the bundled SmolLM2 (default: full run)")
    parser.add_argument("--local-questions", type=int, default=2)
    parser.add_argument("--local-latency", type=float, default=0.2)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads for the local model")
    parser.add_argument("--write", action=on_in_full, default=None, help="write RESULTS.md (default: full run)")
    opts = parser.parse_args()
    console = Console(width=200)
    count = 1 if opts.quick else opts.questions
    latencies = [0.2] if opts.quick else [float(x) for x in opts.latencies.split(",")]
    run_local = (not opts.quick) if opts.local is None else opts.local
    write = (not opts.quick) if opts.write is None else opts.write
    workloads = generate_all(count, opts.seed)
    try:
        bpe: Pieces | None = bpe_pieces()
    except AgentcError as exc:
        console.print(f"[yellow]no BPE tokenizer ({exc}); pacing by word pieces, no BPE recount[/]")
        bpe = None
    pacing = bpe if opts.pacing == "bpe" else None
    opts.pacing = "bpe" if pacing is not None else "words"
    started = time.perf_counter()

    def progress(record: Record) -> None:
        mark = "ok" if record.correct else f"WRONG{f' ({record.error[:90]})' if record.error else ''}"
        console.print(f"[dim]{record.workload:>10} {record.question:>14} {record.agent:<22} {record.seconds:6.2f} s  {mark}[/]")

    scripted: dict[float, list[Row]] = {}
    for latency in latencies:
        console.print(f"[bold]scripted backend (ttft {opts.ttft:g} s, {opts.tps:g} {opts.pacing} tokens/s), tools {latency:g} s[/]")
        backend = scripted_backend(opts.ttft, opts.tps, pacing)
        records = asyncio.run(race(workloads, backend, latency, local=False, timeout=120, progress=progress))
        scripted[latency] = summarise(records, bpe)
        show(console, f"scripted, tool latency {latency:g} s", MAIN_HEADERS, main_rows(scripted[latency]))

    local_rows: list[Row] = []
    local_note = "not run (pass --local)"
    if run_local:
        try:
            make_local, model_name = local_backend(opts.threads)
        except AgentcError as exc:
            local_note = f"not run: {exc}"
        else:
            local_workloads = generate_all(opts.local_questions, opts.seed)
            console.print(f"[bold]local backend ({model_name}), tools {opts.local_latency:g} s[/]")
            streamed_only = [c for c in CONTENDERS if c.options.get("stream_plan", True)]
            records = asyncio.run(
                race(
                    local_workloads, make_local, opts.local_latency,
                    local=True, timeout=600, progress=progress, contenders=streamed_only,
                )
            )
            local_rows = summarise(records, bpe)
            local_note = f"{model_name}, {opts.local_questions} questions a workload, tools {opts.local_latency:g} s"
            show(console, f"local model, tool latency {opts.local_latency:g} s", MAIN_HEADERS, main_rows(local_rows))

    checks = goal_checks(scripted)
    goals = goal_rows(checks, list(scripted))
    show(console, "goals (agentc, scripted backend)", ["workload", "ratio", "goal", *[f"tools {x:g} s" for x in scripted]], goals)
    console.print(explain(checks, scripted))
    show(console, "streaming ablation (agentc median latency)", ABLATION_HEADERS, ablation_rows(scripted))
    for latency, rows in scripted.items():
        show(console, f"where the time goes, tools {latency:g} s", PHASE_HEADERS, phase_rows(rows))

    if write:
        body = report(opts, count, scripted, local_rows, local_note, goals, bpe is not None, time.perf_counter() - started)
        write_section(SECTION, body + "\n\n" + explain(checks, scripted))
        console.print("updated benchmarks/RESULTS.md")
    shown = 0.2 if 0.2 in scripted else latencies[-1]
    headline = next(r for r in scripted[shown] if r.workload == "8-way" and r.agent == "agentc")
    console.print(f"[dim]headline: scripted backend, tools {shown:g} s[/]")
    print(f"8-way latency vs ReAct: {headline.latency_ratio:.2f}x")


def report(
    opts: argparse.Namespace,
    count: int,
    scripted: dict[float, list[Row]],
    local_rows: list[Row],
    local_note: str,
    goals: list[list[str]],
    bpe: bool,
    elapsed: float,
) -> str:
    command = shlex.join(["python", "benchmarks/race.py", *sys.argv[1:]])
    parts = [
        f"Command: `{command}` (seed {opts.seed}; {count} questions a workload; Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; the run took {elapsed / 60:.0f} min).",
        "Every question is run by each agent in turn (agentc, agentc without plan streaming, ReAct, parallel FC), "
        "on the same backend with the same `search` and `math` tools (`benchmarks/workloads.py`; each tool call "
        "sleeps for the tool latency shown). Latency is the median wall time of a run; the ratios are ReAct's "
        "median latency or total tokens (prompt + completion, from the `LLMCall` records, counted the same way "
        "for every agent) divided by the agent's. Each agent gets one worked example in its own format, of the "
        "same example question. "
        + (f"Completions are paced by {'SmolLM2' if opts.pacing == 'bpe' else 'ScriptedLLM'}'s tokens "
           "(`benchmarks/pacing.py` says why a real tokenizer: word pieces would make JSON turns look slower to write). ")
        + ("The BPE column recounts every prompt and completion with SmolLM2's tokenizer, as a check on the "
           "backend's word-piece count (which counts each JSON bracket and quote as a token)." if bpe else ""),
        f"### Scripted backend (time to first token {opts.ttft:g} s, {opts.tps:g} tokens/s)",
        "An oracle writes each agent's completions from what is in its prompt (`benchmarks/oracles.py`): all "
        "three agents make the same tool calls, the question's canonical solution, so only the orchestration "
        "differs. Thoughts are one short sentence where the format asks for one.",
    ]
    for latency, rows in scripted.items():
        parts += [f"Tool latency {latency:g} s:", markdown(MAIN_HEADERS, main_rows(rows))]
    parts += [
        "Goals (agentc against the baselines, same run):",
        markdown(["workload", "ratio", "goal", *[f"tools {x:g} s" for x in scripted]], goals),
        "Streaming ablation: agentc with the plan streamed into the scheduler, against the plan parsed only "
        "after the planner's completion ended (`Agent(stream_plan=False)`):",
        markdown(ABLATION_HEADERS, ablation_rows(scripted)),
        "Where the time goes (medians; for agentc the planner and joiner calls, and the tools' time left after "
        "the plan ended):",
    ]
    for latency, rows in scripted.items():
        parts += [f"Tool latency {latency:g} s:", markdown(PHASE_HEADERS, phase_rows(rows))]
    parts.append(f"### Local model ({local_note})")
    if local_rows:
        parts += [
            "Real generation with each agent's output constrained (plan and joiner grammars, the ReAct action "
            "grammar, the JSON schema of a parallel-FC turn). A 135M model is far from an oracle: accuracy shows "
            "what it gets right, latency includes its mistakes (failed runs count at the time they took). "
            "The no-streaming ablation is left out here to keep the run short.",
            markdown(MAIN_HEADERS, main_rows(local_rows)),
            markdown(PHASE_HEADERS, phase_rows(local_rows)),
            failures(local_rows),
        ]
    return "\n\n".join(parts)


if __name__ == "__main__":
    main()
