"""Ctrl-C stops `agentc eval web` cleanly, and a browser that dies is relaunched.

Ctrl-C in a terminal sends SIGINT to the whole foreground process group.
Before, that killed Chromium under the running task (Playwright closes the
browser on SIGINT by default) and the runner recorded the remaining tasks as
failed. Now the finished results are kept, nothing is recorded for tasks not
run, the exit status is 130, and a re-run resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.tasks import default_tasks_path, load_tasks
from agentc.evals.web.items import deferred_url_map, task_items
from agentc.evals.web.options import WebEvalOptions
from agentc.evals.web.worker import run_local

AGENTC = str(Path(sys.executable).parent / "agentc")


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.usefixtures("ctrl_c_delivered")
def test_ctrl_c_keeps_finished_results_records_nothing_else_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "run"
    results = out / "results.jsonl"
    command = [AGENTC, "eval", "web", "--agent", "oracle", "--limit", "6", "--out", str(out)]
    # a session of its own, so SIGINT to its process group is what a terminal's Ctrl-C sends
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not _lines(results) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _lines(results), "no task finished before the interrupt"
        os.killpg(run.pid, signal.SIGINT)
        output, _ = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    text = output.decode(errors="replace")
    assert run.returncode == 130, text
    assert "interrupted" in text and "re-run with the same --out" in " ".join(text.split())
    kept = _lines(results)
    assert 1 <= len(kept) < 6, text
    assert all(line["error"] is None and line["passed"] for line in kept), kept

    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(kept)} already in" in again.stdout
    final = _lines(results)
    assert len(final) == 6 and len({line["key"] for line in final}) == 6 and all(line["passed"] for line in final)


def _kill_browser() -> int:
    """Kill the Chromium this test process started (found among its own descendants); its pid."""
    for child in psutil.Process().children(recursive=True):
        if "--remote-debugging-pipe" in " ".join(child.cmdline()) and child.parent().pid not in {
            c.pid for c in psutil.Process().children(recursive=True) if "--remote-debugging-pipe" in " ".join(c.cmdline())
        }:
            child.kill()
            child.wait(10)
            return child.pid
    raise AssertionError("no Chromium among this process's children")


async def test_a_browser_that_died_is_relaunched_for_the_next_task() -> None:
    tasks = load_tasks(default_tasks_path(), deferred_url_map())[:2]
    items = task_items(tasks)
    played: list[str] = []

    def kill_after_first(outcome) -> None:  # the browser dies between tasks, as after a crash
        played.append(outcome.result.key)
        if len(played) == 1:
            _kill_browser()

    outcomes = await run_local(items, WebEvalOptions(agent="oracle"), workers=1, on_outcome=kill_after_first)
    assert [o.result.passed for o in outcomes] == [True, True], [o.result for o in outcomes]

    async with await PlaywrightEnv.launch() as env:
        _kill_browser()
        for _ in range(100):  # Playwright learns of the death from the closed pipe, a moment later
            if not env.alive:
                break
            await asyncio.sleep(0.05)
        assert not env.alive
        obs = await env.reset("about:blank")
        assert env.alive and obs.url == "about:blank"
