"""Grow a few dozen seed (question, plan) pairs into many training items.

A user tuning the planner for their own tools writes a handful of seed
pairs; a small model needs hundreds of items to learn a toolset. The values
are what varies between requests for the same tools, so growth swaps them:
a literal argument of a seed's plan that also appears verbatim in its
question is a *slot*, and each grown item replaces some slots, consistently
in the question and the plan, by other values of the same kind:

- the parameter's `enum` (a `Literal` or an `Enum`);
- `examples` and `default` of its schema, and "e.g. ..." examples in its
  description;
- numbers of the same shape (an int stays an int, a decimal keeps its
  decimals, digit count and round zeros are kept) within the schema's bounds;
- for free strings, a pool for the kind of value the parameter name,
  description or the value itself suggests (person, city, country, date and
  time, file, email, language, currency, topic), and the values other seeds
  give the same parameter.

A number that the plan only holds inside a string (`"0.17 * 2400"` for
"17% of 2,400") is swapped there too, and a percentage in the question
follows into its fraction in the plan. Plan order is never changed (the
renderer shuffles the tool list and adds distractors). Every grown plan is
parsed and checked against the tools again; those that fail are dropped and
counted in `GrowStats`.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from agentc.checks import PlanChecker
from agentc.errors import AgentcError
from agentc.parser import END_OF_PLAN, numbered_plan, parse_plan
from agentc.plan import ParsedCall, Ref, Template, render
from agentc.toolspec import ToolSpec, tool_table
from agentc.tools.registry import ToolRegistry

log = logging.getLogger(__name__)

Tools = ToolRegistry | Mapping[str, ToolSpec] | Iterable[ToolSpec]


class SeedError(AgentcError):
    """A seeds file is missing or malformed, or a seed's plan does not fit the
    tools. The message names the file, each bad line and what to change."""


@dataclass(frozen=True)
class Seed:
    """One pair a user wrote: a question and the plan that answers it.

    The plan ends with `N. join()` (or `join($K)`); `<END_OF_PLAN>` is added
    when missing, because the model must learn to write it.
    """

    question: str
    plan: str

    def __post_init__(self) -> None:
        plan = self.plan.strip()
        if not plan.endswith(END_OF_PLAN):
            plan += "\n" + END_OF_PLAN
        object.__setattr__(self, "plan", plan)


@dataclass
class GrowStats:
    """What growing did: `dropped` counts variants thrown away by reason
    (a plan that no longer parses or checks is a bug in a pool or a seed),
    `duplicates` variants already grown, `saturated` the seeds (0-based) whose
    values ran out before `n` was reached, `no_slots` the seeds with no value
    shared by question and plan (they are kept, never varied)."""

    requested: int
    grown: int = 0
    duplicates: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    saturated: list[int] = field(default_factory=list)
    no_slots: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class GrowResult:
    items: list[tuple[str, str]]
    stats: GrowStats


# ---------------------------------------------------------------------------
# loading


def load_seeds(path: Path, tools: Tools) -> list[Seed]:
    """Read JSONL seeds (`{"question": ..., "plan": ...}` a line; a plan may be
    one string or a list of lines) and check every plan against `tools`.

    All bad lines are reported at once, so a user fixes the file in one go.
    """
    path = Path(path)
    if not path.is_file():
        raise SeedError(f"no seeds file at {path}; write one JSON object a line: {{\"question\": ..., \"plan\": ...}}")
    table = tool_table(tools)
    seeds: list[Seed] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            seed = _read_seed(line, table)
        except ValueError as exc:
            problems.append(f"{path} line {number}: {exc}")
            continue
        if seed.question in first_line:
            problems.append(f"{path} line {number}: repeats the question of line {first_line[seed.question]}; keep one")
            continue
        first_line[seed.question] = number
        seeds.append(seed)
    if problems:
        raise SeedError("\n".join(problems))
    if not seeds:
        raise SeedError(f"{path} holds no seeds; write one JSON object a line: {{\"question\": ..., \"plan\": ...}}")
    return seeds


def _read_seed(line: str, tools: Mapping[str, ToolSpec]) -> Seed:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(item, dict):
        raise ValueError('expected an object {"question": ..., "plan": ...}')
    unknown = sorted(set(item) - {"question", "plan"})
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, unknown))}; a seed has only \"question\" and \"plan\"")
    question, plan = item.get("question"), item.get("plan")
    if not isinstance(question, str) or not question.strip():
        raise ValueError('"question" must be a non-empty string')
    if isinstance(plan, list) and all(isinstance(p, str) for p in plan):
        plan = "\n".join(plan)
    if not isinstance(plan, str) or not plan.strip():
        raise ValueError('"plan" must be the plan text (a string, or a list of its lines)')
    seed = Seed(question.strip(), plan)
    try:
        check_plan(seed.plan, tools)
    except AgentcError as exc:
        raise ValueError(f"the plan does not fit the tools: {exc}") from None
    return seed


def check_plan(plan: str, tools: Mapping[str, ToolSpec] | Iterable[ToolSpec]) -> list[ParsedCall]:
    """Parse `plan` and check every call against `tools`; raise `PlanError` if it fails."""
    calls = parse_plan(plan)
    checker = PlanChecker(tools, merge_identical=False)
    for call in calls:
        checker.check(call)
    return calls


# ---------------------------------------------------------------------------
# growing


_PATIENCE = 60
"""Failed or repeated variants in a row after which a seed counts as used up."""
_CHANGE = 0.8
"""Chance that a slot changes in a variant; below 1 so slots combine freely."""


def grow(seeds: Sequence[Seed], tools: Tools, *, n: int, seed: int = 0) -> list[tuple[str, str]]:
    """`n` distinct (question, plan) pairs: the seeds first, then variants of
    them in turn. Fewer when the seeds' values run out (logged as a warning)."""
    return grow_with_stats(seeds, tools, n=n, seed=seed).items


def grow_with_stats(seeds: Sequence[Seed], tools: Tools, *, n: int, seed: int = 0, warn: bool = True) -> GrowResult:
    """`grow`, with what was dropped and why; `warn=False` leaves running
    short of `n` to the stats (for callers growing many single seeds)."""
    rng = random.Random(seed)
    table = tool_table(tools)
    shapes = [_SeedShape.build(s, table) for s in seeds]
    seen = _seen_values(shapes)
    stats = GrowStats(requested=n)
    items: dict[tuple[str, str], None] = dict.fromkeys((s.question, s.plan) for s in seeds)
    stats.no_slots = [i for i, shape in enumerate(shapes) if not shape.slots]
    active = [i for i, shape in enumerate(shapes) if shape.slots]
    misses = [0] * len(shapes)
    while len(items) < n and active:
        for i in list(active):
            if len(items) >= n:
                break
            item, reason = shapes[i].variant(rng, seen, table)
            if item is not None and item not in items:
                items[item] = None
                misses[i] = 0
                continue
            if item is None:
                stats.dropped[reason] += 1
            else:
                stats.duplicates += 1
            misses[i] += 1
            if misses[i] >= _PATIENCE:
                active.remove(i)
                stats.saturated.append(i)
    result = list(items)[:n]
    stats.grown = len(result)
    if len(result) < n and warn:
        log.warning(
            "grew %d of %d items: the seeds' values ran out; add seeds, or give parameters enums or e.g. examples",
            len(result),
            n,
        )
    log.log(
        logging.INFO if warn else logging.DEBUG,
        "grew %d items from %d seeds; dropped %s, %d duplicates",
        len(result),
        len(seeds),
        dict(stats.dropped),
        stats.duplicates,
    )
    return GrowResult(result, stats)


@dataclass(frozen=True)
class _Param:
    """Where a literal sits: a tool's parameter and its (resolved) schema."""

    tool: str
    name: str
    schema: Mapping[str, Any]

    @property
    def description(self) -> str:
        return str(self.schema.get("description") or "")


@dataclass
class _Slot:
    """A value that the question and the plan share.

    A text slot has `text` (as the plan writes it); a number slot has
    `number` (as the question writes it, `token` its surface) and `scale`
    (the plan holds `number * scale`: 0.01 for a percentage)."""

    param: _Param | None
    text: str | None = None
    number: Decimal | None = None
    token: str = ""
    scale: Decimal = Decimal(1)


@dataclass
class _SeedShape:
    """A seed taken apart: its plan's calls and lines, and its slots."""

    seed: Seed
    calls: list[ParsedCall]
    lines: list[str]
    params: dict[tuple[int, int | str], _Param]
    slots: list[_Slot]
    literals: set[str] = field(default_factory=set)
    """The plan's string arguments, lower-cased: a new value must differ from all."""

    @classmethod
    def build(cls, seed: Seed, tools: Mapping[str, ToolSpec]) -> "_SeedShape":
        calls = check_plan(seed.plan, tools)
        params: dict[tuple[int, int | str], _Param] = {}
        for call in calls:
            props, order = _properties(tools[call.tool])
            for position in range(len(call.positional)):
                name = order[position]
                params[(call.idx, position)] = _Param(call.tool, name, props.get(name, {}))
            for name, _ in call.keywords:
                params[(call.idx, name)] = _Param(call.tool, name, props.get(name, {}))
        shape = cls(seed, calls, seed.plan.split("\n"), params, [])
        shape.slots = shape._find_slots()
        shape.literals = {v.lower() for _, v in shape.arguments() if isinstance(v, str)}
        return shape

    def arguments(self) -> Iterable[tuple[_Param, Any]]:
        for call in self.calls:
            for position, value in enumerate(call.positional):
                yield self.params[(call.idx, position)], value
            for name, value in call.keywords:
                yield self.params[(call.idx, name)], value

    def _find_slots(self) -> list[_Slot]:
        question = self.seed.question
        numbers = _question_numbers(question)
        texts: dict[str, _Slot] = {}
        by_number: dict[Decimal, _Slot] = {}

        def number_slot(value: Decimal, param: _Param | None) -> None:
            for scale in (Decimal(1), Decimal("0.01")):
                found = numbers.get(value / scale)
                if found is None or (scale != 1 and not found[1]):
                    continue
                if abs(found[0]) == 1:  # "1 day" would become "5 day"
                    return
                slot = by_number.get(found[0])
                if slot is None:
                    by_number[found[0]] = _Slot(param, number=found[0], token=found[2], scale=scale)
                elif slot.param is None and param is not None:
                    slot.param = param
                return

        def visit(value: Any, param: _Param | None) -> None:
            if isinstance(value, str):
                if _NUMBER.fullmatch(value.strip()) is None and len(value.strip()) >= 2 and _find(question, value):
                    texts.setdefault(value.lower(), _Slot(param, text=value))
                else:
                    for token in _NUMBER.findall(value):
                        number_slot(_decimal(token), None)
            elif isinstance(value, Template):
                for token in (t for part in value.parts if isinstance(part, str) for t in _NUMBER.findall(part)):
                    number_slot(_decimal(token), None)
            elif isinstance(value, bool) or value is None or isinstance(value, Ref):
                return
            elif isinstance(value, (int, float)):
                number_slot(_decimal(repr(value)), param)
            elif isinstance(value, (list, tuple)):
                inner = _Param(param.tool, param.name, _resolve(param.schema.get("items", {}), {})) if param else None
                for item in value:
                    visit(item, inner)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item, None)

        for param, value in self.arguments():
            visit(value, param)
        return list(texts.values()) + list(by_number.values())

    def variant(
        self, rng: random.Random, seen: Mapping[tuple[str, str], list[Any]], tools: Mapping[str, ToolSpec]
    ) -> tuple[tuple[str, str] | None, str]:
        """One grown item, or None and the reason it was dropped."""
        chosen = [s for s in self.slots if rng.random() < _CHANGE] or [rng.choice(self.slots)]
        swap = _Swap()
        question_numbers = set(_question_numbers(self.seed.question))
        for slot in chosen:
            # two equal values ("celsius" to "celsius") make a pointless plan
            texts, numbers = swap.taken | self.literals, question_numbers | set(swap.question_numbers.values())
            self._draw(slot, rng, seen, swap, texts=texts, numbers=numbers)
        if swap.empty:
            return None, "no new value"
        question, hits = swap.text(self.seed.question, plan_side=False)
        if hits < swap.size:
            return None, "slot lost in the question"
        lines = list(self.lines)
        expected: list[_Expected] = []
        for call in self.calls:
            _, positional, keywords = swapped = _swapped(call, swap)
            expected.append(swapped)
            if positional != call.positional or keywords != call.keywords:
                head = _TASK_HEAD.match(lines[call.line - 1])
                prefix = head.group() if head else f"{call.idx}. "
                lines[call.line - 1] = prefix + _call_text(call.tool, positional, keywords)
        for number, line in enumerate(lines):
            if _THOUGHT.match(line):
                lines[number] = swap.text(line, plan_side=False)[0]
        plan = "\n".join(lines)
        misread = _misread(plan, tools, expected)
        return (None, misread) if misread else ((question, plan), "")

    def listed(
        self,
        rng: random.Random,
        seen: Mapping[tuple[str, str], list[Any]],
        tools: Mapping[str, ToolSpec],
        *,
        count: int,
    ) -> tuple[str, str] | None:
        """The question with one slot's value listed beside `count - 1` new
        ones, and a plan of one call for each value; None when the slot is
        not a plain argument written once in the question."""
        slot = rng.choice(self.slots)
        (call,) = self.calls
        if slot.text is None and (slot.number is None or slot.scale != 1):
            return None
        swaps: list[_Swap] = []
        question_numbers = set(_question_numbers(self.seed.question))
        for _ in range(count - 1):
            swap = _Swap()
            texts = self.literals | {t.lower() for s in swaps for _, t in s.texts.values()}
            numbers = question_numbers | {n for s in swaps for n in s.question_numbers.values()}
            if not self._draw(slot, rng, seen, swap, texts=texts, numbers=numbers):
                return None
            swaps.append(swap)
        questions = [self.seed.question]
        for swap in swaps:
            question, hits = swap.text(self.seed.question, plan_side=False)
            if hits != 1:
                return None
            questions.append(question)
        listed = _listed_question(questions)
        if listed is None:
            return None
        expected = [(call.tool, call.positional, call.keywords)]
        for swap in swaps:
            _, positional, keywords = swapped = _swapped(call, swap)
            before = [*call.positional, *(v for _, v in call.keywords)]
            after = [*positional, *(v for _, v in keywords)]
            changed = [value for value, old in zip(after, before) if value != old]
            if len(changed) != 1 or not isinstance(changed[0], (str, int, float)):
                return None  # a value inside a list or a formula is one call's, not several calls'
            expected.append(swapped)
        plan = numbered_plan([_call_text(*e) for e in expected])
        return None if _misread(plan, tools, expected) else (listed, plan)

    def _draw(
        self,
        slot: _Slot,
        rng: random.Random,
        seen: Mapping[tuple[str, str], list[Any]],
        swap: _Swap,
        *,
        texts: set[str],
        numbers: set[Decimal],
    ) -> bool:
        """Add to `swap` a new value for `slot`: one of its kind, none of
        `texts` (lower case) or `numbers`, and not already in the question.
        False when the draw gave no such value."""
        if slot.text is not None:
            new_text = _draw_text(slot, rng, seen)
            if new_text is None or new_text.lower() in texts or _find(self.seed.question, new_text):
                return False
            swap.add_text(slot.text, new_text)
            return True
        if slot.number is not None:
            new_number = _draw_number(slot, rng, seen)
            if new_number is None or new_number in numbers:
                return False
            swap.add_number(slot.number, new_number, slot.scale)
            return True
        return False


def listed_variants(seed: Seed, tools: Tools, *, n: int, seed_value: int = 0) -> list[tuple[str, str]]:
    """Up to `n` items asking a one-call seed for two or three values of one
    slot at once ("the area of circles of radius 3, 5 and 8"), planned as one
    call for each value: the shape of requests that fan out into parallel
    calls, which a small model otherwise learns only from the few items that
    have it. Seeds of more calls, and slots inside a list, give none."""
    rng = random.Random(seed_value)
    table = tool_table(tools)
    shape = _SeedShape.build(seed, table)
    if len(shape.calls) != 1 or not shape.slots:
        return []
    seen = _seen_values([shape])
    made: dict[tuple[str, str], None] = {}
    for _ in range(n * _PATIENCE):
        if len(made) >= n:
            break
        item = shape.listed(rng, seen, table, count=rng.choice((2, 2, 3)))
        if item is not None:
            made[item] = None
    return list(made)


_Expected = tuple[str, tuple[Any, ...], tuple[tuple[str, Any], ...]]
"""A call as `check_plan` reads it back: tool, positional and keyword arguments."""


def _swapped(call: ParsedCall, swap: _Swap) -> _Expected:
    """`call` with `swap`'s new values in its arguments."""
    positional = tuple(swap.value(v) for v in call.positional)
    keywords = tuple((k, swap.value(v)) for k, v in call.keywords)
    return call.tool, positional, keywords


def _misread(plan: str, tools: Mapping[str, ToolSpec], expected: Sequence[_Expected]) -> str:
    """Why a grown `plan` is dropped: it no longer checks against `tools`, or
    it reads back as other calls than `expected`; "" when it is sound."""
    try:
        calls = check_plan(plan, tools)
    except AgentcError:
        return "plan no longer checks"
    if [(c.tool, c.positional, c.keywords) for c in calls] != list(expected):
        return "plan reads back differently"
    return ""


def _call_text(tool: str, positional: tuple[Any, ...], keywords: tuple[tuple[str, Any], ...]) -> str:
    args = [render(v) for v in positional] + [f"{k}={render(v)}" for k, v in keywords]
    return f"{tool}({', '.join(args)})"


def _seen_values(shapes: Sequence[_SeedShape]) -> dict[tuple[str, str], list[Any]]:
    """The slot values each (tool, parameter) takes across the seeds: the most
    natural stand-ins for each other, since users wrote them. Only slots: a
    value the question does not spell out ("Call with Omar about the
    contract" for "a call with Omar about the contract") may hold another
    seed's names."""
    seen: dict[tuple[str, str], dict[Any, None]] = {}
    for shape in shapes:
        for slot in shape.slots:
            if slot.param is None:
                continue
            if slot.text is not None:
                value: Any = slot.text
            elif slot.number is not None and slot.scale == 1:
                whole = slot.number == slot.number.to_integral_value() and "." not in slot.token
                value = int(slot.number) if whole else float(slot.number)
            else:
                continue
            seen.setdefault((slot.param.tool, slot.param.name), {})[value] = None
    return {key: list(values) for key, values in seen.items()}


# ---------------------------------------------------------------------------
# substitution


class _Swap:
    """The new values of one variant, applied alike to question and plan."""

    def __init__(self) -> None:
        self.texts: dict[str, tuple[str, str]] = {}  # lower original -> (original, new)
        self.question_numbers: dict[Decimal, Decimal] = {}
        self.plan_numbers: dict[Decimal, Decimal] = {}
        self.taken: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    @property
    def empty(self) -> bool:
        return not self.texts and not self.question_numbers

    @property
    def size(self) -> int:
        return len(self.texts) + len(self.question_numbers)

    def add_text(self, original: str, new: str) -> None:
        self.texts[original.lower()] = (original, new)
        self.taken |= {original.lower(), new.lower()}
        self._pattern = None

    def add_number(self, original: Decimal, new: Decimal, scale: Decimal) -> None:
        self.question_numbers[original] = new
        self.plan_numbers[original * scale] = new * scale

    def value(self, value: Any) -> Any:
        """A plan value with the new values in."""
        if isinstance(value, str):
            whole = self.texts.get(value.lower())
            return _adapt(whole[1], value, whole[0]) if whole else self.text(value, plan_side=True)[0]
        if isinstance(value, Template):
            return Template(tuple(self.text(p, plan_side=True)[0] if isinstance(p, str) else p for p in value.parts))
        if isinstance(value, bool) or value is None or isinstance(value, Ref):
            return value
        if isinstance(value, (int, float)):
            new = self.plan_numbers.get(_decimal(repr(value)))
            if new is None:
                return value
            return int(new) if isinstance(value, int) else float(new)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value

    def text(self, text: str, *, plan_side: bool) -> tuple[str, int]:
        """`text` with slots replaced, and how many distinct slots were hit."""
        numbers = self.plan_numbers if plan_side else self.question_numbers
        hit: set[Any] = set()

        def replace(match: re.Match[str]) -> str:
            found = match.group(match.lastgroup or 0)
            if match.lastgroup == "text":
                original, new = self.texts[found.lower()]
                hit.add(found.lower())
                new = _adapt(new, found, original)
            elif _decimal(found) in numbers:
                hit.add(_decimal(found))
                new = _format_like(numbers[_decimal(found)], found)
            else:
                return match.group()
            article = match.group("article")
            return (_article(new, article) if article else "") + new

        return self.pattern.sub(replace, text), len(hit)

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            words = sorted((o for o, _ in self.texts.values()), key=len, reverse=True)
            alternatives = [rf"(?<!\w){re.escape(w)}(?!\w)" for w in words]
            text = f"(?P<text>{'|'.join(alternatives)})|" if alternatives else ""
            article = r"(?P<article>\b[Aa][Nn]?\s+)?"
            self._pattern = re.compile(rf"{article}(?:{text}(?P<number>{_NUMBER.pattern}))", re.IGNORECASE)
        return self._pattern


def _listed_question(questions: Sequence[str]) -> str | None:
    """One question naming all the values where `questions` differ ("radius
    3" and "radius 5" -> "radius 3 and 5"); None unless they differ in one
    span of whole words (a value written once)."""
    first = questions[0]
    start = len(os.path.commonprefix(list(questions)))
    end = len(os.path.commonprefix([q[::-1] for q in questions]))
    end = min(end, min(len(q) for q in questions) - start)
    while start > 0 and not (first[start - 1].isspace() or first[start - 1] in "([/"):
        start -= 1  # "3.5" and "3.7" differ in "3.5", not in "5"
    while end > 0 and not _ends_word(first, len(first) - end):
        end -= 1
    values = [q[start : len(q) - end] for q in questions]
    if any(not v.strip() or len(v.split()) > len(values[0].split()) + 2 for v in values):
        return None
    if len(values[0].split()) > 6:
        return None  # the span ran over two places where the value is written
    listed = ", ".join(values[:-1]) + " and " + values[-1]
    return first[:start] + listed + first[len(first) - end :]


def _ends_word(text: str, position: int) -> bool:
    """Whether a word may end just before `position`: at a space, or at
    punctuation the word does not go on after ("5." at a sentence's end, not
    "5.25")."""
    if position >= len(text):
        return True
    char = text[position]
    if char.isspace():
        return True
    following = text[position + 1 : position + 2]
    return char in ".,;:!?)]/" and (not following or not following.isalnum())


def _adapt(new: str, occurrence: str, original: str) -> str:
    """`new` written in the case `occurrence` uses for `original` ("paris"
    in a lower-case question becomes "lima", "Celsius" for the enum
    "celsius" becomes "Fahrenheit")."""
    if occurrence == original:
        return new
    if occurrence.islower():
        return new.lower()
    if occurrence.isupper() and len(occurrence) > 1:
        return new.upper()
    if occurrence[:1].isupper() and original[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def _article(word: str, written: str) -> str:
    """`written` ("a " or "An ") made to agree with the `word` that follows
    ("an italian" becomes "a mexican", "a 7-day" becomes "an 8-day")."""
    lower = word.lower()
    if lower[:1].isdigit():
        digits = re.match(r"[\d,]+", lower).group().replace(",", "")  # type: ignore[union-attr]
        vowel = digits.startswith("8") or (len(digits) in (2, 5, 8) and digits[:2] in ("11", "18"))
    else:
        vowel = lower[:1] in "aeiou" and not lower.startswith(("uni", "use", "usu", "eu", "one"))
        vowel = vowel or lower.startswith(("hour", "honest", "honor"))
    head = written.rstrip()
    article = "an" if vowel else "a"
    article = article.capitalize() if head[:1].isupper() else article
    return article + written[len(head):]


def _find(text: str, value: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


# ---------------------------------------------------------------------------
# numbers

_NUMBER = re.compile(r"(?<![\w.,:/-])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w|[.,:-]\d)")
"""A number as people write it ("3", "-4.5", "2,400"), not a piece of a date,
a time, a version or a word ("2024-05-14", "15:30", "v2", "3rd")."""
_PERCENT = re.compile(r"\s?(?:%|percent\b)")


def _decimal(token: str) -> Decimal:
    return Decimal(token.replace(",", ""))


def _question_numbers(question: str) -> dict[Decimal, tuple[Decimal, bool, str]]:
    """The numbers of a question by value: (value, is a percentage, as written)."""
    found: dict[Decimal, tuple[Decimal, bool, str]] = {}
    for match in _NUMBER.finditer(question):
        value = _decimal(match.group())
        percent = _PERCENT.match(question, match.end()) is not None
        found.setdefault(value, (value, percent, match.group()))
    return found


def _format_like(value: Decimal, token: str) -> str:
    """`value` written like `token`: its decimals (or more when needed) and
    its thousands separators."""
    decimals = len(token.split(".")[1]) if "." in token else 0
    needed = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    places = max(decimals, needed)
    return f"{value:,.{places}f}" if "," in token else f"{value:.{places}f}"


def _draw_number(slot: _Slot, rng: random.Random, seen: Mapping[tuple[str, str], list[Any]]) -> Decimal | None:
    """A new question value for a number slot, of the same shape and within
    the parameter's bounds (scaled back to how the question writes it)."""
    assert slot.number is not None
    original, scale = slot.number, slot.scale
    schema = slot.param.schema if slot.param else {}
    if "enum" in schema:
        options = [_decimal(repr(v)) / scale for v in _numbers(schema["enum"])]
        options = [v for v in options if v != original]
        return rng.choice(options) if options else None
    decimals = len(slot.token.split(".")[1]) if "." in slot.token and schema.get("type") != "integer" else 0
    last_digit = decimals > 0 and not slot.token.endswith("0")

    def fits(value: Decimal) -> bool:
        """Same shape: not "1 days", not "41.0" for "36.6", not "30.0" for "36.6"."""
        places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
        return (
            value != original
            and abs(value) != 1
            and (value < 0) == (original < 0)
            and (places == decimals if last_digit else places <= decimals)
        )

    examples = [_decimal(repr(v)) / scale for v in _numbers(_examples(slot.param, seen))]
    known = [v for v in examples if fits(v) and _within(v * scale, schema)]
    if known and rng.random() < 0.3:
        return rng.choice(known)
    low, high = _number_range(original, decimals, schema, scale)
    step = Decimal(1).scaleb(-decimals)
    if decimals == 0 and original != 0:
        zeros = len(str(abs(int(original)))) - len(str(abs(int(original))).rstrip("0"))
        round_step = Decimal(10) ** zeros
        if math.floor(high / round_step) > math.ceil(low / round_step):
            step = round_step  # 2,400 becomes 3,100, not 3,127
    first, last = math.ceil(low / step), math.floor(high / step)
    if last - first < 1:
        return None
    for _ in range(8):
        value = (Decimal(rng.randint(first, last)) * step).quantize(Decimal(1).scaleb(-decimals))
        if fits(value):
            return value
    return None


def _numbers(values: Iterable[Any]) -> list[int | float]:
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _number_range(
    original: Decimal, decimals: int, schema: Mapping[str, Any], scale: Decimal
) -> tuple[Decimal, Decimal]:
    """The values of the same shape as `original`: the same number of digits
    before the point, the same sign; the schema's bounds when it has both."""
    step = Decimal(1).scaleb(-decimals)
    digits = len(str(abs(int(original))))
    if abs(original) < 1:
        low, high = step, 1 - step
    elif digits == 1:
        low, high = Decimal(1), Decimal(10) - step
    else:
        low, high = Decimal(10) ** (digits - 1), Decimal(10) ** digits - step
    if original < 0:
        low, high = -high, -low
    lower, upper = _bounds(schema, step * scale)
    if lower is not None and upper is not None:
        return lower / scale, upper / scale
    if lower is not None:
        low = max(low, lower / scale)
    if upper is not None:
        high = min(high, upper / scale)
    return low, high


def _bounds(schema: Mapping[str, Any], step: Decimal) -> tuple[Decimal | None, Decimal | None]:
    lower = upper = None
    if "minimum" in schema:
        lower = _decimal(repr(schema["minimum"]))
    if "exclusiveMinimum" in schema:
        lower = _decimal(repr(schema["exclusiveMinimum"])) + step
    if "maximum" in schema:
        upper = _decimal(repr(schema["maximum"]))
    if "exclusiveMaximum" in schema:
        upper = _decimal(repr(schema["exclusiveMaximum"])) - step
    return lower, upper


def _within(value: Decimal, schema: Mapping[str, Any]) -> bool:
    lower, upper = _bounds(schema, Decimal(0))
    return (lower is None or value >= lower) and (upper is None or value <= upper)


# ---------------------------------------------------------------------------
# text values


def _draw_text(slot: _Slot, rng: random.Random, seen: Mapping[tuple[str, str], list[Any]]) -> str | None:
    """A new value for a text slot: another enum member, a given example or a
    value of the same kind; None when nothing is known to fit."""
    assert slot.text is not None
    original = slot.text
    schema = slot.param.schema if slot.param else {}
    if "enum" in schema:
        options = [v for v in schema["enum"] if isinstance(v, str) and v.lower() != original.lower()]
        return rng.choice(options) if options else None
    known = [v for v in _examples(slot.param, seen) if isinstance(v, str) and v.strip()]
    known = [v for v in known if v.lower() != original.lower()]
    kind = _kind(slot.param, original)
    if kind == "date":  # "on 2025-06-21" is no stand-in for "tomorrow"
        known = [v for v in known if _date_form(v) == _date_form(original)]
    made = _GENERATORS[kind](original, rng) if kind else None
    if made is None or (known and rng.random() < 0.4):
        return rng.choice(known) if known else None
    return made


def _examples(param: _Param | None, seen: Mapping[tuple[str, str], list[Any]]) -> list[Any]:
    """Values the tool's author or the seeds give for `param`: schema
    `examples` and `default`, "e.g." examples in its description, and the
    values other seeds pass."""
    if param is None:
        return []
    values: list[Any] = list(param.schema.get("examples") or [])
    if param.schema.get("default") is not None:
        values.append(param.schema["default"])
    values += _described_examples(param.description)
    values += seen.get((param.tool, param.name), [])
    return list(dict.fromkeys(v for v in values if isinstance(v, (str, int, float))))


_EXAMPLES = re.compile(r"\b(?:e\.g\.|for example|such as)[,:]?\s*(.+?)(?:\)|;|\.\s|\.?$)", re.IGNORECASE | re.DOTALL)


def _described_examples(description: str) -> list[Any]:
    """Examples written in a description: `e.g. "Paris" or "Lima"` (quoted
    ones when there are quotes, else the comma/or-separated words); numbers
    come back as numbers."""
    found: list[Any] = []
    for match in _EXAMPLES.finditer(description):
        part = match.group(1)
        quoted = [a or b for a, b in re.findall(r'"([^"]+)"|\'([^\']+)\'', part)]
        words = quoted or [w.strip(" .`") for w in re.split(r",\s*|\s+or\s+|\s+and\s+", part)]
        for word in words:
            if not word or (not quoted and len(word.split()) > 3):
                continue  # "e.g. the capital of a country" is prose, not an example
            try:
                number = Decimal(word)
                found.append(int(number) if number == number.to_integral_value() and "." not in word else float(number))
            except InvalidOperation:
                found.append(word)
    return found


_NAME_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("email", frozenset({"email", "emails", "e-mail"})),
    ("file", frozenset({"file", "filename", "files", "path", "document", "attachment"})),
    ("date", frozenset({"date", "day", "time", "when", "datetime", "deadline", "due", "start", "end"})),
    ("country", frozenset({"country", "nation"})),
    ("place", frozenset({"city", "location", "place", "destination", "origin", "town", "where", "region", "venue"})),
    ("language", frozenset({"language", "lang"})),
    ("currency", frozenset({"currency"})),
    (
        "person",
        frozenset(
            {"name", "person", "contact", "recipient", "attendee", "attendees", "who", "assignee", "friend", "to"}
        ),
    ),
    (
        "topic",
        frozenset(
            {"query", "topic", "subject", "keyword", "keywords", "term", "search", "about", "genre", "interest", "q"}
        ),
    ),
)
"""Words of a parameter's name that tell the kind of its values."""
_DESCRIPTION_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("email", frozenset({"email", "e-mail"})),
    ("file", frozenset({"file", "filename", "path"})),
    ("date", frozenset({"date", "datetime", "deadline"})),
    ("country", frozenset({"country"})),
    ("place", frozenset({"city", "location", "place", "destination", "town"})),
    ("language", frozenset({"language"})),
    ("currency", frozenset({"currency"})),
    ("person", frozenset({"person", "contact", "recipient", "attendee"})),
    ("topic", frozenset({"topic", "query", "keyword", "keywords"})),
)
"""The same for descriptions: only words that seldom appear in passing
("to", "day" or "name" say little inside a sentence)."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FILE = re.compile(r"(?:[\w.-]+/)*[\w -]+\.[A-Za-z][A-Za-z0-9]{0,4}")


def _kind(param: _Param | None, value: str) -> str | None:
    """What kind of value a free string is: by its shape first (an email, a
    file name), then by the words of its parameter's name, then of its
    description, and last by date or time words in the value."""
    if _EMAIL.fullmatch(value):
        return "email"
    if _FILE.fullmatch(value):
        return "file"
    if param is not None:
        described = set(re.findall(r"[a-z-]+", param.description.lower()))
        for words, table in ((set(param.name.lower().split("_")), _NAME_WORDS), (described, _DESCRIPTION_WORDS)):
            for kind, keys in table:
                if words & keys:
                    return kind
    if _DATE_PARTS.search(value):
        return "date"
    return None


_FIRST = (
    "Anna Ben Carla Dev Elena Farid Grace Hiro Ines Jonas Kemi Leo Maya Nikhil Olga Pedro Rosa Sami Tara Victor "
    "Wen Yusuf Zoe Amara Bruno Dalia Emil Fatima Hana Ivan Jade Karim Lena Marco Noor Omar Priya Sofia Tomas Aisha"
).split()
_LAST = (
    "Garcia Okafor Nguyen Smith Rossi Kim Haddad Novak Silva Tanaka Patel Cohen Mensah Larsen Dubois Costa Ahmed "
    "Schmidt Moreau Reyes"
).split()
_CITIES = (
    ("Paris", "France"), ("Tokyo", "Japan"), ("Lima", "Peru"), ("Nairobi", "Kenya"), ("Toronto", "Canada"),
    ("Berlin", "Germany"), ("Mumbai", "India"), ("Sydney", "Australia"), ("Cairo", "Egypt"), ("Oslo", "Norway"),
    ("Seoul", "South Korea"), ("Lisbon", "Portugal"), ("Mexico City", "Mexico"), ("Chicago", "United States"),
    ("Istanbul", "Turkey"), ("Bogota", "Colombia"), ("Hanoi", "Vietnam"), ("Madrid", "Spain"), ("Dublin", "Ireland"),
    ("Cape Town", "South Africa"), ("Buenos Aires", "Argentina"), ("Jakarta", "Indonesia"), ("Vienna", "Austria"),
    ("Manila", "Philippines"), ("Denver", "United States"), ("Reykjavik", "Iceland"), ("Montreal", "Canada"),
    ("Athens", "Greece"), ("Helsinki", "Finland"), ("Accra", "Ghana"), ("Santiago", "Chile"), ("Osaka", "Japan"),
    ("Milan", "Italy"), ("Warsaw", "Poland"), ("Lagos", "Nigeria"), ("Seattle", "United States"),
    ("Edinburgh", "United Kingdom"), ("Marrakesh", "Morocco"), ("Hamburg", "Germany"), ("Porto", "Portugal"),
)
_TOPICS = (
    "climate change", "electric cars", "machine learning", "the stock market", "renewable energy", "space exploration",
    "healthy recipes", "remote work", "cybersecurity", "jazz history", "urban gardening", "the housing market",
    "quantum computing", "marathon training", "ocean plastics", "public transport", "sleep science", "board games",
    "coffee brewing", "solar panels", "bird migration", "street photography", "the Roman empire", "vegan baking",
)
_FILE_STEMS = (
    "quarterly_report", "meeting_notes", "slides", "invoice", "project_plan", "resume", "contract", "roadmap",
    "summary", "draft", "expenses", "agenda", "design_spec", "budget", "travel_itinerary", "minutes",
)
_LANGUAGES = (
    "English", "Spanish", "French", "German", "Japanese", "Portuguese", "Swahili", "Hindi", "Korean", "Italian",
    "Arabic", "Dutch", "Turkish", "Polish",
)
_CURRENCIES = ("USD", "EUR", "JPY", "GBP", "INR", "CAD", "AUD", "CHF", "BRL", "KES", "MXN", "SEK", "ZAR", "KRW")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)


def _person(original: str, rng: random.Random) -> str:
    first = rng.choice(_FIRST)
    return f"{first} {rng.choice(_LAST)}" if " " in original.strip() else first


def _place(original: str, rng: random.Random) -> str:
    city, country = rng.choice(_CITIES)
    return f"{city}, {country}" if "," in original else city


def _topic(original: str, rng: random.Random) -> str | None:
    return rng.choice(_TOPICS) if len(original.split()) <= 4 else None


def _file(original: str, rng: random.Random) -> str:
    folder, _, name = original.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    new = rng.choice(_FILE_STEMS)
    if "-" in stem and "_" not in stem:
        new = new.replace("_", "-")
    return (folder + "/" if folder else "") + new + (dot + extension if dot else "")


def _email(original: str, rng: random.Random) -> str:
    local, _, domain = original.partition("@")
    first, last = rng.choice(_FIRST).lower(), rng.choice(_LAST).lower()
    return f"{first}.{last}@{domain}" if "." in local else f"{first}@{domain}"


def _same_case(new: str, part: str, *, names: bool = False) -> str:
    """`new` in the case of the date or time `part` it replaces; `names`
    says both are day or month names, so a lower-case part lowers them."""
    if part.islower():
        return new.lower() if names else new
    if part.isupper():
        return new.upper()
    return new[:1].upper() + new[1:] if part[:1].isupper() else new


def _pick(pool: Sequence[str]) -> Callable[[str, random.Random], str]:
    return lambda original, rng: rng.choice(pool)


_DATE_PARTS = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<clock12>\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?[ap]\.?m\b\.?)"
    r"|(?P<clock24>\b(?:[01]\d|2[0-3]):[0-5]\d\b)"
    r"|(?P<monthday>\b(?:" + "|".join(_MONTHS) + r")\s+\d{1,2}(?:st|nd|rd|th)?\b)"
    r"|(?P<weekday>\b(?:" + "|".join(_WEEKDAYS) + r")\b)"
    r"|(?P<relday>\b(?:today|tomorrow)\b)",
    re.IGNORECASE,
)


def _near(hour: int, low: int, high: int, rng: random.Random) -> int:
    """Another hour within three of `hour` (and within `low`..`high`): "tonight
    at 8pm" may become "tonight at 10pm", never "tonight at 12pm"."""
    options = [h for h in range(max(low, hour - 3), min(high, hour + 3) + 1) if h != hour]
    return rng.choice(options or range(low, high + 1))


def _date_form(value: str) -> str:
    """The form of a date or time: `value` with each part replaced by its
    kind ("tomorrow at 3pm" -> "relday at clock12")."""
    return _DATE_PARTS.sub(lambda m: m.lastgroup or "", value.lower())


def _date(original: str, rng: random.Random) -> str | None:
    """`original` with each date or time part replaced by another of the same
    form ("tomorrow at 3pm" -> "next Friday at 11am", "2025-03-14" ->
    "2025-08-02"); None when it holds no such part."""

    def replace(match: re.Match[str]) -> str:
        part, kind = match.group(), match.lastgroup
        if kind == "iso":
            return f"{part[:4]}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if kind == "clock12":
            pm = "p" in part.lower()
            written = int(re.match(r"\d+", part).group()) % 12 + (12 if pm else 0)  # type: ignore[union-attr]
            hour = _near(written, 12 if pm else 6, 23 if pm else 11, rng)
            minutes = f":{rng.choice(('00', '15', '30', '45'))}" if ":" in part else ""
            space = " " if " " in part else ""
            suffix = ("pm" if pm else "am") if "." not in part else ("p.m." if pm else "a.m.")
            return _same_case(f"{hour - 12 if hour > 12 else hour}{minutes}{space}{suffix}", part)
        if kind == "clock24":
            return f"{_near(int(part[:2]), 6, 22, rng):02d}:{rng.choice(('00', '15', '30', '45'))}"
        if kind == "monthday":
            day = rng.randint(1, 28)
            ordinal = "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
            suffix = ordinal if part[-1].isalpha() else ""
            return _same_case(f"{rng.choice(_MONTHS)} {day}{suffix}", part, names=True)
        if kind == "weekday":
            return _same_case(rng.choice([d for d in _WEEKDAYS if d.lower() != part.lower()]), part, names=True)
        options = ["today", "tomorrow", f"this {rng.choice(_WEEKDAYS)}", f"next {rng.choice(_WEEKDAYS)}"]
        return _same_case(rng.choice([o for o in options if o != part.lower()]), part)

    new, count = _DATE_PARTS.subn(replace, original)
    return new if count else None


_GENERATORS: dict[str, Callable[[str, random.Random], str | None]] = {
    "email": _email,
    "file": _file,
    "date": _date,
    "country": _pick(sorted({country for _, country in _CITIES})),
    "place": _place,
    "language": _pick(_LANGUAGES),
    "currency": _pick(_CURRENCIES),
    "person": _person,
    "topic": _topic,
}


# ---------------------------------------------------------------------------
# plan text and schemas

_TASK_HEAD = re.compile(r"\s*\d+\s*[.):]?\s*")
_THOUGHT = re.compile(r"\s*Thought\s*:")


def _properties(tool: ToolSpec) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each parameter's schema (references and optional types resolved) and
    the parameter order positional arguments bind in."""
    schema = tool.json_schema()["function"]["parameters"]
    definitions = schema.get("$defs", {})
    props = {name: _resolve(prop, definitions) for name, prop in schema.get("properties", {}).items()}
    return props, list(tool.args_model.model_fields)


def _resolve(prop: Mapping[str, Any], definitions: Mapping[str, Any]) -> dict[str, Any]:
    """`prop` with a `$ref` followed and `X | None` narrowed to X, keeping the
    outer description, default and examples."""
    resolved = dict(prop)
    ref = resolved.pop("$ref", None)
    if isinstance(ref, str):
        resolved = {**definitions.get(ref.rsplit("/", 1)[-1], {}), **resolved}
    options = resolved.pop("anyOf", None) or resolved.pop("oneOf", None)
    if options:
        real = [o for o in options if o.get("type") != "null"]
        if len(real) == 1:
            resolved = {**_resolve(real[0], definitions), **resolved}
    if "items" in resolved and isinstance(resolved["items"], Mapping):
        resolved["items"] = _resolve(resolved["items"], definitions)
    return resolved
