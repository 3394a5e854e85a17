"""The streaming plan parser: literals, references, errors, and totality."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentc.errors import PlanError
from agentc.parser import PlanParser, numbered_plan, parse_plan
from agentc.plan import Ref, Template, as_text, references, render, substitute

PLAN = """Thought: both cities are independent.
1. get_weather(city="Paris")
2. get_weather('Tokyo')
Thought: compare at the end.
3. compare(a=$1, b=${2}, note="see $1 and ${2}")
4. join()
<END_OF_PLAN>"""


def test_whole_plan():
    calls = parse_plan(PLAN)
    assert [c.idx for c in calls] == [1, 2, 3]
    first, second, third = calls
    assert first.tool == "get_weather" and first.keywords == (("city", "Paris"),)
    assert first.thought == "both cities are independent."
    assert second.positional == ("Tokyo",) and second.thought is None
    assert third.thought == "compare at the end."
    kw = dict(third.keywords)
    assert kw["a"] == Ref(1) and kw["b"] == Ref(2)
    assert kw["note"] == Template(("see ", Ref(1), " and ", Ref(2)))
    assert third.line == 5


def test_literals_of_every_kind():
    (call,) = parse_plan(
        "1. f(1, -2.5, 1e3, True, false, None, null, 'it\\'s', \"a\\nb\\u00e9\", [1, [2, $0]], (3,), "
        "{'k': {\"n\": [true]}, 2: None},)\n2. join()",
        known_ids={0},
    )
    assert call.positional == (
        1, -2.5, 1000.0, True, False, None, None, "it's", "a\nbé", [1, [2, Ref(0)]], (3,), {"k": {"n": [True]}, 2: None},
    )


def test_dollar_text_stays_text_unless_it_names_a_defined_task():
    calls = parse_plan('1. f(x="costs $5, or \\$1")\n2. g(y="after $1 and ${1}")\n3. join()')
    assert dict(calls[0].keywords)["x"] == "costs $5, or $1"
    assert dict(calls[1].keywords)["y"] == Template(("after ", Ref(1), " and ", Ref(1)))
    assert calls[1].positional == ()


def test_streaming_yields_each_task_as_soon_as_its_line_completes():
    parser = PlanParser()
    assert parser.feed("1. f(x=1") == []
    assert parser.feed(")") == []
    (first,) = parser.feed("\n2. f(x=")
    assert first.idx == 1
    (second,) = parser.feed("$1)\n3. join()<END_")
    assert second.keywords == (("x", Ref(1)),)
    assert parser.feed("OF_PLAN>\n4. ignored(") == []
    assert parser.close() == []
    assert parser.ended and parser.join_line == 3


def test_join_forms_and_trailing_text():
    assert parse_plan("join()") == []
    assert [c.idx for c in parse_plan("1. f()\n2) join( )\n")] == [1]


def test_join_may_name_the_task_whose_result_is_the_answer():
    parser = PlanParser(known_ids={1})
    parser.feed("2. f()\n3. g($2)\n4. join(${3})\n")
    parser.close()
    assert parser.answer_task == 3
    earlier = PlanParser(known_ids={1})
    earlier.feed("2. f()\n3. join($1)")
    earlier.close()
    assert earlier.answer_task == 1
    plain = PlanParser()
    plain.feed("1. f()\n2. join()")
    plain.close()
    assert plain.answer_task is None


@pytest.mark.parametrize(
    ("plan", "line", "needle"),
    [
        ("1. f(x=1)", 1, "no join()"),
        ("", 1, "plan is empty"),
        ("1. f()\n2. join()\n3. join()", 3, "a second join()"),
        ("1. f()\n2. join()\n3. g()", 3, "after join()"),
        ("1. f()\n1. g()\n2. join()", 2, "used twice"),
        ("1. f($2)\n2. g()\n3. join()", 1, "a later task"),
        ("2. f()\n3. g($1)\n4. join()", 2, "no earlier task defines"),
        ("1. f($1)\n2. join()", 1, "its own result"),
        ("hello there", 1, "expected a numbered task"),
        ("1. f(x=Paris)\n2. join()", 1, "put text in quotes"),
        ("1. f(x='open)\n2. join()", 1, "not closed"),
        ("1. f(x=1, 2)\n2. join()", 1, "positional argument cannot follow"),
        ("1. f(x=1, x=2)\n2. join()", 1, "given twice"),
        ("1. f(x=1) extra\n2. join()", 1, "unexpected text after the call"),
        ("1. f(x=1\n2. join()", 1, "line ends"),
        ("1. f(x=$)\n2. join()", 1, "task number"),
        ("1. f(" + "[" * 40 + "]" * 40 + ")\n2. join()", 1, "nested more than"),
        ("0. f()\n1. join()", 1, "out of range"),
        ("1. f()\n2. join($2)", 2, "names no task"),
    ],
)
def test_errors_name_the_line(plan, line, needle):
    with pytest.raises(PlanError) as info:
        parse_plan(plan)
    assert info.value.line == line
    assert needle in str(info.value)


def test_error_column_points_at_the_fault():
    with pytest.raises(PlanError) as info:
        parse_plan("1. f(a=1, b=oops)\n2. join()")
    assert info.value.column == 13
    assert "plan line 1, column 13" in str(info.value)


def test_known_ids_from_earlier_plans():
    (call,) = parse_plan("4. f(x=$3)\n5. join()", known_ids={1, 2, 3})
    assert call.keywords == (("x", Ref(3)),)
    with pytest.raises(PlanError, match="earlier plan"):
        parse_plan("3. f()\n4. join()", known_ids={1, 2, 3})


def test_max_tasks_bounds_a_looping_plan():
    looping = "".join(f"{i}. f()\n" for i in range(1, 100))
    with pytest.raises(PlanError, match="more than 8 tasks"):
        parse_plan(looping, max_tasks=8)


def test_substitution_keeps_types_and_texts_inside_strings():
    results = {1: {"a": [1, 2]}, 2: 3.5, 3: "plain"}
    value = {"exact": Ref(1), "num": Ref(2), "inside": Template(("x=", Ref(1), ", y=", Ref(2), ", s=", Ref(3))), "list": [Ref(3)]}
    out = substitute(value, results)
    assert out["exact"] == {"a": [1, 2]} and out["exact"] is results[1]
    assert out["num"] == 3.5 and isinstance(out["num"], float)
    assert out["inside"] == 'x={"a": [1, 2]}, y=3.5, s=plain'
    assert out["list"] == ["plain"]
    assert list(references(value)) == [1, 2, 1, 2, 3, 3]
    assert as_text(object).startswith("<class")
    assert render(value) == '{"exact": $1, "num": $2, "inside": "x=$1, y=$2, s=$3", "list": [$3]}'


def _outcome(text: str, cuts: list[int]) -> tuple[str, object]:
    parser = PlanParser(max_tasks=50)
    calls = []
    try:
        start = 0
        for cut in sorted(cuts) + [len(text)]:
            calls += parser.feed(text[start:cut])
            start = cut
        calls += parser.close()
    except PlanError as exc:
        return "error", (exc.line, exc.message)
    return "tasks", calls


plan_alphabet = st.sampled_from(
    ["1", "2", "3", ".", " ", "(", ")", "[", "]", "{", "}", ",", "=", "$", "'", '"', "\\", "\n", "f", "x", "join()", "Thought:", "<END_OF_PLAN>", "True", "$1", "é"]
)


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.text(max_size=300), st.lists(plan_alphabet, max_size=120).map("".join)),
    data=st.data(),
)
def test_any_text_in_any_chunks_ends_in_tasks_or_a_plan_error(text, data):
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=20))
    began = time.perf_counter()
    kind, result = _outcome(text, cuts)
    assert kind in ("tasks", "error")
    assert time.perf_counter() - began < 1.0
    assert (kind, result) == _outcome(text, [])  # chunking never changes the outcome


def test_a_long_plan_parses_in_linear_time():
    text = "".join(f'{i}. f(x="{"a" * 50}", y=[{i}, {{"k": ${i - 1}}}])\n' for i in range(2, 2001)) + "2001. join()"
    began = time.perf_counter()
    calls = parse_plan("1. f()\n" + text, max_tasks=5000)
    assert len(calls) == 2000
    assert time.perf_counter() - began < 5.0


def test_numbered_plan_writes_what_the_parser_reads() -> None:
    plan = numbered_plan(['f(x=1)', 'g(text="from $1")'], answer=2)
    assert plan.splitlines()[-2:] == ["3. join($2)", "<END_OF_PLAN>"]
    calls = parse_plan(plan)
    assert [(c.idx, c.tool) for c in calls] == [(1, "f"), (2, "g")]
    assert numbered_plan([]) == "1. join()\n<END_OF_PLAN>"
