"""MCP servers' tools as agentc tools: a real server written with the SDK,
started over stdio and over streamable HTTP, called from agent plans."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from agentc import Agent, ToolDefinitionError, ToolError
from agentc.llm import ScriptedLLM
from agentc.tools.mcp import MCPTools, open_mcp_tools


def by_name(tools):
    return {t.name: t for t in tools}


def is_gone(pid: int) -> bool:
    """Whether no process `pid` exists any more (not even a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_stdio_tools_come_with_their_schemas_and_hints(sample_server):
    async with MCPTools(sample_server) as tools:
        found = by_name(tools)
        assert set(found) == {"get_weather", "add", "fail", "meet", "pid"}
        weather = found["get_weather"]  # listed as get-weather: plans call it get_weather
        assert weather.parameters_schema() == {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "default": "C"}},
            "required": ["city"],
        }
        assert weather.description.startswith("Current weather of a city.")
        assert weather.signature() == "get_weather(city: str, unit: str = 'C')"
        assert (weather.side_effects, weather.idempotent) == (False, True)  # read-only and idempotent hints
        assert found["add"].side_effects  # no read-only hint: it may act
        assert weather.source.endswith("sample_mcp_server.py:get-weather")
        assert found["add"].json_schema()["function"]["parameters"]["required"] == ["a", "b"]


async def test_a_plan_calls_mcp_tools_in_parallel_and_a_failure_is_an_error_observation(sample_server):
    plan = (
        '1. get_weather(city="Paris")\n'
        '2. meet(name="first")\n'
        '3. meet(name="second")\n'
        '4. fail(reason="the disk is full")\n'
        "5. add(a=$1, b=1)\n"
        "6. join()\n<END_OF_PLAN>"
    )
    llm = ScriptedLLM([plan, "Thought: one call failed.\nAction: Finish(done)"])
    async with MCPTools(shlex.join(sample_server)) as tools:
        result = await Agent(llm, tools, max_replans=0).arun("q")
    tasks = {t.idx: t for t in result.trace.tasks}
    assert result.answer == "done"
    assert tasks[1].observation == '{\n  "city": "Paris",\n  "temp": 15,\n  "unit": "C"\n}'
    # each meet call waits (up to 5 s) for the other one to be in progress on the server at the same time
    assert sorted(tasks[2].observation) == sorted(tasks[3].observation) == ["first", "second"]
    assert tasks[4].status == "error" and "the disk is full" in tasks[4].error
    assert "fail" in tasks[4].error and "sample_mcp_server.py" in tasks[4].error
    assert tasks[5].status == "error" and "valid integer" in tasks[5].error  # a text result is no number
    joiner_prompt = llm.calls[1][1].content
    assert "the disk is full" in joiner_prompt


async def test_streamable_http_tools_pass_values_between_tasks(sample_server, serve_mcp_http):
    url = serve_mcp_http(lambda port: [*sample_server, "--http", str(port)])
    llm = ScriptedLLM(["1. add(a=1, b=2)\n2. add(a=$1, b=10)\n3. join($2)\n<END_OF_PLAN>"])
    async with MCPTools(url) as tools:
        assert by_name(tools)["add"].source == f"mcp:{url}:add"
        result = await Agent(llm, tools).arun("1 + 2 + 10?")
    assert [t.observation for t in result.trace.tasks] == [3, 13]  # structured content: numbers stay numbers
    assert result.answer == "13"


def test_sync_code_uses_the_tools_and_closing_stops_the_server(sample_server):
    llm = ScriptedLLM(["1. pid()\n2. join($1)\n<END_OF_PLAN>", "1. add(a=2, b=3)\n2. join($1)\n<END_OF_PLAN>"])
    with MCPTools(sample_server) as tools:
        agent = Agent(llm, tools)
        pid = int(agent.run("which process?").answer)
        assert agent.run("2 + 3?").answer == "5"  # a second run (and event loop) reuses the one session
        assert not is_gone(pid)
    assert is_gone(pid)
    with pytest.raises(ToolError, match="is closed"):
        asyncio.run(by_name(tools)["add"].ainvoke({"a": 1, "b": 2}))


def test_ctrl_c_inside_the_block_stops_the_server(sample_server):
    servers = MCPTools(sample_server)
    with pytest.raises(KeyboardInterrupt):
        with servers as tools:
            pid = asyncio.run(by_name(tools)["pid"].ainvoke({}))
            raise KeyboardInterrupt
    assert is_gone(pid)


async def test_a_cancelled_run_stops_the_server(sample_server):
    pids: list[int] = []
    entered = asyncio.Event()

    async def use_tools() -> None:
        async with MCPTools(sample_server) as tools:
            pids.append(await by_name(tools)["pid"].ainvoke({}))
            entered.set()
            await by_name(tools)["meet"].ainvoke({"name": "alone", "expected": 99})

    task = asyncio.create_task(use_tools())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert is_gone(pids[0])


async def test_two_servers_and_a_prefix(sample_server, serve_mcp_http):
    url = serve_mcp_http(lambda port: [*sample_server, "--http", str(port)])
    async with MCPTools(sample_server, url, prefix="remote_") as tools:
        names = [t.name for t in tools]
    assert names.count("remote_add") == 2 and "add" not in names
    assert {t.source for t in tools if t.name == "remote_add"} == {f"mcp:{shlex.join(sample_server)}:add", f"mcp:{url}:add"}


def test_servers_that_cannot_be_used_are_named_in_the_error(closed_port):
    with pytest.raises(ToolDefinitionError, match="no_such_mcp_program.*No such file"):
        MCPTools("no_such_mcp_program --flag").start()
    with pytest.raises(ToolDefinitionError, match=f"127.0.0.1:{closed_port}.*ConnectError"):
        MCPTools(f"http://127.0.0.1:{closed_port}/mcp").start()
    with pytest.raises(ToolDefinitionError, match="Connection closed"):
        MCPTools([sys.executable, "-c", "pass"]).start()


def test_command_line_options_become_servers():
    servers = open_mcp_tools(["python server.py --root '/my files'"], ["http://127.0.0.1:8000/mcp"])
    assert [getattr(t, "args", t) for t in servers.targets] == [["server.py", "--root", "/my files"], "http://127.0.0.1:8000/mcp"]
    with open_mcp_tools([], []) as none:
        assert none == []
    with pytest.raises(ValueError, match="not an http"):
        open_mcp_tools([], ["127.0.0.1:8000/mcp"])


def test_the_example_plans_with_the_bundled_model_and_looks_up_in_parallel():
    example = Path(__file__).parents[2] / "examples" / "mcp" / "use_mcp_tools.py"
    done = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "tool get_temperature(city: str)" in done.stdout
    lookups = [line for line in done.stdout.splitlines() if line.startswith("$") and "get_temperature" in line]
    assert [line.split(" = ")[1].split()[0] for line in lookups] == ["17.0", "-3.5"], done.stdout
    (start1, end1), (start2, end2) = [map(float, line.rsplit("ran ", 1)[1].removesuffix(" s").split("-", 1)) for line in lookups]
    assert start2 < end1 and start1 < end2  # the two 2 s lookups overlapped over the one session
    answer = done.stdout.rstrip().splitlines()[-1]
    assert answer.startswith("Answer:") and "17" in answer and "-3.5" in answer


def test_a_program_that_is_no_mcp_server_times_out_with_a_clear_error():
    silent = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(ToolDefinitionError, match="no MCP answer within 0.5 s"):
        MCPTools(silent, open_timeout=0.5).start()


def test_agentc_run_adds_the_tools_of_an_mcp_server_and_closes_it(sample_server, chat_server, tmp_path):
    url = chat_server(["1. add(a=2, b=40)\n2. pid()\n3. join()\n<END_OF_PLAN>", "Thought: done.\nAction: Finish(the sum is 42)"])
    trace = tmp_path / "trace.json"
    command = [sys.executable, "-m", "agentc.cli", "run", "What is 2 + 40?", "--no-builtin", "--no-plugins"]
    command += ["--mcp", shlex.join(sample_server), "--base-url", url, "--model-name", "m", "--trace", str(trace)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tools: get_weather, add, fail, meet, pid" in done.stdout
    assert "Answer: the sum is 42" in done.stdout
    import json

    tasks = {t["tool"]: t for t in json.loads(trace.read_text())["tasks"]}
    assert tasks["add"]["observation"] == 42
    assert is_gone(int(tasks["pid"]["observation"]))  # the server was closed when the command ended


def test_agentc_run_refuses_an_mcp_url_that_is_not_http(chat_server):
    command = [sys.executable, "-m", "agentc.cli", "run", "hi", "--mcp-url", "127.0.0.1:9/mcp", "--base-url", chat_server(["x"])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "300"})
    assert done.returncode == 2
    assert "not an http:// or https:// URL" in done.stdout + done.stderr
