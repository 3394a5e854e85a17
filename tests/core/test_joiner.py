"""Reading the joiner's Finish/Replan decision."""

from __future__ import annotations

import pytest

from agentc.errors import JoinerError
from agentc.joiner import Finish, Replan, parse_decision


def test_answer_keeps_inner_parentheses_and_runs_to_the_last_one():
    text = "Thought: f(x) is known.\nAction: Finish(f(x) = 3 (approx.), see (1) and (2))\n"
    assert parse_decision(text) == Finish("f(x) = 3 (approx.), see (1) and (2)", "f(x) is known.")


def test_multiline_answer():
    assert parse_decision("Action: Finish(line one\nline two)").answer == "line one\nline two"


def test_replan_reason_and_last_action_wins():
    text = "Thought: not enough.\nAction: Finish(draft)\nAction: Replan(need the 2023 figure)"
    assert parse_decision(text) == Replan("need the 2023 figure", "not enough.")


def test_cut_off_completion_keeps_what_it_has():
    assert parse_decision("Action: Finish(Paris is") == Finish("Paris is")


def test_no_action_is_an_error_quoting_the_text():
    with pytest.raises(JoinerError, match="it said: 'It is sunny.'"):
        parse_decision("It is sunny.")
