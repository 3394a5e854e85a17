"""The web agents' GBNF grammars, checked by llama.cpp's own grammar engine.

`grammar_accepts` runs a text's tokens through the sampler generation uses
(SmolLM2's vocabulary, no weights), so these tests show which outputs a
constrained model can write, and that the parsers read every one of them.
"""

from __future__ import annotations

import pytest
from llama_cpp import Llama

from agentc.edge.gbnf import check_grammar, grammar_accepts
from agentc.envs.web.actions import parse_action
from agentc.planners.plan_and_act import read_plan
from agentc.planners.web_episode import read_action_step
from agentc.planners.web_grammar import action_grammar_gbnf, plan_grammar_gbnf, step_grammar_gbnf

ACTIONS = [
    "click(12)",
    'type(7, "blue shirt")',
    'select(3, "Large")',
    "hover(5)",
    "scroll(down)",
    "scroll(up)",
    'goto("http://127.0.0.1:8000/orders?page=2")',
    "go_back()",
    'press("Enter")',
    'exit("N/A")',
    'exit("")',
]


def test_every_action_the_grammar_allows_parses_back_to_itself(vocab: Llama) -> None:
    grammar = action_grammar_gbnf(max_id=99)
    check_grammar(vocab, grammar)
    for text in ACTIONS:
        assert grammar_accepts(vocab, grammar, text), text
        assert str(parse_action(text)) == text
    for text in ["click(123)", "click(x)", "tap(3)", "scroll(left)", 'type(7, "a\nb")', "click(1) click(2)", 'exit("a"b")']:
        assert not grammar_accepts(vocab, grammar, text), text


def test_the_step_grammar_is_a_thought_then_one_action(vocab: Llama) -> None:
    grammar = step_grammar_gbnf(max_id=40)
    for action in ACTIONS:
        text = f"Thought: the page shows it\nAction: {action}"
        assert grammar_accepts(vocab, grammar, text), text
        assert str(read_action_step(text)[1]) == action
    assert not grammar_accepts(vocab, grammar, "Action: click(1)")
    assert not grammar_accepts(vocab, grammar, "Thought: x\nAction: click(1)\nObservation: y")


def test_the_plan_grammar_bounds_steps_and_keeps_facts_optional(vocab: Llama) -> None:
    grammar = plan_grammar_gbnf(3, max_facts=2)
    plans = [
        "## Step 1\nopen the orders\n",
        "## Found\n- order 7 costs $10\n## Step 1\nopen page 2\n## Step 2\nexit with the total\n",
        "## Found\n- a\n- b\n## Step 1\nx\n## Step 2\ny\n## Step 3\nz\n",
    ]
    for text in plans:
        assert grammar_accepts(vocab, grammar, text), text
        assert read_plan(text).text() + "\n" == text
    for text in [
        "## Step 1\nx\n## Step 2\ny\n## Step 3\nz\n## Step 4\nw\n",  # more than 3 steps
        "## Found\n- a\n- b\n- c\n## Step 1\nx\n",  # more than 2 facts
        "## Step 2\nx\n",  # steps start at 1
        "## Found\n- a\n",  # no step
    ]:
        assert not grammar_accepts(vocab, grammar, text), text
