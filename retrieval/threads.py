"""Small work runs on one thread.

Ranking one query is a matrix-vector product of a few million multiply-adds,
encoding one query a forward pass over a dozen tokens, training the refiner
or MLC a few hundred thousand weights: too little to gain from a second
thread. And on a machine whose cores are busy with anything else, extra
threads hurt badly: torch's OpenMP threads keep spinning after a call and
fight OpenBLAS's (or each other) for the cores. Measured on the 2-core
machine the benchmarks run on, while other jobs were running: a
4,000-tool product took 9 ms instead of 0.3 ms, one query's encoding 65 ms
instead of 8 ms, and refiner training 20-30 s instead of 3 s.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any, ContextManager, Iterator

from agentc.retrieval.training import require_torch


@lru_cache(maxsize=1)
def _controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it searches are correct, only slower under contention
        return None
    return ThreadpoolController()


def single_threaded() -> ContextManager[Any]:
    """A context in which BLAS and OpenMP pools use one thread (about 15 us; a no-op without threadpoolctl)."""
    controller = _controller()
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1)


@contextlib.contextmanager
def one_torch_thread() -> Iterator[Any]:
    """Run torch on one thread, then restore the caller's setting; yields the torch module."""
    torch = require_torch()
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield torch
    finally:
        torch.set_num_threads(before)
