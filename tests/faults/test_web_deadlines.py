"""A page whose script never yields (`while(true){}`) cannot hang a step, a task or a run.

Before, `env.step` on such a page waited forever, and with it the whole eval
run. Now a step has a deadline (the stuck page is closed and the episode
ends), a task has a deadline, the task is recorded as timed out and the run
goes on with the next task in the same browser.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agentc.envs.web.browser import PlaywrightEnv
from agentc.envs.web.tasks import WebTask
from agentc.evals.web.items import task_items
from agentc.evals.web.options import WebEvalOptions
from agentc.evals.web.worker import run_local

GUARD_S = 40.0
"""How long a test waits before calling the old behaviour a hang."""

PAGES = {
    "/": "<title>Fine</title><p>a calm page</p><button>nothing</button>",
    "/busy": "<title>Busy</title><p>a page with a trap</p><button onclick='while(true){}'>spin</button>",
}


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """A local site; `/slow` answers after 10 s (a start page that never finishes loading), `/slowish` after 1.5 s."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/slow":
                time.sleep(10)
            if self.path == "/slowish":
                time.sleep(1.5)
            data = PAGES.get(self.path, "<p>slow at last</p>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


async def test_a_busy_script_ends_the_step_at_its_deadline_and_the_browser_goes_on(site: str) -> None:
    async with await PlaywrightEnv.launch() as env:
        env.step_timeout = 3.0
        obs = await env.reset(site + "/busy")
        began = time.perf_counter()
        stuck = await asyncio.wait_for(env.step(f"click({_id(obs.text, 'spin')})"), GUARD_S)
        assert time.perf_counter() - began < 3.0 + 6.0
        assert stuck.done and stuck.error and "did not finish within 3 s" in stuck.error and "closed" in stuck.error
        assert env.timed_out
        again = await asyncio.wait_for(env.step("click(1)"), 5)
        assert again.done and "page was closed" in (again.error or "")
        fresh = await asyncio.wait_for(env.reset(site + "/"), GUARD_S)
        assert fresh.title == "Fine" and not env.timed_out


def _task(task_id: str, path: str, oracle: list[str]) -> WebTask:
    return WebTask.model_validate(
        {
            "task_id": task_id,
            "sites": ["local"],
            "intent": "press the button",
            "start_url": "__LOCAL__" + path,
            "eval": {"eval_types": ["string_match"], "reference_answers": {"exact_match": "done"}},
            "oracle": oracle,
        }
    )


async def test_a_stuck_task_is_recorded_as_timed_out_and_the_run_continues(site: str) -> None:
    tasks = [
        _task("busy", "/busy", ["click(1)", 'exit("done")']),
        _task("slow", "/slow", ['exit("done")']),
        _task("long", "/", ['goto("__LOCAL__/slowish")'] * 5 + ['exit("done")']),
        _task("calm", "/", ['exit("done")']),
    ]
    options = WebEvalOptions(agent="oracle", url_map={"local": site}, step_timeout=2.0, task_timeout=4.0)
    began = time.perf_counter()
    outcomes = await asyncio.wait_for(run_local(task_items(tasks), options, workers=1), 3 * GUARD_S)
    assert time.perf_counter() - began < 30
    busy, slow, long, calm = (o.result for o in outcomes)
    assert busy.stop_reason == "timeout" and not busy.passed and busy.error is None
    assert "did not finish within 2 s" in busy.details[0]
    assert outcomes[0].run is not None and outcomes[0].run.stop_reason == "timeout"
    assert slow.stop_reason == "timeout" and not slow.passed and slow.error is None
    assert "start page" in slow.details[0] and "did not answer within 2 s" in slow.details[0]
    assert long.stop_reason == "timeout" and "the task did not finish within 4 s" in long.details[0]
    assert calm.passed and calm.stop_reason == "exit"


def _id(text: str, label: str) -> int:
    line = next(line for line in text.splitlines() if label in line)
    return int(line.split("]")[0].strip("["))
