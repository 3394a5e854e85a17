"""Reads one call, `tool(arg, key=value, ...)`, from a plan line.

Values are Python/JSON-style literals: strings in single or double quotes
(backslash escapes, `\\$` for a literal dollar sign), numbers, `True`/`true`,
`False`/`false`, `None`/`null`, lists, tuples, dicts, and references. A value
that is exactly `$N` or `${N}` is a `Ref`. Inside a string, `${N}` always
refers to task N, and bare `$N` refers to it when task N is already defined
(so "costs $5" stays text in a plan without a task 5).

Every failure is a `PlanError` with the line and column; nesting is bounded so
no input can exhaust the stack.
"""

from __future__ import annotations

import re
from typing import Any, Collection

from agentc.errors import PlanError
from agentc.plan import MAX_TASK_ID, Ref, Template, shown_digits, task_number

MAX_NESTING = 32
_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REF = re.compile(r"\$\{(\d+)\}|\$(\d+)")
_CONSTANTS = {"True": True, "true": True, "False": False, "false": False, "None": None, "null": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', "$": "$", "/": "/", "b": "\b", "f": "\f"}
_LITERAL_DOLLAR = "\x00$"  # an escaped `\$` while a string is read, before references are found


class CallReader:
    """Reads `name(args)` starting at `offset` of `text`.

    `line` and `offset` only place error positions; `defined` holds the task
    ids already defined, which decides whether a bare `$N` inside a string is
    a reference.
    """

    def __init__(self, text: str, *, line: int, offset: int = 0, defined: Collection[int] = ()) -> None:
        self.text = text
        self.pos = offset
        self.line = line
        self.defined = defined
        self.depth = 0

    def read_call(self) -> tuple[str, tuple[Any, ...], tuple[tuple[str, Any], ...]]:
        """Return `(tool, positional, keywords)`; the call must end the line."""
        self._space()
        name = self._name("a tool name")
        self._space()
        self._expect("(", f"'(' after the tool name {name!r}")
        positional: list[Any] = []
        keywords: list[tuple[str, Any]] = []
        self._space()
        while not self._at(")"):
            start = self.pos
            match = _NAME.match(self.text, self.pos)
            after = self._skip_space_from(match.end()) if match else -1
            if match and after < len(self.text) and self.text[after] == "=" and self.text[after + 1 : after + 2] != "=":
                key = match.group()
                if key in (k for k, _ in keywords):
                    self._fail(f"argument {key!r} is given twice", start)
                self.pos = after + 1
                self._space()
                keywords.append((key, self._value()))
            else:
                if keywords:
                    self._fail("a positional argument cannot follow a keyword argument", start)
                positional.append(self._value())
            self._space()
            if self._at(","):
                self.pos += 1
                self._space()
            elif not self._at(")"):
                self._fail("expected ',' or ')' after an argument")
        self.pos += 1
        self._space()
        if self.pos < len(self.text):
            self._fail(f"unexpected text after the call: {self.text[self.pos:self.pos + 20]!r}")
        return name, tuple(positional), tuple(keywords)

    # values

    def _value(self) -> Any:
        self._space()
        if self.pos >= len(self.text):
            self._fail("the line ends where a value should be")
        ch = self.text[self.pos]
        if ch in "\"'":
            return self._string(ch)
        if ch == "$":
            return self._reference()
        if ch in "[({":
            self.depth += 1
            if self.depth > MAX_NESTING:
                self._fail(f"values are nested more than {MAX_NESTING} deep")
            value = self._dict() if ch == "{" else self._sequence(ch)
            self.depth -= 1
            return value
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            token = number.group()
            try:
                return float(token) if any(c in token for c in ".eE") else int(token)
            except ValueError:  # an integer over Python's 4,300-digit conversion limit
                self._fail(
                    f"the number {shown_digits(token)} is too long to be a plan value; pass it as a string",
                    number.start(),
                )
        name = _NAME.match(self.text, self.pos)
        if name and name.group() in _CONSTANTS:
            self.pos = name.end()
            return _CONSTANTS[name.group()]
        if name:
            self._fail(f"{name.group()!r} is not a value; put text in quotes, e.g. \"{name.group()}\"")
        self._fail(f"expected a value, found {ch!r}")

    def _reference(self) -> Ref:
        match = _REF.match(self.text, self.pos)
        if not match:
            self._fail("'$' must be followed by a task number, as in $1 or ${1}")
        digits = match.group(1) or match.group(2)
        idx = task_number(digits)
        if idx is None:
            self._fail(f"${shown_digits(digits)} names no task: task ids are 1..{MAX_TASK_ID}")
        self.pos = match.end()
        return Ref(idx)

    def _sequence(self, opener: str) -> list[Any] | tuple[Any, ...]:
        closer = "]" if opener == "[" else ")"
        self.pos += 1
        items: list[Any] = []
        self._space()
        while not self._at(closer):
            items.append(self._value())
            self._space()
            if self._at(","):
                self.pos += 1
                self._space()
            elif not self._at(closer):
                self._fail(f"expected ',' or {closer!r} in a {'list' if closer == ']' else 'tuple'}")
        self.pos += 1
        return items if opener == "[" else tuple(items)

    def _dict(self) -> dict[Any, Any]:
        self.pos += 1
        items: dict[Any, Any] = {}
        self._space()
        while not self._at("}"):
            key = self._value()
            if isinstance(key, (list, dict)):
                self._fail("a dict key must be a string, number, boolean or None")
            self._space()
            self._expect(":", "':' after a dict key")
            items[key] = self._value()
            self._space()
            if self._at(","):
                self.pos += 1
                self._space()
            elif not self._at("}"):
                self._fail("expected ',' or '}' in a dict")
        self.pos += 1
        return items

    def _string(self, quote: str) -> str | Template:
        start = self.pos
        self.pos += 1
        out: list[str] = []
        while True:
            if self.pos >= len(self.text):
                self._fail("a string is not closed before the end of the line", start)
            ch = self.text[self.pos]
            if ch == quote:
                self.pos += 1
                break
            if ch == "\\":
                nxt = self.text[self.pos + 1 : self.pos + 2]
                if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.text[self.pos + 2 : self.pos + 6]):
                    out.append(chr(int(self.text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                if nxt == "$":
                    out.append(_LITERAL_DOLLAR)
                elif nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                else:
                    out.append("\\" + nxt)
                self.pos += 2
                continue
            out.append(ch)
            self.pos += 1
        return self._with_references("".join(out))

    def _with_references(self, raw: str) -> str | Template:
        parts: list[str | Ref] = []
        last = 0
        for match in _REF.finditer(raw):
            braced = match.group(1) is not None
            idx = task_number(match.group(1) or match.group(2))
            if idx is None and braced:
                self._fail(f"${{{shown_digits(match.group(1))}}} in a string names no task: task ids are 1..{MAX_TASK_ID}")
            if idx is None or (not braced and idx not in self.defined):
                continue
            if match.start() > last:
                parts.append(raw[last : match.start()])
            parts.append(Ref(idx))
            last = match.end()
        if not parts:
            return raw.replace(_LITERAL_DOLLAR, "$")
        if last < len(raw):
            parts.append(raw[last:])
        return Template(tuple(p.replace(_LITERAL_DOLLAR, "$") if isinstance(p, str) else p for p in parts))

    # scanning

    def _name(self, what: str) -> str:
        match = _NAME.match(self.text, self.pos)
        if not match:
            self._fail(f"expected {what}")
        self.pos = match.end()
        return match.group()

    def _expect(self, token: str, what: str) -> None:
        if not self._at(token):
            self._fail(f"expected {what}")
        self.pos += len(token)

    def _at(self, token: str) -> bool:
        if self.pos >= len(self.text):
            self._fail(f"the line ends before {token!r}")
        return self.text.startswith(token, self.pos)

    def _space(self) -> None:
        self.pos = self._skip_space_from(self.pos)

    def _skip_space_from(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in " \t\r":
            pos += 1
        return pos

    def _fail(self, message: str, at: int | None = None) -> Any:
        raise PlanError(message, line=self.line, column=(self.pos if at is None else at) + 1, text=self.text)
