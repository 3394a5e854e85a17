"""Web tasks in WebArena's JSON format, plus our oracle trajectories.

A `WebTask` keeps every field of a WebArena config (extra fields are allowed and
kept) so real WebArena configs load against a user's own deployment: the
`__SHOPPING__`-style placeholders in URLs are replaced through `url_map`.
The public files are read as they are: `must_include` may be one string
rather than a list, and `fuzzy_match` may be the string "N/A" (an
unachievable task). A task whose sites have no URL in the map is not an
error of the file: `WebTask.unmapped_sites` names them, so a run can list
it as not runnable and play the rest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from agentc.envs.web.errors import TaskLoadError

PLACEHOLDER = re.compile(r"__([A-Z][A-Z0-9_]*?)__|\{([a-z][a-z0-9_]*)\}")
"""`__SHOP__` (WebArena style) or `{shop}` (oracle style); both look up url_map case-insensitively."""


def _phrases(value: Any) -> Any:
    """One phrase where WebArena means a list of them (`"must_include": "yes"`) becomes a list."""
    return [value] if isinstance(value, str) else value


Phrases = Annotated[list[str], BeforeValidator(_phrases)]
"""A list of phrases, also when the config writes a single string."""


class RequiredContents(BaseModel):
    """What a `program_html` check expects in the located element's text."""

    model_config = ConfigDict(extra="allow")
    exact_match: str | None = None
    must_include: Phrases | None = None


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
    must_include: Phrases | None = None
    fuzzy_match: list[str] | str | None = None
    """A list of phrases, or the string "N/A" for a task that cannot be done."""


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
        lookup = _lookup(url_map)

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

    def unmapped_sites(self, url_map: dict[str, str]) -> list[str]:
        """The sites this task needs that `url_map` has no URL for (its `sites`
        and the placeholders in its URLs and oracle), lower-case and sorted;
        empty when the task can run against the map."""
        lookup = _lookup(url_map)
        texts = [self.start_url, self.eval.reference_url or "", *(c.url for c in self.eval.program_html), *(self.oracle or [])]
        placeholders = {(m.group(1) or m.group(2)).lower() for text in texts for m in PLACEHOLDER.finditer(text)}
        needed = placeholders | {site.lower() for site in self.sites}
        return sorted(needed - lookup.keys())


def _lookup(url_map: dict[str, str]) -> dict[str, str]:
    """`url_map` keyed as placeholders are looked up: lower-case, no `__` or braces."""
    return {key.lower().strip("_{}"): url.rstrip("/") for key, url in url_map.items()}


def load_tasks(path: Path, url_map: dict[str, str]) -> list[WebTask]:
    """Load one config, a list, a directory of `*.json`, or JSONL, resolving placeholders.

    Raises `TaskLoadError` naming the file (and the task_id or line) at fault,
    also for a placeholder `url_map` has no URL for (`read_tasks` and
    `WebTask.unmapped_sites` set such tasks aside instead).
    """
    return [_validate(raw, file, where, url_map) for file, where, raw in _raw_tasks(Path(path))]


def read_tasks(path: Path) -> list[WebTask]:
    """The tasks of a config, list, directory or JSONL as written, placeholders
    left in (resolve each with `WebTask.resolved`). Raises `TaskLoadError`
    naming the file (and the task_id or line) when a task is invalid."""
    return [_validate(raw, file, where, None) for file, where, raw in _raw_tasks(Path(path))]


def _raw_tasks(path: Path) -> list[tuple[Path, str, Any]]:
    """Every raw task dict under `path`, with its file and where in it it stands."""
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise TaskLoadError(f"{path}: directory holds no *.json task configs")
        return [found for file in files for found in _raw_tasks(file)]
    if not path.exists():
        raise TaskLoadError(f"{path}: no such task file or directory")
    return [(path, where, raw) for where, raw in _raw_configs(path)]


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


def _validate(raw: Any, path: Path, where: str, url_map: dict[str, str] | None) -> WebTask:
    """One raw config as a `WebTask` (resolved through `url_map` unless None),
    or a `TaskLoadError` that says which and why."""
    task_id = raw.get("task_id", "?") if isinstance(raw, dict) else "?"
    try:
        task = WebTask.model_validate(raw)
        return task if url_map is None else task.resolved(url_map)
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
