"""Growing seed pairs into training items: every item still parses and
checks, values change consistently in question and plan, enums and bounds
hold, and bad seeds files say which line is wrong."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import Field

from agentc import tool
from agentc.checks import PlanChecker
from agentc.edge.tune.grow import Seed, SeedError, grow, grow_with_stats, listed_variants, load_seeds
from agentc.parser import END_OF_PLAN, parse_plan
from agentc.plan import Ref, Template
from agentc.tools import Tool, ToolRegistry

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "tune" / "seeds_example.jsonl"
CUISINES = ("italian", "japanese", "mexican", "indian")


@tool
def find_restaurant(city: str, cuisine: Literal["italian", "japanese", "mexican", "indian"]) -> str:
    """Find a restaurant.

    Args:
        city: the city to search in
        cuisine: the kind of food
    """
    return city


@tool
def book_table(restaurant: str, guests: Annotated[int, Field(ge=1, le=12)], time: str) -> str:
    """Book a table at a restaurant.

    Args:
        restaurant: the restaurant's name, e.g. "Chez Nous", "Sakura" or "La Piazza"
        guests: how many people, 1 to 12
        time: when
    """
    return restaurant


@tool
def send_message(to: str, text: str) -> str:
    """Send a text message to a contact.

    Args:
        to: the contact
        text: the message
    """
    return text


@tool
def calculate(expression: str) -> float:
    """Evaluate an arithmetic expression such as "2 * (3 + 4)"."""
    return 0.0


TOOLS = ToolRegistry([find_restaurant, book_table, send_message, calculate])


@pytest.fixture(scope="module")
def seeds() -> list[Seed]:
    return load_seeds(SEEDS, TOOLS)


@pytest.fixture(scope="module")
def grown(seeds: list[Seed]) -> list[tuple[str, str]]:
    return grow(seeds, TOOLS, n=150, seed=0)


def _calls(plan: str) -> list[tuple[str, dict]]:
    """Each call of a plan with its arguments by name, checked against TOOLS."""
    checker = PlanChecker(TOOLS, merge_identical=False)
    return [(task.tool, task.args) for task in map(checker.check, parse_plan(plan))]


def test_load_seeds_reads_and_checks_every_plan(seeds: list[Seed]) -> None:
    assert len(seeds) == 5
    assert seeds[1].question == "Book a table at Sakura for 4 people tonight at 8pm"
    assert all(s.plan.endswith(END_OF_PLAN) for s in seeds)


def test_a_seed_gets_its_end_of_plan_marker() -> None:
    seed = Seed("Find sushi in Oslo", '1. find_restaurant(city="Oslo", cuisine="japanese")\n2. join()\n')
    assert seed.plan == f'1. find_restaurant(city="Oslo", cuisine="japanese")\n2. join()\n{END_OF_PLAN}'


def test_grown_items_are_distinct_include_the_seeds_and_check(seeds: list[Seed], grown: list[tuple[str, str]]) -> None:
    assert len(grown) == 150
    assert len(set(grown)) == 150
    assert len({q for q, _ in grown}) == 150
    assert grown[:5] == [(s.question, s.plan) for s in seeds]
    for _, plan in grown:
        assert plan.endswith(END_OF_PLAN)
        _calls(plan)  # raises PlanError if the plan no longer parses or checks


def test_values_change_alike_in_question_and_plan(grown: list[tuple[str, str]]) -> None:
    kinds: set[str] = set()
    for question, plan in grown:
        calls = _calls(plan)
        tools = [name for name, _ in calls]
        for name, args in calls:
            if name == "find_restaurant":
                assert args["city"] in question
                assert args["cuisine"] in CUISINES
                article = re.search(rf"\b(an?) {args['cuisine']}\b", question, re.IGNORECASE)
                expected = "an" if args["cuisine"][0] in "aeiou" else "a"
                assert article and article.group(1).lower() == expected, question
            elif name == "book_table":
                assert 1 <= args["guests"] <= 12
                assert f"at {args['restaurant']} for {args['guests']} people {args['time']}" in question
                assert re.fullmatch(r"tonight at (1[0-2]|[1-9])pm", args["time"]), args["time"]
            elif name == "send_message" and tools == ["send_message"]:
                assert question == f"Text {args['to']} that {args['text'][0].lower()}{args['text'][1:]}"
            elif name == "send_message":
                assert args["to"] in question and args["text"] == Template(("Try ", Ref(1)))
            elif name == "calculate" and isinstance(args["expression"], str):
                share, total = re.fullmatch(r"0\.(\d\d) \* (\d+)", args["expression"]).groups()
                assert f"What is {int(share)}% of {total}, split" in question
            else:
                (divisor,) = re.fullmatch(r"\$1 / (\d+)", str(args["expression"])).groups()
                assert question.endswith(f"split between {divisor} people?")
            kinds.add(name)
    assert kinds == {"find_restaurant", "book_table", "send_message", "calculate"}


def test_values_vary_within_enums_bounds_and_examples(grown: list[tuple[str, str]]) -> None:
    guests, cuisines, restaurants, cities, names = set(), set(), set(), set(), set()
    for _, plan in grown:
        for name, args in _calls(plan):
            if name == "book_table":
                guests.add(args["guests"])
                restaurants.add(args["restaurant"])
            elif name == "find_restaurant":
                cuisines.add(args["cuisine"])
                cities.add(args["city"])
            elif name == "send_message":
                names.add(args["to"])
    assert len(guests) >= 5 and 1 not in guests  # "for 1 people" would be wrong
    assert cuisines == set(CUISINES)
    assert restaurants == {"Sakura", "Chez Nous", "La Piazza"}  # the "e.g." examples
    assert len(cities) >= 8 and len(names) >= 8


def test_growth_is_deterministic_for_a_seed(seeds: list[Seed]) -> None:
    assert grow(seeds, TOOLS, n=60, seed=3) == grow(seeds, TOOLS, n=60, seed=3)
    assert grow(seeds, TOOLS, n=60, seed=3) != grow(seeds, TOOLS, n=60, seed=4)


def test_fewer_items_when_the_values_run_out() -> None:
    only = Seed("Find a mexican place nearby", '1. find_restaurant(city="here", cuisine="mexican")\n2. join()')
    fixed = Seed("Find anything", '1. find_restaurant(city="here", cuisine="indian")\n2. join()')
    result = grow_with_stats([only, fixed], TOOLS, n=50, seed=0)
    assert sorted(q for q, _ in result.items) == [
        "Find a japanese place nearby",
        "Find a mexican place nearby",
        "Find an indian place nearby",
        "Find an italian place nearby",
        "Find anything",
    ]
    assert result.stats.saturated == [0] and result.stats.no_slots == [1]
    assert grow([only, fixed], TOOLS, n=1) == [(only.question, only.plan)]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "seeds.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("question", "plan"),
    [
        ("Find an italian restaurant in Oslo.", '1. find_restaurant(city="Oslo", cuisine="italian")\n2. join()'),
        (
            "Book a table at Sakura for 4 people at 8pm.",
            '1. book_table(restaurant="Sakura", guests=4, time="8pm")\n2. join()',
        ),
    ],
)
def test_listed_variants_ask_for_several_values_at_once_with_a_call_for_each(question: str, plan: str) -> None:
    seed = Seed(question, plan)
    (original,) = _calls(seed.plan)
    listed = listed_variants(seed, TOOLS, n=10, seed_value=0)
    assert len(listed) >= 5
    for asked, listed_plan in listed:
        calls = _calls(listed_plan)
        assert 2 <= len(calls) <= 3 and calls[0] == original
        varied = [name for name in original[1] if len({str(args[name]) for _, args in calls}) > 1]
        assert len(varied) == 1, listed_plan  # one value listed, the others kept
        values = [str(args[varied[0]]) for _, args in calls]
        at = [asked.lower().find(value.lower()) for value in values]
        assert -1 < at[0] and at == sorted(at), asked  # "an italian and a japanese restaurant"
        assert " and " in asked[at[-2] : at[-1]] and len(asked[at[0] : at[-1]]) < 40, asked
        assert asked.endswith(".") and not asked.endswith(" .")


def test_only_one_call_seeds_are_listed() -> None:
    seed = Seed(
        "Book a table at Sakura for 4 people at 8pm and text Ana about it",
        '1. book_table(restaurant="Sakura", guests=4, time="8pm")\n2. send_message(to="Ana", text="Booked")\n3. join()',
    )
    assert listed_variants(seed, TOOLS, n=5, seed_value=0) == []


def test_bad_seeds_files_name_each_bad_line(tmp_path: Path) -> None:
    good = {"question": "Find sushi in Oslo", "plan": '1. find_restaurant(city="Oslo", cuisine="japanese")\n2. join()'}
    path = _write(
        tmp_path,
        [
            json.dumps(good),
            "{not json",
            json.dumps({"question": "Eat", "plan": "1. order_pizza()\n2. join()"}),
            json.dumps({"question": "Book", "plan": '1. book_table(restaurant="X", guests=40, time="now")\n2. join()'}),
            json.dumps({"question": "Find", "plan": '1. find_restaurant(city="Oslo", cuisine="thai")'}),
            "",
            json.dumps({"question": "Find", "plans": "1. join()"}),
            json.dumps({"plan": "1. join()"}),
            json.dumps(good),
        ],
    )
    with pytest.raises(SeedError) as info:
        load_seeds(path, TOOLS)
    lines = [line for line in str(info.value).splitlines() if not line.startswith("    ")]  # the plan lines shown
    assert [line.split(":")[0] for line in lines] == [f"{path} line {n}" for n in (2, 3, 4, 5, 7, 8, 9)]
    assert "is not JSON" in lines[0]
    assert "unknown tool 'order_pizza'; the tools are: book_table, calculate" in lines[1]
    assert "guests=40 does not fit book_table" in lines[2]
    assert "the plan has no join()" in lines[3]
    assert "unknown key(s) 'plans'" in lines[4]
    assert '"question" must be a non-empty string' in lines[5]
    assert "repeats the question of line 1" in lines[6]


def test_seeds_file_missing_or_empty(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="no seeds file at .*nowhere.jsonl"):
        load_seeds(tmp_path / "nowhere.jsonl", TOOLS)
    with pytest.raises(SeedError, match="holds no seeds"):
        load_seeds(_write(tmp_path, [""]), TOOLS)


def test_a_plan_may_be_written_as_a_list_of_lines(tmp_path: Path) -> None:
    lines = ['1. find_restaurant(city="Lima", cuisine="mexican")', "2. join()"]
    seed = {"question": "Find tacos in Lima", "plan": lines}
    (loaded,) = load_seeds(_write(tmp_path, [json.dumps(seed)]), TOOLS)
    assert loaded.plan == f'1. find_restaurant(city="Lima", cuisine="mexican")\n2. join()\n{END_OF_PLAN}'


def test_the_weather_example_grows_500_items() -> None:
    spec = importlib.util.spec_from_file_location("weather_tools", ROOT / "examples" / "tune" / "weather_tools.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tools = ToolRegistry([v for v in vars(module).values() if isinstance(v, Tool)])
    seeds = load_seeds(ROOT / "examples" / "tune" / "seeds.jsonl", tools)
    result = grow_with_stats(seeds, tools, n=500, seed=0)
    assert len(set(result.items)) == 500
    assert not result.stats.dropped.get("plan no longer checks")
    for _, plan in result.items:
        checker = PlanChecker(tools, merge_identical=False)
        for call in parse_plan(plan):
            checker.check(call)
