"""The work items of a web run: tasks from a WebArena-format file, or MiniWoB++ episodes.

A task file is read as written (`read_tasks`) and split by `url_map`: a
task whose sites all have a URL becomes a work item; one whose site has no
URL (a WebArena task for GitLab when only the shop is deployed) is set
aside as a `SkippedTask` naming the sites it lacks, so one unmapped site
does not stop the rest of the file from running.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from agentc.envs.web.tasks import WebTask, read_tasks
from agentc.evals.errors import EvalDataError
from agentc.evals.web.outcome import WorkItem

OUR_SITES = ("shop", "forum", "admin", "shopping", "reddit", "shopping_admin")
"""Our site names and the WebArena names our sites answer to."""


def deferred_url_map() -> dict[str, str]:
    """A url_map that turns every placeholder of our sites into its `__SITE__`
    form: tasks load and validate before any site runs, and each worker fills
    in its own ports later (`WebTask.resolved`)."""
    return {name: f"__{name.upper()}__" for name in OUR_SITES}


@dataclass(frozen=True)
class SkippedTask:
    """A task that cannot run against the url_map, and the sites it lacks a URL for."""

    task_id: str
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class TaskSelection:
    """The runnable tasks of a file, resolved through the url_map, and the ones set aside."""

    tasks: list[WebTask]
    skipped: list[SkippedTask]


def select_tasks(path: Path, url_map: dict[str, str]) -> TaskSelection:
    """The tasks at `path` split into runnable (resolved) and skipped ones.

    Raises `TaskLoadError` for a file or task that is invalid in itself."""
    runnable, skipped = [], []
    for task in read_tasks(path):
        unmapped = task.unmapped_sites(url_map)
        if unmapped:
            skipped.append(SkippedTask(str(task.task_id), tuple(unmapped)))
        else:
            runnable.append(task.resolved(url_map))
    return TaskSelection(runnable, skipped)


def missing_urls(skipped: Sequence[SkippedTask]) -> dict[str, int]:
    """Each site without a URL and how many of the `skipped` tasks need it, by site name."""
    counts: dict[str, int] = {}
    for task in skipped:
        for site in task.unmapped:
            counts[site] = counts.get(site, 0) + 1
    return dict(sorted(counts.items()))


def task_items(tasks: Sequence[WebTask]) -> list[WorkItem]:
    """One work item per task, keyed by task_id (which must be unique)."""
    items, seen = [], set()
    for task in tasks:
        key = str(task.task_id)
        if key in seen:
            raise EvalDataError(f"two tasks share task_id {key!r}; task ids must be unique within a run")
        seen.add(key)
        site = "+".join(task.sites) or "unknown"
        items.append(WorkItem(key=key, site=site, task=task.model_dump(mode="json")))
    return items


def miniwob_items(names: Sequence[str], seeds: Sequence[int] = (0,)) -> list[WorkItem]:
    """One work item per MiniWoB++ task and seed, keyed `miniwob.<name>.<seed>`."""
    return [WorkItem(key=f"miniwob.{n}.{s}", site="miniwob", miniwob=n, seed=s) for n in names for s in seeds]
