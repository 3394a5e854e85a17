"""The task DAG as a networkx graph: cycle check, topological order, critical path."""

from __future__ import annotations

from typing import Callable, Iterable

import networkx as nx

from agentc.errors import PlanError
from agentc.plan import Task


class TaskGraph:
    """Tasks as nodes, an edge from each dependency to its dependent.

    Building one checks the graph: duplicate ids, references to tasks that do
    not exist and cycles are `PlanError`s naming the lines involved.
    """

    def __init__(self, tasks: Iterable[Task]) -> None:
        self.graph: nx.DiGraph = nx.DiGraph()
        self.tasks: dict[int, Task] = {}
        for task in tasks:
            if task.idx in self.tasks:
                raise PlanError(
                    f"task id {task.idx} is used twice (lines {self.tasks[task.idx].line} and {task.line})", line=task.line
                )
            self.tasks[task.idx] = task
            self.graph.add_node(task.idx)
        for task in self.tasks.values():
            for dep in task.deps:
                if dep not in self.tasks:
                    raise PlanError(f"task {task.idx} refers to ${dep}, which no task defines", line=task.line, text=task.text)
                self.graph.add_edge(dep, task.idx)
        try:
            cycle = nx.find_cycle(self.graph)
        except nx.NetworkXNoCycle:
            return
        ids = [edge[0] for edge in cycle]
        first = self.tasks[ids[0]]
        raise PlanError(
            "the tasks depend on each other in a cycle: " + " -> ".join(f"${i}" for i in ids + [ids[0]]),
            line=first.line,
            text=first.text,
        )

    def topological_order(self) -> list[int]:
        return list(nx.topological_sort(self.graph))

    def critical_path(self, duration: Callable[[int], float]) -> tuple[float, list[int]]:
        """The longest chain by `duration(task_id)`: its length and its task ids.

        That length is the lower bound on a run's makespan with unbounded
        parallelism.
        """
        finish: dict[int, float] = {}
        previous: dict[int, int | None] = {}
        for node in self.topological_order():
            best_pred = max(self.graph.predecessors(node), key=lambda p: finish[p], default=None)
            start = finish[best_pred] if best_pred is not None else 0.0
            finish[node] = start + duration(node)
            previous[node] = best_pred
        if not finish:
            return 0.0, []
        end = max(finish, key=lambda n: finish[n])
        path: list[int] = []
        node: int | None = end
        while node is not None:
            path.append(node)
            node = previous[node]
        return finish[end], path[::-1]
