"""Web tasks in WebArena's JSON format, plus our oracle trajectories.

A `WebTask` keeps every field of a WebArena config (extra fields are allowed and
kept) so real WebArena configs load against a user's own deployment: the
`__SHOPPING__`-style placeholders in URLs are replaced through `url_map`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PLACEHOLDER = re.compile(r"__([A-Z][A-Z0-9_]*?)__|\{([a-z][a-z0-9_]*)\}")
"""`__SHOP__` (WebArena style) or `{shop}` (oracle style); both look up url_map case-insensitively."""


class RequiredContents(BaseModel):
    """What a `program_html` check expects in the located element's text."""

    model_config = ConfigDict(extra="allow")
    exact_match: str | None = None
    must_include: list[str] | None = None


class ProgramHtmlCheck(BaseModel):
    """One `program_html` check: open `url` ("last" = the current page), run `locator`, compare."""

    model_config = ConfigDict(extra="allow")
    url: str = "last"
    locator: str = ""
    required_contents: RequiredContents = Field(default_factory=RequiredContents)


class ReferenceAnswers(BaseModel):
    """WebArena's `string_match` references."""

    model_config = ConfigDict(extra="allow")
    exact_match: str | None = None
    must_include: list[str] | None = None
    fuzzy_match: list[str] | str | None = None


class StateCheck(BaseModel):
    """Our backend-state check: `sql` on `site`'s database must return `expected` rows."""

    site: str
    sql: str
    expected: list[list[Any]]


class EvalSpec(BaseModel):
    """WebArena's `eval` block."""

    model_config = ConfigDict(extra="allow")
    eval_types: list[str]
    reference_answers: ReferenceAnswers | None = None
    reference_url: str | None = None
    program_html: list[ProgramHtmlCheck] = Field(default_factory=list)
    string_note: str | None = None
    url_note: str | None = None


class WebTask(BaseModel):
    """One task: what to do (`intent`), where to start, and how it is scored."""

    model_config = ConfigDict(extra="allow")
    task_id: int | str
    sites: list[str] = Field(default_factory=list)
    intent: str
    start_url: str
    require_login: bool = False
    eval: EvalSpec
    oracle: list[str] | None = None
    state_check: StateCheck | None = None

    def resolved(self, url_map: dict[str, str]) -> WebTask:
        """A copy with every site placeholder in URLs and oracle actions replaced.

        Raises `KeyError` naming the placeholder when `url_map` lacks its site.
        """
        lookup = {key.lower().strip("_{}"): url.rstrip("/") for key, url in url_map.items()}

        def fill(text: str | None) -> str | None:
            if text is None:
                return None

            def one(match: re.Match[str]) -> str:
                key = (match.group(1) or match.group(2)).lower()
                if key not in lookup:
                    raise KeyError(f"no URL for placeholder {match.group(0)!r}; url_map has {sorted(lookup)}")
                return lookup[key]

            return PLACEHOLDER.sub(one, text)

        data = self.model_dump(by_alias=True)
        data["start_url"] = fill(self.start_url)
        data["eval"]["reference_url"] = fill(self.eval.reference_url)
        for check in data["eval"]["program_html"]:
            check["url"] = fill(check["url"])
        if self.oracle is not None:
            data["oracle"] = [fill(step) for step in self.oracle]
        return WebTask.model_validate(data)


class TaskLoadError(ValueError):
    """A task file cannot be read or a task in it is invalid; names the file and task_id."""


def load_tasks(path: Path, url_map: dict[str, str]) -> list[WebTask]:
    """Load one config, a list, a directory of `*.json`, or JSONL, resolving placeholders.

    Raises `TaskLoadError` naming the file (and the task_id or line) at fault.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise TaskLoadError(f"{path}: directory holds no *.json task configs")
        return [task for file in files for task in load_tasks(file, url_map)]
    if not path.exists():
        raise TaskLoadError(f"{path}: no such task file or directory")
    return [_validate(raw, path, where, url_map) for where, raw in _raw_configs(path)]


def _raw_configs(path: Path) -> list[tuple[str, Any]]:
    """The raw task dicts in a file, each with where it came from (for error messages)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise TaskLoadError(f"{path}, line {line}: not UTF-8; task files must be UTF-8 (convert with iconv -t utf-8)") from None
    if path.suffix == ".jsonl":
        lines = enumerate(text.splitlines(), 1)
        return [(f"line {number}", _json(line, path, f"line {number}")) for number, line in lines if line.strip()]
    data = _json(text, path, "config")
    if isinstance(data, dict):
        return [("config", data)]
    if isinstance(data, list):
        return [(f"item {index}", raw) for index, raw in enumerate(data)]
    raise TaskLoadError(f"{path}: expected a task object or a list of them, got {type(data).__name__}")


def _json(text: str, path: Path, where: str) -> Any:
    """One JSON value; malformed, too deeply nested or too long numbers are a `TaskLoadError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskLoadError(f"{path}, {where}: not valid JSON: {exc}") from None
    except RecursionError:
        raise TaskLoadError(f"{path}, {where}: nests lists or objects too deeply to read; flatten it") from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise TaskLoadError(f"{path}, {where}: cannot be read: {exc}") from None


def _validate(raw: Any, path: Path, where: str, url_map: dict[str, str]) -> WebTask:
    """One raw config as a resolved `WebTask`, or a `TaskLoadError` that says which and why."""
    task_id = raw.get("task_id", "?") if isinstance(raw, dict) else "?"
    try:
        return WebTask.model_validate(raw).resolved(url_map)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'task'}: {e['msg']}" for e in exc.errors())
        raise TaskLoadError(f"{path} ({where}, task_id {task_id}): {problems}") from exc
    except KeyError as exc:
        raise TaskLoadError(f"{path} ({where}, task_id {task_id}): {exc.args[0]}") from exc


def default_tasks_path() -> Path:
    """The task set over our own sites, shipped with the package."""
    return Path(__file__).parent / "tasks" / "agentc_sites.json"


def sites_url_map(urls: dict[str, str]) -> dict[str, str]:
    """The url_map for our own sites, also answering WebArena's names (`__SHOPPING__`, `__REDDIT__`, ...)."""
    aliases = {"shopping": "shop", "reddit": "forum", "shopping_admin": "admin"}
    mapping = dict(urls)
    mapping.update({alias: urls[site] for alias, site in aliases.items() if site in urls})
    return mapping
