"""Reads the joiner's decision: `Finish(answer)` or `Replan(reason)`.

The format is LLMCompiler's:

    Thought: what the observations show
    Action: Finish(the answer, which may itself contain (parentheses))

The answer runs from `Finish(` to the last `)` of the text after it, so
parentheses inside the answer survive. A completion cut off before its
closing `)` keeps everything after `Finish(`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agentc.errors import JoinerError

_ACTION = re.compile(r"Action\s*:\s*(Finish|Replan)\s*\(", re.IGNORECASE)
_THOUGHT = re.compile(r"Thought\s*:\s*(.*?)(?=Action\s*:|\Z)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Finish:
    """The joiner's answer; `output` is it as a validated object when the
    agent has an `output_type` (see `agentc.output`)."""

    answer: str
    thought: str = ""
    output: Any = None


@dataclass(frozen=True)
class Replan:
    reason: str
    thought: str = ""


def parse_decision(text: str) -> Finish | Replan:
    """Parse a joiner completion; `JoinerError` if it has no Finish/Replan action."""
    actions = list(_ACTION.finditer(text))
    if not actions:
        raise JoinerError(
            "the joiner's answer has no `Action: Finish(...)` or `Action: Replan(...)` line; "
            f"it said: {text.strip()[:300]!r}"
        )
    action = actions[-1]
    body = text[action.end() :]
    close = body.rfind(")")
    content = (body[:close] if close != -1 else body).strip()
    thought_match = _THOUGHT.search(text[: action.start()])
    thought = thought_match.group(1).strip() if thought_match else ""
    if action.group(1).lower() == "finish":
        return Finish(answer=content, thought=thought)
    return Replan(reason=content or thought or "the joiner gave no reason", thought=thought)
