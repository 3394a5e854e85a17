"""Prompt templates live as text files in `prompts/`; `fill` puts values in.

Placeholders are `{{name}}`, so plan examples with `$1`, `{` and `}` need no
escaping.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=None)
def load_template(name: str) -> str:
    """The text of `prompts/<name>.txt`."""
    return resources.files("agentc.planners").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")


def fill(template: str, **values: str) -> str:
    """Replace every `{{name}}`; a placeholder without a value is an error."""

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"prompt template needs a value for {{{{{key}}}}}")
        return values[key]

    return _PLACEHOLDER.sub(value, template)
