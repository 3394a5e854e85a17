"""Reading JSON-lines data files so that every fault names the file, the line and the field.

    for line, record in records(path):          # (line number, dict), empty lines skipped
        calls = field(record, "calls", list, path, line)

Data sets come from elsewhere, so nothing about them is trusted: a line may
be in another encoding (Latin-1), nest thousands of levels deep (which
Python's JSON reader and every recursive walk after it answer with
`RecursionError`), hold integers too long to convert, or put a string where
a list belongs. Each of those is an `EvalDataError` here, at read time,
rather than a traceback from deep inside a loader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from agentc.evals.errors import EvalDataError

MAX_DEPTH = 64
"""The deepest nesting of lists and objects a data line may have. Real
schemas and arguments nest a handful of levels; the bound keeps every
recursive walk after loading (references, schemas, scoring) far from
Python's recursion limit."""

_KINDS: dict[type, str] = {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """`(line number, object)` for each non-empty line of a JSON-lines file."""
    for number, text in lines(path):
        record = parse(text, path, number)
        if not isinstance(record, dict):
            raise EvalDataError(f"{path} line {number} is {kind(record)}, not an object; each line must be one JSON object")
        yield number, record


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """`(line number, text)` for each non-empty line, decoded as UTF-8 line by line,
    so a wrongly encoded line is reported by its number (and a BOM is ignored)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise EvalDataError(f"cannot read {path}: {exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            text = decode(raw, path, number)
            if text.strip():
                yield number, text


def decode(raw: bytes, path: Path, number: int) -> str:
    """One line's bytes as text; anything but UTF-8 is an error that says how to convert."""
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start : exc.start + 1].hex()
        raise EvalDataError(
            f"{path} line {number} is not UTF-8 (byte 0x{byte} at column {exc.start + 1}); "
            "data files must be UTF-8: convert it, e.g. iconv -f latin1 -t utf-8"
        ) from None


def parse(text: str, path: Path, number: int) -> Any:
    """One line's JSON value, at most `MAX_DEPTH` levels deep."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{path} line {number} is not JSON ({exc.msg}); each line must be one JSON object") from None
    except RecursionError:
        where = _deep_field(text)
        raise EvalDataError(
            f"{path} line {number}{where} nests lists or objects more than {MAX_DEPTH} levels deep; flatten it"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise EvalDataError(f"{path} line {number} cannot be read: {exc}") from None
    if isinstance(value, dict):
        for key, inner in value.items():
            if depth(inner) > MAX_DEPTH - 1:
                raise EvalDataError(
                    f"{path} line {number}, field {key!r} nests lists or objects more than {MAX_DEPTH} levels deep; flatten it"
                )
    elif depth(value) > MAX_DEPTH:
        raise EvalDataError(f"{path} line {number} nests lists or objects more than {MAX_DEPTH} levels deep; flatten it")
    return value


def depth(value: Any) -> int:
    """How many levels of lists and objects `value` nests (0 for a scalar), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest  # deep enough to refuse; no need to walk the rest
        stack.extend((child, level + 1) for child in children)
    return deepest


def field(record: dict[str, Any], key: str, expected: type | tuple[type, ...], path: Path, line: int, *, where: str = "") -> Any:
    """`record[key]`, which must exist and be of the `expected` JSON type(s).

    `where` says where the record sits in the line (e.g. "call 2"), for records nested in a line.
    """
    at = f"{path} line {line}{', ' + where if where else ''}"
    if key not in record:
        raise EvalDataError(f"{at} has no {key!r}; it has {sorted(record)}")
    return check(record[key], expected, f"{at}, field {key!r}")


def check(value: Any, expected: type | tuple[type, ...], what: str) -> Any:
    """`value` if it is of the `expected` JSON type(s), else an `EvalDataError` saying `what` it is."""
    kinds = expected if isinstance(expected, tuple) else (expected,)
    wrong_bool = isinstance(value, bool) and int in kinds and bool not in kinds  # JSON true is no integer
    if not isinstance(value, kinds) or wrong_bool:
        wanted = " or ".join(_KINDS.get(k, k.__name__) for k in kinds)
        raise EvalDataError(f"{what} must be {wanted}, not {kind(value)} ({_shown(value)})")
    return value


def kind(value: Any) -> str:
    """`value`'s JSON type in words ("a list", "null")."""
    if value is None:
        return "null"
    return _KINDS.get(type(value), f"a {type(value).__name__}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _deep_field(text: str) -> str:
    """`", field 'calls'"`: the top-level key under which `text` first nests
    past `MAX_DEPTH` (read by counting brackets outside strings), or ""."""
    level, key, last, in_string, escaped, start = 0, None, None, False, False, 0
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string, last = False, text[start:index]
        elif char == '"':
            in_string, start = True, index + 1
        elif char == ":" and level == 1:
            key = last
        elif char in "[{":
            level += 1
            if level > MAX_DEPTH:
                return f", field {key!r}" if key is not None else ""
        elif char in "]}":
            level -= 1
    return ""
