"""Task configs in WebArena's format: loading, placeholders, errors, and our shipped set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentc.envs.web.actions import parse_action
from agentc.envs.web.tasks import (
    TaskLoadError,
    WebTask,
    default_tasks_path,
    load_tasks,
    sites_url_map,
)

DATA = Path(__file__).parent / "data"
WEBARENA_MAP = {
    "shopping_admin": "http://my-webarena:7780/admin",
    "reddit": "http://my-webarena:9999",
    "gitlab": "http://my-webarena:8023",
}
OUR_MAP = {"shop": "http://127.0.0.1:1", "forum": "http://127.0.0.1:2", "admin": "http://127.0.0.1:3"}


def test_webarena_configs_parse_and_map_to_a_deployment() -> None:
    tasks = load_tasks(DATA / "webarena_sample.json", WEBARENA_MAP)
    assert [t.task_id for t in tasks] == [7001, 7002]
    first, second = tasks
    assert first.start_url == "http://my-webarena:7780/admin"
    assert first.eval.reference_answers.exact_match == "Sample Yoga Band"
    assert first.model_extra["intent_template_id"] == 279, "WebArena's extra fields are kept"
    assert second.eval.reference_url == "http://my-webarena:9999/f/books"
    assert second.eval.program_html[0].required_contents.must_include[1] == "March 15th |OR| 3/15"
    assert second.eval.reference_answers is None
    assert json.loads(second.model_dump_json())["storage_state"] == "./.auth/reddit_state.json"


def test_single_config_directory_and_jsonl(tmp_path: Path) -> None:
    one = load_tasks(DATA / "webarena_one_task.json", WEBARENA_MAP)
    assert one[0].start_url == "http://my-webarena:8023/explore"
    assert [t.task_id for t in load_tasks(DATA, WEBARENA_MAP)] == [7003, 7001, 7002]
    lines = [json.dumps(raw) for raw in json.loads((DATA / "webarena_sample.json").read_text())]
    (tmp_path / "tasks.jsonl").write_text("\n".join(lines) + "\n")
    assert [t.task_id for t in load_tasks(tmp_path / "tasks.jsonl", WEBARENA_MAP)] == [7001, 7002]


def test_errors_name_the_file_and_task(tmp_path: Path) -> None:
    with pytest.raises(TaskLoadError, match=r"webarena_one_task.json \(config, task_id 7003\): no URL for placeholder '__GITLAB__'"):
        load_tasks(DATA / "webarena_one_task.json", {"reddit": "http://x"})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([{"task_id": 9, "intent": "x", "start_url": "__SHOP__", "eval": {}}]))
    with pytest.raises(TaskLoadError, match=r"broken.json \(item 0, task_id 9\): eval.eval_types: Field required"):
        load_tasks(broken, OUR_MAP)
    (tmp_path / "bad.jsonl").write_text('{"task_id": 1}\n{not json\n')
    with pytest.raises(TaskLoadError, match=r"bad.jsonl, line 2: not valid JSON"):
        load_tasks(tmp_path / "bad.jsonl", OUR_MAP)
    with pytest.raises(TaskLoadError, match="no such task file"):
        load_tasks(tmp_path / "missing.json", OUR_MAP)
    (tmp_path / "empty").mkdir()
    with pytest.raises(TaskLoadError, match="holds no"):
        load_tasks(tmp_path / "empty", OUR_MAP)


def test_our_placeholders_and_webarena_aliases_resolve_alike() -> None:
    raw = {"task_id": 1, "intent": "x", "start_url": "__SHOPPING__/cart", "eval": {"eval_types": ["url_match"], "reference_url": "__SHOP__/cart"}, "oracle": ['goto("{shop}/cart")']}
    task = WebTask.model_validate(raw).resolved(sites_url_map(OUR_MAP))
    assert task.start_url == task.eval.reference_url == "http://127.0.0.1:1/cart"
    assert task.oracle == ['goto("http://127.0.0.1:1/cart")']


def test_shipped_task_set_covers_every_kind_of_task() -> None:
    tasks = load_tasks(default_tasks_path(), OUR_MAP)
    assert len(tasks) >= 60
    assert len({t.task_id for t in tasks}) == len(tasks)
    assert {site for t in tasks for site in t.sites} == {"shop", "forum", "admin"}
    kinds = {kind for t in tasks for kind in t.eval.eval_types}
    assert kinds == {"string_match", "url_match", "program_html", "state_check"}
    answers = [t.eval.reference_answers for t in tasks if t.eval.reference_answers]
    assert sum(1 for a in answers if a.fuzzy_match == "N/A") >= 5, "unachievable tasks answer N/A"
    assert any("Next" in t.intent or sum("click" in s for s in t.oracle) >= 3 for t in tasks)
    assert sum(1 for t in tasks if t.state_check is not None) >= 10, "forms checked in the backend"
    assert any("Galactic Toaster" in t.intent for t in tasks), "a failed search"
    for task in tasks:
        assert task.oracle and task.start_url.startswith("http://127.0.0.1:")
        assert all(parse_action(step) for step in task.oracle)
        assert parse_action(task.oracle[-1]).name == "exit"
