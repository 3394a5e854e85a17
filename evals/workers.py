"""Play work items on parallel workers: asyncio tasks here, or Ray tasks on a cluster.

    outcomes = await run_local(items, lambda: MyWorker(options), workers=2)
    outcomes = run_ray(items, play_chunk, (options,), read=Outcome.from_plain, workers=4, address="local")

A worker is an async context manager that owns what its items need (a
browser, sites, a model) and plays one item at a time (`Worker.play`);
nothing is shared between workers, so outcomes do not depend on how the
items were spread over them. Outcomes come back in item order, and each is
handed to `on_outcome` the moment it arrives (to save it and show progress).
On Ray, each Ray task opens its own worker, plays a chunk of items and
returns plain data (`play_chunk`), which `read` turns back into outcomes.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Callable, Protocol, Sequence, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class Worker(Protocol[Item, Outcome]):
    """Plays items one after another; `async with` opens and closes what it owns."""

    async def __aenter__(self) -> "Worker[Item, Outcome]": ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def play(self, item: Item) -> Outcome: ...


async def run_local(
    items: Sequence[Item],
    open_worker: Callable[[], Worker[Item, Outcome]],
    *,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Play `items` on `workers` workers made by `open_worker` (asyncio tasks
    in this process); outcomes come back in item order."""
    if workers < 1:
        raise ValueError("workers must be 1 or more")
    queue: asyncio.Queue[tuple[int, Item]] = asyncio.Queue()
    for pair in enumerate(items):
        queue.put_nowait(pair)
    found: dict[int, Outcome] = {}

    async def work() -> None:
        async with open_worker() as worker:
            while not queue.empty():
                index, item = queue.get_nowait()
                found[index] = await worker.play(item)
                if on_outcome is not None:
                    on_outcome(found[index])

    async with asyncio.TaskGroup() as group:
        for _ in range(min(workers, len(items))):
            group.create_task(work())
    return [found[i] for i in range(len(items))]


def run_ray(
    items: Sequence[Item],
    play_chunk: Callable[..., list[Any]],
    args: tuple[Any, ...],
    *,
    read: Callable[[Any], Outcome],
    workers: int = 1,
    address: str | None = None,
    chunk_size: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Play `items` as Ray tasks, at most `workers` at a time: each runs
    `play_chunk(chunk, *args)` (a module-level function, so Ray can ship it)
    and returns one plain value per item, which `read` turns into an outcome.

    Connects with `ray.init(address=address)` unless Ray is already
    initialised ("local" starts a local cluster); a cluster this call
    started is shut down at the end. Outcomes come back in item order.
    """
    import ray

    if workers < 1:
        raise ValueError("workers must be 1 or more")
    started = not ray.is_initialized()
    if started:
        ray.init(address=None if address in (None, "local") else address, log_to_driver=False)
    try:
        size = chunk_size or max(1, math.ceil(len(items) / (workers * 4)))
        chunks = [list(enumerate(items))[i : i + size] for i in range(0, len(items), size)]
        remote = ray.remote(num_cpus=1, max_retries=0)(play_chunk)
        found: dict[int, Outcome] = {}
        pending: dict[Any, list[int]] = {}
        waiting = list(chunks)
        while waiting or pending:
            while waiting and len(pending) < workers:
                chunk = waiting.pop(0)
                ref = remote.remote([item for _, item in chunk], *args)
                pending[ref] = [index for index, _ in chunk]
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                indexes = pending.pop(ref)
                for index, plain in zip(indexes, ray.get(ref)):
                    found[index] = read(plain)
                    if on_outcome is not None:
                        on_outcome(found[index])
        return [found[i] for i in range(len(items))]
    finally:
        if started:
            ray.shutdown()
