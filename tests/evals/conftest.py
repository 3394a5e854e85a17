"""Data and planners for the evaluation tests.

The items are real ones, copied from BFCL and Seal-Tools into
tests/data/evals/ with their licence notes; `score_plan` sends a plan text
through the whole pipeline (ScriptedLLM -> Agent.aplan -> parser, checks ->
names mapped back -> checker), as an evaluation run does.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Awaitable, Callable, Iterator

import pytest

from agentc.agent import Agent
from agentc.edge.llamacpp import LlamaCppLLM
from agentc.edge.models import load_local_llm
from agentc.evals.items import EvalItem
from agentc.evals.loaders import load_items
from agentc.evals.plans import plan_calls
from agentc.evals.score import Score, score
from agentc.llm import ScriptedLLM
from agentc.tools.schema import tool_from_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "evals"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def bfcl_items() -> dict[str, EvalItem]:
    """The copied BFCL items, by id."""
    return {i.id: i for i in load_items(DATA / "bfcl")}


@pytest.fixture(scope="session")
def seal_items() -> dict[str, EvalItem]:
    return {i.id: i for i in load_items(DATA / "seal_tools")}


@pytest.fixture(scope="session")
def own_items() -> dict[str, EvalItem]:
    return {i.id: i for i in load_items(DATA / "own.jsonl")}


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete shipped BFCL and Seal-Tools files, unpacked in BFCL's layout."""
    root = tmp_path_factory.mktemp("shipped")
    for packed in (DATA / "shipped").rglob("*.gz"):
        target = root / packed.relative_to(DATA / "shipped").with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(packed, "rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink)
    return root


ScorePlan = Callable[[EvalItem, str], Awaitable[Score]]


@pytest.fixture
def score_plan() -> ScorePlan:
    """Score a plan text for an item through the real pipeline."""

    async def run(item: EvalItem, plan: str) -> Score:
        tools = [tool_from_schema(f) for f in item.functions]
        planned = await Agent(ScriptedLLM([plan]), tools).aplan(item.question)
        calls = plan_calls(planned.tasks, item.functions)
        return score(item, calls, None if planned.valid else str(planned.error))

    return run


@pytest.fixture(scope="session")
def smollm2_planner() -> Iterator[LlamaCppLLM]:
    """The bundled SmolLM2-135M, loaded once for the session."""
    llm = load_local_llm("smollm2", n_ctx=4096)
    yield llm
    llm.close()
