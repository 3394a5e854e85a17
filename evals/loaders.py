"""Loaders: BFCL, Seal-Tools and our own JSONL format into `EvalItem`s.

    load_items("data/bfcl")                       # every BFCL_v*_*.json in the folder
    load_items("data/bfcl/BFCL_v4_parallel.json")  # one category
    load_items("data/seal_tools")                 # dev.jsonl + tool.jsonl
    load_items("my_set.jsonl")                    # {"query", "tools", "calls"} a line

BFCL: JSON lines `{"id", "question": [[{"role", "content"}]], "function":
[schema...]}`, with the gold answers in `possible_answer/<same file name>`
beside the file, as BFCL lays them out (`{"id", "ground_truth": [{name:
{param: [allowed values]}}]}`); irrelevance files have none (no call is
right). The category is the file name after `BFCL_v4_`.

Seal-Tools: `dev.jsonl` lines `{"id", "query", "calling": [{"api",
"parameters", "responses"}]}` and `tool.jsonl` lines `{"api_name",
"api_description", "parameters", "required"}`. A call's `responses` name
its outputs `API_call_k`; a later parameter whose value is (or contains)
`API_call_k` uses that call's result, which becomes our `$N`. An item's
tools are the tools its gold calls use (the data set's oracle-tool
setting), sorted by name so their order gives nothing away. The category
is `seal_tools_easy` or `seal_tools_difficult`, from the id.

Our JSONL: `{"id"?, "category"?, "query", "tools": [schema...], "calls":
[{"name", "arguments", "deps"?}]}`; calls are numbered from 1, an argument
`"$N"` (or `"${N}"` inside a longer string) uses call N's result, `deps`
(call numbers) defaults to the calls referred to.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator, Sequence

from agentc.errors import ToolDefinitionError
from agentc.evals.errors import EvalDataError
from agentc.evals.items import EvalItem, GoldCall, function_name, function_parameters
from agentc.plan import Ref, Template, references
from agentc.tools.schema import tool_from_schema

_BFCL_FILE = re.compile(r"BFCL_v\d+_(.+)\.json")
_SEAL_REF = re.compile(r"API_call_(\d+)")
_PLAN_REF = re.compile(r"\$\{(\d+)\}|\$(\d+)(?!\d)")


def load_items(path: str | Path, categories: Sequence[str] = ()) -> list[EvalItem]:
    """The items of the data set at `path` (a file or a folder, the format
    recognised from its names and first line), keeping only `categories`
    when given."""
    source = Path(path)
    if not source.exists():
        raise EvalDataError(f"no data at {source}; pass a BFCL file or folder, a Seal-Tools folder, or a JSONL file")
    wanted = set(categories)
    if source.is_dir():
        bfcl = sorted(p for p in source.glob("BFCL_v*_*.json") if _BFCL_FILE.fullmatch(p.name))
        if bfcl:
            known = [_BFCL_FILE.fullmatch(p.name).group(1) for p in bfcl]  # type: ignore[union-attr]
            _check_categories(wanted, known, source)
            items = [item for p, cat in zip(bfcl, known) if not wanted or cat in wanted for item in load_bfcl(p)]
            return items
        if (source / "dev.jsonl").is_file() and (source / "tool.jsonl").is_file():
            return _only(load_seal_tools(source / "dev.jsonl"), wanted, source)
        raise EvalDataError(
            f"{source} holds neither BFCL files (BFCL_v4_*.json) nor Seal-Tools files (dev.jsonl and tool.jsonl); "
            "point --data at one of those, or at a JSONL file of our own format"
        )
    if _BFCL_FILE.fullmatch(source.name):
        return _only(load_bfcl(source), wanted, source)
    first = _first_record(source)
    if "calling" in first:
        return _only(load_seal_tools(source), wanted, source)
    if {"query", "tools", "calls"} <= first.keys():
        return _only(load_jsonl(source), wanted, source)
    raise EvalDataError(
        f"cannot tell the format of {source}: its first line has keys {sorted(first)}; expected a BFCL_v4_*.json "
        'file, Seal-Tools\' {"query", "calling"} or our {"query", "tools", "calls"}'
    )


def load_bfcl(path: str | Path) -> list[EvalItem]:
    """One BFCL question file, with its gold answers from `possible_answer/`."""
    source = Path(path)
    match = _BFCL_FILE.fullmatch(source.name)
    if not match:
        raise EvalDataError(f"{source.name} is not named like a BFCL file (BFCL_v4_<category>.json)")
    category = match.group(1)
    answers_path = source.parent / "possible_answer" / source.name
    answers: dict[str, list[dict[str, Any]]] = {}
    if answers_path.is_file():
        for line, record in _records(answers_path):
            answers[str(record.get("id"))] = _field(record, "ground_truth", answers_path, line)
    elif "irrelevance" not in category:
        raise EvalDataError(
            f"no gold answers for {source}: expected {answers_path} beside it, as BFCL lays them out; "
            "copy BFCL's possible_answer/ folder next to the question file"
        )
    items = []
    for line, record in _records(source):
        item_id = str(_field(record, "id", source, line))
        functions = tuple(_field(record, "function", source, line))
        _check_tools(functions, source, line)
        if "irrelevance" in category:
            calls: tuple[GoldCall, ...] = ()
        elif item_id not in answers:
            raise EvalDataError(f"{answers_path} has no answer for {item_id} ({source} line {line}); use the matching files")
        else:
            required = {function_name(f): set(function_parameters(f).get("required") or []) for f in functions}
            calls = tuple(_bfcl_call(entry, required, answers_path, item_id) for entry in answers[item_id])
        question = _bfcl_question(_field(record, "question", source, line), source, line)
        items.append(EvalItem(item_id, category, question, functions, calls, "bfcl"))
    return items


def load_seal_tools(dev: str | Path, tools: str | Path | None = None) -> list[EvalItem]:
    """Seal-Tools items from `dev` (any split file), tools from `tools`
    (default: `tool.jsonl` beside it)."""
    source = Path(dev)
    tool_path = Path(tools) if tools is not None else source.parent / "tool.jsonl"
    if not tool_path.is_file():
        raise EvalDataError(f"no Seal-Tools tool file at {tool_path}; put tool.jsonl beside {source.name}")
    catalog: dict[str, dict[str, Any]] = {}
    for line, record in _records(tool_path):
        name = str(_field(record, "api_name", tool_path, line))
        catalog[name] = {
            "name": name,
            "description": record.get("api_description", ""),
            "parameters": {
                "type": "object",
                "properties": record.get("parameters") or {},
                "required": record.get("required") or [],
            },
        }
    items = []
    for line, record in _records(source):
        item_id = str(_field(record, "id", source, line))
        calling = _field(record, "calling", source, line)
        producer: dict[str, int] = {}
        calls = []
        for number, entry in enumerate(calling, start=1):
            api = str(entry.get("api"))
            if api not in catalog:
                raise EvalDataError(f"{source} line {line} ({item_id}) calls {api!r}, which {tool_path} does not define")
            arguments = {k: _seal_value(v, producer, source, line) for k, v in (entry.get("parameters") or {}).items()}
            deps = tuple(dict.fromkeys(r for v in arguments.values() for r in references(v)))
            calls.append(GoldCall(api, arguments, deps))
            for response in entry.get("responses") or []:
                producer[str(response)] = number
        # sorted by name: listing them in call order would tell the planner the order
        functions = tuple(catalog[name] for name in sorted({c.name for c in calls}))
        level = "easy" if "-easy-" in item_id else "difficult" if "-difficult-" in item_id else "other"
        question = str(_field(record, "query", source, line))
        items.append(EvalItem(item_id, f"seal_tools_{level}", question, functions, tuple(calls), "seal_tools"))
    return items


def load_jsonl(path: str | Path) -> list[EvalItem]:
    """Items of our own format (see the module's docstring)."""
    source = Path(path)
    items = []
    for line, record in _records(source):
        functions = tuple(_field(record, "tools", source, line))
        _check_tools(functions, source, line)
        names = {function_name(f) for f in functions}
        calls = []
        for number, entry in enumerate(_field(record, "calls", source, line), start=1):
            name = str(entry.get("name"))
            if name not in names:
                raise EvalDataError(f"{source} line {line}: call {number} uses {name!r}, which is not among its tools")
            arguments = {k: _plan_value(v, number) for k, v in (entry.get("arguments") or {}).items()}
            used = {r for v in arguments.values() for r in references(v)}
            deps = set(entry.get("deps") or []) | used
            bad = sorted(d for d in deps if not isinstance(d, int) or not 1 <= d < number)
            if bad:
                raise EvalDataError(
                    f"{source} line {line}: call {number} depends on {bad}; deps and $N name earlier calls, numbered from 1"
                )
            calls.append(GoldCall(name, arguments, tuple(sorted(deps))))
        item_id = str(record.get("id", f"{source.stem}-{line}"))
        category = str(record.get("category", source.stem))
        question = str(_field(record, "query", source, line))
        items.append(EvalItem(item_id, category, question, functions, tuple(calls), "exact"))
    return items


# reading


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """`(line number, object)` for each non-empty line of a JSON-lines file."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise EvalDataError(f"cannot read {path}: {exc}") from None
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise EvalDataError(f"{path} line {number} is not JSON ({exc.msg}); each line must be one JSON object") from None
            if not isinstance(record, dict):
                raise EvalDataError(f"{path} line {number} is a JSON {type(record).__name__}, not an object")
            yield number, record


def _first_record(path: Path) -> dict[str, Any]:
    for _, record in _records(path):
        return record
    raise EvalDataError(f"{path} is empty; it needs one JSON object a line")


def _field(record: dict[str, Any], key: str, path: Path, line: int) -> Any:
    if key not in record:
        raise EvalDataError(f"{path} line {line} has no {key!r}; it has {sorted(record)}")
    return record[key]


def _only(items: list[EvalItem], wanted: set[str], source: Path) -> list[EvalItem]:
    _check_categories(wanted, list(dict.fromkeys(i.category for i in items)), source)
    return [i for i in items if not wanted or i.category in wanted]


def _check_categories(wanted: set[str], known: list[str], source: Path) -> None:
    unknown = sorted(wanted - set(known))
    if unknown:
        raise EvalDataError(f"{source} has no category {', '.join(unknown)}; its categories are: {', '.join(known)}")


def _check_tools(functions: Sequence[Any], path: Path, line: int) -> None:
    """Every schema must become a tool: fail at load time, naming the line."""
    for schema in functions:
        try:
            tool_from_schema(schema)
        except ToolDefinitionError as exc:
            raise EvalDataError(f"{path} line {line}: {exc}") from None


# BFCL


def _bfcl_question(turns: Any, path: Path, line: int) -> str:
    if not isinstance(turns, list) or len(turns) != 1 or not isinstance(turns[0], list):
        raise EvalDataError(
            f"{path} line {line} is a multi-turn question; only single-turn BFCL categories "
            "(simple, multiple, parallel, parallel_multiple, irrelevance) are supported"
        )
    texts = [str(m.get("content", "")) for m in turns[0] if isinstance(m, dict) and m.get("role") == "user"]
    if not texts:
        raise EvalDataError(f"{path} line {line} has no user message in its question")
    return "\n".join(texts)


def _bfcl_call(entry: Any, required: dict[str, set[str]], path: Path, item_id: str) -> GoldCall:
    """A BFCL gold call; its `arguments` are one right answer: a parameter
    that may be left out (`""` allowed, not required) is left out, any
    other takes its first allowed value (inside dicts too)."""
    if not isinstance(entry, dict) or len(entry) != 1:
        raise EvalDataError(f"{path}, {item_id}: each ground_truth entry must be {{function name: {{param: [values]}}}}")
    (name, allowed), = entry.items()
    if not isinstance(allowed, dict) or not all(isinstance(v, list) for v in allowed.values()):
        raise EvalDataError(f"{path}, {item_id}: the allowed values of {name!r} must be lists, one per parameter")
    needed = required.get(name, set())
    chosen = {
        p: _first_allowed(values)
        for p, values in allowed.items()
        if any(v != "" for v in values) and ("" not in values or p in needed)
    }
    return GoldCall(name, chosen, (), {p: list(v) for p, v in allowed.items()})


def _first_allowed(values: list[Any]) -> Any:
    """The first allowed value that is not `""`; in a dict (or a list of
    dicts) each key likewise, keys that may be left out left out."""
    value = next(v for v in values if v != "")
    if isinstance(value, dict):
        return _first_allowed_keys(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [_first_allowed_keys(v) for v in value]
    return value


def _first_allowed_keys(gold: dict[str, Any]) -> dict[str, Any]:
    return {
        k: next(x for x in v if x != "") if isinstance(v, list) else v
        for k, v in gold.items()
        if not isinstance(v, list) or ("" not in v and v)
    }


# references


def _seal_value(value: Any, producer: dict[str, int], path: Path, line: int) -> Any:
    """A Seal-Tools value with `API_call_k` turned into a reference to the call that returned it."""
    if isinstance(value, list):
        return [_seal_value(v, producer, path, line) for v in value]
    if isinstance(value, dict):
        return {k: _seal_value(v, producer, path, line) for k, v in value.items()}
    if not isinstance(value, str) or not _SEAL_REF.search(value):
        return value

    def call_of(name: str) -> Ref:
        if name not in producer:
            raise EvalDataError(f"{path} line {line} uses {name}, which no earlier call returns")
        return Ref(producer[name])

    if _SEAL_REF.fullmatch(value):
        return call_of(value)
    return _template(value, list(_SEAL_REF.finditer(value)), lambda m: call_of(m.group(0)))


def _plan_value(value: Any, number: int) -> Any:
    """One of our JSONL values with `$N` / `${N}` turned into references (as the plan language does)."""
    if isinstance(value, list):
        return [_plan_value(v, number) for v in value]
    if isinstance(value, dict):
        return {k: _plan_value(v, number) for k, v in value.items()}
    if not isinstance(value, str) or not _PLAN_REF.search(value):
        return value
    whole = _PLAN_REF.fullmatch(value)
    if whole:
        return Ref(int(whole.group(1) or whole.group(2)))
    # inside text, `${N}` always refers; a bare `$N` only to an earlier call ("costs $5" stays text)
    found = [m for m in _PLAN_REF.finditer(value) if m.group(1) or int(m.group(2)) < number]
    if not found:
        return value
    return _template(value, found, lambda m: Ref(int(m.group(1) or m.group(2))))


def _template(text: str, matches: list[re.Match[str]], ref: Any) -> Template:
    """`text` split at `matches`, each replaced by `ref(match)`."""
    parts: list[str | Ref] = []
    last = 0
    for match in matches:
        if match.start() > last:
            parts.append(text[last : match.start()])
        parts.append(ref(match))
        last = match.end()
    if last < len(text):
        parts.append(text[last:])
    return Template(tuple(parts))
