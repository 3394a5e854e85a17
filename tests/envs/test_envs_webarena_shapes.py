"""Config records in the shapes the public WebArena and WebArena-Lite files use.

Each record below is written the way those files write it (field names and
value shapes, not their data): `must_include` as one string, `fuzzy_match`
as "N/A", program_html checks behind `func:` URLs, a `start_url` that opens
two sites, and `sites` naming a site that has no URL in the map.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentc.envs.web.evaluators import string_match
from agentc.envs.web.tasks import read_tasks

RECORDS = [
    {
        "sites": ["shopping_admin"], "task_id": 11, "require_login": True,
        "storage_state": "./.auth/shopping_admin_state.json", "start_url": "__SHOPPING_ADMIN__",
        "geolocation": None, "intent_template": "Tell me the total number of {{status}} reviews",
        "instantiation_dict": {"status": "approved"}, "intent": "Tell me the total number of approved reviews",
        "require_reset": False, "intent_template_id": 1,
        "eval": {"eval_types": ["string_match"], "reference_answers": {"must_include": "346"},
                 "reference_url": "", "program_html": [], "string_note": "", "reference_answer_raw_annotation": "346"},
    },
    {
        "sites": ["shopping"], "task_id": 12, "require_login": True, "storage_state": "./.auth/shopping_state.json",
        "start_url": "__SHOPPING__", "geolocation": None, "intent_template": "What is the {{field}} of {{person}}?",
        "instantiation_dict": {"field": "phone number", "person": "the CEO"},
        "intent": "What is the phone number of the CEO?", "require_reset": False, "intent_template_id": 2,
        "eval": {"eval_types": ["string_match"], "reference_answers": {"fuzzy_match": "N/A"}, "reference_url": "",
                 "program_html": [], "string_note": "", "reference_answer_raw_annotation": "N/A"},
    },
    {
        "sites": ["reddit"], "task_id": 13, "require_login": True, "storage_state": "./.auth/reddit_state.json",
        "start_url": "__REDDIT__", "geolocation": None, "intent_template": "Reply to {{post}} with '{{text}}'",
        "instantiation_dict": {"post": "the first post", "text": "thanks"},
        "intent": "Reply to the first post with 'thanks'", "require_reset": False, "intent_template_id": 3,
        "eval": {"eval_types": ["program_html"], "reference_answers": None, "reference_url": "",
                 "program_html": [{"url": "func:reddit_get_post_url('__last_url__')",
                                   "locator": "document.querySelector('.comment__body').outerText",
                                   "required_contents": {"must_include": "thanks"}}],
                 "url_note": "GOLD in PRED"},
    },
    {
        "sites": ["gitlab", "wikipedia"], "task_id": 14, "require_login": True,
        "storage_state": "./.auth/gitlab_state.json", "start_url": "__GITLAB__ |AND| __WIKIPEDIA__",
        "geolocation": None, "intent_template": "Find {{thing}}", "instantiation_dict": {"thing": "a repo"},
        "intent": "Find a repo", "require_reset": False, "intent_template_id": 4,
        "eval": {"eval_types": ["string_match"],
                 "reference_answers": {"fuzzy_match": ["a repo"]}, "reference_url": "", "program_html": []},
    },
]
DEPLOYED = {"shopping": "http://my-host:7770", "shopping_admin": "http://my-host:7780/admin", "reddit": "http://my-host:9999"}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "webarena_lite.json"
    path.write_text(json.dumps(RECORDS))
    return path


def test_every_shape_loads_and_a_single_must_include_is_a_list(config: Path) -> None:
    tasks = {t.task_id: t for t in read_tasks(config)}
    assert sorted(tasks) == [11, 12, 13, 14]
    assert tasks[11].eval.reference_answers.must_include == ["346"]
    assert tasks[12].eval.reference_answers.fuzzy_match == "N/A"
    assert tasks[13].eval.program_html[0].required_contents.must_include == ["thanks"]
    assert tasks[14].eval.reference_answers.fuzzy_match == ["a repo"]
    assert tasks[11].eval.model_extra["reference_answer_raw_annotation"] == "346", "extra fields are kept"


def test_the_shapes_score_as_webarena_scores_them(config: Path) -> None:
    tasks = {t.task_id: t for t in read_tasks(config)}
    assert all(ok for ok, _ in string_match(tasks[11].eval.reference_answers, "There are 346 approved reviews"))
    assert not any(ok for ok, _ in string_match(tasks[11].eval.reference_answers, "There are 34 reviews"))
    assert all(ok for ok, _ in string_match(tasks[12].eval.reference_answers, "N/A"))
    assert not any(ok for ok, _ in string_match(tasks[12].eval.reference_answers, "555-0100"))


def test_unmapped_sites_are_named_per_task_and_mapped_tasks_resolve(config: Path) -> None:
    tasks = {t.task_id: t for t in read_tasks(config)}
    assert tasks[14].unmapped_sites(DEPLOYED) == ["gitlab", "wikipedia"]
    assert tasks[14].unmapped_sites({**DEPLOYED, "gitlab": "http://my-host:8023"}) == ["wikipedia"]
    for task_id in (11, 12, 13):
        assert tasks[task_id].unmapped_sites(DEPLOYED) == []
    assert tasks[11].resolved(DEPLOYED).start_url == "http://my-host:7780/admin"
    assert tasks[13].resolved(DEPLOYED).eval.program_html[0].url == "func:reddit_get_post_url('__last_url__')"
    both = tasks[14].resolved({"gitlab": "http://g", "wikipedia": "http://w"})
    assert both.start_url == "http://g |AND| http://w"


def test_a_placeholder_of_an_unlisted_site_counts_as_unmapped(config: Path) -> None:
    task = read_tasks(config)[0].model_copy(update={"start_url": "__MAP__/search"})
    assert task.unmapped_sites(DEPLOYED) == ["map"]
