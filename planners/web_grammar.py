"""GBNF grammars for web agents: one browser action, one executor step, one plan.

On llama.cpp backends these leave a small model only outputs the parsers
accept: `agentc.envs.web.actions.parse_action` reads every action the action
grammar allows, and `planners.plan_and_act.read_plan` every plan the plan
grammar allows. Strings are bounded and steps nested (`## Step 1` ... then
optionally `## Step 2` ...), so a model can neither loop inside a string nor
write an unbounded plan. Backends that cannot constrain output ignore the
grammar; the parsers still check what comes back.
"""

from __future__ import annotations

import re

MAX_TEXT = 160
"""Longest quoted argument, thought or plan line, in characters."""
_ELEMENT_ID = re.compile(r"\[(\d+)\]")


def max_element_id(page_text: str) -> int | None:
    """The largest `[N]` element id in an observation's text (None if none)."""
    ids = [int(found) for found in _ELEMENT_ID.findall(page_text)]
    return max(ids) if ids else None


def action_grammar_gbnf(max_id: int | None = None, *, max_text: int = MAX_TEXT) -> str:
    """The GBNF grammar of one browser action, e.g. `click(12)` or `type(7, "blue shirt")`.

    `max_id` bounds the digits of element ids (the page's largest id); None
    allows up to 6 digits.
    """
    digits = len(str(max_id)) if max_id is not None and max_id >= 0 else 6
    rules = [
        "root ::= action",
        *_action_rules(digits, max_text),
    ]
    return "\n".join(rules) + "\n"


def step_grammar_gbnf(max_id: int | None = None, *, max_text: int = MAX_TEXT) -> str:
    """The GBNF grammar of one executor step: `Thought: ...` then `Action: <action>`."""
    digits = len(str(max_id)) if max_id is not None and max_id >= 0 else 6
    rules = [
        'root ::= "Thought: " line "\\n" "Action: " action',
        f"line ::= [^\\n]{{1,{max_text}}}",
        *_action_rules(digits, max_text),
    ]
    return "\n".join(rules) + "\n"


def plan_grammar_gbnf(max_steps: int = 8, *, max_facts: int = 6, max_text: int = MAX_TEXT) -> str:
    """The GBNF grammar of a plan: an optional `## Found` list of facts, then
    `## Step 1` ... `## Step k` (1 <= k <= max_steps), one line each."""
    if max_steps < 1:
        raise ValueError("a plan grammar needs max_steps >= 1")
    steps = ""
    for n in range(max_steps, 0, -1):
        rest = f" ({steps})?" if steps else ""
        steps = f'"## Step {n}\\n" line "\\n"{rest}'
    facts = " ".join(['"- " line "\\n"'] + ['("- " line "\\n"'] * (max_facts - 1) + [")?"] * (max_facts - 1))
    return "\n".join(
        [
            f'root ::= ("## Found\\n" {facts})? {steps}',
            f"line ::= [^\\n]{{1,{max_text}}}",
        ]
    ) + "\n"


def _action_rules(digits: int, max_text: int) -> list[str]:
    return [
        "action ::= click | type | select | hover | scroll | goto | goback | press | exit",
        'click ::= "click(" id ")"',
        'type ::= "type(" id ", " str ")"',
        'select ::= "select(" id ", " str ")"',
        'hover ::= "hover(" id ")"',
        'scroll ::= "scroll(" ("up" | "down") ")"',
        'goto ::= "goto(" str ")"',
        'goback ::= "go_back()"',
        'press ::= "press(" str ")"',
        'exit ::= "exit(" str ")"',
        f"id ::= [0-9]{{1,{digits}}}",
        f'str ::= "\\"" [^"\\\\\\n]{{0,{max_text}}} "\\""',
    ]
