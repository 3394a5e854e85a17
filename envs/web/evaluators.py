"""Scoring a finished episode: WebArena's evaluators plus a backend-state check.

`evaluate` runs every evaluator the task's `eval.eval_types` names (and the
`state_check` when the task has one); the task passes when all of them pass.
Offline there is no judge LLM, so `fuzzy_match` is checked like `must_include`;
WebArena's unachievable tasks (`fuzzy_match: "N/A"`) need the answer "N/A".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from agentc.envs.web.errors import EvaluationError

if TYPE_CHECKING:
    from agentc.envs.sites import RunningSites
    from agentc.envs.web.browser import PlaywrightEnv
    from agentc.envs.web.tasks import (
        ProgramHtmlCheck,
        ReferenceAnswers,
        StateCheck,
        WebTask,
    )

OR = " |OR| "
"""WebArena's separator between acceptable alternatives."""


@dataclass
class EvalResult:
    """The score (1.0 or 0.0), whether the task passed, and one line per check."""

    score: float
    passed: bool
    details: list[str] = field(default_factory=list)


async def evaluate(
    task: WebTask, env: PlaywrightEnv, answer: str | None, sites: RunningSites | None
) -> EvalResult:
    """Score `task` against the live page (`env.page`), the `answer` and the sites' databases."""
    checks: list[tuple[bool, str]] = []
    for eval_type in task.eval.eval_types:
        if eval_type == "string_match":
            checks.extend(string_match(task.eval.reference_answers, answer))
        elif eval_type == "url_match":
            checks.append(url_match(task.eval.reference_url, env.page.url))
        elif eval_type == "program_html":
            for check in task.eval.program_html:
                checks.append(await program_html(check, env))
        elif eval_type != "state_check":
            raise EvaluationError(
                f"task {task.task_id}: unknown eval type {eval_type!r}; known: string_match, url_match, program_html, state_check"
            )
    if "state_check" in task.eval.eval_types and task.state_check is None:
        raise EvaluationError(f"task {task.task_id}: eval_types names state_check but the task has no state_check")
    if task.state_check is not None:
        if sites is None:
            raise EvaluationError(f"task {task.task_id} has a state_check but no running sites were given")
        checks.append(state_check(task.state_check, sites))
    if not checks:
        raise EvaluationError(f"task {task.task_id}: its eval block checks nothing")
    passed = all(ok for ok, _ in checks)
    return EvalResult(score=1.0 if passed else 0.0, passed=passed, details=[line for _, line in checks])


def normalize(text: str) -> str:
    """Lower-case, trim, and squeeze whitespace, as WebArena's string evaluator does."""
    return re.sub(r"\s+", " ", text.strip().lower()).strip(" .\"'")


def _includes(phrase: str, text: str) -> bool:
    """Whether `text` includes `phrase` or, for WebArena's `a |OR| b`, any alternative."""
    return any(normalize(option) in normalize(text) for option in phrase.split(OR))


def string_match(reference: ReferenceAnswers | None, answer: str | None) -> list[tuple[bool, str]]:
    """WebArena's string_match: exact_match, must_include, fuzzy_match (as must_include), N/A answers."""
    if reference is None:
        raise EvaluationError("string_match needs eval.reference_answers")
    given = answer or ""
    results: list[tuple[bool, str]] = []
    if reference.exact_match is not None:
        ok = normalize(given) == normalize(reference.exact_match)
        results.append((ok, f"string_match exact {reference.exact_match!r} vs answer {given!r}: {'pass' if ok else 'fail'}"))
    for phrase in reference.must_include or []:
        ok = _includes(phrase, given)
        results.append((ok, f"string_match must_include {phrase!r} in answer {given!r}: {'pass' if ok else 'fail'}"))
    fuzzy = reference.fuzzy_match
    if isinstance(fuzzy, str):
        ok = normalize(given) == normalize(fuzzy) if normalize(fuzzy) == "n/a" else _includes(fuzzy, given)
        results.append((ok, f"string_match fuzzy {fuzzy!r} vs answer {given!r}: {'pass' if ok else 'fail'}"))
    for phrase in fuzzy if isinstance(fuzzy, list) else []:
        ok = _includes(phrase, given)
        results.append((ok, f"string_match fuzzy (as must_include) {phrase!r} in answer {given!r}: {'pass' if ok else 'fail'}"))
    if not results:
        raise EvaluationError("string_match found no exact_match, must_include or fuzzy_match reference")
    return results


def url_match(reference_url: str | None, current_url: str) -> tuple[bool, str]:
    """WebArena's url_match: same path, and every reference query parameter present with its value."""
    if not reference_url:
        raise EvaluationError("url_match needs eval.reference_url")
    current = urlparse(current_url)
    current_query = parse_qs(current.query)
    for option in reference_url.split(OR):
        wanted = urlparse(option.strip())
        same_place = (wanted.netloc, wanted.path.rstrip("/")) == (current.netloc, current.path.rstrip("/"))
        same_query = all(
            set(values) <= set(current_query.get(key, [])) for key, values in parse_qs(wanted.query).items()
        )
        if same_place and same_query:
            return True, f"url_match {current_url} matches {option.strip()}: pass"
    return False, f"url_match {current_url} does not match {reference_url}: fail"


async def program_html(check: ProgramHtmlCheck, env: PlaywrightEnv) -> tuple[bool, str]:
    """WebArena's program_html: open `url` (or stay on the last page), read `locator`, compare.

    The locator is a JS expression (`document.querySelector(...).outerText`) or
    empty for the whole page's text. Other URLs open in a new tab of the same
    context so the agent's page is left as it was.
    """
    from playwright.async_api import Error as PlaywrightError

    page = env.page
    opened = None
    try:
        if check.url != "last":
            opened = page = await env.page.context.new_page()
            await page.goto(check.url)
        locator = check.locator.strip()
        if locator.startswith("func:"):
            raise EvaluationError(f"program_html locator {locator!r}: WebArena's func: locators (Python functions of its evaluator) are not supported")
        try:
            content = await page.evaluate(f"() => {locator}") if locator else await page.inner_text("body")
        except PlaywrightError as exc:
            content = ""
            where = f"program_html {locator!r} on {page.url} failed: {str(exc).splitlines()[0]}"
            return False, where + ": fail"
    finally:
        if opened is not None:
            await opened.close()
    text = "" if content is None else str(content)
    wanted = check.required_contents
    problems = []
    if wanted.exact_match is not None and normalize(text) != normalize(wanted.exact_match):
        problems.append(f"expected exactly {wanted.exact_match!r}")
    problems += [f"missing {phrase!r}" for phrase in wanted.must_include or [] if not _includes(phrase, text)]
    shown = text if len(text) <= 120 else text[:117] + "..."
    verdict = "fail: " + "; ".join(problems) if problems else "pass"
    return not problems, f"program_html {locator or 'body text'} at {check.url} = {shown!r}: {verdict}"


def state_check(check: StateCheck, sites: RunningSites) -> tuple[bool, str]:
    """Our backend-state check: the SQL's rows on the site's database equal the expected rows."""
    conn = sites.db(check.site)
    try:
        rows = [[_comparable(value) for value in row] for row in conn.execute(check.sql).fetchall()]
    finally:
        conn.close()
    expected = [[_comparable(value) for value in row] for row in check.expected]
    ok = rows == expected
    return ok, f"state_check on {check.site}: {check.sql} -> {rows}, expected {expected}: {'pass' if ok else 'fail'}"


def _comparable(value: Any) -> Any:
    """Round floats so money sums compare equal."""
    return round(value, 2) if isinstance(value, float) else value
