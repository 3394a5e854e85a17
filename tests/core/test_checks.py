"""Semantic checks, the task DAG, and merging of identical calls."""

from __future__ import annotations

import pytest

from agentc import ToolRegistry, tool
from agentc.checks import PlanChecker
from agentc.errors import PlanError
from agentc.parser import parse_plan
from agentc.plan import Ref, Task, critical_path


@tool
def lookup(name: str, year: int = 2024) -> dict:
    """Look a name up."""
    return {"name": name, "year": year}


@tool
def total(values: list[float]) -> float:
    """Add numbers."""
    return sum(values)


REGISTRY = ToolRegistry([lookup, total])


def check(plan: str, *, merge: bool = True) -> list[Task]:
    checker = PlanChecker(REGISTRY, merge_identical=merge)
    return [checker.check(call) for call in parse_plan(plan)]


def test_positional_arguments_bind_in_schema_order():
    (task,) = check('1. lookup("Ada", 1843)\n2. join()')
    assert task.args == {"name": "Ada", "year": 1843}
    assert task.deps == ()


def test_dependencies_come_from_references_anywhere_in_arguments():
    tasks = check('1. lookup("a")\n2. lookup("b")\n3. total(values=[$1, 2, ${2}])\n4. lookup(name="from $1 and $2")\n5. join()')
    assert tasks[2].deps == (1, 2)
    assert tasks[2].args["values"] == [Ref(1), 2, Ref(2)]
    assert tasks[3].deps == (1, 2)


@pytest.mark.parametrize(
    ("plan", "needle"),
    [
        ("1. search(q=1)\n2. join()", "unknown tool 'search'; the tools are: lookup, total"),
        ('1. lookup("a", 1, 2)\n2. join()', "lookup takes 2 argument(s) (name, year) but 3 were given"),
        ("1. lookup(year=1)\n2. join()", "lookup needs argument(s) name"),
        ('1. lookup(nam="a")\n2. join()', "lookup has no argument 'nam'"),
        ('1. lookup("a", name="b")\n2. join()', "argument 'name' of lookup is given twice"),
        ('1. lookup(name="a", year="soon")\n2. join()', "argument year='soon' does not fit lookup"),
        ('1. total(values="many")\n2. join()', "argument values='many' does not fit total"),
    ],
)
def test_check_errors_name_the_line(plan, needle):
    with pytest.raises(PlanError) as info:
        check(plan)
    assert info.value.line == 1
    assert needle in str(info.value)


def test_arguments_with_references_are_not_checked_before_substitution():
    tasks = check('1. lookup("a")\n2. lookup(name="x", year=$1)\n3. join()')
    assert tasks[1].args["year"] == Ref(1)


def test_identical_calls_are_merged():
    tasks = check('1. lookup("a")\n2. lookup(name="a")\n3. lookup("a", 2023)\n4. total([$1])\n5. total([$2])\n6. join()')
    assert [t.same_as for t in tasks] == [None, 1, None, None, None]
    unmerged = check('1. lookup("a")\n2. lookup(name="a")\n3. join()', merge=False)
    assert [t.same_as for t in unmerged] == [None, None]


def test_the_parser_refuses_cycles_missing_references_and_duplicates():
    """Every reference must name an earlier task, so a checked plan is a DAG."""
    with pytest.raises(PlanError, match=r"refers to \$3, a later task"):
        parse_plan('1. lookup($3)\n2. lookup($1)\n3. lookup($2)\n4. join()')
    with pytest.raises(PlanError, match=r"refers to its own result \$1"):
        parse_plan("1. lookup($1)\n2. join()")
    with pytest.raises(PlanError, match=r"refers to \$9, a later task"):
        parse_plan("4. lookup($9)\n5. join()")
    with pytest.raises(PlanError, match="used twice"):
        parse_plan('1. lookup("a")\n1. total([])\n2. join()')


def test_critical_path():
    tasks = check('1. lookup("a")\n2. lookup("b")\n3. total([$1])\n4. total([$3, $2])\n5. join()')
    cost = {1: 1.0, 2: 5.0, 3: 1.0, 4: 2.0}
    assert critical_path(tasks, lambda i: cost[i]) == (7.0, [2, 4])
    assert critical_path([], lambda i: 1.0) == (0.0, [])


def test_annotated_constraints_are_checked_in_the_plan():
    from typing import Annotated

    from pydantic import Field

    @tool(namespace=locals())
    def code(iso: Annotated[str, Field(max_length=2, description="two-letter code")], n: Annotated[int, Field(ge=1)] = 1) -> str:
        """Look up a country code."""
        return iso

    assert code.parameters_schema()["properties"]["iso"]["maxLength"] == 2
    checker = PlanChecker(ToolRegistry([code]))
    assert checker.check(parse_plan('1. code("FR")\n2. join()')[0]).args == {"iso": "FR"}
    with pytest.raises(PlanError, match="at most 2 characters"):
        checker.check(parse_plan('1. code("FRA")\n2. join()')[0])
    with pytest.raises(PlanError, match="greater than or equal to 1"):
        checker.check(parse_plan('1. code("FR", 0)\n2. join()')[0])
