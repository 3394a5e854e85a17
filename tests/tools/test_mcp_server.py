"""agentc tools served over MCP (`agentc mcp serve`, `mcp_server`), checked
with the SDK's own client: in process, over stdio and over streamable HTTP."""

from __future__ import annotations

import asyncio
import sys

import pytest
from mcp import Client, StdioServerParameters

from agentc import Agent, ToolDefinitionError, tool
from agentc.llm import ScriptedLLM
from agentc.cli_options import load_tools
from agentc.mcp_server import mcp_server
from agentc.tools.mcp import MCPTools

TOOLS_MODULE = '''
from agentc import tool

@tool
def shout(text: str, times: int = 1) -> str:
    """Shout the text.

    Args:
        text: what to shout
        times: how many times
    """
    return " ".join([text.upper()] * times)

@tool(side_effects=True)
def divide(a: float, b: float) -> float:
    """Divide a by b."""
    return a / b

@tool
def forecast(city: str) -> dict:
    """Tomorrow's weather of a city."""
    return {"city": city, "temp_c": 21}
'''


@pytest.fixture
def tools_file(tmp_path):
    path = tmp_path / "served_tools.py"
    path.write_text(TOOLS_MODULE)
    return path


def serve_command(tools_file, *options: str) -> list[str]:
    return [sys.executable, "-m", "agentc.mcp_server", "serve", "--tools", str(tools_file), *options]


@pytest.fixture
def served(tools_file):
    """The tools of `tools_file`, by name, loaded as `--tools` loads them."""
    return {t.name: t for t in load_tools(str(tools_file))}


async def test_each_tool_is_listed_with_its_own_schema_and_hints(served):
    shout = served["shout"]
    async with Client(mcp_server([shout, served["divide"]])) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    assert set(listed) == {"shout", "divide"}  # no agent given: no ask tool
    assert listed["shout"].input_schema == shout.parameters_schema()
    assert listed["shout"].input_schema["properties"]["text"]["description"] == "what to shout"
    assert listed["shout"].description == shout.description
    assert listed["shout"].annotations.read_only_hint is True
    assert listed["divide"].annotations.destructive_hint is True and listed["divide"].annotations.read_only_hint is False


async def test_calls_run_the_tools_and_failures_are_error_results(served):
    async with Client(mcp_server(served.values())) as client:
        shouted = await client.call_tool("shout", {"text": "hi", "times": 2})
        failed = await client.call_tool("divide", {"a": 1, "b": 0})
        unknown = await client.call_tool("divide", {"a": 1, "b": 2, "c": 3})
    assert not shouted.is_error and shouted.content[0].text == "HI HI"
    assert failed.is_error and "tool 'divide' raised ZeroDivisionError" in failed.content[0].text
    assert unknown.is_error and "c\n  Extra inputs are not permitted" in unknown.content[0].text


async def test_ask_runs_an_agent_over_the_served_tools(served):
    shout = served["shout"]
    plan = '1. shout(text="a")\n2. shout(text="b")\n3. join()\n<END_OF_PLAN>'
    llm = ScriptedLLM([plan, "Thought: both shouted.\nAction: Finish(A and B)"])
    built: list[Agent] = []

    def agent() -> Agent:
        built.append(Agent(llm, [shout]))
        return built[-1]

    async with Client(mcp_server([shout], ask=agent)) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        assert not built  # listing builds no agent (a local model would load here)
        answered = await client.call_tool("ask", {"question": "shout a and b"})
    assert "shout" in listed["ask"].description
    assert not answered.is_error and answered.content[0].text == "A and B"
    assert len(built) == 1 and "Observation: A" in llm.calls[1][1].content


async def test_ask_without_an_answer_is_an_error_result(served):
    agent = Agent(ScriptedLLM(["1. fly()\n2. join()"]), served.values(), max_replans=0)
    async with Client(mcp_server(served.values(), ask=agent)) as client:
        answered = await client.call_tool("ask", {"question": "fly"})
    assert answered.is_error and "unknown tool 'fly'" in answered.content[0].text


def test_a_tool_named_ask_clashes_with_the_agent():
    @tool
    def ask(question: str) -> str:
        """Ask."""
        return question

    with pytest.raises(ToolDefinitionError, match="--no-ask"):
        mcp_server([ask], ask=Agent(ScriptedLLM([]), [ask]))
    served = asyncio.run(mcp_server([ask]).list_tools())
    assert [t.name for t in served] == ["ask"]  # without the agent the name is free


async def test_serve_over_stdio_answers_the_sdk_client_and_asks_the_configured_model(tools_file, chat_server):
    url = chat_server(['1. shout(text="hi")\n2. join()\n<END_OF_PLAN>', "Thought: done.\nAction: Finish(they said HI)"])
    command = serve_command(tools_file, "--base-url", url)
    async with Client(StdioServerParameters(command=command[0], args=command[1:])) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        called = await client.call_tool("forecast", {"city": "Oslo"})
        answered = await client.call_tool("ask", {"question": "shout hi"})
    assert set(listed) == {"shout", "divide", "forecast", "ask"}
    assert listed["shout"].input_schema["required"] == ["text"]
    assert called.structured_content == {"city": "Oslo", "temp_c": 21}
    assert not answered.is_error and answered.content[0].text == "they said HI"


async def test_serve_over_http_and_use_it_from_an_agentc_agent(tools_file, serve_mcp_http):
    url = serve_mcp_http(lambda port: serve_command(tools_file, "--no-ask", "--http", f"127.0.0.1:{port}"))
    async with Client(url) as client:
        assert {t.name for t in (await client.list_tools()).tools} == {"shout", "divide", "forecast"}
    plan = '1. forecast(city="Oslo")\n2. shout(text="x", times=2)\n3. divide(a=1, b=0)\n4. join()\n<END_OF_PLAN>'
    llm = ScriptedLLM([plan, "Action: Finish(ok)"])
    async with MCPTools(url) as tools:
        result = await Agent(llm, tools, max_replans=0).arun("q")
        assert {t.name: t.side_effects for t in tools}["divide"] is True
    observed = [t.observation for t in result.trace.tasks]
    assert observed[:2] == [{"city": "Oslo", "temp_c": 21}, "X X"]  # dicts come back as values
    assert "ZeroDivisionError" in result.trace.tasks[2].error


def test_http_address_must_be_host_and_port(tools_file):
    from typer.testing import CliRunner

    from agentc.mcp_server import mcp_app

    result = CliRunner().invoke(mcp_app, ["serve", "--tools", str(tools_file), "--http", "8000"])
    assert result.exit_code != 0 and "HOST:PORT" in result.output


async def test_an_agent_that_cannot_start_is_an_error_result(served):
    def agent() -> Agent:
        raise FileNotFoundError("no model at /nowhere.gguf")

    async with Client(mcp_server(served.values(), ask=agent)) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        answered = await client.call_tool("ask", {"question": "q"})
    assert answered.is_error and "cannot start the agent: FileNotFoundError: no model at /nowhere.gguf" in answered.content[0].text
    assert listed["ask"].annotations.read_only_hint is False  # divide acts, and ask may call it
