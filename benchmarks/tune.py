"""The tuned planner against the untuned one, on data the adapter never saw.

    python benchmarks/tune.py                      # full run, updates RESULTS.md
    python benchmarks/tune.py --limit 5 --no-write # a smoke run, prints only
    python benchmarks/tune.py --adapter other.gguf --settings tuned

Settings, each on the same items:
- *untuned*: the bundled SmolLM2 with no adapter, the few-shot examples it
  needed before, and the plan grammar (what the project shipped before);
- *tuned*: the shipped adapter, no few-shot examples, the plan grammar
  (the default path now);
- *tuned-free*: the shipped adapter without the grammar.

Items: BFCL non-live and Seal-Tools dev items of the validation split
(`agentc.edge.tune.public_sets.split_of`: a quarter of the items, chosen by
a hash of their key, never trained on), and items from the synthesizer's
held-out templates for the desktop and built-in toolkits (phrasings never
trained on). The built-in items also run end to end (plan, tools, joiner):
an answer is right when it holds the figures the gold plan answers with
(`agentc.edge.tune.measure.holds_results`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc.edge.models import load_local_llm, shipped_adapter  # noqa: E402
from agentc.edge.tune.dataset import desktop_toolkit  # noqa: E402
from agentc.edge.tune.synth_builtin import runnable_tools  # noqa: E402
from agentc.edge.tune.measure import Scores, answer_scores, plan_scores  # noqa: E402
from agentc.edge.tune.public_sets import public_items, validation_items  # noqa: E402
from agentc.edge.tune.synth import synthesize  # noqa: E402
from agentc.evals.runner import EvalOptions, evaluate  # noqa: E402
from agentc.evals.summary import summarise  # noqa: E402
from agentc.tools.builtin import examples_for  # noqa: E402
from agentc.tools.examples import DESKTOP_EXAMPLES, GENERIC_EXAMPLES  # noqa: E402
from results import write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
SECTION = "Tuned planner"
CATEGORIES = (
    "simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance", "seal_tools_easy", "seal_tools_difficult",
)
SETTINGS = ("untuned", "tuned", "tuned-free")
MEASURE_SEED = 7
"""Seed of the synthesized measuring items (training used seed 0 and 1)."""


def heldout(toolkit: str, count: int) -> list[Any]:
    """`count` synthesized items from held-out templates only."""
    items = [i for i in synthesize(toolkit, n=count * 8, seed=MEASURE_SEED) if i.split == "heldout"]
    return items[:count]


async def measure(setting: str, adapter: Path | None, opts: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    tuned = setting != "untuned"
    grammar = setting != "tuned-free"
    llm = load_local_llm(
        opts.model, adapter=adapter if tuned else None, kv_cache="f16", n_ctx=4096, n_threads=opts.threads,
        repeat_penalty=opts.repeat_penalty,
    )
    out: dict[str, Any] = {"setting": setting}
    try:
        items = [i for i in validation_items(public_items(HERE / "data")) if i.category in CATEGORIES]
        chosen = [i for c in CATEGORIES for i in [x for x in items if x.category == c][: opts.limit]]
        options = EvalOptions(grammar=grammar, examples=() if tuned else GENERIC_EXAMPLES)
        results = await evaluate(chosen, llm, options, llm_label=f"{opts.model}+{setting}")
        summary = summarise(results).by_category
        out["public"] = {
            c: (
                summary[c].accuracy, summary[c].valid_plan_rate, summary[c].n, summary[c].seconds_per_item,
                summary[c].api_f1(), summary[c].param_f1(),
            )
            for c in CATEGORIES if c in summary
        }
        builtin, desktop = runnable_tools(), desktop_toolkit(scratch / "home")
        for toolkit, tools, examples in (
            ("desktop", desktop, DESKTOP_EXAMPLES),
            ("builtin", builtin, examples_for([t.name for t in builtin])),
        ):
            agent = {"examples": () if tuned else examples, "constrain": grammar}
            scores = await plan_scores(llm, heldout(toolkit, opts.synth), tools, **agent)
            out[toolkit] = _plain(scores)
        agent = {"examples": () if tuned else examples_for([t.name for t in builtin]), "constrain": grammar}
        out["answers"] = _plain(await answer_scores(llm, [i for i in heldout("builtin", opts.answers)], builtin, **agent))
    finally:
        llm.close()
    return out


DEMO = "How many kilometres is 26.2 miles, and what is 17% of 2400?"


def main_job(model: str, adapter: Path | None, repeats: int) -> list[dict[str, Any]]:
    """The README's main job with each KV cache type: seconds after the model
    has loaded (plan, tools, joiner), the answer, and the cache's size."""
    from agentc import Agent
    from agentc.tools.builtin import demo_tools

    rows = []
    for cache in ("f16", "q8_0", "q4_0"):
        llm = load_local_llm(model, adapter=adapter, kv_cache=cache)
        try:
            seconds, answer = [], ""
            for _ in range(repeats):
                began = time.perf_counter()
                answer = Agent(llm, demo_tools()).run(DEMO).answer
                seconds.append(time.perf_counter() - began)
            right = "42.16" in answer and "408" in answer
            rows.append({"cache": cache, "mib": llm.kv_cache_bytes / 2**20, "seconds": min(seconds), "answer": answer, "right": right})
        finally:
            llm.close()
    return rows


def _plain(scores: Scores) -> dict[str, Any]:
    return {
        "n": scores.items, "valid": scores.share(scores.valid), "dag": scores.share(scores.dag),
        "exact": scores.share(scores.exact), "right": scores.share(scores.right),
        "seconds": scores.seconds / max(1, scores.items), "misses": scores.misses[:3],
    }


def main_job_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        f"Main job (`make demo`'s question, {DEMO!r}, default n_ctx 4096, best of the repeats, after the model loaded):",
        "",
        "| KV cache | cache size | seconds | answer |",
        "|---|---|---|---|",
    ]
    for row in rows:
        mark = "right" if row["right"] else "wrong"
        out.append(f"| {row['cache']} | {row['mib']:.1f} MiB | {row['seconds']:.1f} | {mark}: {row['answer']} |")
    return out


def _pooled_f1(pooled: list[Any]) -> str:
    """Seal-Tools' own pooled metrics (API and parameter F1 over the whole
    category), for the categories that have them."""
    if len(pooled) < 2 or not pooled[0] or not pooled[1]:
        return ""
    return f"; Seal-Tools' pooled F1: API {100 * pooled[0]['f1']:.0f}%, parameters {100 * pooled[1]['f1']:.0f}%"


def section(found: list[dict[str, Any]], opts: argparse.Namespace, adapter: Path | None, job: list[dict[str, Any]]) -> str:
    names = [f["setting"] for f in found]
    rows = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for category in CATEGORIES:
        cells = []
        for f in found:
            acc, valid, n, secs, *pooled = f["public"].get(category, (0, 0, 0, 0))
            cells.append(f"{100 * acc:.0f}% ({100 * valid:.0f}% valid, {secs:.1f} s{_pooled_f1(pooled)})")
        rows.append(f"| {category} accuracy (n={found[0]['public'].get(category, (0, 0, 0, 0))[2]}) | " + " | ".join(cells) + " |")
    for toolkit in ("desktop", "builtin"):
        cells = [f"{100 * f[toolkit]['dag']:.0f}% DAG, {100 * f[toolkit]['exact']:.0f}% exact ({f[toolkit]['seconds']:.1f} s)" for f in found]
        rows.append(f"| {toolkit} toolkit, held-out templates (n={found[0][toolkit]['n']}) | " + " | ".join(cells) + " |")
    cells = [f"{100 * f['answers']['right']:.0f}% right ({f['answers']['seconds']:.1f} s)" for f in found]
    rows.append(f"| built-in tools end to end, held-out templates (n={found[0]['answers']['n']}) | " + " | ".join(cells) + " |")
    recipe = _recipe(adapter)
    sizes = {"limit": (opts.limit, 30), "synth": (opts.synth, 40), "answers": (opts.answers, 25), "threads": (opts.threads, None)}
    command = "python benchmarks/tune.py" + "".join(f" --{k} {v}" for k, (v, default) in sizes.items() if v != default)
    return "\n".join([
        f"Command: `{command}` (SmolLM2-135M Q4_1 through llama.cpp, greedy, f16 KV cache, 2 cores, one run at a "
        "time). Accuracy is BFCL's AST check / Seal-Tools' exact match on the validation split (an item is right "
        "when every call and argument is); cells show accuracy, valid plans and seconds a plan, and for Seal-Tools "
        "also the metric its authors publish, F1 pooled over the category's calls and parameters, which counts "
        "each right argument of a partly right plan. End to end, an answer is right when it holds every figure the gold plan "
        "answers with (the tools' results for a closing `join()`; task K's result alone for `join($K)`, which answers "
        "with that result as it is), agreeing to the fewer decimals of the two but at least 2 (a gold 2.635 and 2.6352 "
        "agree, 42.16 and 42.2 do not). The earlier rounds below asked for every result the tools found, also after "
        "`join($K)`, which the gold plans' own answers miss; they compared figures at 2 decimals.",
        "",
        *rows,
        "",
        *(main_job_table(job) if job else []),
        "",
        recipe,
        "",
        CHOICES,
    ])


CHOICES = """Choices, each measured:
- *LoRA rank*: r=16 (alpha 32, lr 4e-4) against r=8 (alpha 16, lr 5e-4), both 3 epochs on the same pairs, on 8
  validation items a category and 15 held-out items a toolkit: r=16 scored higher or equal on 5 of 7 public
  categories and on the desktop toolkit (47% DAG against 40%), equal on the built-in tools, at 9.8 MB against 4.9 MB.
  r=32 (alpha 64) on the last round's pairs, against r=16, on the items of the data-mix table below: mixed (public
  mean 51% against 50%, end to end 75% against 65%, desktop 83% against 90% DAG), at twice the size (19.6 MB) and
  slower plans on CPU (2.1 s against 1.8 s a simple item); r=16 stays.
- *Epochs and learning rate*: 4 epochs at lr 6e-4 for SmolLM2. On the 16,772 pairs of the `--synth-scale 1.5`
  round (the data-mix table below), against 3 epochs at 4e-4: 2 epochs at 4e-4 (`--epochs 2`) scored lower or equal in
  9 of 10 columns (simple 57%, multiple 61%, parallel 28%, parallel_multiple 20%, irrelevance 80%, Seal-Tools easy
  71%, difficult 13%, desktop 87% DAG, built-in 87% DAG, end to end 65%); 3 epochs at 6e-4 scored higher in 5
  columns, equal in 2 and lower in 3 by one item each (simple +3, multiple +4, parallel +2, parallel_multiple +2
  points, desktop 87% to 93% DAG; Seal-Tools easy and difficult -2, end to end 70% to 65%). Then, with the repeat
  penalty off (below), three rounds on the same pairs, two trained side by side on one H200:

  | SmolLM2-135M, repeat penalty 1.0 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | 3 epochs at 6e-4 (519 s alone), shipped before | 62% | 78% | 34% | 26% | 85% | 67% | 23% | 93% | 90% | 75% |
  | 3 epochs at 8e-4 (634 s side by side) | 65% | 76% | 42% | 28% | 87% | 74% | 15% | 93% | 90% | 75% |
  | 4 epochs at 6e-4 (782 s side by side), shipped before | 65% | 80% | 42% | 26% | 85% | 74% | 25% | 93% | 90% | 75% |

  4 epochs at 6e-4 scored higher than or equal to 3 in 9 of 10 columns (parallel_multiple one item lower) and
  above 8e-4 in Seal-Tools difficult (25% against 15%) and multiple (80% against 76%). Gemma 3 at 2 epochs (4e-4, 344 s) against its shipped 3:
  simple 60% against 62%, multiple 67% against 69%, parallel 32% both, parallel_multiple 22% against 26%,
  irrelevance 83% against 82%, Seal-Tools easy 69% against 71%, difficult 13% against 23%, desktop 93% against 100%
  DAG, built-in 100% against 93% DAG, end to end 75% against 70%; its 3 epochs stay. Its shipped adapter with the
  repeat penalty off, against 1.1: simple 65% (62%), multiple 67% (69%), parallel 34% (32%), parallel_multiple 26%
  (26%), irrelevance 80% (82%), Seal-Tools easy 69% (71%), difficult 22% (23%), desktop 100% (100%), built-in 90%
  (93%) DAG, end to end 75% (70%): mixed, and it answers the main job right. The loss on the completions fell from 1.27 to 0.006 in 13 minutes on one H200 shared with the other run.
  On a 2-core CPU training runs at about 126 tokens a second (4 steps of 2,048-token batches, `python
  edge/tune/train.py MODEL PAIRS OUT --max-steps 4 --device cpu`): about three days for these 31.4 M tokens, about
  1.5 hours for a 1,500-item toolset.
- *Templates of chained steps*: the end-to-end misses of the 4-epoch round were chains whose second step must
  use the first step's result: "First compute 1890 divided by 2, then take 40% of the result" planned
  `40 / 100 * 1890` and answered with `$1`; "6 miles each way, 2 round trips" planned `$1 * 2`. Seven templates
  joined the synthesizer (`edge/tune/synth_builtin.py`: a result divided, multiplied or added to before a
  percentage of it, return flights, walks and ferry trips there and back); by the synthesizer's rule every fifth
  template is held out, so two of them joined the held-out items and five the training ones (16,701 pairs). Four
  epochs at 6e-4 on them (546 s alone on one H200), the same recipe with seed 1 (stopped at 1,894 of 2,000 steps,
  525 s) and the round before, on the same items (the held-out toolkit items include the two new templates):

  | SmolLM2-135M | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | 4 epochs at 6e-4 (16,772 pairs), shipped before | 63% | 81% | 42% | 26% | 85% | 74% | 22% | 90% | 90% | 70% |
  | with the chained-step templates (16,701 pairs), shipped | 63% | 70% | 40% | 24% | 85% | 71% | 23% | 90% | 100% | 90% |
  | the same, seed 1 | 60% | 74% | 38% | 28% | 83% | 71% | 18% | 93% | 93% | 85% |

  The new round plans every held-out built-in item's dependencies right and answers 18 of 20 end to end (the
  misses: "720 miles each way, 9 round trips" still planned `$1 * 9`, and `(867.2 + 42) * 3` cut to its sum);
  it gives up 6 of 54 multiple items and one item each in parallel, parallel_multiple and Seal-Tools easy. It
  ships because the built-in tools are what the main job and a new user meet first; of the public columns it
  lost, multiple and Seal-Tools easy stay above their targets (70% against 60%, 71% against 50%) and parallel
  and parallel_multiple were below theirs before too. Through the assistant's own
  ToolRAG (`benchmarks/assistant.py`) it plans 87% of 60 held-out desktop requests right, against 83%.
- *Listed requests*: BFCL's parallel items ask for one tool's answer for several values at once ("the area of
  circles of radius 3, 5 and 8"), a shape the public sets' training items have a few hundred times. `agentc tune
  --public-listed N` makes N such requests from each one-call training item (`edge/tune/grow.py`,
  `listed_variants`): one value of the question listed beside one or two new ones of its kind ("Convert 150 and
  560 Euros to Canadian dollars"), planned as a call for each value. Both rounds below trained side by side on
  one H100 (931 s and 964 s), with the shipped recipe otherwise; toolkit rows on 90 held-out items and end to end
  on 60, public columns on 60 items a category (`--limit 60`):

  | SmolLM2-135M, 4 epochs at 6e-4 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | no listed requests (16,701 pairs), shipped | 63% | 70% | 40% | 24% | 85% | 71% | 23% | 94% | 99% | 82% |
  | `--public-listed 2` (868 more, 17,569 pairs) | 63% | 74% | 42% | 22% | 85% | 71% | 23% | 89% | 98% | 82% |
  | `--public-listed 4` (1,723 more, 18,424 pairs) | 67% | 78% | 48% | 17% | 88% | 71% | 20% | 94% | 93% | 82% |

  Parallel rises with the dose (20, 21, 24 of 50 items) and at 4 so do simple, multiple and irrelevance;
  parallel_multiple falls (13, 12, 9 of 54): of the 7 items the shipped adapter plans right and `--public-listed 4`
  does not, 5 repeat an earlier call's value or tool (`translate_text(text="Hello World")` twice where the second
  text is "Goodbye", a second `math_triangle_area_heron` for a triangle given by base and height), the habit
  listed requests teach. Seal-Tools difficult falls by 2 items and the built-in toolkit's plans by 5 of 90. No target that was unmet is met, and the built-in tools are what a new user meets first: the shipped
  adapter stays, and `--public-listed` defaults to 0. On 60 end-to-end items, not 20, all three answer 49 right
  (82%): the 90% of the shipped round on 20 items above was a small sample's luck. Its 11 misses are two
  held-out templates: `(a + b) * c` planned as the sum alone (5; of the training plans only 26, averages written
  `(a + b + c) / 3`, open an expression with a parenthesis, and "What is (12 + 5) * 4?" is planned `12 + 5`),
  return trips planned `$1 * n` without the `* 2` (5), and one answer that writes 1916.01 feet as 1916.
- *Templates for the end-to-end misses, and listed requests asked with others*: two more rounds, trained side by
  side on one H100. Both add templates to the built-in synthesizer: four arithmetic ones (`a * b - c`, held out,
  and three training ones that open with a parenthesis: `(a - b) * c`, `(a + b) / c`, "(a + b) times c") and
  three round trips (bus round trips and train return journeys to train on, "out and the same back" held out). The
  second also adds `--public-listed-combined 600`: per data set, 600 requests that ask a listed request together
  with one or two other training items ("Find out the open hours for the Louvre Museum and Karim Ahmed in Paris.
  Also, find a Chinese restaurant near me in New York and ..."), planned as their calls one after another. That puts
  several calls of one tool beside calls of other tools, the shape of parallel_multiple, where listed requests
  alone taught only repeating one tool. The held-out toolkit items now include the new held-out templates, so the
  previous adapter is measured again on them. Public columns on every validation item (`--limit 200`), toolkit
  rows on 90 held-out items, end to end on 60:

  | SmolLM2-135M, 4 epochs at 6e-4 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | previous adapter (16,701 pairs) | 64% | 70% | 40% | 24% | 82% | 71% | 19% | 94% | 96% | 82% |
  | with the new templates (16,722 pairs, 889 s) | 65% | 72% | 40% | 28% | 82% | 64% | 18% | 93% | 96% | 97% |
  | and `--public-listed-combined 600` (17,922 pairs, 951 s), shipped | 68% | 72% | 38% | 28% | 82% | 74% | 21% | 94% | 97% | 97% |

  The templates fix the end-to-end misses: 58 of 60 answers are right (the previous adapter: 49), "What is (12 +
  5) * 4?" is planned `calculate(expression="(12 + 5) * 4")` and answered 68, and return trips keep their `* 2`.
  The two misses left: a commute of 645 miles each way, 6 round trips, answered with the right total but without
  the one-way distance the gold answer also gives, and a request of three parts whose third, 65.4 kJ in kcal, was
  converted the wrong way. With listed combined requests, simple, Seal-Tools easy and difficult rise by 3, 4 and 4 items and parallel
  loses 1; parallel_multiple does not move (15 of 54 either way). The second round ships. Against the previous
  adapter on the same items it plans 4 more simple items, 1 more multiple, 2 more parallel_multiple, 1 more
  Seal-Tools easy and 2 more difficult, and 1 fewer parallel. On every validation item all three answer 60 of 73
  irrelevance items right (82%): the 85% the tables on 60 items show does not hold on the whole split. Through
  the assistant's ToolRAG (`benchmarks/assistant.py`), both new rounds plan 48 of 60 held-out desktop requests right
  (80%), against 52 (87%) for the previous adapter; the desktop row above, with the needed tools always shown, does
  not move. Outside the templates,
  prices are not yet learnt: "A bus ticket costs $3.50 each way. How much do 9 round trips cost?" is planned
  `3.50 / 9`.
- *Priced round trips, more listed requests, and averaged adapters*: one more round, trained alone on one H100
  (19,636 pairs, 775 s for 4 epochs), adds to the shipped recipe four priced round-trip templates to the built-in
  synthesizer (ticket, toll and ride round trips to train on, `calculate("b * 2 * c")`; "The fare is 12.4 euros one
  way. How much are 8 return tickets?" held out) and `--public-listed 4`, whose 4-item gain in parallel above came
  before listed combined requests. Public columns on every validation item, toolkit rows on 90 held-out items and
  end to end on 60, which now include the held-out fare template, so the shipped adapter is measured again on them:

  | SmolLM2-135M, 4 epochs at 6e-4 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | shipped (17,922 pairs) | 68% | 72% | 38% | 28% | 82% | 74% | 21% | 94% | 96% | 95% |
  | with priced round trips and `--public-listed 4` (19,636 pairs) | 67% | 74% | 40% | 26% | 84% | 67% | 18% | 94% | 96% | 92% |

  The round plans "A bus ticket costs $3.50 each way. How much do 9 round trips cost?" as `3.50 * 2 * 9` (63), but
  neither adapter plans the held-out fare template (both convert 12.4 euros with `convert_units`), and the round
  plans 3 fewer Seal-Tools easy items, 4 fewer difficult and 2 fewer right answers end to end; parallel gains 1
  item, not 4. It does not ship, and the priced templates stay out of the synthesizer with it (a template changes
  which items the shipped recipe synthesizes). Averaging adapters was tried next, on CPU: one adapter whose delta
  is the mean of several trained adapters' `alpha / r * B @ A`, written exactly by stacking their ranks (rank 32
  for two, 48 for three). Public columns on every validation item:

  | SmolLM2-135M | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. |
  |---|---|---|---|---|---|---|---|
  | shipped (r=16) | 68% | 72% | 38% | 28% | 82% | 74% | 21% |
  | mean of the templates-only round and the shipped one (r=32) | 65% | 74% | 38% | 30% | 81% | 71% | 24% |
  | mean of those two and this round (r=48) | 66% | 70% | 46% | 35% | 81% | 71% | 21% |

  The mean of three plans 4 more parallel and 4 more parallel_multiple items than the shipped adapter and 2 fewer
  simple, 1 fewer multiple and 1 fewer irrelevance (272 of 509 items against 269), short of every unmet target,
  at three times the adapter's size (29 MB) and slower plans (2.1 s against 1.8 s a parallel item); the mean of
  two plans as many items as the shipped one (269). Neither ships.
- *Unfit requests and averaged seeds*: of the 13 irrelevance items the shipped adapter answered with a call, most
  call a tool on the question's subject ("the *external* rate of return" planned with
  `calculate_internal_rate_of_return`, "a pet store" with `grocery_store.locate_nearby`), a case BFCL's 334
  irrelevance training pairs seldom show. `agentc tune --public-unfit 400` adds 400 BFCL one-call training
  questions offered only the one or two tools of other training items closest to them that cannot answer them
  (`edge/tune/unfit_requests.py`: sentence embeddings; a tool close to the question's own tool is never offered),
  planned `join()`. The shipped recipe with it trained twice, seeds 0 and 1 (18,322 and 18,236 pairs), side by
  side on one H100, each stopped at 1,000 s (93% and 95% of its 4 epochs), and the mean of the two adapters
  (`python -m agentc.edge.tune.average`: their ranks stacked, 16 + 16, so the update is exactly the mean) was
  measured beside them. Public columns on every validation item, toolkit rows on 90 held-out items and end to end
  on 60:

  | SmolLM2-135M, 4 epochs at 6e-4 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | shipped before (17,922 pairs) | 68% | 72% | 38% | 28% | 82% | 74% | 21% | 94% | 97% | 97% |
  | `--public-unfit 400`, seed 0 | 64% | 72% | 44% | 28% | 93% | 71% | 18% | | | |
  | `--public-unfit 400`, seed 1 | 64% | 78% | 38% | 22% | 92% | 71% | 20% | | | |
  | the mean of the two, shipped | 69% | 74% | 44% | 33% | 93% | 71% | 23% | 94% | 97% | 93% |

  Each seed alone answers 67 or 68 of the 73 irrelevance items right (the shipped adapter: 60) but plans 4 or 5
  fewer simple items. Their mean keeps the irrelevance gain (68 of 73, above the 85% target) and plans 286 of the
  509 public items right, against 269 before and 271 and 269 for the seeds alone: 1 more simple item, 1 more
  multiple, 3 more parallel, 3 more parallel_multiple, 2 more Seal-Tools difficult, 1 fewer Seal-Tools easy. The
  toolkit plans match as often (exact plans: desktop 93% against 89%, built-in 94% against 96%); end to end it
  answers 56 of 60 right against 58. Its misses include two commutes of n round trips planned as the one-way
  distance times n (the way back dropped) and 65.4 kJ converted to kcal the wrong way, which the shipped adapter
  missed too. It ships. It is the size of an r=32 adapter (19.6 MB, against 9.8) and plans as fast, within this machine's noise:
  taken in turn with the previous adapter, twice each on 8 items a public category, 1.16 and 1.42 s a plan against
  1.38 and 1.15 s, and the main job in 3.4 and 4.2 s against 3.5 and 4.1 s (f16 cache). The seconds in the table at
  the top were measured on a slower day than the previous adapter's (its main job took 3.2 s then), the toolkit
  rows with 2 threads.
- *The mean at rank 16, and llama.cpp's build*: the mean of two seeds is of rank 32, twice the download of one
  training. `python -m agentc.edge.tune.average smollm2-planner.gguf mean.gguf --rank 16` keeps, in each of the 210
  adapted weights, the 16 directions of the mean's update that carry most of it (its truncated SVD: 98.2% of a
  weight's squared norm on average, 92.7% at least). Both were measured on another 2-core machine, a Xeon with AMX,
  where llama.cpp built for the machine's own CPU (llama-cpp-python's default) crashed in its first decode; the
  Makefile now builds it for AVX2-class CPUs (`CMAKE_ARGS=-DGGML_NATIVE=OFF`), and every figure in the table at the
  top comes from that build and machine. Public columns on every validation item, toolkit rows on 90 held-out
  items, end to end on 60:

  | SmolLM2-135M, mean of seeds 0 and 1 | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | rank 32, exact (19.6 MB) | 67% | 78% | 44% | 33% | 93% | 71% | 24% | 94% | 97% | 95% |
  | rank 16, truncated (9.8 MB), shipped | 68% | 80% | 46% | 31% | 92% | 71% | 21% | 93% | 97% | 95% |

  Of 509 public items the truncated mean plans 285 right against 287 (1 more simple, multiple and parallel item,
  1 fewer parallel_multiple and irrelevance, 3 fewer Seal-Tools difficult), 1 fewer desktop plan of 90, and both
  answer 57 of 60 right end to end; the main job takes 5.5 s against 5.6 s at f16 (3 runs each, taken in turn).
  Half the download for 2 fewer right public plans of 509: it ships. On the first machine the rank-32 mean planned 81 simple
  items and 40 multiple (69%, 74%); on this build 79 and 42: float sums in another order tip near-tied tokens.
  The section "Assistant ToolRAG" below was measured again with the truncation on this machine: with Tool2Vec fitted
  on the synthesized requests it plans 52 of 60 held-out desktop requests right, where the rank-32 mean planned 49
  on the first machine; fitted on the example plans alone, 40 and 46 of 60 as before.
- *Argument descriptions in the tool list*: the planner's tool list gives each tool's signature and description, not
  what its schema says of each argument. Of the 38 simple items the shipped adapter misses, 35 have a wrong or missing
  argument, and about 15 of those turn on what only an argument's description says: a format ("The city and state,
  e.g. New York, NY": 5 items), a unit or a default ("default is m/s" when km/h was asked; "Default is 52"). Shown
  those descriptions (a line `   - arg: description` under each tool, cut at 200 characters), the shipped adapter,
  trained without them, planned 275 of 509 public items right against 285 (simple 78 against 80, parallel_multiple
  15 against 17, irrelevance 64 against 67, Seal-Tools easy 29 against 30, difficult 23 against 25, the rest equal),
  86 of 90 desktop plans against 84 (DAG), 87 built-in plans both, 56 of 60 answers right end to end against 57,
  and it read longer prompts (a desktop plan 5.1 s against 3.7 s, both runs beside a public run on the other core).
  The prompt stays without them until an adapter trained on pairs that show them (11.3 M tokens an epoch against
  8.8 M) is measured against this one.
- *Data mix*: revised by what the measurements showed: joiner targets quote the observations' figures as the tools
  print them (the model rounded 42.1649 to 42.17), numbers in answers are written without float noise, and the last
  round adds items made from the public sets' training items (`--public-swaps 2 --public-combined 600`): each
  item's values swapped for others of the same kind in question and plan alike (2,182 items), and 600 requests a
  data set asking two or three items at once over all their tools. Failed plans had shown the model writing values it
  had learnt instead of the question's and dropping one of several values. On the same items (n=60 a category,
  `--limit 60 --synth 30 --answers 20`, grammar on):

  | SmolLM2-135M round | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | previous mix (8,628 pairs, 227 s) | 47% | 54% | 20% | 22% | 80% | 71% | 17% | 67% | 83% | 85% |
  | with swapped and combined items (12,010 pairs, 371 s) | 57% | 65% | 36% | 24% | 85% | 67% | 18% | 77% | 83% | 85% |

  The last round made the joiner read results instead of recalling them: over a user's `get_temperature` tool the
  previous adapter answered 1 of 8 phrasings of "how warm is it in A and B" right, with figures from its training or
  the joiner prompt's worked example. So the example left the prompt, and `--public-joiner 800` adds joiner pairs
  over 800 public training items' gold calls a data set, each call given a made-up result (a number, a word or a
  small object) and the target answer restating each result against what tells the calls apart; a fifth have one
  failed call (target: a `Replan` naming it, or on the last round a `Finish` that says what is missing), a tenth no
  call run (target: a `Replan` naming the calls needed, or a `Finish` that says nothing was looked up). `agentc tune
  --tools` makes the same pairs over a user's grown plans. More phrasings went into the synthesizers, so the
  held-out toolkit items differ from the rows above; on today's items and prompt:

  | SmolLM2-135M, today's items | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | previous adapter (12,010 pairs) | 57% | 65% | 36% | 24% | 85% | 67% | 18% | 87% | 90% | 25% |
  | with made-up-result joiner pairs (13,692 pairs, 330 s) | 55% | 65% | 26% | 30% | 82% | 71% | 20% | 90% | 87% | 65% |
  | same pairs, r=32 (385 s, 19.6 MB) | 57% | 70% | 32% | 28% | 83% | 69% | 18% | 83% | 90% | 75% |
  | percentages as written, 1.5x synthesized items (16,772 pairs, 466 s) | 57% | 70% | 34% | 26% | 85% | 69% | 20% | 87% | 90% | 65% |
  | same pairs at lr 6e-4 (519 s), shipped; end to end with the grounded joiner grammar | 60% | 74% | 36% | 28% | 85% | 67% | 18% | 93% | 90% | 65% |

  The previous adapter's joiner had learnt to lean on the prompt's example: without it, 25% of its answers end to
  end are right. That round answers the `get_temperature` probe 6 of 8 right (r=32 too); its misses: "How cold
  is it in Oslo right now?" gets a figure the tool never gave, and "Is it warmer in Paris or in Nairobi?" a verdict
  with no figures. Planning moved little (parallel fell 5 items of 50, parallel_multiple rose 3 of 54); the end-to-end
  misses are plans with a wrong value (`0.4 * 40` for "40% of the result") and answers that end in a stray clause.

  The `--synth-scale 1.5` rounds plan percentages as the question writes them (`17 / 100 * 2400`, not
  `0.17 * 2400`, so the figure is copied, not converted), drops the finish thought "All tasks succeeded, so I can
  answer." (answers had picked up its clause) and names tools in joiner pairs as tool retrieval splits them
  (`getFDAApproval` -> "fda approval"). Public planning rose (multiple +5, parallel +8, irrelevance +3 points;
  parallel_multiple -4); the percentage form brought its own slip: at a q8_0 KV cache the main job's plan reads
  `$1 / 100 * 2400` (f16, the default here, and q4_0 plan it right), and "take 18% of the result" became
  `18 * 100 / 100`. At lr 4e-4 answers to independent questions still joined them with "so"; the shipped lr 6e-4
  round answers "26.2 miles is 42.16 kilometres. 17% of 2400 is 408." at every KV cache.

  On every validation item (greedy in transformers on the GPU, no grammar) the `--synth-scale 1.5` round at lr
  4e-4 scores simple 56% (n=118), multiple 70% (54), parallel 38% (50), parallel_multiple 19% (53), irrelevance 78%
  (73), Seal-Tools easy 71% (42), difficult 17% (115). The untuned model, measured before on 20 items a category with its few-shot
  examples and the grammar, scored 15%, 0%, 0%, 5%, 85%, 5% and 0%.
- *Joiner grammar*: a tuned model's `Finish(...)` may quote only figures that its messages hold, as written or
  rounded (`agentc.edge.grounded`, a grammar built for each joiner call; `Replan` reasons and thoughts stay free).
  On the 20 end-to-end items it lifts the SmolLM2 round at lr 4e-4 from 65% to 70% (the table above: its end-to-end
  row and main job were measured with it, `--limit 1 --synth 1 --answers 20 --repeats 2`, its planning rows in the
  run before, which the grammar does not touch) and the `get_temperature` probe to 7 of 8 (the Oslo question now
  gets "Oslo is - Celsius.": no made-up figure, and no figure). The previous SmolLM2 adapter scores 60% with it
  (65% without): its misses are wrong plans, whose wrong results the grammar must let through.
- *Base model*: both tuned (Gemma 3 270M exported with `--arch gemma3`, whose converter keeps q/k rows in
  transformers' order). Three earlier Gemma rounds on 20 items a category (`python benchmarks/tune.py --model gemma3
  --adapter A --settings tuned --repeats 0 --limit 20 --synth 30 --answers 20`), SmolLM2's adapter of then last:

  | Gemma 3 270M round (n=20) | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | SmolLM2's mix (8,628 pairs, 220 s) | 60% | 55% | 30% | 30% | 85% | 65% | 15% | 80% | 93% | 65% |
  | public items rendered 4x (11,486 pairs, 276 s) | 60% | 45% | 35% | 20% | 85% | 65% | 10% | 80% | 100% | 70% |
  | synthesized items 2x, `--synth-scale 2` (14,539 pairs, 377 s) | 65% | 45% | 30% | 40% | 85% | 60% | 10% | 83% | 100% | 75% |
  | SmolLM2-135M (8,628 pairs, 227 s) | 50% | 45% | 30% | 35% | 90% | 65% | 25% | 67% | 83% | 85% |

  Then both models with the swapped and combined items, on 60 items a category (`--limit 60 --synth 30 --answers
  20`):

  | round (n=60) | simple | multiple | parallel | par.-mult. | irrel. | Seal easy | Seal diff. | desktop DAG | built-in DAG | end to end |
  |---|---|---|---|---|---|---|---|---|---|---|
  | Gemma 3 270M, `--synth-scale 2` round above | 60% | 70% | 30% | 24% | 82% | 69% | 13% | 83% | 100% | 75% |
  | Gemma 3 270M, with swapped and combined items (17,921 pairs, 436 s) | 67% | 76% | 30% | 30% | 83% | 74% | 17% | 83% | 100% | 80% |
  | SmolLM2-135M, with swapped and combined items (12,010 pairs, 371 s) | 57% | 65% | 36% | 24% | 85% | 67% | 18% | 77% | 83% | 85% |
  | Gemma 3 270M, with made-up-result joiner pairs (19,911 pairs, 468 s); today's toolkit items | 60% | 70% | 32% | 26% | 83% | 69% | 17% | 97% | 100% | 70% |
  | SmolLM2-135M, with made-up-result joiner pairs (13,692 pairs, 330 s); today's toolkit items | 55% | 65% | 26% | 30% | 82% | 71% | 20% | 90% | 87% | 65% |
  | Gemma 3 270M, percentages as written, with the pairs of no call run (19,911 pairs, 495 s), shipped | 62% | 69% | 32% | 26% | 82% | 71% | 23% | 100% | 93% | 65% |
  | SmolLM2-135M, percentages as written, `--synth-scale 1.5` (16,772 pairs, 466 s) | 57% | 70% | 34% | 26% | 85% | 69% | 20% | 87% | 90% | 65% |
  | SmolLM2-135M, the same pairs at lr 6e-4 (519 s); end to end with the grounded joiner grammar | 60% | 74% | 36% | 28% | 85% | 67% | 18% | 93% | 90% | 65% |
  | SmolLM2-135M, the same pairs, 4 epochs at 6e-4 (782 s), repeat penalty 1.0, shipped before | 65% | 80% | 42% | 26% | 85% | 74% | 25% | 93% | 90% | 75% |

  Gemma's round with made-up-result joiner pairs was built before the pairs with no call run were added; its public
  categories fell against the round before (simple 67% to 60%, multiple 76% to 70%, on the same items) while its
  joiner, like SmolLM2's, now works without the prompt's example.

  Gemma plans better (mean of the public categories 54% against 50%, desktop 83% against 77% DAG, built-in 100%
  against 83%), SmolLM2 answers better end to end (85% against 80%), plans in half the time (1.6 s against 3.1 s a
  simple item) and is 0.39x the download (98 MB against 253 MB): SmolLM2 stays the default, and `--model gemma3`
  gets its new adapter. With the last round, Gemma plans the desktop toolkit better (97% against 90% DAG) and answers
  better end to end (70% against 65%); SmolLM2 stays the default for its speed and size. The `--synth-scale 1.5` rounds at lr 4e-4 (the
  two rows before the last; end to end without the grounded joiner grammar): with the grammar both answer 70% of the
  20 items end to end; the shipped SmolLM2 round at lr 6e-4 plans better than both in 4 public categories and answers
  65%; Gemma answers the main job right at every KV cache, with no stray "so" ("26.2 miles is 42.16
  kilometres. 17% of 2400 is 408."), in 11.8 s at f16 (2 cores shared with a test run).
- *KV cache for the main job*: see the table above; `kv_cache="auto"` keeps f16 up to 8k tokens of context and
  4-bit above, where its memory saving grows with the context.
- *Threads*: llama.cpp reads the prompt on every core (`n_threads_batch`) and writes tokens on one core fewer
  (`n_threads`), so a busy core does not stall token by token. The main job on an idle 2-core machine, 3 runs each
  (`load_local_llm("smollm2", n_threads=..., n_threads_batch=...)`): reading on 2 threads and writing on 1,
  6.5-8.2 s; 1 and 1 (the default before), 9.7-12.5 s; 2 and 2, 7.1-7.8 s. Beside a process that keeps one core
  busy: 10.5-11.9 s, 10.3-11.4 s and 15.8-16.6 s. The planning rows above run at 1 thread (`--threads 1`), two
  runs side by side.
- *Repeat penalty*: off (1.0) with an adapter, 1.1 without. With a penalty the tuned model avoided digits its
  plan had written already: "What's 108 * 88.01?" was planned `108 * 88.` and "15% of 2551.8" `2551.8 / 100 *
  2551.8`. On the 4-epoch adapter, 1.1 against 1.0: simple 62% against 65%, multiple 74% against 80%, parallel 40%
  against 42%, parallel_multiple 28% against 26%, Seal-Tools difficult 22% against 25%, end to end 70% against
  75%, the other columns equal. The untuned model keeps 1.1, which stops it looping inside a string."""


def _recipe(adapter: Path | None) -> str:
    if adapter is None:
        return ""
    recipe_file = adapter.with_suffix(".json")
    if not recipe_file.is_file():
        return f"Adapter: {adapter.name}, {adapter.stat().st_size / 1e6:.1f} MB."
    recipe = json.loads(recipe_file.read_text(encoding="utf-8"))
    train = recipe.get("train", {})
    config = train.get("config", {})
    where = recipe.get("hardware") or f"{train.get('seconds')} s on {train.get('device')}"
    lora = f"LoRA r={config.get('rank')} on {train.get('pairs')} pairs"
    other = recipe.get("averaged_with")
    if other:
        lora = (
            f"the mean of two LoRA r={config.get('rank')} adapters, seed {config.get('seed')} on "
            f"{train.get('pairs')} pairs and seed {other['seed']} on {other['train'].get('pairs')}"
        )
        if recipe.get("truncated_to"):
            lora += f", truncated to rank {recipe['truncated_to']}"
    return (
        f"Adapter: {adapter.name}, {adapter.stat().st_size / 1e6:.1f} MB; {lora}, "
        f"{config.get('epochs')} epochs; trained on {where} (recipe: {recipe_file.name})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=30, help="validation items of each public category")
    parser.add_argument("--synth", type=int, default=40, help="held-out items of each toolkit")
    parser.add_argument("--answers", type=int, default=25, help="built-in items run end to end")
    parser.add_argument("--model", default="smollm2", choices=("smollm2", "gemma3"), help="bundled base model")
    parser.add_argument("--adapter", type=Path, default=None, help="adapter GGUF (default: the shipped one)")
    parser.add_argument("--settings", nargs="*", default=list(SETTINGS), choices=SETTINGS)
    parser.add_argument("--repeats", type=int, default=3, help="runs of the main job per KV cache (0: skip it)")
    parser.add_argument("--threads", type=int, default=None,
                        help="llama.cpp threads for the planning rows (default: the library's; 1 to run two side by side)")
    parser.add_argument("--repeat-penalty", type=float, default=None, help="llama.cpp's repeat penalty (default: the library's)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True, help="update RESULTS.md")
    parser.add_argument("--load", type=Path, nargs="+", default=None,
                        help="build the section from --json files of earlier runs (one per setting, run side by side)")
    opts = parser.parse_args()
    adapter = opts.adapter or shipped_adapter(opts.model)
    import tempfile

    if opts.load:
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in opts.load]
        found = [f for run in runs for f in run["settings"]]
        job = [row for run in runs for row in run["main_job"]]
    else:
        found = []
        with tempfile.TemporaryDirectory() as scratch:
            for setting in opts.settings:
                began = time.perf_counter()
                found.append(asyncio.run(measure(setting, adapter, opts, Path(scratch))))
                print(f"{setting}: {time.perf_counter() - began:.0f} s", flush=True)
        job = main_job(opts.model, adapter, opts.repeats) if opts.repeats else []
    if opts.json:
        opts.json.write_text(json.dumps({"settings": found, "main_job": job}, indent=1, default=str), encoding="utf-8")
    body = section(found, opts, adapter, job) if found else "\n".join(main_job_table(job))
    print(body)
    if opts.write:
        write_section(SECTION, body)


if __name__ == "__main__":
    main()
