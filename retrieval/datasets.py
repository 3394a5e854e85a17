"""Evaluation sets for tool retrieval, read from their published formats.

- MetaTool (Huang et al., 2023): `all_clean_data.csv` (Query,Tool), the
  two-tool queries `multi_tool_query_golden.json`, tool descriptions
  `plugin_des.json`.
- Seal-Tools (Wu et al., 2024): the catalog `tool.jsonl` with the queries of
  `dev.jsonl`, or of `DPR_Training/dev_split.json`.
- Our plain format: a catalog JSONL of `{"name", "description",
  "examples"?}` and a queries JSONL of `{"query", "tools"}`.

A `RetrievalDataset` has the tools, the queries to split into train and
test, and `train_only` examples that always train and are never tested (a
catalog's own examples; the single-tool queries when testing two-tool ones).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Literal

import numpy as np

from agentc.retrieval.base import Example, ToolCard
from agentc.retrieval.errors import DatasetError

DatasetKind = Literal["auto", "metatool", "metatool-multi", "seal-tools", "seal-tools-dpr", "jsonl"]
DATASET_KINDS: tuple[str, ...] = ("auto", "metatool", "metatool-multi", "seal-tools", "seal-tools-dpr", "jsonl")


@dataclass
class RetrievalDataset:
    """Tools, the queries to split, and examples that only ever train."""

    name: str
    tools: list[ToolCard]
    queries: list[Example]
    train_only: list[Example] = field(default_factory=list)


def split_queries(
    dataset: RetrievalDataset, *, test_fraction: float = 0.3, seed: int = 0
) -> tuple[list[Example], list[Example]]:
    """Split by query with a fixed seed: (train incl. `train_only`, test).

    Queries are whole units, so no query text is in both halves.
    """
    if not 0.0 < test_fraction < 1.0:
        raise DatasetError(f"test fraction {test_fraction} must be between 0 and 1 (exclusive), e.g. 0.3")
    order = np.random.default_rng(seed).permutation(len(dataset.queries))
    n_test = max(1, round(len(order) * test_fraction))
    test_rows = set(order[:n_test].tolist())
    train = [q for i, q in enumerate(dataset.queries) if i not in test_rows]
    test = [q for i, q in enumerate(dataset.queries) if i in test_rows]
    return list(dataset.train_only) + train, test


def load_dataset(path: str | Path, kind: DatasetKind = "auto") -> RetrievalDataset:
    """Load a data set folder, recognising its format when `kind` is "auto"."""
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError(f"{folder} is not a folder; pass --data a MetaTool, Seal-Tools or plain JSONL folder")
    if kind == "auto":
        if (folder / "all_clean_data.csv").is_file():
            kind = "metatool"
        elif (folder / "tool.jsonl").is_file():
            kind = "seal-tools"
        elif (folder / "tools.jsonl").is_file() and (folder / "queries.jsonl").is_file():
            kind = "jsonl"
        else:
            raise DatasetError(
                f"cannot tell the format of {folder}: expected all_clean_data.csv (MetaTool), tool.jsonl "
                "(Seal-Tools) or tools.jsonl + queries.jsonl (plain); or pass --tools and --queries"
            )
    if kind == "metatool":
        return load_metatool(folder)
    if kind == "metatool-multi":
        return load_metatool(folder, queries="multi")
    if kind == "seal-tools":
        return load_seal_tools(folder)
    if kind == "seal-tools-dpr":
        return load_seal_tools(folder, queries="dpr")
    if kind == "jsonl":
        return load_jsonl(folder / "tools.jsonl", folder / "queries.jsonl")
    raise DatasetError(f"unknown data set kind {kind!r}; choose one of {', '.join(DATASET_KINDS)}")


def load_metatool(folder: str | Path, *, queries: Literal["single", "multi"] = "single") -> RetrievalDataset:
    """MetaTool: single-tool queries, or two-tool queries trained with the single ones."""
    folder = Path(folder)
    descriptions = _read_json(folder / "plugin_des.json")
    if not isinstance(descriptions, dict):
        raise DatasetError(f"{folder / 'plugin_des.json'} should map tool names to descriptions")
    tools = [ToolCard(name, str(text)) for name, text in descriptions.items()]
    by_query: dict[str, list[str]] = {}
    csv_file = _existing(folder / "all_clean_data.csv")
    with csv_file.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            query, tool = (row.get("Query") or "").strip(), (row.get("Tool") or "").strip()
            if not query or not tool:
                raise DatasetError(f"{csv_file}:{line}: a row needs both Query and Tool")
            names = by_query.setdefault(query, [])
            if tool not in names:
                names.append(tool)
    single = [Example(q, tuple(names)) for q, names in by_query.items()]
    _check_known(single, tools, csv_file)
    if queries == "single":
        return RetrievalDataset("metatool", tools, single)
    multi_file = folder / "multi_tool_query_golden.json"
    multi = []
    for number, item in enumerate(_read_json(multi_file), start=1):
        try:
            multi.append(Example(str(item["query"]).strip(), tuple(dict.fromkeys(item["tool"]))))
        except (KeyError, TypeError):
            raise DatasetError(f"{multi_file}: item {number} needs 'query' and a 'tool' list") from None
    _check_known(multi, tools, multi_file)
    multi_texts = {m.query for m in multi}
    return RetrievalDataset("metatool-multi", tools, multi, [s for s in single if s.query not in multi_texts])


def load_seal_tools(folder: str | Path, *, queries: Literal["dev", "dpr"] = "dev") -> RetrievalDataset:
    """Seal-Tools: the 4,076-tool catalog and the dev queries (or the DPR dev split)."""
    folder = Path(folder)
    tool_file = folder / "tool.jsonl"
    tools = []
    for line, item in _read_jsonl(tool_file):
        try:
            tools.append(ToolCard(item["api_name"], item.get("api_description", ""), _seal_schema(item)))
        except (KeyError, TypeError, AttributeError):
            raise DatasetError(f"{tool_file}:{line}: a tool needs 'api_name' and a 'parameters' object") from None
    examples: list[Example] = []
    if queries == "dev":
        query_file = folder / "dev.jsonl"
        for line, item in _read_jsonl(query_file):
            try:
                names = tuple(dict.fromkeys(call["api"] for call in item["calling"]))
                examples.append(Example(item["query"], names))
            except (KeyError, TypeError):
                raise DatasetError(
                    f"{query_file}:{line}: a query needs 'query' and 'calling' with 'api' names"
                ) from None
        name = "seal-tools"
    else:
        query_file = folder / "DPR_Training" / "dev_split.json"
        grouped: dict[str, list[str]] = {}
        for number, item in enumerate(_read_json(query_file), start=1):
            try:
                titles = grouped.setdefault(item["question"], [])
                for context in item["positive_ctxs"]:
                    if context["title"] not in titles:
                        titles.append(context["title"])
            except (KeyError, TypeError):
                raise DatasetError(f"{query_file}: item {number} needs 'question' and 'positive_ctxs' titles") from None
        examples = [Example(q, tuple(titles)) for q, titles in grouped.items() if titles]
        name = "seal-tools-dpr"
    _check_known(examples, tools, query_file)
    return RetrievalDataset(name, tools, _merge_duplicates(examples))


def load_jsonl(tools_path: str | Path, queries_path: str | Path) -> RetrievalDataset:
    """Our plain format: catalog `{"name", "description", "examples"?}`, queries `{"query", "tools"}`."""
    tools: list[ToolCard] = []
    catalog_examples: list[Example] = []
    for line, item in _read_jsonl(Path(tools_path)):
        if not isinstance(item.get("name"), str) or not item["name"]:
            raise DatasetError(f"{tools_path}:{line}: a tool needs a non-empty string 'name'")
        tools.append(ToolCard(item["name"], str(item.get("description", "")), item.get("parameters")))
        examples = item.get("examples") or []
        if not isinstance(examples, list):
            raise DatasetError(f"{tools_path}:{line}: 'examples' must be a list of query strings")
        catalog_examples.extend(Example(str(q), (item["name"],)) for q in examples)
    queries = []
    for line, item in _read_jsonl(Path(queries_path)):
        names = item.get("tools")
        if not isinstance(item.get("query"), str) or not isinstance(names, list) or not names:
            raise DatasetError(f"{queries_path}:{line}: a query needs a string 'query' and a non-empty 'tools' list")
        queries.append(Example(item["query"], tuple(dict.fromkeys(str(n) for n in names))))
    _check_known(queries, tools, Path(queries_path))
    return RetrievalDataset(Path(tools_path).stem, tools, _merge_duplicates(queries), catalog_examples)


_SEAL_TYPES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "list": "array",
    "dict": "object",
}


def _seal_schema(item: dict[str, Any]) -> dict[str, Any]:
    """A Seal-Tools parameter list as a JSON schema object."""
    properties = {
        arg: {"type": _SEAL_TYPES.get(spec.get("type", ""), "string"), "description": spec.get("description", "")}
        for arg, spec in (item.get("parameters") or {}).items()
    }
    return {"type": "object", "properties": properties, "required": list(item.get("required") or [])}


def _merge_duplicates(examples: list[Example]) -> list[Example]:
    """One example per query text, with the union of its tools (a repeated query must not straddle the split)."""
    merged: dict[str, list[str]] = {}
    for example in examples:
        names = merged.setdefault(example.query, [])
        names.extend(n for n in example.tools if n not in names)
    return [Example(q, tuple(names)) for q, names in merged.items()]


def _check_known(examples: list[Example], tools: list[ToolCard], source: Path) -> None:
    known = {t.name for t in tools}
    for example in examples:
        unknown = [n for n in example.tools if n not in known]
        if unknown:
            raise DatasetError(
                f"{source}: query {example.query!r} names tool(s) {', '.join(unknown)} missing from the catalog; "
                "add them to the catalog or drop the query"
            )


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise DatasetError(f"{path} does not exist; point --data at the folder holding it")
    return path


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_existing(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _existing(path).open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                item = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{line}: not valid JSON ({exc.msg})") from None
            if not isinstance(item, dict):
                raise DatasetError(f"{path}:{line}: each line must be a JSON object")
            yield line, item
