"""Class 11 (plan and tool half): integers over Python's 4,300-digit limit
for text conversion are a `PlanError` in a plan and an error observation
from a tool, never a raw `ValueError` that ends the run."""

from __future__ import annotations

import pytest

from agentc import Agent, tool
from agentc.errors import PlanError
from agentc.llm import ScriptedLLM
from agentc.parser import parse_plan
from agentc.tools.builtin.calculator import calculate

HUGE = "9" * 5000


@pytest.mark.parametrize(
    "line",
    [
        f"1. f({HUGE})",
        f"1. f(x=-{HUGE})",
        f"1. f([1, {{2: {HUGE}}}])",
        f"1. f(${HUGE})",
        f'1. f("${{{HUGE}}}")',
    ],
    ids=["literal", "negative keyword", "nested", "reference", "braced reference in a string"],
)
def test_a_huge_integer_in_a_plan_is_a_plan_error(line: str) -> None:
    with pytest.raises(PlanError) as error:
        parse_plan(line + "\n2. join()")
    assert error.value.line == 1 and error.value.column is not None


def test_a_bare_dollar_with_many_digits_inside_a_string_stays_text() -> None:
    (call,) = parse_plan(f'1. f("costs ${HUGE}")\n2. join()')
    assert call.positional == (f"costs ${HUGE}",)


@pytest.mark.parametrize("expression", ["9**5000", "factorial(2000)", "factorial(100000)", "10**4000 * 10**4000", "2**(10**7)"])
def test_calculate_refuses_results_too_long_to_show(expression: str) -> None:
    with pytest.raises(ValueError, match="more than 4300 digits"):
        calculate(expression)


async def test_a_huge_result_is_an_error_observation_and_the_run_answers() -> None:
    @tool
    def huge() -> int:
        """A number with 5,000 digits."""
        return int(HUGE)

    plan = '1. calculate("9**5000")\n2. huge()\n3. calculate("factorial(2000)")\n4. calculate("factorial(1000)")\n5. join()'
    llm = ScriptedLLM([plan, "Action: Finish(too big)"])
    result = await Agent(llm, [calculate, huge], tool_retries=0).arun("big?")
    assert result.answer == "too big"
    for idx in (1, 2, 3):
        record = result.trace.task(idx)
        assert record.status == "error" and "4300" in (record.error or "")
    assert result.trace.task(4).observation > 10**2500, "big numbers that fit are still computed"
    joiner_prompt = llm.calls[-1][-1].content
    assert "Error:" in joiner_prompt and HUGE not in joiner_prompt
    assert result.trace.to_json()  # the trace is still writable
