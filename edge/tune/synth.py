"""Training data for teaching a small model to plan with agentc's own toolkits.

`synthesize(toolkit, n=...)` fills phrasing templates with slot values and
returns questions with their gold plans (and, for the builtin tools, the
right answer, worked out by running the tools). `joiner_pairs(items)` runs
the gold plans for real through `Agent` and pairs the joiner's exact prompt
with the decision it should write.

Items are split by template, not by item: about a fifth of each intent's
templates are `heldout`, so an evaluation on them measures whether the model
learned the plan language rather than memorised phrasings.
"""

from __future__ import annotations

import importlib
import random
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Sequence

from agentc.edge.tune.drafts import Template
from agentc.llm import Message
from agentc.tools.tool import Tool
from agentc.trace import TaskRecord

TOOLKITS = ("builtin", "desktop")
HELDOUT_EVERY = 5
"""One template in five (per intent, by position) is held out."""



@dataclass(frozen=True)
class SynthItem:
    question: str
    plan: str
    tools: tuple[str, ...]
    toolkit: str
    template: str
    split: str
    answer: str | None = None
    result: str | None = None
    """Built-in items whose plan closes with `join($K)`: task K's result, the whole answer."""


@dataclass(frozen=True)
class JoinerPair:
    messages: list[Message]
    completion: str
    template: str
    split: str


def templates(toolkit: str) -> list[Template]:
    """The toolkit's templates, ids prefixed with the toolkit (`builtin/convert/03`)."""
    return [Template(f"{toolkit}/{t.id}", t.intent, t.make) for t in _module(toolkit).templates()]


def _module(toolkit: str) -> ModuleType:
    if toolkit not in TOOLKITS:
        raise ValueError(f"unknown toolkit {toolkit!r}; use one of {', '.join(TOOLKITS)}")
    return importlib.import_module(f"agentc.edge.tune.synth_{toolkit}")


def split_of(template_id: str) -> str:
    """`heldout` for every fifth template of an intent (counting from the third), else `train`."""
    position = template_id.rpartition("/")[2]
    return "heldout" if int(position) % HELDOUT_EVERY == 2 else "train"


def synthesize(toolkit: str, *, n: int, seed: int = 0) -> list[SynthItem]:
    """`n` items with distinct questions, the same for the same `seed`."""
    pool = templates(toolkit)
    by_intent: dict[str, list[Template]] = {}
    for t in pool:
        by_intent.setdefault(t.intent, []).append(t)
    intents = sorted(by_intent)
    weights = [_module(toolkit).INTENT_WEIGHTS.get(i, 1.0) for i in intents]
    rng = random.Random(f"{toolkit}:{seed}")
    items: list[SynthItem] = []
    seen: set[str] = set()
    attempts = 0
    while len(items) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise ValueError(f"only {len(items)} distinct {toolkit} questions found for n={n}; ask for fewer")
        template = rng.choice(by_intent[rng.choices(intents, weights)[0]])
        draft = template.make(rng)
        question = _tidy(draft.question)
        if question.lower() in seen:
            continue
        seen.add(question.lower())
        items.append(
            SynthItem(
                question=question,
                plan=draft.plan(),
                tools=draft.tools(),
                toolkit=toolkit,
                template=template.id,
                split=split_of(template.id),
                answer=draft.answer if toolkit == "builtin" else None,
                result=draft.result if toolkit == "builtin" else None,
            )
        )
    return items


def _tidy(question: str) -> str:
    question = re.sub(r"\s+", " ", question).strip()
    return question[:1].upper() + question[1:]


async def joiner_pairs(items: Sequence[SynthItem], *, seed: int = 0) -> list[JoinerPair]:
    """For builtin items: the joiner's messages after the gold plan ran, and its decision.

    Items whose plan ends `join($K)` are answered without a joiner, so they
    give no pair. Some conversions are run again with a misspelt unit, for
    a `Replan` pair and a final `Finish` that says what failed.
    """
    return await _pairs_for(items, seed=seed)


# --- joiner pairs ---------------------------------------------------------------------

FINISH_THOUGHTS = (
    "The results answer the question.",
    "Every figure needed is in the observations.",
    "The tools returned what was asked for.",
    "All tasks succeeded.",
    "The observations give the answer.",
)
NO_TOOL_THOUGHTS = (
    "No tools were needed for this.",
    "This needs no tool; I can answer directly.",
    "Nothing had to be looked up.",
)
_CONVERT_LINE = re.compile(r'convert_units\(value=([^,]+), from_unit="([^"]+)", to_unit="([^"]+)"\)')


async def _pairs_for(items: Sequence[SynthItem], *, seed: int) -> list[JoinerPair]:
    from agentc.edge.tune.synth_builtin import runnable_tools

    tools = runnable_tools()
    rng = random.Random(f"joiner:{seed}")
    pairs: list[JoinerPair] = []
    for item in items:
        if item.toolkit != "builtin" or item.answer is None or "join($" in item.plan:
            continue
        tasks = await _run_plan(item.question, item.plan, tools)
        thought = rng.choice(FINISH_THOUGHTS if item.tools else NO_TOOL_THOUGHTS)
        pairs.append(_pair(item, tasks, False, f"Thought: {thought}\nAction: Finish({item.answer})"))
        found = _CONVERT_LINE.search(item.plan)
        if found and len(_CONVERT_LINE.findall(item.plan)) == 1 and rng.random() < 0.3:
            pairs += await _failed_conversion(item, found, tools)
    return pairs


async def _failed_conversion(item: SynthItem, found: re.Match[str], tools: list[Tool]) -> list[JoinerPair]:
    """The same plan with a misspelt target unit: replan with the right name, or, on the last round, say it failed."""
    from agentc.edge.tune.synth_builtin import UNIT_WORDS, misspelt_unit

    value, source, target = found.groups()
    bad = misspelt_unit(target)
    source_word, target_word = UNIT_WORDS[source][0], UNIT_WORDS[target][0]
    plan = item.plan.replace(f'to_unit="{target}"', f'to_unit="{bad}"', 1)
    tasks = await _run_plan(item.question, plan, tools)
    thought = f'The conversion failed: "{bad}" is not a unit the converter knows.'
    replan = f'Thought: {thought}\nAction: Replan(convert {value} {source_word} to {target_word}, spelling the unit "{target}")'
    final = (
        f"Thought: {thought}\nAction: Finish(I could not convert {value} {source_word} to {target_word}: the unit "
        f'"{bad}" was not recognised, so I have no result for that part.)'
    )
    return [_pair(item, tasks, False, replan), _pair(item, tasks, True, final)]


def _pair(item: SynthItem, tasks: list[TaskRecord], final: bool, completion: str) -> JoinerPair:
    from agentc.planners.llmcompiler import joiner_messages

    return JoinerPair(joiner_messages(item.question, tasks, final=final), completion, item.template, item.split)


async def _run_plan(question: str, plan: str, tools: list[Tool]) -> list[TaskRecord]:
    """The trace's tasks after `plan` ran with the real tools (the joiner's reply is not used)."""
    from agentc import Agent
    from agentc.llm import ScriptedLLM

    llm = ScriptedLLM([plan, "Thought: done.\nAction: Finish(done)"])
    result = await Agent(llm, tools, max_replans=0, tool_retries=0).arun(question)
    return list(result.trace.tasks)
