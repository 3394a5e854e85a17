"""The action language: parsing, canonical text and precise errors."""

from __future__ import annotations

import re

import pytest
from agentc.envs.web.actions import ACTIONS, Action, ActionSyntaxError, parse_action


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("click(12)", Action("click", (12,))),
        ('type(7, "blue shirt")', Action("type", (7, "blue shirt"))),
        ("select(3, 'Red, large')", Action("select", (3, "Red, large"))),
        ("hover(5)", Action("hover", (5,))),
        ("scroll(down)", Action("scroll", ("down",))),
        ('goto("http://127.0.0.1:8000/cart")', Action("goto", ("http://127.0.0.1:8000/cart",))),
        ("go_back()", Action("go_back", ())),
        ("press(Enter)", Action("press", ("Enter",))),
        ('exit("N/A")', Action("exit", ("N/A",))),
        ('  `exit("say \\"hi\\"")`  ', Action("exit", ('say "hi"',))),
    ],
)
def test_parse_action_reads_every_action(text: str, expected: Action) -> None:
    assert parse_action(text) == expected


def test_canonical_text_round_trips() -> None:
    for action in [Action("type", (7, 'a "quoted", text')), Action("scroll", ("up",)), Action("exit", ("N/A",))]:
        assert parse_action(str(action)) == action
    assert str(Action("click", (12,))) == "click(12)"
    assert str(Action("type", (7, "blue shirt"))) == 'type(7, "blue shirt")'
    assert str(Action("scroll", ("down",))) == "scroll(down)"
    assert set(ACTIONS) == {"click", "type", "select", "hover", "scroll", "goto", "go_back", "press", "exit"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jump(3)", "unknown action 'jump'"),
        ("click(first)", "element id must be a number"),
        ("type(4)", "type takes 2 argument(s)"),
        ("scroll(left)", "scroll direction must be up or down"),
        ("click 12", "not an action"),
        ('exit("unfinished)', "unterminated string"),
        ("click(1,)", "trailing comma"),
        ("type(1 2)", "expected ','"),
    ],
)
def test_bad_actions_raise_a_precise_syntax_error(text: str, message: str) -> None:
    with pytest.raises(ActionSyntaxError, match=re.escape(message)):
        parse_action(text)
    assert issubclass(ActionSyntaxError, ValueError)
