"""Offline workloads shaped like LLMCompiler's benchmarks, generated from a seed.

    python benchmarks/workloads.py              # print a sample of each workload
    python benchmarks/workloads.py --check      # run every gold solution through the tools

Three workloads, each a list of questions over its own generated document
store (invented companies, films and provinces, so no model can answer from
memory and nothing large is shipped):

- "2-way" (HotpotQA-like comparisons): "Which company was founded earlier,
  A or B?": two independent searches, then compare.
- "8-way" (movie-recommendation-like fan-out): "Which of these films came
  out first: A, B, ..., H?": eight independent searches, then pick.
- "parallelqa" (ParallelQA-like): 2 to 5 independent searches feeding a
  chain of one to three `math` calls, some of which need other math results.

Every question carries its canonical solution, the `Step`s an agent should
take (the same calls whatever the agent's style), the observation each step
should give, and the gold answer. Tools: `search(query)` returns the best
passage of the store (BM25, `agentc.tools.builtin.documents.DocumentIndex`),
`math(expression, context)` evaluates arithmetic, where x1, x2, ... are the
first numbers in the context items. Both sleep for the run's tool latency
first, to model API calls.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Sequence

from agentc.tools import Tool, tool
from agentc.tools.builtin import calculate
from agentc.tools.builtin.documents import DocumentIndex

WORKLOADS = ("2-way", "8-way", "parallelqa")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_VARIABLE = re.compile(r"\bx(\d+)\b")


@dataclass(frozen=True)
class Step:
    """One tool call of a canonical solution.

    A search has a `query`; a math step has an `expression` over x1, x2, ...
    whose values come from the earlier steps `inputs` (1-based). `need` says
    what the step finds, for an agent's thought.
    """

    tool: Literal["search", "math"]
    need: str
    query: str = ""
    expression: str = ""
    inputs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Question:
    """A question, its canonical solution and its gold answer.

    `kind="pick"`: the answer is the candidate (`candidates[i]` is found by
    step i+1) with the smallest or largest value (`pick`). `kind="number"`:
    the answer is the value of the last step, to two decimals. `expected`
    holds the observation each step should give.
    """

    id: str
    workload: str
    text: str
    steps: tuple[Step, ...]
    gold: str
    kind: Literal["pick", "number"]
    expected: tuple[str, ...]
    candidates: tuple[str, ...] = ()
    pick: Literal["min", "max"] | None = None
    measure: str = ""

    @property
    def branch(self) -> int:
        """How many searches run side by side."""
        return sum(1 for s in self.steps if s.tool == "search")

    @property
    def depth(self) -> int:
        """Length of the longest chain of dependent calls."""
        levels: list[int] = []
        for step in self.steps:
            levels.append(1 + max((levels[i - 1] for i in step.inputs), default=0))
        return max(levels)

    def answer_from(self, values: dict[int, float]) -> tuple[str, str]:
        """`(answer, reason)` from the values of the steps (1-based); what an
        agent that read the observations would conclude."""
        if self.kind == "number":
            last = len(self.steps)
            if last not in values:
                return "unknown", "the last calculation has no result"
            return f"{values[last]:.2f}", f"the calculation gives {values[last]:.2f}"
        found = {i: values[i] for i in range(1, len(self.candidates) + 1) if i in values}
        if len(found) < len(self.candidates):
            return "unknown", "some of the searches gave no number"
        best = (min if self.pick == "min" else max)(found, key=found.__getitem__)
        name = self.candidates[best - 1]
        return name, f"{name} has the {self.measure} ({_number_text(found[best])})"


@dataclass
class Workload:
    """Questions, one example question for prompts, and the document store."""

    name: str
    questions: list[Question]
    example: Question
    documents: dict[str, str]
    _index: DocumentIndex | None = field(default=None, repr=False)

    def index(self) -> DocumentIndex:
        """The BM25 index of the documents (built once, in a scratch folder)."""
        if self._index is None:
            with tempfile.TemporaryDirectory(prefix="agentc-workload-") as folder:
                for file_name, text in self.documents.items():
                    (Path(folder) / file_name).write_text(text, encoding="utf-8")
                self._index = DocumentIndex([folder])
        return self._index

    def tools(self, latency: float = 0.0) -> list[Tool]:
        """`search` over this store and `math`, each sleeping `latency` s a call."""
        return [search_tool(self.index(), latency), math_tool(latency)]


def first_number(value: object) -> float | None:
    """The first number in a text (commas dropped), or the value if it is one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = NUMBER.search(str(value))
    return float(match.group().replace(",", "")) if match else None


def fill_values(expression: str, values: Sequence[float]) -> str:
    """`expression` with x1, x2, ... replaced by `values` written as numbers."""

    def value(match: re.Match[str]) -> str:
        i = int(match.group(1))
        if not 1 <= i <= len(values):
            raise ValueError(
                f"{match.group()} in {expression!r} needs context item {i}, but the context has {len(values)}; "
                "pass one context item for each x"
            )
        return _number_text(values[i - 1])

    return _VARIABLE.sub(value, expression)


def search_tool(index: DocumentIndex, latency: float) -> Tool:
    async def search(query: str) -> str:
        """Search the encyclopedia and return the best matching passage.

        Args:
            query: a name and what to find out, e.g. "Velmora population"
        """
        await asyncio.sleep(latency)
        hits = index.search(query, k=1)
        return hits[0]["text"] if hits else f"no passage matches {query!r}"

    return tool(idempotent=True)(search)


def math_tool(latency: float) -> Tool:
    async def math(expression: str, context: list[str | float] = []) -> float:  # noqa: B006 (pydantic copies it)
        """Evaluate arithmetic, e.g. "(x1 + x2) / 2". x1, x2, ... stand for the first number
        in context item 1, 2, ..., so results of other calls can be passed as context instead of copied.

        Args:
            expression: arithmetic with + - * / ( ), numbers, and x1, x2, ... for numbers from context
            context: texts or numbers; the first number in item i is x{i}
        """
        await asyncio.sleep(latency)
        values = []
        for i, item in enumerate(context, start=1):
            number = first_number(item)
            if number is None:
                raise ValueError(f"context item {i} holds no number: {str(item)[:80]!r}")
            values.append(number)
        return calculate(fill_values(expression, values))

    return tool(idempotent=True)(math)


# generation


def generate(name: str, count: int, seed: int = 7) -> Workload:
    """`count` questions of workload `name`, the same for the same seed."""
    if name not in _MAKERS:
        raise ValueError(f"unknown workload {name!r}; choose one of: {', '.join(WORKLOADS)}")
    rng = random.Random(f"{seed}:{name}")
    store = _Store(rng)
    make = _MAKERS[name]
    example = make(store, rng, f"{name}-example", 0, True)
    questions = [make(store, rng, f"{name}-{i + 1}", i, False) for i in range(count)]
    return Workload(name, questions, example, store.documents)


def generate_all(count: int, seed: int = 7) -> dict[str, Workload]:
    return {name: generate(name, count, seed) for name in WORKLOADS}


_ONSETS = "b d f g k l m n p r s t v z br dr gr kr tr st th sh".split()
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["", "", "n", "r", "l", "s", "m", "k"]
_COMPANY_KINDS = ["Systems", "Foods", "Motors", "Textiles", "Robotics", "Airways", "Pharma", "Records", "Shipping", "Optics"]
_PRODUCTS = ["pumps", "bicycles", "canned fish", "radios", "wool coats", "ceramic tiles", "garden tools", "solar lamps"]
_FILM_WORDS = "Echoes Shadows Winter Letters Songs Ghosts Rivers Lanterns Harvest Storms Mirrors Embers".split()
_GENRES = ["drama", "comedy", "thriller", "western", "musical", "mystery", "romance", "war film"]
_TERRAIN = ["farmland", "forest", "marsh", "high moorland", "dry steppe", "river valleys"]
_DIRECTIONS = ["north", "south", "east", "west", "far north", "coastal south"]


class _Store:
    """Invented entities and the passages that describe them, one file each."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.documents: dict[str, str] = {}
        self._names: set[str] = set()

    def word(self) -> str:
        """A new invented word, never used before in this store."""
        while True:
            syllables = self.rng.randint(2, 3)
            text = "".join(
                self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + (self.rng.choice(_CODAS) if i == syllables - 1 else "")
                for i in range(syllables)
            ).capitalize()
            if text not in self._names and 5 <= len(text) <= 11:
                self._names.add(text)
                return text

    def add(self, entity: str, passages: list[str]) -> None:
        file_name = re.sub(r"\W+", "_", entity).lower() + ".txt"
        self.documents[file_name] = "\n\n".join(passages) + "\n"

    def distinct(self, count: int, draw: Callable[[], float]) -> list[float]:
        values: list[float] = []
        while len(values) < count:
            value = draw()
            if value not in values:
                values.append(value)
        return values


def _two_way(store: _Store, rng: random.Random, qid: str, i: int, example: bool) -> Question:
    asks = [
        ("founded", "min", "which company was founded earlier", "earliest founding year"),
        ("founded", "max", "which company was founded more recently", "latest founding year"),
        ("employees", "max", "which company has more employees", "most employees"),
        ("employees", "min", "which company has fewer employees", "fewest employees"),
    ]
    attribute, pick, ask, measure = asks[i % len(asks)]
    names = [f"{store.word()} {rng.choice(_COMPANY_KINDS)}" for _ in range(2)]
    years = store.distinct(2, lambda: rng.randint(1850, 2015))
    staff = store.distinct(2, lambda: rng.randint(120, 95000))
    for name, year, people in zip(names, years, staff):
        town, product = store.word(), rng.choice(_PRODUCTS)
        store.add(
            name,
            [
                f"{name} was founded in {int(year)} in the river town of {town}. "
                "It began as a small workshop and grew through the following decades.",
                f"{name} has {int(people):,} employees. Most of them work at the head office in {town}.",
                f"{name} makes {product} and sells them mostly in the provinces around {town}, "
                "where the brand is well known.",
            ],
        )
    values = years if attribute == "founded" else staff
    passage = 0 if attribute == "founded" else 1
    need = "the founding year of {}" if attribute == "founded" else "the number of employees of {}"
    steps = tuple(Step("search", need.format(n), query=f"{n} {attribute}") for n in names)
    expected = tuple(store.documents[_file(n)].split("\n\n")[passage].strip() for n in names)
    text = f"{ask[0].upper()}{ask[1:]}, {names[0]} or {names[1]}?"
    return _pick_question(qid, "2-way", text, steps, expected, names, values, pick, measure)


def _eight_way(store: _Store, rng: random.Random, qid: str, i: int, example: bool) -> Question:
    asks = [
        ("release", "min", "Which of these films came out first", "earliest release year"),
        ("score", "max", "Which of these films has the highest critics' score", "highest critics' score"),
        ("runtime", "max", "Which of these films is the longest", "longest running time"),
        ("release", "max", "Which of these films came out last", "latest release year"),
    ]
    attribute, pick, ask, measure = asks[i % len(asks)]
    count = 3 if example else 8
    titles = [f"{rng.choice(_FILM_WORDS)} of {store.word()}" for _ in range(count)]
    years = store.distinct(count, lambda: rng.randint(1931, 2022))
    scores = store.distinct(count, lambda: rng.randint(30, 96) / 10)
    minutes = store.distinct(count, lambda: rng.randint(78, 194))
    for title, year, score, length in zip(titles, years, scores, minutes):
        director, genre = f"{store.word()} {store.word()}", rng.choice(_GENRES)
        store.add(
            title,
            [
                f"{title} is a {genre} directed by {director}. "
                f"Its release year is {int(year)}, and it was shown in cinemas across the country.",
                f"{title} has a critics' score of {score:.1f} out of ten. "
                "Reviewers praised the acting but found the ending slow.",
                f"{title} has a running time of {int(length)} minutes. The director's cut adds scenes set in the mountains.",
            ],
        )
    values = {"release": years, "score": scores, "runtime": minutes}[attribute]
    passage = {"release": 0, "score": 1, "runtime": 2}[attribute]
    word = {"release": "release year", "score": "critics' score", "runtime": "running time"}[attribute]
    need = f"the {word} of {{}}"
    steps = tuple(Step("search", need.format(t), query=f"{t} {word}") for t in titles)
    expected = tuple(store.documents[_file(t)].split("\n\n")[passage].strip() for t in titles)
    listed = ", ".join(titles[:-1]) + f" or {titles[-1]}"
    return _pick_question(qid, "8-way", f"{ask}: {listed}?", steps, expected, titles, values, pick, measure)


def _parallelqa(store: _Store, rng: random.Random, qid: str, i: int, example: bool) -> Question:
    shape = "average" if example else ["average", "density", "difference", "share", "ratio"][i % 5]
    size = {"average": 2 if example else rng.randint(2, 5), "density": 2, "difference": 5, "share": 3, "ratio": 2}[shape]
    names = [store.word() for _ in range(size)]
    people = store.distinct(size, lambda: rng.randint(50, 9000) * 1000 + rng.randint(0, 999))
    areas = store.distinct(size, lambda: rng.randint(1200, 180000))
    if shape == "ratio" and areas[0] < areas[1]:  # "how many times larger is A than B" with A the larger
        people, areas = people[::-1], areas[::-1]
    for name, population, area in zip(names, people, areas):
        capital = store.word()
        store.add(
            name,
            [
                f"{name} is a province in the {rng.choice(_DIRECTIONS)} of the country. "
                f"It has a population of {int(population):,} people, most of them in and around {capital}.",
                f"{name} covers an area of {int(area):,} square kilometres, much of it {rng.choice(_TERRAIN)}.",
                f"The capital of {name} is {capital}, a market town on the old trade road.",
            ],
        )

    def pop(n: str) -> Step:
        return Step("search", f"the population of {n}", query=f"{n} population")

    def area(n: str) -> Step:
        return Step("search", f"the area of {n}", query=f"{n} area")

    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    if shape == "average":
        steps = [pop(n) for n in names]
        total = " + ".join(f"x{k}" for k in range(1, size + 1))
        steps.append(Step("math", "the average population", expression=f"({total}) / {size}", inputs=tuple(range(1, size + 1))))
        text = f"What is the average population of {listed}?"
    elif shape == "density":
        a, b = names
        steps = [pop(a), pop(b), area(a), area(b)]
        steps.append(Step("math", "the combined population", expression="x1 + x2", inputs=(1, 2)))
        steps.append(Step("math", "the combined area", expression="x1 + x2", inputs=(3, 4)))
        steps.append(Step("math", "the density of the two together", expression="x1 / x2", inputs=(5, 6)))
        text = f"What is the population density, in people per square kilometre, of {a} and {b} taken together?"
    elif shape == "difference":
        steps = [pop(n) for n in names]
        first, second = ", ".join(names[:3]), " and ".join(names[3:])
        steps.append(Step("math", f"the combined population of {first}", expression="x1 + x2 + x3", inputs=(1, 2, 3)))
        steps.append(Step("math", f"the combined population of {second}", expression="x1 + x2", inputs=(4, 5)))
        steps.append(Step("math", "the difference of the two sums", expression="x1 - x2", inputs=(6, 7)))
        text = (
            f"What is the combined population of {names[0]}, {names[1]} and {names[2]} minus "
            f"the combined population of {names[3]} and {names[4]}?"
        )
    elif shape == "share":
        steps = [area(n) for n in names]
        steps.append(Step("math", "the combined area", expression="x1 + x2 + x3", inputs=(1, 2, 3)))
        steps.append(Step("math", f"the share of {names[0]} in percent", expression="x1 / x2 * 100", inputs=(1, 4)))
        text = f"What percentage of the combined area of {listed} does {names[0]} cover?"
    else:
        a, b = names
        steps = [area(a), area(b)]
        steps.append(Step("math", f"how many times larger {a} is than {b}", expression="x1 / x2", inputs=(1, 2)))
        text = f"How many times larger is the area of {a} than the area of {b}?"
    facts = {f"{n} population": p for n, p in zip(names, people)} | {f"{n} area": s for n, s in zip(names, areas)}
    passage = {"population": 0, "area": 1}
    expected: list[str] = []
    values: dict[int, float] = {}
    for k, step in enumerate(steps, start=1):
        if step.tool == "search":
            entity, what = step.query.rsplit(" ", 1)
            expected.append(store.documents[_file(entity)].split("\n\n")[passage[what]].strip())
            values[k] = float(facts[step.query])
        else:
            result = calculate(fill_values(step.expression, [values[j] for j in step.inputs]))
            expected.append(repr(result))
            values[k] = float(result)
    question = Question(qid, "parallelqa", text, tuple(steps), "", "number", tuple(expected))
    gold, _ = question.answer_from(values)
    return Question(qid, "parallelqa", text, tuple(steps), gold, "number", tuple(expected))


def _pick_question(
    qid: str,
    workload: str,
    text: str,
    steps: tuple[Step, ...],
    expected: tuple[str, ...],
    names: list[str],
    values: list[float],
    pick: str,
    measure: str,
) -> Question:
    best = (min if pick == "min" else max)(range(len(values)), key=values.__getitem__)
    return Question(
        qid, workload, text, steps, names[best], "pick", expected, tuple(names), pick, measure  # type: ignore[arg-type]
    )


def _file(entity: str) -> str:
    return re.sub(r"\W+", "_", entity).lower() + ".txt"


def _number_text(value: float) -> str:
    """A number as a model would copy it: integers without `.0`, others as Python writes them."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


_MAKERS: dict[str, Callable[[_Store, random.Random, str, int, bool], Question]] = {
    "2-way": _two_way,
    "8-way": _eight_way,
    "parallelqa": _parallelqa,
}


# scoring


def is_correct(question: Question, answer: str | None) -> bool:
    """Whether `answer` gives the gold answer: for a pick, it names the gold
    candidate and no other; for a number, its first number is within 0.01
    of the gold value (which is rounded to two decimals)."""
    if not answer:
        return False
    if question.kind == "pick":
        said = answer.lower()
        others = [c for c in question.candidates if c != question.gold]
        return question.gold.lower() in said and not any(c.lower() in said for c in others)
    number = first_number(answer)
    gold = float(question.gold)
    return number is not None and abs(number - gold) <= 0.01 + 1e-9 * abs(gold)


async def solve_with_tools(workload: Workload, question: Question) -> tuple[list[str], dict[int, float]]:
    """Run the canonical solution through the real tools: the observations
    and the values they give (for checking the generator)."""
    search, math = workload.tools(0.0)
    observations: list[str] = []
    values: dict[int, float] = {}
    for k, step in enumerate(question.steps, start=1):
        if step.tool == "search":
            result = await search.ainvoke({"query": step.query})
        else:
            context = [observations[j - 1] for j in step.inputs]
            result = await math.ainvoke({"expression": step.expression, "context": context})
        text = result if isinstance(result, str) else repr(result)
        observations.append(text)
        number = first_number(result)
        if number is not None:
            values[k] = number
    return observations, values


def main() -> None:
    parser = argparse.ArgumentParser(description="Print or check the generated workloads.")
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="run every gold solution through the tools")
    opts = parser.parse_args()
    failures = 0
    for name, workload in generate_all(opts.count, opts.seed).items():
        print(f"== {name}: {len(workload.questions)} questions, {len(workload.documents)} documents")
        for question in [workload.example, *workload.questions]:
            print(f"  {question.id} (branch {question.branch}, depth {question.depth}): {question.text}")
            print(f"    gold: {question.gold}")
            if opts.check:
                observations, values = asyncio.run(solve_with_tools(workload, question))
                answer, _ = question.answer_from(values)
                ok = list(observations) == list(question.expected) and is_correct(question, answer)
                failures += not ok
                print(f"    tools give: {answer} ({'ok' if ok else 'MISMATCH'})")
    if failures:
        sys.exit(f"{failures} question(s) do not solve to their gold answer with the tools")


if __name__ == "__main__":
    main()
