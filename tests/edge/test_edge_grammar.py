"""The plan and joiner grammars, checked with llama.cpp's own grammar engine.

Every sample plan is first run through `parse_plan` and `PlanChecker` (so we
know the agent accepts it), then through the grammar; every rejected sample
is one the agent rejects too, so the grammar is neither looser than the
checks nor in disagreement with them on these cases.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Annotated, Any, Literal, Optional, get_origin

import pytest
from llama_cpp import Llama
from pydantic import BaseModel, Field, create_model

from agentc import PlanError, ToolArgumentError, ToolDefinitionError, tool
from agentc.checks import PlanChecker
from agentc.edge.gbnf import check_grammar, grammar_accepts
from agentc.edge.grammar import action_grammar, agent_plan_grammar, joiner_grammar, plan_grammar
from agentc.errors import LLMError
from agentc.joiner import Finish, Replan, parse_decision
from agentc.parser import parse_plan
from agentc.planners.react import read_step
from agentc.tools import Tool
from agentc.tools.tool import ToolArguments


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Point(BaseModel):
    x: int
    y: int = 0
    label: str | None = None


def probe_tool(annotation: Any) -> Tool:
    """A tool `probe(x)` whose one parameter has type `annotation`.

    Built by `@tool`, except for `Annotated` constraints, which `@tool` does
    not carry into the schema (yet); those come from an explicit argument
    model, as a LangChain tool's would."""

    def probe(x: Any) -> Any:
        return x

    if get_origin(annotation) is Annotated:
        model = create_model("ProbeArguments", __base__=ToolArguments, x=(annotation, ...))
        return Tool(name="probe", description="", args_model=model, fn=probe)
    probe.__annotations__ = {"x": annotation, "return": Any}
    return tool(probe)


# annotation, values the agent accepts, values it rejects
TYPE_CASES: list[tuple[str, Any, list[str], list[str]]] = [
    ("str", str, ['"Paris"', '"say \\"hi\\""', '""', '"costs \\$5"'], ["5", "None", "True"]),
    ("int", int, ["0", "-12", "12345"], ["1.5", '"abc"', "None"]),
    ("float", float, ["1.5", "-2", "3e2", "0.25"], ['"abc"', "None", "[1]"]),
    ("bool", bool, ["True", "False"], ['"maybe"', "None", "2"]),
    ("None", None, ["None"], ["0", '"None"']),
    ("literal-str", Literal["red", "green"], ['"red"', '"green"'], ['"blue"', "1"]),
    ("literal-int", Literal[1, 2], ["1", "2"], ["3", '"1"']),
    ("const", Literal["only"], ['"only"'], ['"other"']),
    ("enum", Color, ['"red"', '"green"'], ['"blue"']),
    ("list-int", list[int], ["[]", "[1, 2, 3]"], ["[1.5]", '["a"]', "1"]),
    ("list-str", list[str], ['["a", "b"]'], ["[1]"]),
    ("tuple", tuple[int, str], ['[1, "a"]'], ["[1]", '["a", 1]']),
    ("set", set[str], ['["a", "b"]'], ["[1]"]),
    ("dict-int", dict[str, int], ["{}", '{"a": 1, "b": 2}'], ['{"a": "x"}', "[1]"]),
    ("dict", dict, ["{}", '{"a": [1, "x"], "b": None}'], ["[1]", '"x"']),
    ("any", Any, ["1", '"x"', '[1, {"a": None}]', "None", "True"], []),
    ("optional", Optional[str], ["None", '"x"'], ["1"]),
    ("union", int | str, ["1", '"x"'], ["None", "1.5"]),
    ("model", Point, ['{"x": 1}', '{"x": 1, "y": 2}', '{"x": 1, "label": "p"}'], ['{"y": 2}', '{"x": "a"}', "{}"]),
    ("nested", list[list[int]], ["[[1, 2], []]"], ["[1]"]),
    ("max-length", Annotated[str, Field(max_length=5)], ['"abcde"'], ['"abcdef"']),
    ("min-items", Annotated[list[int], Field(min_length=1)], ["[1]"], ["[]"]),
    ("datetime", datetime, ['"2024-01-02T03:04:05"'], []),
]


def agent_accepts(text: str, tools: list[Tool], **options: Any) -> bool:
    """Whether the agent runs the plan `text`: the parser and the checker
    accept it, and the tools accept the arguments that hold no reference."""
    table = {t.name: t for t in tools}
    try:
        calls = parse_plan(text, **options)
        checker = PlanChecker(table)
        for task in [checker.check(call) for call in calls]:
            if not task.deps:
                table[task.tool].validate_args(task.args)
    except (PlanError, ToolArgumentError):
        return False
    return True


def one_task(value: str) -> str:
    return f"1. probe(x={value})\n2. join()\n<END_OF_PLAN>"


@pytest.mark.parametrize("name,annotation,valid,invalid", TYPE_CASES, ids=[c[0] for c in TYPE_CASES])
def test_every_parameter_type(vocab: Llama, name: str, annotation: Any, valid: list[str], invalid: list[str]) -> None:
    probe = probe_tool(annotation)
    grammar = plan_grammar([probe], max_tasks=3)
    check_grammar(vocab, grammar)
    for value in valid:
        text = one_task(value)
        assert agent_accepts(text, [probe]), f"the sample itself is wrong: {text!r}"
        assert grammar_accepts(vocab, grammar, text), f"{name}: grammar rejects {value}"
    for value in invalid:
        text = one_task(value)
        assert not agent_accepts(text, [probe]), f"the sample itself is wrong: {text!r}"
        assert not grammar_accepts(vocab, grammar, text), f"{name}: grammar accepts {value}"
    # a reference to an earlier task fits every type, in task 2 but not in task 1
    text = f"1. probe(x={valid[0]})\n2. probe(x=$1)\n3. join()\n<END_OF_PLAN>"
    assert agent_accepts(text, [probe]) and grammar_accepts(vocab, grammar, text)
    assert not grammar_accepts(vocab, grammar, one_task("$1"))


@tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> str:
    """Weather of a city."""
    return city


@tool
def search(query: str, k: int = 3, site: str | None = None) -> list[str]:
    """Search the web."""
    return [query] * k


TOOLS = [get_weather, search]


@pytest.fixture(scope="module")
def grammar() -> str:
    return plan_grammar(TOOLS, max_tasks=4)


def both(vocab: Llama, grammar: str, text: str, **options: Any) -> tuple[bool, bool]:
    """(agent accepts, grammar accepts) for a plan."""
    return agent_accepts(text, TOOLS, **options), grammar_accepts(vocab, grammar, text)


@pytest.mark.parametrize(
    "text",
    [
        '1. get_weather(city="Paris")\n2. get_weather(city="Tokyo", unit="f")\n3. join()\n<END_OF_PLAN>',
        'Thought: two cities.\n1. get_weather(city="Paris")\nThought: done\n2. join()\n<END_OF_PLAN>',
        '1. search(query="x", site="a.org")\n2. search(query="${1} news", k=$1)\n3. join()\n<END_OF_PLAN>',
        '1. search(query="a")\n2. search(query="b")\n3. search(query="c")\n4. search(query="d")\n5. join()\n<END_OF_PLAN>',
        '1. search(query="a")\n2. search(query="${1} b")\n3. join($2)\n<END_OF_PLAN>',
        '1. search(query="a")\n2. search(query="$1 * 3")\n3. search(query="$1")\n4. join()\n<END_OF_PLAN>',
        '1. search(query="a")\n2. search(query="$1, $1.")\n3. join()\n<END_OF_PLAN>',
    ],
)
def test_valid_plans_are_in_the_grammar(vocab: Llama, grammar: str, text: str) -> None:
    assert both(vocab, grammar, text) == (True, True)


@pytest.mark.parametrize(
    "why,text",
    [
        ("no join", '1. get_weather(city="Paris")\n<END_OF_PLAN>'),
        ("second join", '1. get_weather(city="Paris")\n2. join()\n3. join()\n<END_OF_PLAN>'),
        ("later reference", '1. search(query=$2)\n2. search(query="x")\n3. join()\n<END_OF_PLAN>'),
        ("self reference", '1. search(query="x")\n2. search(query=$2)\n3. join()\n<END_OF_PLAN>'),
        ("later reference in a string", '1. search(query="a ${2}")\n2. search(query="x")\n3. join()\n<END_OF_PLAN>'),
        ("unknown tool", '1. fly(to="Mars")\n2. join()\n<END_OF_PLAN>'),
        ("missing argument", "1. get_weather()\n2. join()\n<END_OF_PLAN>"),
        ("unknown argument", '1. get_weather(town="Paris")\n2. join()\n<END_OF_PLAN>'),
        ("bad enum", '1. get_weather(city="Paris", unit="k")\n2. join()\n<END_OF_PLAN>'),
        ("join names a later task", '1. search(query="a")\n2. join($2)\n<END_OF_PLAN>'),
        ("too many tasks", "".join(f'{i}. search(query="{i}")\n' for i in range(1, 6)) + "6. join()\n<END_OF_PLAN>"),
    ],
)
def test_invalid_plans_are_not(vocab: Llama, grammar: str, why: str, text: str) -> None:
    agent, gbnf = both(vocab, grammar, text, max_tasks=4)
    assert not agent, f"the sample itself is wrong ({why})"
    assert not gbnf, why


def test_the_grammar_is_narrower_than_the_parser_where_it_steers_the_model(vocab: Llama, grammar: str) -> None:
    """Plans the parser tolerates but the grammar never writes: positional
    arguments, arguments out of schema order, no task at all, single quotes,
    ids that skip a number."""
    for text in [
        '1. get_weather(city="Paris")\n3. join()\n<END_OF_PLAN>',
        '1. get_weather("Paris")\n2. join()\n<END_OF_PLAN>',
        '1. get_weather(unit="f", city="Paris")\n2. join()\n<END_OF_PLAN>',
        "1. join()\n<END_OF_PLAN>",
        "1. get_weather(city='Paris')\n2. join()\n<END_OF_PLAN>",
        '1. search(query="a $2")\n2. search(query="x")\n3. join()\n<END_OF_PLAN>',  # "$2" is text there
    ]:
        assert both(vocab, grammar, text) == (True, False), text


def test_min_tasks_zero_allows_a_bare_join(vocab: Llama) -> None:
    text = "1. join()\n<END_OF_PLAN>"
    assert grammar_accepts(vocab, plan_grammar(TOOLS, min_tasks=0), text)
    assert not grammar_accepts(vocab, plan_grammar(TOOLS, min_tasks=1), text)


def test_when_a_tool_selector_offers_no_tool_the_agent_grammar_allows_only_join(vocab: Llama) -> None:
    grammar = agent_plan_grammar([], first_id=1, max_tasks=8)
    assert grammar_accepts(vocab, grammar, "1. join()\n<END_OF_PLAN>")
    assert grammar_accepts(vocab, grammar, "Thought: no tool fits.\n1. join()\n<END_OF_PLAN>")
    assert not grammar_accepts(vocab, grammar, '1. search(query="x")\n2. join()\n<END_OF_PLAN>')
    assert grammar_accepts(vocab, agent_plan_grammar([], first_id=3, max_tasks=8), "3. join($2)\n<END_OF_PLAN>")


def test_a_replan_continues_the_numbering_and_may_use_earlier_results(vocab: Llama) -> None:
    grammar = plan_grammar(TOOLS, first_id=4, max_tasks=2)
    text = '4. search(query="${2} and ${3}")\n5. get_weather(city=$4)\n6. join()\n<END_OF_PLAN>'
    assert agent_accepts(text, TOOLS, known_ids={1, 2, 3})
    assert grammar_accepts(vocab, grammar, text)
    assert not grammar_accepts(vocab, grammar, '1. search(query="x")\n2. join()\n<END_OF_PLAN>')
    assert not grammar_accepts(vocab, grammar, '4. search(query=$4)\n5. join()\n<END_OF_PLAN>')


def test_thoughts_can_be_turned_off(vocab: Llama) -> None:
    text = 'Thought: easy.\n1. get_weather(city="Paris")\n2. join()\n<END_OF_PLAN>'
    assert grammar_accepts(vocab, plan_grammar(TOOLS, allow_thoughts=True), text)
    assert not grammar_accepts(vocab, plan_grammar(TOOLS, allow_thoughts=False), text)


def test_strings_and_thoughts_are_bounded_and_cannot_end_the_plan(vocab: Llama) -> None:
    grammar = plan_grammar(TOOLS, max_string=20)
    fits, too_long = "a" * 20, "a" * 21
    assert grammar_accepts(vocab, grammar, f'1. search(query="{fits}")\n2. join()\n<END_OF_PLAN>')
    assert not grammar_accepts(vocab, grammar, f'1. search(query="{too_long}")\n2. join()\n<END_OF_PLAN>')
    assert not grammar_accepts(vocab, grammar, f'Thought: {too_long}\n1. search(query="x")\n2. join()\n<END_OF_PLAN>')
    hidden_end = '1. search(query="<END_OF_PLAN>")\n2. join()\n<END_OF_PLAN>'
    assert not grammar_accepts(vocab, grammar, hidden_end)
    assert not grammar_accepts(vocab, grammar, 'Thought: <END_OF_PLAN>\n1. search(query="x")\n2. join()\n<END_OF_PLAN>')


def test_grammar_text_uses_only_valid_rule_names_and_bounds_the_plan() -> None:
    text = plan_grammar(TOOLS, max_tasks=3)
    names = [line.split(" ::= ")[0] for line in text.splitlines()]
    assert names[0] != "" and "root" in names
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names), names
    assert len(names) == len(set(names))
    assert "step-4" in names and "step-5" not in names
    step4 = next(line for line in text.splitlines() if line.startswith("step-4 ::= "))
    assert "call-" not in step4 and '"4. join(" ref-4? ")\\n<END_OF_PLAN>"' in step4
    assert 'escape ::= "\\\\" ["\\\\nt$/]' in text


def test_tools_named_like_grammar_rules_keep_their_own_rules(vocab: Llama) -> None:
    @tool
    def step() -> int:
        """A tool whose rule name would clash with the plan's step rules."""
        return 1

    @tool
    def call(x: int) -> int:
        """Another one."""
        return x

    grammar = plan_grammar([step, call], max_tasks=2)
    check_grammar(vocab, grammar)
    text = "1. step()\n2. call(x=$1)\n3. join()\n<END_OF_PLAN>"
    assert agent_accepts(text, [step, call]) and grammar_accepts(vocab, grammar, text)


def test_tools_that_cannot_be_planned_are_refused() -> None:
    @tool
    def join() -> None:
        """A tool that clashes with the plan's join()."""

    with pytest.raises(ToolDefinitionError, match="join"):
        plan_grammar([join])
    with pytest.raises(ToolDefinitionError, match="at least one tool"):
        plan_grammar([])


def test_a_grammar_llama_cpp_cannot_parse_is_an_llm_error(vocab: Llama) -> None:
    with pytest.raises(LLMError, match="could not parse"):
        check_grammar(vocab, "root ::= undefined-rule")
    with pytest.raises(LLMError, match="could not parse"):
        grammar_accepts(vocab, "root ::= (", "x")


@pytest.mark.parametrize(
    "text,decision",
    [
        ("Thought: I know it.\nAction: Finish(Paris (France))", Finish("Paris (France)", "I know it.")),
        ("Thought: need more.\nAction: Replan(look up Tokyo)", Replan("look up Tokyo", "need more.")),
    ],
)
def test_joiner_grammar_matches_what_the_joiner_reads(vocab: Llama, text: str, decision: Finish | Replan) -> None:
    grammar = joiner_grammar()
    check_grammar(vocab, grammar)
    assert grammar_accepts(vocab, grammar, text)
    assert parse_decision(text) == decision


def test_joiner_grammar_rejects_answers_without_an_action(vocab: Llama) -> None:
    grammar = joiner_grammar()
    assert not grammar_accepts(vocab, grammar, "Thought: hmm.\nAction: Answer(x)")
    assert not grammar_accepts(vocab, grammar, "Action: Finish(x)")
    assert not grammar_accepts(vocab, grammar, "Thought: ok.\nAction: Finish(x")


@pytest.mark.parametrize(
    "text,kind",
    [
        ('Thought: look it up.\nAction: search(query="Paris", k=2)', "call"),
        ('Thought: the unit matters.\nAction: get_weather(city="Oslo", unit="f")', "call"),
        ("Thought: I know it.\nAction: Finish[Paris (France)]", "answer"),
    ],
)
def test_action_grammar_matches_what_react_reads(vocab: Llama, text: str, kind: str) -> None:
    grammar = action_grammar(TOOLS)
    check_grammar(vocab, grammar)
    step = read_step(text)
    assert step.error is None and getattr(step, kind) is not None
    assert grammar_accepts(vocab, grammar, text)


def test_action_grammar_rejects_what_react_cannot_run(vocab: Llama) -> None:
    grammar = action_grammar(TOOLS)
    for text in [
        'Thought: chain it.\nAction: search(query=$1)',  # no task ids in ReAct
        'Thought: x\nAction: fly(to="Mars")',
        'Action: search(query="x")',
        'Thought: x\nAction: search(query="x")\nObservation: made up',
        "Thought: x\nAction: Finish[]",
    ]:
        assert not grammar_accepts(vocab, grammar, text), text
