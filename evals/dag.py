"""The DAG metric (TinyAgent's): is the plan's dependency graph the gold one?

Each call is a node labelled with its tool's name, each use of an earlier
result an edge; the plan is right when its graph is isomorphic to the gold
graph with matching labels. It checks the shape of the plan (which calls,
which depend on which) and nothing about the argument values, so it
complements BFCL's check, which looks at values and not at dependencies.
"""

from __future__ import annotations

from typing import Sequence

import networkx as nx
from networkx.algorithms.isomorphism import categorical_node_match

from agentc.evals.items import Call, GoldCall

_SAME_TOOL = categorical_node_match("tool", None)


def plan_graph(calls: Sequence[Call]) -> nx.DiGraph:
    """The plan's graph: a node per call (by task id), an edge from each dependency."""
    graph = nx.DiGraph()
    for call in calls:
        graph.add_node(call.idx, tool=call.name)
    for call in calls:
        graph.add_edges_from((dep, call.idx) for dep in call.deps if dep in graph)
    return graph


def gold_graph(calls: Sequence[GoldCall]) -> nx.DiGraph:
    """The gold graph: gold calls numbered from 1, edges from their `deps`."""
    graph = nx.DiGraph()
    for number, call in enumerate(calls, start=1):
        graph.add_node(number, tool=call.name)
    for number, call in enumerate(calls, start=1):
        graph.add_edges_from((dep, number) for dep in call.deps if dep in graph)
    return graph


def same_dag(calls: Sequence[Call], gold: Sequence[GoldCall]) -> bool:
    """Whether the plan's graph is isomorphic to the gold one, tool names matching."""
    return nx.is_isomorphic(plan_graph(calls), gold_graph(gold), node_match=_SAME_TOOL)
