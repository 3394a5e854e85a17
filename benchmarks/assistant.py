"""The assistant's ToolRAG on desktop requests it never saw: does the planner get the tools it needs?

    python benchmarks/assistant.py                 # 60 requests, updates RESULTS.md
    python benchmarks/assistant.py --items 10 --no-write

`benchmarks/tune.py` measures the planner on a tool list that always holds
the tools a request needs (among distractors). `agentc assistant` instead
shows the planner the tools ToolRAG picks (`agentc.edge.assistant.tool_rag`,
8 of 18), so a tool ToolRAG leaves out is a plan the planner cannot write.
Four selectors side by side, on the same requests (the synthesizer's
held-out templates, seed 7, as in `benchmarks/tune.py`), each planned by the
bundled model with its shipped adapter, as `agentc assistant --dry-run`
does:

- Tool2Vec fitted on the 9 example plans alone;
- the same, with companions (a chosen tool brings the tools it is fed from
  in every example plan: `send_sms` brings `get_phone_number`);
- Tool2Vec fitted also on synthesized requests of the training templates;
- both (the default).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentc.edge.assistant import DEFAULT_TOOLS_SHOWN, TOOL2VEC_REQUESTS, Assistant, tool_rag  # noqa: E402
from agentc.edge.models import load_local_llm, shipped_adapter  # noqa: E402
from agentc.edge.tune.measure import gold_calls  # noqa: E402
from agentc.evals.dag import same_dag  # noqa: E402
from agentc.evals.items import Call  # noqa: E402
from agentc.retrieval import ToolRAG  # noqa: E402
from agentc.tools.desktop import DesktopConfig, desktop_tools  # noqa: E402
from results import markdown, write_section  # noqa: E402
from tune import MEASURE_SEED, heldout  # noqa: E402

SECTION = "Assistant ToolRAG"


async def measure(llm: Any, tools: list[Any], items: list[Any]) -> list[dict[str, Any]]:
    """Each selector's share of requests shown every tool they need, and of
    plans whose DAG matches the gold plan's."""
    rows = []
    for requests in (0, TOOL2VEC_REQUESTS):
        rag = tool_rag(tools, requests=requests)
        if rag is None:
            raise SystemExit("the retrieval extra is missing: pip install 'agentc[retrieval]'")
        selector, similarity = rag
        for companions, chosen in ((False, ToolRAG(selector.retriever, selector.k)), (True, selector)):
            assistant = Assistant(llm, tools, approve=lambda _: False, selector=chosen, similarity=similarity, examples=())
            shown = every = dag = 0
            seconds = 0.0
            for item in items:
                names = {t.name for t in chosen(item.question, tools)}
                shown += len(names)
                every += set(item.tools) <= names
                began = time.perf_counter()
                result = await assistant.plan(item.question)
                seconds += time.perf_counter() - began
                calls = [Call(t.idx, t.tool, dict(t.args), t.deps) for t in result.tasks]
                dag += result.valid and same_dag(calls, gold_calls(item.plan))
            rows.append({
                "fitted on": f"9 example plans{f' + {TOOL2VEC_REQUESTS} synthesized requests' if requests else ''}",
                "companions": companions, "every tool": every / len(items), "dag": dag / len(items),
                "tools shown": shown / len(items), "seconds": seconds / len(items),
            })
            print(rows[-1], flush=True)
    return rows


def section(rows: list[dict[str, Any]], items: int) -> str:
    table = markdown(
        ["Tool2Vec fitted on", "companions", "requests shown every tool they need", "DAG match", "tools shown", "s a plan"],
        [[r["fitted on"], "yes" if r["companions"] else "no", f"{r['every tool']:.0%}", f"{r['dag']:.0%}",
          f"{r['tools shown']:.1f}", f"{r['seconds']:.1f}"] for r in rows],
    )
    return (
        f"`python benchmarks/assistant.py --items {items}`: {items} desktop requests of the synthesizer's held-out templates "
        f"(seed {MEASURE_SEED}), planned as `agentc assistant --dry-run` plans them (bundled SmolLM2 with its shipped adapter, "
        f"the plan grammar, ToolRAG showing {DEFAULT_TOOLS_SHOWN} of the 18 desktop tools, 2 threads). A plan's DAG matches when "
        "it calls the gold tools with the gold dependencies (`agentc.evals.dag`). The synthesized requests Tool2Vec is fitted "
        "on come from the training templates only (`agentc.edge.assistant.tool_uses`).\n\n" + table
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=60, help="held-out desktop requests")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True, help="update RESULTS.md")
    opts = parser.parse_args()
    llm = load_local_llm("smollm2", adapter=shipped_adapter("smollm2"), kv_cache="f16", n_ctx=4096, n_threads=2)
    try:
        with tempfile.TemporaryDirectory() as home:
            tools = desktop_tools(DesktopConfig(home=Path(home)), backend="portable")
            rows = asyncio.run(measure(llm, tools, heldout("desktop", opts.items)))
    finally:
        llm.close()
    body = section(rows, opts.items)
    print(body)
    if opts.write:
        write_section(SECTION, body)


if __name__ == "__main__":
    main()
