"""`select_tools`: the tools a planner should show for one question (ToolRAG).

This is the hook between retrieval and the planner: given the agent's
tools and a fitted retriever, return the `k` most relevant tools, in the
order the retriever ranks them. Tools the retriever has not seen are added
to it first (`add_tool`, no refit), so an agent's tool list may grow
without retraining.
"""

from __future__ import annotations

from typing import Collection, Mapping, Sequence, TypeVar

from agentc.retrieval.base import Retriever, ToolLike
from agentc.retrieval.errors import RetrievalError

T = TypeVar("T", bound=ToolLike)


def select_tools(retriever: Retriever, query: str, tools: Sequence[T], k: int) -> list[T]:
    """The `k` tools of `tools` the retriever ranks best for `query`, best first.

    The retriever may know more tools than `tools` (fitted on a whole
    catalog); only the given ones are returned. With `k >= len(tools)`
    every tool is returned, still in ranked order.
    """
    if k < 1:
        raise RetrievalError(f"top_k must be at least 1, got {k}; pass the number of tools the planner may see")
    by_name = {t.name: t for t in tools}
    if len(by_name) != len(tools):
        raise RetrievalError("two of the tools given share a name; tool names must be unique")
    known = set(retriever.tool_names)
    for tool in tools:
        if tool.name not in known:
            retriever.add_tool(tool)
    wanted = min(k, len(by_name))
    total = len(retriever.tool_names)
    depth = min(total, max(4 * wanted, 32))
    while True:  # search deeper only when other tools of the retriever crowd out the given ones
        picked = [by_name[name] for name, _ in retriever.search(query, depth) if name in by_name]
        if len(picked) >= wanted or depth >= total:
            return picked[:wanted]
        depth = min(total, depth * 4)


class ToolRAG:
    """A tool selector for `Agent(tool_selector=...)`: only the `k` tools the
    retriever ranks best for the question go into the planner prompt.

    `companions` maps a tool to the tools its arguments usually come from
    (`send_sms` to `get_phone_number`): a chosen tool brings its companions
    along, placed before it, and they count towards `k` (the last tool's
    companions may pass it), since a planner shown the tool without them
    cannot write the call's inputs.
    """

    def __init__(self, retriever: Retriever, k: int, companions: Mapping[str, Collection[str]] | None = None) -> None:
        if k < 1:
            raise RetrievalError(f"ToolRAG needs k >= 1, got {k}")
        self.retriever = retriever
        self.k = k
        self.companions = dict(companions or {})

    def __call__(self, question: str, tools: Sequence[T]) -> list[T]:
        if not self.companions:
            return select_tools(self.retriever, question, tools, self.k)
        by_name = {t.name: t for t in tools}
        shown: dict[str, T] = {}
        # Each ranked tool ends up shown, so the k best are enough to fill k.
        for tool in select_tools(self.retriever, question, tools, self.k):
            if len(shown) >= self.k:
                break
            for name in sorted(self.companions.get(tool.name, ())):
                if name in by_name:
                    shown.setdefault(name, by_name[name])
            shown.setdefault(tool.name, tool)
        return list(shown.values())
