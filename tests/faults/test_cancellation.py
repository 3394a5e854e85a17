"""Class 13: stopping a run keeps what it recorded.

An asyncio cancel or a Ctrl-C raises with the partial trace attached;
`agentc run --trace` writes the partial trace on SIGINT and exits at once,
even while a sync tool sleeps; a result that cannot be recorded is an error
observation, not a crashed run.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from agentc import Agent, tool
from agentc.errors import trace_of
from agentc.llm import ScriptedLLM


async def test_an_asyncio_cancel_raises_with_the_partial_trace() -> None:
    started = asyncio.Event()

    @tool
    async def quick() -> str:
        """Returns at once."""
        return "fast"

    @tool
    async def slow() -> str:
        """Waits until cancelled."""
        started.set()
        await asyncio.sleep(60)
        return "never"

    plan = "1. quick()\n2. slow()\n3. join()"
    run = asyncio.create_task(Agent(ScriptedLLM([plan]), [quick, slow]).arun("q"))
    await asyncio.wait_for(started.wait(), 10)
    run.cancel()
    with pytest.raises(asyncio.CancelledError) as stopped:
        await run
    trace = trace_of(stopped.value)
    assert trace is not None, "the cancelled run's trace comes with the error"
    assert trace.plans == [plan]
    assert trace.task(1).status == "done" and trace.task(1).observation == "fast"
    assert trace.task(2).status == "cancelled"
    assert trace.error == "the run was cancelled" and trace.finished_at is not None


@pytest.mark.usefixtures("ctrl_c_delivered")
def test_ctrl_c_in_a_sync_run_raises_keyboard_interrupt_with_the_trace() -> None:
    release = threading.Event()

    @tool
    def nap() -> str:
        """Sends Ctrl-C to this process, then blocks."""
        os.kill(os.getpid(), signal.SIGINT)
        release.wait(30)
        return "late"

    agent = Agent(ScriptedLLM(["1. nap()\n2. join()"]), [nap])
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            agent.run("q")
        assert time.monotonic() - start < 10, "the run does not wait for the blocked tool"
    finally:
        release.set()
    trace = trace_of(stopped.value)
    assert trace is not None and trace.task(1).status == "cancelled"


@pytest.mark.parametrize("kind", ["circular", "str raises", "repr raises"])
async def test_a_result_that_cannot_be_recorded_is_an_error_observation(kind: str) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no text")

        def __repr__(self) -> str:
            if kind == "repr raises":
                raise RuntimeError("no repr")
            return "Unprintable()"

    @tool
    def odd() -> object:
        """Returns something that cannot be written down."""
        if kind == "circular":
            loop: list = [1]
            loop.append(loop)
            return {"items": loop}
        return Unprintable()

    llm = ScriptedLLM(["1. odd()\n2. join()", "Action: Finish(handled)"])
    result = await Agent(llm, [odd], tool_retries=0).arun("q")
    assert result.answer == "handled"
    record = result.trace.task(1)
    assert record.status == "error" and "cannot be recorded" in (record.error or "")
    assert json.loads(result.trace.to_json())["tasks"][0]["status"] == "error"


@pytest.mark.usefixtures("ctrl_c_delivered")
def test_agentc_run_writes_the_partial_trace_on_sigint_and_does_not_wait_for_a_sleeping_tool(
    chat_server, tmp_path: Path
) -> None:
    started = tmp_path / "started"
    (tmp_path / "sleepy_tools.py").write_text(
        textwrap.dedent(
            f'''
            import time
            from agentc import tool

            @tool
            def nap(seconds: float) -> str:
                """Sleeps (a sync tool)."""
                open({str(started)!r}, "w").close()
                time.sleep(seconds)
                return "rested"

            @tool
            def quick() -> str:
                """Returns at once."""
                return "fast"
            '''
        )
    )
    url = chat_server(["1. quick()\n2. nap(60)\n3. join()<END_OF_PLAN>"])
    trace = tmp_path / "trace.json"
    command = [sys.executable, "-m", "agentc.cli", "run", "--base-url", url, "--model-name", "m", "--no-builtin",
               "--no-plugins", "--no-grammar", "--tools", "sleepy_tools", "--trace", str(trace), "q"]
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "AGENTC_API_KEY": "none", "COLUMNS": "200"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "the tool never started"
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=15)  # the tool sleeps 60 s: exiting early proves nothing waits for it
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, output
    assert "interrupted" in output and "Traceback" not in output
    saved = json.loads(trace.read_text())
    assert saved["plans"][0].startswith("1. quick()\n2. nap(60)\n3. join()")
    statuses = {t["idx"]: t["status"] for t in saved["tasks"]}
    assert statuses == {1: "done", 2: "cancelled"}
    assert saved["tasks"][0]["observation"] == "fast"
