"""The edge path, measured side by side: 4-bit KV cache, grammar-constrained
plans, prefix reuse, and which bundled model should be the default.

    python benchmarks/edge.py            # full run, updates RESULTS.md
    python benchmarks/edge.py --quick    # small sizes, prints only

Three parts, each in one run:

- KV cache: bytes and speed of the f16 and q4_0 (4-bit) caches at 2k and 8k
  context. The prompt fills three quarters of the context, so attention reads
  a long cache; prompt processing and generation are timed apart. The two
  cache types alternate, and each figure is the median of the repeats.
- Plan validity: the first 50 BFCL `parallel` and the first 50
  `parallel_multiple` questions (benchmarks/data/bfcl), planned once each
  with `Agent.aplan`, with and without the GBNF plan grammar; valid means the
  plan parsed and passed the tools' schemas. BFCL's AST check gives the
  accuracy. Both bundled models are scored; this is what picks the default.
- Prefix reuse: for several toolsets, a fresh model plans one question, then
  another question over the same tools. The planner prompt puts the rules and
  tools first and the question last, so the second call only processes the
  question. Time to the first token is compared (the prompt-processing time
  plus one token), without a grammar, so grammar compilation is not counted.

Plan results go to resumable JSONL files under .agentc-cache/edge/.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc import Agent  # noqa: E402
from agentc.evals.items import EvalItem  # noqa: E402
from agentc.evals.loaders import load_items  # noqa: E402
from agentc.evals.results import ItemResult  # noqa: E402
from agentc.evals.runner import EvalOptions, evaluate  # noqa: E402
from agentc.evals.summary import summarise  # noqa: E402
from agentc.llm import Message  # noqa: E402
from agentc.tools.schema import tool_from_schema  # noqa: E402
from results import write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
RUNS = HERE.parent / ".agentc-cache" / "edge"
SECTION = "Edge: KV cache, plan grammar, prefix reuse, default model"
FREE_TOKENS = 384
"""Without a grammar a small model loops until the cap: it has to be short."""
GRAMMAR_TOKENS = 2048
"""The grammar bounds a plan itself (8 calls of bounded arguments); the cap
only has to let its longest plans finish, or a cut-off plan counts as invalid."""
FILLER = (
    "The river town kept its records in a long ledger: the dates of floods, the price of grain, the names of "
    "the ferrymen and the boats they sailed, the weddings and the fairs. "
)


# KV cache


@dataclass
class KVRun:
    kv: str
    n_ctx: int
    cache_bytes: int
    prompt_tokens: int
    prompt_seconds: float
    generated: int
    generate_seconds: float

    @property
    def prompt_rate(self) -> float:
        return self.prompt_tokens / self.prompt_seconds

    @property
    def generate_rate(self) -> float:
        return (self.generated - 1) / self.generate_seconds if self.generated > 1 else 0.0


async def kv_run(model: str, kv: str, n_ctx: int, new_tokens: int) -> KVRun:
    """Load the model with this cache, fill 3/4 of the context, generate."""
    from agentc.edge.models import load_local_llm

    llm = load_local_llm(model, n_ctx=n_ctx, kv_cache=kv)
    try:
        per_sentence = len(llm.llama.tokenize(FILLER.encode()))
        text = FILLER * max(1, (3 * n_ctx // 4) // per_sentence)
        messages = [Message("user", text + "\nContinue the ledger with the next entries.")]
        start = time.perf_counter()
        first: float | None = None
        usage = None
        async for chunk in llm.stream(messages, max_tokens=new_tokens):
            if chunk.text and first is None:
                first = time.perf_counter()
            usage = chunk.usage or usage
        end = time.perf_counter()
        assert usage is not None and first is not None
        return KVRun(kv, n_ctx, llm.kv_cache_bytes, usage.prompt_tokens, first - start, usage.completion_tokens, end - first)
    finally:
        llm.close()


async def kv_part(model: str, contexts: Sequence[int], repeats: int, new_tokens: int) -> list[list[KVRun]]:
    """For each context and cache type, the runs of every repeat (types alternating)."""
    groups: list[list[KVRun]] = []
    for n_ctx in contexts:
        runs: dict[str, list[KVRun]] = {"f16": [], "q4_0": []}
        for r in range(repeats):
            for kv in ("f16", "q4_0") if r % 2 == 0 else ("q4_0", "f16"):
                run = await kv_run(model, kv, n_ctx, new_tokens)
                runs[kv].append(run)
                print(
                    f"kv {kv:5} n_ctx {n_ctx}: {run.cache_bytes / 2**20:.2f} MiB, prompt {run.prompt_rate:.0f} tok/s, "
                    f"generation {run.generate_rate:.1f} tok/s",
                    flush=True,
                )
        groups += [runs["f16"], runs["q4_0"]]
    return groups


def kv_table(groups: list[list[KVRun]]) -> list[str]:
    rows = [
        "| context | KV cache | cache size (MiB) | prompt tokens | prompt processing (tok/s) | generation (tok/s) |",
        "|---|---|---|---|---|---|",
    ]
    for runs in groups:
        first = runs[0]
        rows.append(
            f"| {first.n_ctx} | {first.kv} | {first.cache_bytes / 2**20:.2f} | {first.prompt_tokens} "
            f"| {statistics.median(r.prompt_rate for r in runs):.0f} | {statistics.median(r.generate_rate for r in runs):.1f} |"
        )
    by = {(g[0].n_ctx, g[0].kv): g for g in groups}
    for n_ctx in dict.fromkeys(g[0].n_ctx for g in groups):
        f16, q4 = by[(n_ctx, "f16")], by[(n_ctx, "q4_0")]
        rows.append(
            f"| {n_ctx} | q4_0 / f16 | {q4[0].cache_bytes / f16[0].cache_bytes:.2f}x | | "
            f"{statistics.median(r.prompt_rate for r in q4) / statistics.median(r.prompt_rate for r in f16):.2f}x "
            f"| {statistics.median(r.generate_rate for r in q4) / statistics.median(r.generate_rate for r in f16):.2f}x |"
        )
    return rows


# plan validity and accuracy


def bfcl_items(per_category: int) -> list[EvalItem]:
    items = load_items(HERE / "data" / "bfcl", ("parallel", "parallel_multiple"))
    return [i for c in ("parallel", "parallel_multiple") for i in [x for x in items if x.category == c][:per_category]]


async def validity_part(models: Sequence[tuple[str, bool]], per_category: int) -> dict[tuple[str, bool], list[ItemResult]]:
    """Each (model, grammar) setting over the same items; the models load one at a time."""
    from agentc.edge.models import load_local_llm

    items = bfcl_items(per_category)
    found: dict[tuple[str, bool], list[ItemResult]] = {}
    RUNS.mkdir(parents=True, exist_ok=True)
    for model in dict.fromkeys(m for m, _ in models):
        llm = load_local_llm(model, n_ctx=4096)
        try:
            for grammar in [g for m, g in models if m == model]:
                name = "grammar" if grammar else "free"
                store = RUNS / f"{model}-{name}-{per_category}.jsonl"
                seen = 0

                def show(result: ItemResult, skipped: bool, label: str = f"{model} {name}") -> None:
                    nonlocal seen
                    seen += 1
                    outcome = "pass" if result.passed else result.reason
                    print(f"{label} {seen}/{len(items)} {result.key}: {outcome} {result.seconds:.1f}s", flush=True)

                options = EvalOptions(grammar=grammar, max_tokens=GRAMMAR_TOKENS if grammar else FREE_TOKENS)
                found[(model, grammar)] = await evaluate(
                    items, llm, options, llm_label=model, results=store, on_item=show, max_llm_errors=1
                )
        finally:
            llm.close()
    return found


def validity_table(found: dict[tuple[str, bool], list[ItemResult]]) -> list[str]:
    rows = [
        "| model | grammar | n | valid plans | accuracy (BFCL AST) | DAG match | s/item | why the invalid plans failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (model, grammar), results in found.items():
        scores = summarise(results).overall
        invalid = [r for r in results if not r.valid_plan]
        why = "; ".join(sorted({_short(r.detail) for r in invalid})[:3]) or "–"
        rows.append(
            f"| {model} | {'yes' if grammar else 'no'} | {scores.n} | {100 * scores.valid_plan_rate:.0f}% "
            f"| {100 * scores.accuracy:.0f}% | {100 * scores.dag_accuracy:.0f}% | {scores.seconds_per_item:.1f} | {why} |"
        )
    return rows


def _short(text: str, limit: int = 90) -> str:
    line = " ".join(text.split()).replace("|", "/")
    return line if len(line) <= limit else line[: limit - 1] + "…"


# prefix reuse


@dataclass
class PrefixRun:
    toolset: str
    prompt_tokens: int
    first_seconds: float
    second_seconds: float

    @property
    def speedup(self) -> float:
        return self.first_seconds / self.second_seconds


def toolsets(folder: Path) -> dict[str, tuple[list[Any], tuple[str, str]]]:
    """Toolsets with two questions each: the demo tools, two BFCL tool lists."""
    from agentc.tools.builtin import demo_tools

    (folder / "notes.txt").write_text("The ferry leaves at nine. The market opens on Tuesdays.\n", encoding="utf-8")
    sets: dict[str, tuple[list[Any], tuple[str, str]]] = {
        "demo (calculate, convert_units, search_documents)": (
            demo_tools([folder]),
            ("How many kilometres is 26.2 miles?", "What is 17% of 2400, and when does the ferry leave?"),
        )
    }
    items = load_items(HERE / "data" / "bfcl", ("parallel_multiple",))
    wide = [i for i in items if len(i.functions) >= 3][:4]
    for first, second in ((wide[0], wide[1]), (wide[2], wide[3])):
        tools = [tool_from_schema(f) for f in first.functions]
        names = ", ".join(t.name for t in tools)
        sets[f"BFCL {first.id} ({names})"] = (tools, (first.question, second.question))
    return sets


async def prefix_part(model: str, repeats: int) -> list[PrefixRun]:
    """Per toolset and repeat: a fresh model plans question 1, then question 2."""
    from agentc.edge.models import load_local_llm

    runs: list[PrefixRun] = []
    with tempfile.TemporaryDirectory(prefix="agentc-edge-") as scratch:
        for name, (tools, (q1, q2)) in toolsets(Path(scratch)).items():
            for _ in range(repeats):
                llm = load_local_llm(model, n_ctx=4096)
                try:
                    agent = Agent(llm, tools, max_plan_tokens=48)
                    first = (await agent.aplan(q1)).trace.llm_calls[0]
                    second = (await agent.aplan(q2)).trace.llm_calls[0]
                    prompt = llm.render_prompt([Message(**m) for m in first.prompt])
                    tokens = len(llm.llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))
                finally:
                    llm.close()
                run = PrefixRun(name, tokens, _ttft(first), _ttft(second))
                runs.append(run)
                print(
                    f"prefix {name[:40]}: {run.prompt_tokens} tokens, first {run.first_seconds:.3f} s, "
                    f"second {run.second_seconds:.3f} s ({run.speedup:.1f}x)",
                    flush=True,
                )
    return runs


def _ttft(call: Any) -> float:
    return (call.first_token_at or call.finished_at) - call.started_at


def prefix_table(runs: list[PrefixRun]) -> list[str]:
    rows = [
        "| toolset | prompt tokens (first question) | first run, time to first token (s) | second run (s) | speed-up |",
        "|---|---|---|---|---|",
    ]
    for name in dict.fromkeys(r.toolset for r in runs):
        group = [r for r in runs if r.toolset == name]
        first = statistics.median(r.first_seconds for r in group)
        second = statistics.median(r.second_seconds for r in group)
        rows.append(f"| {name} | {group[0].prompt_tokens} | {first:.3f} | {second:.3f} | {first / second:.1f}x |")
    return rows


# the section


def default_choice(found: dict[tuple[str, bool], list[ItemResult]]) -> str:
    """Which model the figures favour, with the grammar on (how the default runs)."""
    scored = {m: summarise(r).overall for (m, g), r in found.items() if g}
    if len(scored) < 2:
        return "Only one model was scored; no default chosen by this run."
    best = max(scored, key=lambda m: (scored[m].valid_plan_rate, scored[m].accuracy, -scored[m].seconds_per_item))
    parts = ", ".join(
        f"{m} {100 * s.valid_plan_rate:.0f}% valid, {100 * s.accuracy:.0f}% accurate, {s.seconds_per_item:.1f} s/item"
        for m, s in scored.items()
    )
    return f"With the grammar: {parts}. Best on validity, then accuracy, then speed: **{best}**."


async def main_async(opts: argparse.Namespace) -> None:
    started = time.perf_counter()
    contexts = (2048, 8192) if not opts.quick else (2048,)
    settings = [("smollm2", False), ("smollm2", True), ("gemma3", True)]
    if opts.gemma_free:
        settings.insert(2, ("gemma3", False))
    # plans first: their results are kept (resumable), so a run that only wants
    # them can fill the cache while timings are taken later on a quiet machine
    found = await validity_part(settings, 2 if opts.quick else opts.per_category)
    if opts.plans_only:
        print("\n".join(validity_table(found)))
        return
    kv = await kv_part(opts.kv_model, contexts, 1 if opts.quick else opts.repeats, 16 if opts.quick else 64)
    prefix = await prefix_part(opts.kv_model, 1 if opts.quick else opts.repeats)
    minutes = (time.perf_counter() - started) / 60
    body = "\n".join(
        [
            f"Command: `python benchmarks/edge.py` (llama-cpp-python, {opts.repeats} repeats, Python "
            f"{sys.version.split()[0]}, 2 cores shared with other jobs; the run took {minutes:.0f} min).",
            "",
            f"### KV cache: f16 against q4_0 ({opts.kv_model})",
            "",
            "The prompt fills three quarters of the context; generation is 64 new tokens; medians of the repeats, "
            "the two cache types alternating.",
            "",
            *kv_table(kv),
            "",
            f"### Prefix reuse: the second of two runs with the same toolset ({opts.kv_model}, q4_0 cache)",
            "",
            "A fresh model plans one question, then another over the same tools. Time to the first token is the "
            "prompt processing plus one token; no grammar. Goal: the second run at least 3x faster.",
            "",
            *prefix_table(prefix),
            "",
            f"### Plan validity with and without the grammar (BFCL, first {opts.per_category} parallel + first "
            f"{opts.per_category} parallel_multiple)",
            "",
            "One plan an item with `Agent.aplan` (greedy, the evaluation's few-shot plans, at most 8 calls, q4_0 "
            f"cache; at most {FREE_TOKENS} tokens without the grammar, which loops, and {GRAMMAR_TOKENS} with it, "
            "whose plans are bounded by the grammar). Goal: 100% valid with the grammar.",
            "",
            *validity_table(found),
            "",
            default_choice(found),
        ]
    )
    print(body)
    if opts.write and not opts.quick:
        write_section(SECTION, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, print only")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-category", type=int, default=50)
    parser.add_argument("--kv-model", default="smollm2")
    parser.add_argument("--plans-only", action="store_true", help="only plan the BFCL items (fills the results cache)")
    parser.add_argument("--gemma-free", action="store_true", help="also plan with gemma3 without the grammar (slow: it loops)")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True, help="update RESULTS.md")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
