"""What the trained retrievers (refiner, MLC) share: torch on demand, epoch counts.

Torch is imported only when a model is trained, so searching with a saved
refiner or MLC, or using any other retriever, never loads it.
"""

from __future__ import annotations

from typing import Any

from agentc.retrieval.errors import RetrievalError


def require_torch() -> Any:
    """The torch module, or an error that says how to install the CPU build."""
    try:
        import torch
    except ImportError:
        raise RetrievalError(
            "the refiner and MLC retrievers train with torch, which is not installed: "
            "pip install torch==2.13.0 (the CPU build), or use the tool2vec or hybrid method"
        ) from None
    return torch


def training_epochs(batches_per_epoch: int, *, steps: int = 1000, least: int = 4, most: int = 40) -> int:
    """Epochs for about `steps` optimiser steps: few passes over a big set, many over a small one."""
    return max(least, min(most, round(steps / batches_per_epoch)))
