"""Questions and gold plans for the built-in tools: calculate, convert_units, search_documents.

Every intent has several phrasings, and each phrasing is one `Template`.
Answers are worked out by running the real tools on the gold calls, so an
item's `answer` is what a correct agent would say.
"""

from __future__ import annotations

import atexit
import dataclasses
import random
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from agentc.edge.tune.drafts import Call, Draft, Template, combine, number, sentence
from agentc.plan import as_text
from agentc.tools.tool import Tool

# canonical unit (as the plan writes it) -> how people say it
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "km": ("kilometres", "kilometers", "km"),
    "miles": ("miles",),
    "metres": ("metres", "meters"),
    "feet": ("feet",),
    "inches": ("inches",),
    "cm": ("centimetres", "centimeters", "cm"),
    "yards": ("yards",),
    "kg": ("kilograms", "kilos", "kg"),
    "pounds": ("pounds", "lbs"),
    "grams": ("grams",),
    "ounces": ("ounces", "oz"),
    "stone": ("stone",),
    "litres": ("litres", "liters"),
    "gallons": ("gallons",),
    "millilitres": ("millilitres", "milliliters", "ml"),
    "cups": ("cups",),
    "degC": ("degrees Celsius", "°C", "Celsius"),
    "degF": ("degrees Fahrenheit", "°F", "Fahrenheit"),
    "kelvin": ("kelvin",),
    "km/h": ("km/h", "kilometres per hour", "kilometers per hour"),
    "mph": ("mph", "miles per hour"),
    "m/s": ("metres per second", "m/s"),
    "knots": ("knots",),
    "hours": ("hours",),
    "minutes": ("minutes",),
    "seconds": ("seconds",),
    "days": ("days",),
    "weeks": ("weeks",),
    "acres": ("acres",),
    "hectares": ("hectares",),
    "kcal": ("kilocalories", "kcal"),
    "kJ": ("kilojoules", "kJ"),
}

UNIT_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "length": (
        ("miles", "km"), ("km", "miles"), ("metres", "feet"), ("feet", "metres"), ("inches", "cm"),
        ("cm", "inches"), ("yards", "metres"), ("metres", "yards"), ("miles", "metres"), ("feet", "inches"),
    ),
    "mass": (
        ("kg", "pounds"), ("pounds", "kg"), ("grams", "ounces"), ("ounces", "grams"), ("stone", "kg"),
        ("pounds", "grams"), ("kg", "stone"),
    ),
    "volume": (
        ("litres", "gallons"), ("gallons", "litres"), ("cups", "millilitres"), ("millilitres", "cups"),
        ("litres", "cups"),
    ),
    "temperature": (("degC", "degF"), ("degF", "degC"), ("degC", "kelvin"), ("kelvin", "degC")),
    "speed": (("km/h", "mph"), ("mph", "km/h"), ("m/s", "km/h"), ("knots", "km/h"), ("mph", "m/s")),
    "time": (("hours", "minutes"), ("minutes", "seconds"), ("days", "hours"), ("weeks", "days"), ("minutes", "hours")),
    "area": (("acres", "hectares"), ("hectares", "acres")),
    "energy": (("kcal", "kJ"), ("kJ", "kcal")),
}

# topic, as a question says it -> the fact the user's notes hold about it
NOTES: dict[str, str] = {
    "the Lyon office": "The Lyon office opens at 8:30 and has 42 staff on two floors.",
    "the Berlin office": "The Berlin office moved to Torstrasse 12 in March; the lease runs until 2029.",
    "the quarterly budget": "The quarterly budget is 180,000 euros, with 40 percent set aside for hiring.",
    "the wifi password": "The guest wifi network is Orchard-Guest and the password is pear-tree-42.",
    "the dentist": "The dentist, Dr. Okafor, is on Elm Street and the next check-up is due in June.",
    "the book club": "The book club meets on the first Thursday of each month; next up is Middlemarch.",
    "the garden": "Plant the tomatoes after the last frost and water the roses twice a week.",
    "the car service": "The car is due for a service at 60,000 km; the garage is Harbour Motors.",
    "project Falcon": "Project Falcon ships its beta on 14 May; Priya leads the backend work.",
    "the sourdough recipe": "The sourdough uses 500 g flour, 350 g water, 100 g starter and 10 g salt.",
    "my vacation plans": "The summer trip is two weeks in Portugal: Lisbon first, then the Algarve.",
    "my gym routine": "Gym days are Monday, Wednesday and Friday: squats, rows and a 20 minute run.",
    "the insurance policy": "The home insurance policy number is HX-2291 and renews every October.",
    "the team offsite": "The team offsite is in Annecy on 3-5 September, with a boat trip on day two.",
    "the server migration": "The server migration moves the database first, then the web servers, over two weekends.",
    "birthday gifts": "Gift ideas: a pottery class for Mum, a cycling jacket for Leo.",
    "the onboarding checklist": "New hires get a laptop, a security badge and a buddy for the first month.",
    "the marketing plan": "The marketing plan focuses on podcasts and two trade fairs in autumn.",
    "the landlord": "The landlord is Mr. Duarte; rent is due on the fifth of each month.",
    "the hiking trip": "The hiking trip covers 42 km over three days in the Lake District.",
    "the printer setup": "The office printer is on the third floor; its queue name is floor3-laser.",
    "my tax return": "The tax return is due on 31 January; receipts are in the blue folder.",
    "the wedding": "The wedding is on 21 June at the Old Mill; the dress code is summer formal.",
    "my language lessons": "Spanish lessons are on Tuesday evenings with Carmen, 45 minutes each.",
    "the coffee order": "The team coffee order is four flat whites, two oat lattes and one espresso.",
    "the Q3 goals": "Q3 goals: cut support response time to four hours and launch the mobile app.",
    "parking": "Visitor parking is in bay C; the gate code is 4471.",
    "my conference talk": "The conference talk is 25 minutes on streaming parsers, slot on day one.",
    "moving house": "The movers come on the 12th; the new flat needs a fridge and curtains.",
    "piano practice": "Practise scales for ten minutes, then the Chopin nocturne, every evening.",
    "the vet appointment": "The cat's vet appointment is with Dr. Lindqvist; vaccinations are due.",
    "my reading list": "The reading list has Dune, The Overstory and Thinking, Fast and Slow.",
    "the security audit": "The security audit found two issues: old TLS settings and an open admin port.",
    "the client meeting": "The client meeting with Northwind covered pricing and a pilot in Leeds.",
    "the bike repair": "The bike needs new brake pads and a chain; the shop quoted 85 euros.",
    "the home renovation": "The kitchen renovation starts in April; the budget is 15,000 euros.",
    "meal prep": "Sunday meal prep: lentil soup, roasted vegetables and overnight oats.",
    "the hiring plan": "The hiring plan adds two engineers and one designer before December.",
    "the holiday schedule": "The office is closed from 24 December to 2 January.",
    "podcast ideas": "Podcast ideas: an episode on open source funding and one on remote teams.",
}

AUTHORS: dict[str, str] = {
    "Hamlet": "William Shakespeare", "Pride and Prejudice": "Jane Austen", "1984": "George Orwell",
    "War and Peace": "Leo Tolstoy", "The Odyssey": "Homer", "Don Quixote": "Miguel de Cervantes",
    "Moby-Dick": "Herman Melville", "Frankenstein": "Mary Shelley", "The Great Gatsby": "F. Scott Fitzgerald",
    "Crime and Punishment": "Fyodor Dostoevsky", "Jane Eyre": "Charlotte Brontë", "Dracula": "Bram Stoker",
    "The Hobbit": "J. R. R. Tolkien", "Ulysses": "James Joyce", "Middlemarch": "George Eliot",
    "One Hundred Years of Solitude": "Gabriel García Márquez", "The Divine Comedy": "Dante Alighieri",
    "Les Misérables": "Victor Hugo", "Macbeth": "William Shakespeare", "Emma": "Jane Austen",
    "Brave New World": "Aldous Huxley", "The Trial": "Franz Kafka", "Beloved": "Toni Morrison",
    "Things Fall Apart": "Chinua Achebe", "Anna Karenina": "Leo Tolstoy",
}

CAPITALS: dict[str, str] = {
    "France": "Paris", "Japan": "Tokyo", "Italy": "Rome", "Spain": "Madrid", "Canada": "Ottawa",
    "Australia": "Canberra", "Brazil": "Brasília", "Egypt": "Cairo", "Kenya": "Nairobi", "Norway": "Oslo",
    "Portugal": "Lisbon", "Germany": "Berlin", "India": "New Delhi", "Mexico": "Mexico City", "Peru": "Lima",
    "Poland": "Warsaw", "Turkey": "Ankara", "Vietnam": "Hanoi", "Chile": "Santiago", "Ireland": "Dublin",
    "Greece": "Athens", "Sweden": "Stockholm", "Argentina": "Buenos Aires", "South Korea": "Seoul",
    "New Zealand": "Wellington", "Morocco": "Rabat", "Thailand": "Bangkok", "Austria": "Vienna",
}

NOTES_SHOWN_AS = "/home/user/notes"  # where the synthesized passages say they come from

HELLO_ANSWER = "Hello! I can do calculations, convert units and search your notes. What do you need?"


# --- running the real tools -----------------------------------------------------------


@lru_cache(maxsize=1)
def notes_folder() -> Path:
    """A folder of the user's notes (one file per topic) that `search_documents` reads."""
    folder = Path(tempfile.mkdtemp(prefix="agentc-synth-notes-"))
    atexit.register(shutil.rmtree, folder, True)  # made once per process, gone with it
    for i, (topic, fact) in enumerate(NOTES.items()):
        (folder / f"note-{i:02d}.txt").write_text(f"{query_of(topic)}: {fact}\n", encoding="utf-8")
    return folder


def query_of(topic: str) -> str:
    """What to search for: the topic without its article ("the Lyon office" -> "Lyon office")."""
    for article in ("the ", "my "):
        if topic.startswith(article):
            return topic[len(article):]
    return topic


def _said(hit: dict[str, Any]) -> str:
    """A passage's fact, without the topic it is filed under."""
    return hit["text"].split(": ", 1)[-1]


@lru_cache(maxsize=1)
def _search() -> Tool:
    """`search_documents` over the notes, its passages filed under `NOTES_SHOWN_AS`.

    The notes folder's name is random; shown as it is, it made the pairs of one
    seed differ from run to run and gave the model a name no user has.
    """
    from agentc.tools.builtin import document_search_tool

    folder = notes_folder()
    search = document_search_tool([folder])

    def shown(**args: Any) -> list[dict[str, Any]]:
        return [{**hit, "source": NOTES_SHOWN_AS + hit["source"].removeprefix(str(folder))} for hit in search.fn(**args)]

    return dataclasses.replace(search, fn=shown)


def runnable_tools() -> list[Tool]:
    """The builtin tools, with `search_documents` over the notes folder."""
    from agentc.tools.builtin import calculate, convert_units

    return [calculate, convert_units, _search()]


def misspelt_unit(unit: str) -> str:
    """`unit` misspelt so that the converter rejects it (checked with the real tool)."""
    from agentc.tools.builtin import convert_units

    word = UNIT_WORDS[unit][0] if unit in UNIT_WORDS else unit
    for candidate in (word[:-2] + word[-1:], word + "z", "x" + word, f"bogus{word}"):
        try:
            convert_units(value=1, from_unit="km" if unit != "km" else "miles", to_unit=candidate)
        except ValueError:
            return candidate
    raise ValueError(f"no misspelling of {unit!r} that the converter rejects")


def run_calls(calls: Sequence[Call]) -> list[Any]:
    """Each call's result, by the real tool functions, `$N` substituted as the agent does."""
    tools: dict[str, Callable[..., Any]] = {t.name: t for t in runnable_tools()}
    results: list[Any] = []
    for call in calls:
        args = {k: _substitute(v, results) for k, v in call.args}
        results.append(tools[call.tool](**args))
    return results


def _substitute(value: Any, results: list[Any]) -> Any:
    if isinstance(value, str):
        whole = re.fullmatch(r"\$(\d+)", value)
        if whole:
            return results[int(whole.group(1)) - 1]
        return re.sub(r"\$(\d+)", lambda m: as_text(results[int(m.group(1)) - 1]), value)
    return value


# --- slot values ----------------------------------------------------------------------


def _amount(rng: random.Random, low: float = 2, high: float = 500) -> float:
    """A quantity: mostly whole numbers, sometimes one or two decimals."""
    kind = rng.random()
    if kind < 0.55:
        return rng.randint(int(low), int(high))
    if kind < 0.85:
        return round(rng.uniform(low, high), 1)
    return round(rng.uniform(low, min(high, 100)), 2)


def _unit_amount(rng: random.Random, unit: str) -> float:
    if unit in ("degC",):
        return rng.choice([rng.randint(-20, 45), round(rng.uniform(-10, 40), 1)])
    if unit == "degF":
        return rng.choice([rng.randint(0, 110), round(rng.uniform(20, 100), 1)])
    if unit == "kelvin":
        return rng.randint(250, 400)
    value = _amount(rng, 2, 1000)
    return value if value != 1 else 2


def _percent(rng: random.Random) -> float:
    return rng.choice([5, 7.5, 8, 10, 12, 12.5, 15, 17, 18, 20, 22, 25, 30, 33, 35, 40, 45, 60, 65, 75, 80, 90, 2.5, 3, 6, 9, 14, 23])


def _pair(rng: random.Random, kinds: Sequence[str] | None = None) -> tuple[str, str]:
    kind = rng.choice(list(kinds or UNIT_PAIRS))
    return rng.choice(UNIT_PAIRS[kind])


def _word(rng: random.Random, unit: str) -> str:
    return rng.choice(UNIT_WORDS[unit])


def _q(value: float) -> str:
    """A number as a person writes it in a question."""
    return number(value, places=2)


# --- requests: one intent each, phrased in many ways ----------------------------------


def percent_request(phrasing: str, rng: random.Random) -> Draft:
    p, x = _percent(rng), _amount(rng, 10, 5000)
    call = Call.of("calculate", expression=f"{_q(p)} / 100 * {_q(x)}")
    value = run_calls([call])[0]
    question = phrasing.format(p=_q(p), x=_q(x))
    answer = f"{_q(p)}% of {_q(x)} is {number(value)}."
    return Draft(question, (call,), 1, answer, (answer,), result=number(value))


# (question, expression, answer) with slots a, b, c
ARITHMETIC: tuple[tuple[str, str, str], ...] = (
    ("What is {a} times {b}?", "{a} * {b}", "{a} times {b} is {r}."),
    ("Multiply {a} by {b}.", "{a} * {b}", "{a} multiplied by {b} is {r}."),
    ("What's {a} * {b}?", "{a} * {b}", "{a} * {b} is {r}."),
    ("Calculate {a} plus {b}.", "{a} + {b}", "{a} plus {b} is {r}."),
    ("What is {a} + {b} + {c}?", "{a} + {b} + {c}", "{a} + {b} + {c} is {r}."),
    ("How much is {a} minus {b}?", "{a} - {b}", "{a} minus {b} is {r}."),
    ("Subtract {b} from {a}.", "{a} - {b}", "{a} minus {b} is {r}."),
    ("What is {a} divided by {b}?", "{a} / {b}", "{a} divided by {b} is {r}."),
    ("Divide {a} by {b}, please.", "{a} / {b}", "{a} divided by {b} is {r}."),
    ("What's the square root of {a}?", "sqrt({a})", "The square root of {a} is {r}."),
    ("What is {b} squared?", "{b} ** 2", "{b} squared is {r}."),
    ("What is the average of {a}, {b} and {c}?", "({a} + {b} + {c}) / 3", "The average of {a}, {b} and {c} is {r}."),
    ("Compute ({a} + {b}) * {c}.", "({a} + {b}) * {c}", "({a} + {b}) * {c} is {r}."),
    ("If I split {a} euros between {c} people, how much does each get?", "{a} / {c}", "Each person gets {r} euros."),
    ("I bought {c} items at {b} dollars each. What's the total?", "{c} * {b}", "The total is {r} dollars."),
    ("Add {a} and {b} together.", "{a} + {b}", "{a} plus {b} is {r}."),
    ("I had {a} dollars and spent {b}. How much is left?", "{a} - {b}", "{r} dollars are left."),
    ("What is {a} times {b}, minus {c}?", "{a} * {b} - {c}", "{a} times {b} minus {c} is {r}."),
    ("What is ({a} - {b}) * {c}?", "({a} - {b}) * {c}", "({a} - {b}) * {c} is {r}."),
    ("Work out ({a} + {b}) / {c}.", "({a} + {b}) / {c}", "({a} + {b}) / {c} is {r}."),
    ("Calculate ({a} + {b}) times {c}.", "({a} + {b}) * {c}", "({a} + {b}) times {c} is {r}."),
)


def arithmetic_request(spec: tuple[str, str, str], rng: random.Random) -> Draft:
    text, expression, said = spec
    slots = {"a": _q(_amount(rng, 10, 2000)), "b": _q(_amount(rng, 2, 99)), "c": str(rng.randint(2, 12))}
    filled = expression.format(**slots)
    value = run_calls([Call.of("calculate", expression=filled)])[0]
    answer = said.format(r=number(value), **slots)
    return Draft(text.format(**slots), (Call.of("calculate", expression=filled),), 1, answer, (answer,), result=number(value))


def convert_request(phrasing: str, rng: random.Random, kinds: Sequence[str] | None = None) -> Draft:
    src, dst = _pair(rng, kinds)
    v = _unit_amount(rng, src)
    src_word, dst_word = _word(rng, src), _word(rng, dst)
    call = Call.of("convert_units", value=v, from_unit=src, to_unit=dst)
    value = run_calls([call])[0]
    answer = f"{_q(v)} {src_word} is {number(value)} {dst_word}."
    question = phrasing.format(v=_q(v), src=src_word, dst=dst_word)
    return Draft(question, (call,), None, answer, (answer,))


# (question, unit kinds or exact pair, follow-up expression on $1, answer) with slots v src dst n r1 r2
CHAINS: tuple[tuple[str, tuple[str, str] | None, str, str], ...] = (
    ("A recipe needs {v} {src} of flour. How many {dst} is that for {n} batches?", ("pounds", "grams"), "$1 * {n}",
     "{v} {src} is {r1} {dst}, so {n} batches need {r2} {dst}."),
    ("I run {v} {src} a day. How many {dst} is that in a week?", ("miles", "km"), "$1 * 7",
     "{v} {src} is {r1} {dst}, so a week of runs is {r2} {dst}."),
    ("Convert {v} {src} to {dst} and multiply the result by {n}.", None, "$1 * {n}",
     "{v} {src} is {r1} {dst}; times {n} that is {r2}."),
    ("How many {dst} is {v} {src}, divided by {n}?", None, "$1 / {n}",
     "{v} {src} is {r1} {dst}; divided by {n} that is {r2}."),
    ("Each box weighs {v} {src}. What do {n} boxes weigh in {dst}?", ("kg", "pounds"), "$1 * {n}",
     "One box is {r1} {dst}, so {n} boxes weigh {r2} {dst}."),
    ("A tank holds {v} {src}. How many {dst} do {n} tanks hold?", ("gallons", "litres"), "$1 * {n}",
     "One tank holds {r1} {dst}, so {n} tanks hold {r2} {dst}."),
    ("The trail is {v} {src} long. If I walk it {n} times, how many {dst} is that?", ("km", "miles"), "$1 * {n}",
     "The trail is {r1} {dst}, so {n} times is {r2} {dst}."),
    ("My commute is {v} {src} each way. How many {dst} do I drive in {n} round trips?", ("miles", "km"), "$1 * 2 * {n}",
     "One way is {r1} {dst}, so {n} round trips are {r2} {dst}."),
    ("Convert {v} {src} to {dst}, then add {n}.", None, "$1 + {n}",
     "{v} {src} is {r1} {dst}; plus {n} that is {r2}."),
    ("A board is {v} {src} long. How many {dst} are {n} boards end to end?", ("feet", "metres"), "$1 * {n}",
     "One board is {r1} {dst}, so {n} boards are {r2} {dst}."),
    ("Split {v} {src} into {n} equal parts. How many {dst} is each part?", ("litres", "cups"), "$1 / {n}",
     "{v} {src} is {r1} {dst}, so each part is {r2} {dst}."),
    ("I cycle {v} {src} every day. Over {n} days, how many {dst} is that?", ("km", "miles"), "$1 * {n}",
     "{v} {src} is {r1} {dst}, so {n} days of cycling is {r2} {dst}."),
    ("A flight is {v} {src} one way. How many {dst} do {n} return flights cover?", ("miles", "km"), "$1 * 2 * {n}",
     "One way is {r1} {dst}, so {n} return flights cover {r2} {dst}."),
    ("I walk {v} {src} to school and the same back. How many {dst} is that over {n} days?", ("km", "miles"),
     "$1 * 2 * {n}", "One way is {r1} {dst}, so {n} days there and back is {r2} {dst}."),
    ("The ferry route is {v} {src}. It goes there and back {n} times; how many {dst} is that?", ("miles", "km"),
     "$1 * 2 * {n}", "The route is {r1} {dst}, so {n} trips there and back are {r2} {dst}."),
    ("The bus route is {v} {src} one way. How many {dst} do {n} round trips make?", ("miles", "km"), "$1 * 2 * {n}",
     "One way is {r1} {dst}, so {n} round trips make {r2} {dst}."),
    ("A train ride is {v} {src} each way. How many {dst} do {n} return journeys cover?", ("km", "miles"),
     "$1 * 2 * {n}", "One way is {r1} {dst}, so {n} return journeys cover {r2} {dst}."),
    ("I swim {v} {src} out and the same back, {n} times. How many {dst} is that?", ("metres", "yards"),
     "$1 * 2 * {n}", "One way is {r1} {dst}, so {n} times out and back is {r2} {dst}."),
)


def chain_request(spec: tuple[str, tuple[str, str] | None, str, str], rng: random.Random) -> Draft:
    text, pair, follow, said = spec
    src, dst = pair or _pair(rng, ("length", "mass", "volume", "time"))
    v, n = _unit_amount(rng, src), rng.randint(2, 12)
    words = {"src": _word(rng, src), "dst": _word(rng, dst)}
    calls = (
        Call.of("convert_units", value=v, from_unit=src, to_unit=dst),
        Call.of("calculate", expression=follow.format(n=n)),
    )
    r1, r2 = run_calls(calls)
    answer = said.format(v=_q(v), n=n, r1=number(r1), r2=number(r2), **words)
    return Draft(text.format(v=_q(v), n=n, **words), calls, None, answer, (answer,))


# (question, first expression, follow-up on $1, answer) with slots p x n r1 r2
ARITHMETIC_CHAINS: tuple[tuple[str, str, str, str], ...] = (
    ("Take {p}% of {x}, then divide the result by {n}.", "{f} * {x}", "$1 / {n}",
     "{p}% of {x} is {r1}; divided by {n} that is {r2}."),
    ("Work out {p}% of {x} and then multiply that by {n}.", "{f} * {x}", "$1 * {n}",
     "{p}% of {x} is {r1}; times {n} that is {r2}."),
    ("First compute {x} divided by {n}, then take {p}% of the result.", "{x} / {n}", "{f} * $1",
     "{x} divided by {n} is {r1}, and {p}% of that is {r2}."),
    ("What is {p}% of {x}, plus {n}? Do the percentage first, then add.", "{f} * {x}", "$1 + {n}",
     "{p}% of {x} is {r1}; plus {n} that is {r2}."),
    ("Multiply {x} by {n}, then subtract {p}% of {x} from the result.", "{x} * {n}", "$1 - {f} * {x}",
     "{x} times {n} is {r1}; minus {p}% of {x} that is {r2}."),
    ("The bill is {x} and we're leaving a {p}% tip. Split the tip {n} ways: how much tip does each person pay?",
     "{f} * {x}", "$1 / {n}", "The tip is {r1}; split {n} ways that is {r2} each."),
    ("Find {p}% of {x}, then subtract {n} from it.", "{f} * {x}", "$1 - {n}",
     "{p}% of {x} is {r1}; minus {n} that is {r2}."),
    ("Divide {x} by {n} and tell me what {p}% of that comes to.", "{x} / {n}", "{f} * $1",
     "{x} divided by {n} is {r1}, and {p}% of that is {r2}."),
    ("Split {x} into {n} equal shares, then work out {p}% of one share.", "{x} / {n}", "{f} * $1",
     "One of {n} shares of {x} is {r1}; {p}% of it is {r2}."),
    ("Multiply {x} by {n} and then find {p} percent of the product.", "{x} * {n}", "{f} * $1",
     "{x} times {n} is {r1}, and {p}% of that is {r2}."),
    ("Add {n} to {x}; what is {p}% of the sum?", "{x} + {n}", "{f} * $1",
     "{x} plus {n} is {r1}; {p}% of it is {r2}."),
)


def arithmetic_chain_request(spec: tuple[str, str, str, str], rng: random.Random) -> Draft:
    text, first, follow, said = spec
    p, x, n = _percent(rng), _amount(rng, 10, 5000), rng.randint(2, 12)
    slots = {"p": _q(p), "x": _q(x), "n": str(n), "f": f"{_q(p)} / 100"}
    calls = (Call.of("calculate", expression=first.format(**slots)), Call.of("calculate", expression=follow.format(**slots)))
    r1, r2 = run_calls(calls)
    answer = said.format(r1=number(r1), r2=number(r2), **slots)
    return Draft(text.format(**slots), calls, 2, answer, (answer,), result=number(r2))


def document_request(phrasing: str, rng: random.Random) -> Draft:
    topic = rng.choice(list(NOTES))
    call = Call.of("search_documents", query=query_of(topic))
    hits = run_calls([call])[0]
    answer = f"Your notes on {topic} say: {_said(hits[0])}" if hits else f"Your notes say nothing about {topic}."
    return Draft(phrasing.format(topic=topic), (call,), None, answer, (answer,))


def documents_pair_request(phrasing: str, rng: random.Random) -> Draft:
    first, second = rng.sample(list(NOTES), 2)
    calls = (Call.of("search_documents", query=query_of(first)), Call.of("search_documents", query=query_of(second)))
    hits = run_calls(calls)
    parts = tuple(f"Your notes on {t} say: {_said(h[0])}" for t, h in zip((first, second), hits))
    return Draft(phrasing.format(a=first, b=second), calls, None, " ".join(parts), parts)


def no_tool_request(kind: str, phrasing: str, rng: random.Random) -> Draft:
    if kind == "author":
        work = rng.choice(list(AUTHORS))
        return Draft(phrasing.format(work=work), answer=f"{AUTHORS[work]} wrote {work}.")
    if kind == "capital":
        country = rng.choice(list(CAPITALS))
        return Draft(phrasing.format(country=country), answer=f"The capital of {country} is {CAPITALS[country]}.")
    if kind == "hello":
        return Draft(phrasing.format(name=rng.choice(("", " there", " assistant", " friend"))), answer=HELLO_ANSWER)
    topic = rng.choice(("cats or dogs", "tea or coffee", "summer or winter", "books or films", "mountains or the sea",
                        "pizza or pasta", "trains or planes", "mornings or evenings", "jazz or rock"))
    answer = f"I don't have a preference between {topic}, but I can help with calculations, unit conversions and your notes."
    return Draft(phrasing.format(topic=topic), answer=answer)


# --- clause forms for multi-intent questions ------------------------------------------

CLAUSES: dict[str, tuple[str, ...]] = {
    "percent": ("what is {p}% of {x}", "what's {p} percent of {x}", "how much is {p}% of {x}"),
    "convert": ("how many {dst} is {v} {src}", "what is {v} {src} in {dst}", "what's {v} {src} in {dst}"),
    "arithmetic": ("what is {a} * {b}", "what's {a} plus {b}", "what is {a} divided by {b}", "what is {a} minus {b}"),
    "document": ("what do my notes say about {topic}", "what did I write about {topic}"),
}


def clause_request(rng: random.Random) -> Draft:
    """One request phrased as a clause, to join with others in one question."""
    kind = rng.choice(list(CLAUSES))
    phrasing = rng.choice(CLAUSES[kind])
    if kind == "percent":
        return percent_request(phrasing, rng)
    if kind == "convert":
        return convert_request(phrasing, rng)
    if kind == "document":
        return document_request(phrasing, rng)
    operator = {"*": "times", "plus": "plus", "divided": "divided by", "minus": "minus"}
    word = next(w for w in operator if w in phrasing)
    symbol = {"*": "*", "plus": "+", "divided": "/", "minus": "-"}[word]
    said = "{a} " + operator[word] + " {b} is {r}."
    return arithmetic_request((phrasing, "{a} " + symbol + " {b}", said), rng)


def multi_request(connector: str, rng: random.Random) -> Draft:
    count = connector.count("{")
    drafts: list[Draft] = []
    while len(drafts) < count:
        draft = clause_request(rng)
        if all(d.calls != draft.calls for d in drafts):
            drafts.append(draft)
    names = "abc"[:count]
    question = connector.format(**{n: d.question for n, d in zip(names, drafts)})
    return combine(sentence(question), drafts)


# --- the templates --------------------------------------------------------------------

PERCENT = (
    "What is {p}% of {x}?", "what is {p} percent of {x}", "Calculate {p}% of {x}.", "How much is {p} percent of {x}?",
    "{p}% of {x} is how much?", "Find {p}% of {x}.", "What's {p}% of {x}?", "Work out {p} percent of {x} for me.",
    "Quick one: {p}% of {x}?", "I need {p}% of {x}.", "Can you tell me what {p}% of {x} comes to?",
    "If something costs {x}, what is {p} percent of that?",
)
CONVERT = (
    "How many {dst} is {v} {src}?", "Convert {v} {src} to {dst}.", "What is {v} {src} in {dst}?",
    "How many {dst} are in {v} {src}?", "{v} {src} in {dst}, please.", "What's {v} {src} in {dst}?",
    "Express {v} {src} in {dst}.", "I have {v} {src}. How much is that in {dst}?", "{v} {src} equals how many {dst}?",
    "Can you convert {v} {src} into {dst}?", "Turn {v} {src} into {dst}.", "How much is {v} {src} in {dst}?",
    "I need {v} {src} converted to {dst}.", "If I've got {v} {src}, what's that in {dst}?",
)
DOCUMENT = (
    "What do my notes say about {topic}?", "Search my documents for {topic}.", "What did I write about {topic}?",
    "Look up {topic} in my notes.", "Find my notes on {topic}.", "Do my files mention anything about {topic}?",
    "What do I have written down about {topic}?", "Check my notes for {topic}.",
    "Remind me what I noted down about {topic}.", "{topic}: what do my notes say?",
)
DOCUMENT_PAIRS = (
    "What do my notes say about {a} and {b}?", "Search my notes for {a} and for {b}.",
    "Find what I wrote about {a}, and also about {b}.", "Look up {a} and {b} in my documents.",
    "What do I have on {a}? And on {b}?", "Check my notes on {a}, then on {b}.",
    "Tell me what my documents say about {a}, and about {b} too.",
)
NO_TOOL = (
    ("author", "Who wrote {work}?"), ("author", "who is the author of {work}"), ("author", "Do you know who wrote {work}?"),
    ("capital", "What is the capital of {country}?"), ("capital", "what's the capital city of {country}"),
    ("capital", "Which city is the capital of {country}?"),
    ("hello", "Hi{name}!"), ("hello", "Hello{name}, how are you?"), ("hello", "Good morning{name}!"),
    ("hello", "Hey{name}, what can you do?"),
    ("opinion", "Which do you like better, {topic}?"), ("opinion", "What's your opinion: {topic}?"),
    ("opinion", "Do you prefer {topic}?"),
    ("capital", "Capital of {country}?"), ("opinion", "{topic}: which would you pick?"),
)
MULTI = (
    "{a}, and {b}?", "{a}? Also, {b}?", "Two questions: {a}, and {b}.", "{a}; and {b}?", "Tell me {a}, and {b}.",
    "I need two things: {a}, and {b}.", "{a}, {b}, and {c}?", "Three quick ones: {a}; {b}; {c}.",
    "{a}? And {b}? And {c}?", "{a}, and also {b}?", "Couple of questions. First, {a}? Second, {b}?",
    "I'd like to know {a}, and {b}.",
)


# how often each intent is drawn, relative to the others
INTENT_WEIGHTS: dict[str, float] = {
    "percent": 1.0, "arithmetic": 1.2, "convert": 1.5, "convert_chain": 1.2, "arithmetic_chain": 0.8,
    "document": 0.6, "document_pair": 0.5, "multi": 2.0, "no_tool": 0.6,
}


def templates() -> list[Template]:
    """Every builtin phrasing template, ids `intent/NN`."""
    out: list[Template] = []

    def add(intent: str, makers: Sequence[Callable[[random.Random], Draft]]) -> None:
        out.extend(Template(f"{intent}/{i:02d}", intent, make) for i, make in enumerate(makers))

    add("percent", [lambda r, p=p: percent_request(p, r) for p in PERCENT])
    add("arithmetic", [lambda r, s=s: arithmetic_request(s, r) for s in ARITHMETIC])
    add("convert", [lambda r, p=p: convert_request(p, r) for p in CONVERT])
    add("convert_chain", [lambda r, s=s: chain_request(s, r) for s in CHAINS])
    add("arithmetic_chain", [lambda r, s=s: arithmetic_chain_request(s, r) for s in ARITHMETIC_CHAINS])
    add("document", [lambda r, p=p: document_request(p, r) for p in DOCUMENT])
    add("document_pair", [lambda r, p=p: documents_pair_request(p, r) for p in DOCUMENT_PAIRS])
    add("multi", [lambda r, c=c: multi_request(c, r) for c in MULTI])
    add("no_tool", [lambda r, k=k, p=p: no_tool_request(k, p, r) for k, p in NO_TOOL])
    return out
