"""How an end-to-end answer is judged: it holds every figure the gold plan
answers with, to at least 2 decimals, however precisely it writes them."""

from __future__ import annotations

import pytest

from agentc.edge.tune.measure import holds_results, same_figure
from agentc.edge.tune.synth import SynthItem


def _item(question: str, answer: str) -> SynthItem:
    return SynthItem(question, "", ("calculate",), "builtin", "builtin/percent/00", "heldout", answer)


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("42.16", "42.1649", True),
        ("408", "408.0", True),
        ("2.635", "2.6352", True),  # the gold answer writes 4 figures, the answer all of them
        ("0.3554", "0.36", True),
        ("1,048.52", "1048.52", True),
        ("42.16", "42.2", False),  # fewer than 2 decimals do not stand for 42.16
        ("2.635", "2.64", True),
        ("2.635", "2.63", False),
        ("408", "408.3", False),
    ],
)
def test_figures_agree_to_the_fewer_decimals_but_at_least_two(first: str, second: str, agree: bool) -> None:
    assert same_figure(first, second) is agree
    assert same_figure(second, first) is agree


def test_an_answer_must_hold_every_result_but_not_the_question_figures() -> None:
    item = _item("What is 12% of 21.96, and 26.2 miles in km?", "12% of 21.96 is 2.635. 26.2 miles is 42.16 km.")
    assert holds_results(item, "2.6352 and 42.1649")
    assert holds_results(item, "12% of 21.96 is 2.64; 26.2 miles is 42.16 kilometres.")
    assert not holds_results(item, "12% of 21.96 is 2.6352.")  # the second result is missing
    assert not holds_results(item, "12% of 21.96 is 2.635; 26.2 miles is 42.2 km.")


def test_after_join_of_one_task_its_result_is_the_whole_answer() -> None:
    question = "Divide 680 by 6 and tell me what 12.5% of that comes to."
    item = SynthItem(
        question, '1. calculate(expression="680 / 6")\n2. calculate(expression="12.5 / 100 * $1")\n3. join($2)',
        ("calculate",), "builtin", "builtin/arithmetic_chain/07", "heldout",
        "680 divided by 6 is 113.33, and 12.5% of that is 14.17.", result="14.17",
    )
    assert holds_results(item, "14.1666666666")  # what the gold plan answers with
    assert holds_results(item, "680 divided by 6 is 113.33, and 12.5% of that is 14.17.")
    assert not holds_results(item, "113.333333333")  # the first step's result is not the answer
    assert not holds_results(item, "14.2")
