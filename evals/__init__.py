"""Function-calling evaluation: score a planner on BFCL, Seal-Tools or our JSONL.

    from agentc.evals import EvalOptions, evaluate, load_items, summarise

    items = load_items("data/bfcl", ["parallel"])
    results = await evaluate(items, llm, EvalOptions(grammar=True), llm_label="smollm2")
    print(summarise(results).as_dict())

The planner writes one plan per item (`Agent.aplan`: parsed and checked as
in a real run, no tool is called; the items' tools exist only as schemas,
`agentc.tools.schema.tool_from_schema`). The plan's tasks are scored by the
item's benchmark rules: BFCL's AST check (`bfcl`), Seal-Tools' call and
parameter metrics (`calls`), and the DAG metric (`dag`). On the command
line: `agentc eval fc --data PATH` (`cli.eval_app`).

Modules, in data-flow order: `items` (what an item is), `loaders`,
`runner` (plan each item), `plans` (tasks back to the data set's names),
`score` -> `bfcl` / `calls` / `dag`, `summary`, `fc_report`, `cli`.

The harness every benchmark shares: `jsonl` (reading data lines),
`results` (the resumable JSONL of a run), `workers` (local workers and
Ray), `table` (the scores table for the terminal and the report), `report`
(the HTML page), `summary_json` (the `--summary-json` file). The other
benchmarks sit beside function calling: `web` (`agentc eval web`) and
`retrieval` (`agentc eval retrieval`).
"""

from agentc.evals.items import Call, EvalItem, GoldCall
from agentc.evals.loaders import load_bfcl, load_items, load_jsonl, load_seal_tools
from agentc.evals.results import ItemResult, ResultsFile
from agentc.evals.runner import EvalOptions, evaluate
from agentc.evals.summary import Summary, summarise

__all__ = [
    "Call",
    "EvalItem",
    "EvalOptions",
    "GoldCall",
    "ItemResult",
    "ResultsFile",
    "Summary",
    "evaluate",
    "load_bfcl",
    "load_items",
    "load_jsonl",
    "load_seal_tools",
    "summarise",
]
