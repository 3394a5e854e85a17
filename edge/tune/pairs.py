"""Training pairs: the prompt the agent sends at run time, and what the model should write.

A pair is only useful if its prompt is byte for byte what the planner or the
joiner sees when the agent runs, so pairs are built with the agent's own
prompt builders (`planner_messages`, `joiner_messages`) and rendered and
tokenized by the same llama.cpp chat formatter and tokenizer the edge
backend uses. The tuned model is shown no few-shot examples: it has learnt
the plan language, and a shorter prompt is a faster one.

Tool lists are shown as the planner sees them under ToolRAG: the tools a
plan needs among a few others, in a random order, so the adapter learns to
pick tools by their description, not by their place in the list.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal, Sequence

from agentc.llm import Message
from agentc.planners.llmcompiler import planner_messages
from agentc.toolspec import ToolSpec

if TYPE_CHECKING:
    from agentc.edge.llamacpp import LlamaCppLLM

Role = Literal["planner", "joiner"]
Split = Literal["train", "validation"]


@dataclass(frozen=True)
class Pair:
    """One prompt and the completion the model should write for it.

    `source` says where it comes from ("bfcl/simple_python",
    "synth/desktop", "user", ...), `key` identifies the item it was made
    from (several renderings of one item share it), `split` keeps items
    used to measure the adapter out of its training.
    """

    messages: tuple[Message, ...]
    completion: str
    role: Role
    source: str
    key: str
    split: Split = "train"


def plan_pair(
    tools: Sequence[ToolSpec], question: str, plan: str, *, source: str, key: str, split: Split = "train"
) -> Pair:
    """A planner pair: the planner prompt over `tools` (no examples) and the gold plan."""
    return Pair(tuple(planner_messages(tools, question)), plan.strip(), "planner", source, key, split)


def offered_tools(
    needed: Sequence[ToolSpec], pool: Sequence[ToolSpec], rng: random.Random, *, most: int = 3
) -> list[ToolSpec]:
    """The tools a plan needs plus 0..`most` others from `pool`, shuffled:
    the kind of list ToolRAG hands the planner."""
    names = {t.name for t in needed}
    others = list({t.name: t for t in pool if t.name not in names}.values())
    extra = rng.sample(others, min(len(others), rng.randint(0, most)))
    shown = list(needed) + extra
    rng.shuffle(shown)
    return shown


def encode(pairs: Iterable[Pair], llm: "LlamaCppLLM") -> Iterator[dict[str, Any]]:
    """Each pair as token ids: the rendered prompt exactly as
    `LlamaCppLLM` tokenizes it, then the completion and the end-of-turn
    token; `start` is where the completion begins."""
    end = llm.llama.token_eos()
    for pair in pairs:
        prompt = llm.llama.tokenize(llm.render_prompt(list(pair.messages)).encode("utf-8"), add_bos=False, special=True)
        completion = llm.llama.tokenize(pair.completion.encode("utf-8"), add_bos=False, special=False)
        yield {
            "ids": [*prompt, *completion, end],
            "start": len(prompt),
            "role": pair.role,
            "source": pair.source,
            "key": pair.key,
            "split": pair.split,
        }


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write `records` one JSON object a line; returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def pair_record(pair: Pair) -> dict[str, Any]:
    """A pair as plain JSON (for reading the data, not for training)."""
    return {
        "messages": [m.to_dict() for m in pair.messages],
        "completion": pair.completion,
        "role": pair.role,
        "source": pair.source,
        "key": pair.key,
        "split": pair.split,
    }
