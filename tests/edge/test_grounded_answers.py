"""The grounded joiner grammar: a tuned model's answers quote only figures
from the question and the observations, as written or rounded."""

from __future__ import annotations

from typing import Any

import pytest

from agentc.edge.gbnf import check_grammar, grammar_accepts
from agentc.edge.grounded import figures_in, grounded_joiner_grammar
from agentc.llm import Message

MESSAGES = [
    Message("system", "Answer from the observations."),
    Message("user", "Question: How many km is 26.2 miles, and what is 15% of 2551.8?\n"
                    "Observation $1: 42.1649\nObservation $2: 382.77\nObservation $3: 1048.52"),
]


def test_figures_are_quoted_as_written_or_rounded() -> None:
    figures = figures_in(["42.1649 and 408.0 and 1,048.52"])
    assert {"42.1649", "42.16", "42.2", "42", "408.0", "408", "1,048.52", "1048.52", "1,048.5"} <= set(figures)
    assert "4080" not in figures and "42.17" not in figures
    assert figures.index("42.16") < figures.index("42")  # longest first


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("Thought: Done.\nAction: Finish(26.2 miles is 42.16 km; 15% of 2551.8 is 382.77.)", True),
        ("Thought: Done.\nAction: Finish(About 42 km, and 1,048.52 in all.)", True),
        ("Thought: Done.\nAction: Finish(382.77)", True),
        ("Thought: Done.\nAction: Finish(15% of 2551.8 is 382.79.)", False),  # a figure no one gave
        ("Thought: Done.\nAction: Finish(It is 4210 km.)", False),  # a figure run on into a longer one
        ("Thought: 2 of 3 failed.\nAction: Replan(get 3 results, 99 tries)", True),  # reasons stay free
    ],
)
def test_answers_hold_only_given_figures(vocab: Any, text: str, accepted: bool) -> None:
    grammar = grounded_joiner_grammar(MESSAGES)
    check_grammar(vocab, grammar)
    assert grammar_accepts(vocab, grammar, text) is accepted


def test_without_figures_an_answer_holds_no_digit(vocab: Any) -> None:
    grammar = grounded_joiner_grammar([Message("user", "Question: Who wrote Dune?")])
    assert grammar_accepts(vocab, grammar, "Thought: No tool.\nAction: Finish(Frank Herbert wrote Dune.)")
    assert not grammar_accepts(vocab, grammar, "Thought: No tool.\nAction: Finish(Frank Herbert wrote Dune in 1965.)")
