"""The browser action language: `click(12)`, `type(7, "blue shirt")`, `exit("N/A")`.

One action per step. `parse_action` turns the text an agent wrote into an
`Action`; `str(action)` gives the canonical text back, so actions round-trip
through traces and oracle files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from agentc.envs.web.errors import ActionSyntaxError

ACTIONS: dict[str, tuple[str, ...]] = {
    "click": ("id",),
    "type": ("id", "text"),
    "select": ("id", "option"),
    "hover": ("id",),
    "scroll": ("direction",),
    "goto": ("url",),
    "go_back": (),
    "press": ("key",),
    "exit": ("message",),
}
"""Action name -> the names of its arguments, in order."""

SCROLL_DIRECTIONS = ("up", "down")

_CALL = re.compile(r"^(?P<name>[A-Za-z_]+)\s*\((?P<args>.*)\)$", re.DOTALL)
_BARE = re.compile(r"[^,\s\"']+")


@dataclass(frozen=True)
class Action:
    """One browser action: its name and positional arguments.

    `args` hold ints for element ids and strings for everything else, e.g.
    `Action("type", (7, "blue shirt"))`.
    """

    name: str
    args: tuple = ()

    def __str__(self) -> str:
        shown = []
        for name, value in zip(ACTIONS.get(self.name, ()), self.args):
            if name in ("id", "direction"):
                shown.append(str(value))
            else:
                shown.append(json.dumps(value, ensure_ascii=False))
        return f"{self.name}({', '.join(shown)})"


def _split_args(text: str, whole: str) -> list[str | int]:
    """Tokenise an argument list: quoted strings, integers, bare words."""
    values: list[str | int] = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            if values:
                raise ActionSyntaxError(f"trailing comma in {whole!r}")
            return values
        quote = text[pos]
        if quote in "\"'":
            end, buf = pos + 1, []
            while end < n and text[end] != quote:
                if text[end] == "\\" and end + 1 < n:
                    nxt = text[end + 1]
                    buf.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            if end >= n:
                raise ActionSyntaxError(f"unterminated string starting at column {pos + 1} of the arguments in {whole!r}")
            values.append("".join(buf))
            pos = end + 1
        else:
            match = _BARE.match(text, pos)
            if not match:
                raise ActionSyntaxError(f"unexpected {text[pos]!r} in the arguments of {whole!r}")
            word = match.group(0)
            values.append(int(word) if re.fullmatch(r"-?\d+", word) else word)
            pos = match.end()
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            return values
        if text[pos] != ",":
            raise ActionSyntaxError(f"expected ',' between arguments in {whole!r}, found {text[pos]!r}")
        pos += 1


def parse_action(text: str) -> Action:
    """Parse one action such as `click(12)` or `type(7, "blue shirt")`.

    Surrounding whitespace and backticks are ignored. Raises `ActionSyntaxError`
    naming the problem (unknown action, wrong argument count or type).
    """
    whole = text.strip().strip("`").strip()
    match = _CALL.match(whole)
    if not match:
        raise ActionSyntaxError(
            f"not an action: {whole!r}; write one call such as click(12), type(7, \"text\"), "
            f"scroll(down) or exit(\"answer\")"
        )
    name = match.group("name")
    if name not in ACTIONS:
        raise ActionSyntaxError(f"unknown action {name!r} in {whole!r}; known actions: {', '.join(ACTIONS)}")
    values = _split_args(match.group("args"), whole)
    expected = ACTIONS[name]
    if len(values) != len(expected):
        signature = f"{name}({', '.join(expected)})"
        raise ActionSyntaxError(f"{name} takes {len(expected)} argument(s) ({signature}), got {len(values)} in {whole!r}")
    args: list[str | int] = []
    for arg_name, value in zip(expected, values):
        if arg_name == "id":
            if not isinstance(value, int):
                raise ActionSyntaxError(f"{name}: element id must be a number, got {value!r} in {whole!r}")
            args.append(value)
        elif arg_name == "direction":
            if value not in SCROLL_DIRECTIONS:
                raise ActionSyntaxError(f"scroll direction must be up or down, got {value!r} in {whole!r}")
            args.append(value)
        else:
            args.append(str(value))
    return Action(name, tuple(args))
