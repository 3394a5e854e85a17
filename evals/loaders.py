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

import re
from pathlib import Path
from typing import Any, Iterator, Sequence

from agentc.errors import ToolDefinitionError
from agentc.evals import jsonl
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
    answers: dict[str, tuple[int, list[Any]]] = {}
    if answers_path.is_file():
        for line, record in _records(answers_path):
            answers[str(record.get("id"))] = (line, _field(record, "ground_truth", answers_path, line, list))
    elif "irrelevance" not in category:
        raise EvalDataError(
            f"no gold answers for {source}: expected {answers_path} beside it, as BFCL lays them out; "
            "copy BFCL's possible_answer/ folder next to the question file"
        )
    items = []
    for line, record in _records(source):
        item_id = str(_field(record, "id", source, line, (str, int)))
        functions = tuple(_field(record, "function", source, line, list))
        _check_tools(functions, source, line, "function")
        if "irrelevance" in category:
            calls: tuple[GoldCall, ...] = ()
        elif item_id not in answers:
            raise EvalDataError(f"{answers_path} has no answer for {item_id} ({source} line {line}); use the matching files")
        else:
            required = {function_name(f): _required(f) for f in functions}
            answer_line, truth = answers[item_id]
            calls = tuple(_bfcl_call(entry, required, answers_path, answer_line) for entry in truth)
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
        name = str(_field(record, "api_name", tool_path, line, (str, int)))
        catalog[name] = {
            "name": name,
            "description": str(record.get("api_description", "")),
            "parameters": {
                "type": "object",
                "properties": _optional(record, "parameters", dict, tool_path, line),
                "required": _optional(record, "required", list, tool_path, line),
            },
        }
    items = []
    for line, record in _records(source):
        item_id = str(_field(record, "id", source, line, (str, int)))
        calling = _entries(_field(record, "calling", source, line, list), "calling", source, line)
        producer: dict[str, int] = {}
        calls = []
        for number, entry in enumerate(calling, start=1):
            api = str(entry.get("api"))
            if api not in catalog:
                raise EvalDataError(f"{source} line {line} ({item_id}) calls {api!r}, which {tool_path} does not define")
            where = f"field 'calling', entry {number}"
            parameters = _optional(entry, "parameters", dict, source, line, where)
            arguments = {k: _seal_value(v, producer, source, line) for k, v in parameters.items()}
            deps = tuple(dict.fromkeys(r for v in arguments.values() for r in references(v)))
            calls.append(GoldCall(api, arguments, deps))
            for response in _optional(entry, "responses", list, source, line, where):
                producer[str(response)] = number
        # sorted by name: listing them in call order would tell the planner the order
        functions = tuple(catalog[name] for name in sorted({c.name for c in calls}))
        level = "easy" if "-easy-" in item_id else "difficult" if "-difficult-" in item_id else "other"
        question = str(_field(record, "query", source, line, str))
        items.append(EvalItem(item_id, f"seal_tools_{level}", question, functions, tuple(calls), "seal_tools"))
    return items


def load_jsonl(path: str | Path) -> list[EvalItem]:
    """Items of our own format (see the module's docstring)."""
    source = Path(path)
    items = []
    for line, record in _records(source):
        functions = tuple(_field(record, "tools", source, line, list))
        _check_tools(functions, source, line, "tools")
        names = {function_name(f) for f in functions}
        calls = []
        for number, entry in enumerate(_entries(_field(record, "calls", source, line, list), "calls", source, line), start=1):
            where = f"call {number}"
            name = str(jsonl.field(entry, "name", str, source, line, where=where))
            if name not in names:
                raise EvalDataError(f"{source} line {line}: call {number} uses {name!r}, which is not among its tools")
            given = _optional(entry, "arguments", dict, source, line, where)
            arguments = {k: _plan_value(v, number) for k, v in given.items()}
            used = {r for v in arguments.values() for r in references(v)}
            listed = _optional(entry, "deps", list, source, line, where)
            for dep in listed:
                jsonl.check(dep, int, f"{source} line {line}, call {number}, field 'deps'")
            deps = set(listed) | used
            bad = sorted(d for d in deps if not 1 <= d < number)
            if bad:
                raise EvalDataError(
                    f"{source} line {line}: call {number} depends on {bad}; deps and $N name earlier calls, numbered from 1"
                )
            calls.append(GoldCall(name, arguments, tuple(sorted(deps))))
        item_id = str(record.get("id", f"{source.stem}-{line}"))
        category = str(record.get("category", source.stem))
        question = str(_field(record, "query", source, line, str))
        items.append(EvalItem(item_id, category, question, functions, tuple(calls), "exact"))
    return items


# reading


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """`(line number, object)` for each non-empty line of a JSON-lines file."""
    return jsonl.records(path)


def _first_record(path: Path) -> dict[str, Any]:
    for _, record in _records(path):
        return record
    raise EvalDataError(f"{path} is empty; it needs one JSON object a line")


def _field(record: dict[str, Any], key: str, path: Path, line: int, expected: type | tuple[type, ...] = object) -> Any:
    """`record[key]`, which must be there (and of the `expected` JSON type)."""
    return jsonl.field(record, key, expected, path, line)


def _entries(values: list[Any], what: str, path: Path, line: int) -> list[dict[str, Any]]:
    """The objects of the list `what` (e.g. "calls"): each must be an object."""
    for number, value in enumerate(values, start=1):
        jsonl.check(value, dict, f"{path} line {line}, field {what!r}, entry {number}")
    return values


def _optional(record: dict[str, Any], key: str, expected: type, path: Path, line: int, where: str = "") -> Any:
    """`record[key]` when present and not null (it must then be of the `expected`
    JSON type), else an empty value of that type."""
    if record.get(key) is None:
        return expected()
    at = f"{path} line {line}{', ' + where if where else ''}, field {key!r}"
    return jsonl.check(record[key], expected, at)


def _required(schema: dict[str, Any]) -> set[str]:
    """The required parameter names of a (checked) function schema."""
    return {str(name) for name in function_parameters(schema).get("required") or []}


def _only(items: list[EvalItem], wanted: set[str], source: Path) -> list[EvalItem]:
    _check_categories(wanted, list(dict.fromkeys(i.category for i in items)), source)
    return [i for i in items if not wanted or i.category in wanted]


def _check_categories(wanted: set[str], known: list[str], source: Path) -> None:
    unknown = sorted(wanted - set(known))
    if unknown:
        raise EvalDataError(f"{source} has no category {', '.join(unknown)}; its categories are: {', '.join(known)}")


def _check_tools(functions: Sequence[Any], path: Path, line: int, key: str) -> None:
    """Every schema (in the field `key`) must become a tool: fail at load time, naming the line."""
    for number, schema in enumerate(functions, start=1):
        what = f"{path} line {line}, field {key!r}, entry {number}"
        jsonl.check(schema, dict, what)
        inner = schema.get("function") if schema.get("type") == "function" else schema
        jsonl.check(inner, dict, f"{what}, field 'function'")
        jsonl.check(inner.get("name"), str, f"{what}, field 'name'")
        jsonl.check(inner.get("parameters") or {}, dict, f"{what}, field 'parameters'")
        required = (inner.get("parameters") or {}).get("required") or []
        jsonl.check(required, list, f"{what}, field 'parameters.required'")
        try:
            tool_from_schema(schema)
        except ToolDefinitionError as exc:
            raise EvalDataError(f"{path} line {line}: {exc}") from None
        except (TypeError, ValueError, AttributeError, KeyError) as exc:  # shapes the schema reader does not name
            raise EvalDataError(f"{what} is not a usable function schema ({type(exc).__name__}: {exc})") from None


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


def _bfcl_call(entry: Any, required: dict[str, set[str]], path: Path, line: int) -> GoldCall:
    """A BFCL gold call; its `arguments` are one right answer: a parameter
    that may be left out (`""` allowed, not required) is left out, any
    other takes its first allowed value (inside dicts too)."""
    if not isinstance(entry, dict) or len(entry) != 1:
        raise EvalDataError(
            f"{path} line {line}, field 'ground_truth': each entry must be {{function name: {{param: [values]}}}}, "
            f"not {jsonl.kind(entry)}"
        )
    (name, allowed), = entry.items()
    if not isinstance(allowed, dict) or not all(isinstance(v, list) for v in allowed.values()):
        raise EvalDataError(
            f"{path} line {line}, field 'ground_truth': the allowed values of {name!r} must be lists, one per parameter"
        )
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
