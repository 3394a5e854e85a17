"""The tool-retrieval hook: show the planner only the top-k retrieved tools.

`EvalOptions.select_tools` takes any `(question, tools) -> tools`; this
module builds one from a retriever saved by `agentc.retrieval` (for
example with `agentc eval retrieval --save DIR`), through
`agentc.retrieval.select.select_tools`, so the evaluation measures the
planner with the prompt a ToolRAG agent would give it.
"""

from __future__ import annotations

from pathlib import Path

from agentc.evals.errors import EvalError
from agentc.evals.runner import ToolSelector
from agentc.tools import Tool


def retrieved_tools(path: str | Path, k: int) -> ToolSelector:
    """A selector keeping the `k` tools the retriever saved at `path` ranks best."""
    if k < 1:
        raise EvalError(f"--top-k must be at least 1, got {k}")
    try:
        from agentc.retrieval.persist import load_retriever
        from agentc.retrieval.select import select_tools
    except ImportError as exc:
        raise EvalError(f"tool retrieval needs the retrieval extra ({exc}); pip install 'agentc[retrieval]'") from None
    retriever = load_retriever(path)

    def select(question: str, tools: list[Tool]) -> list[Tool]:
        return select_tools(retriever, question, tools, k)

    return select
