"""agentc tools, and an agent over them, as an MCP server.

    agentc mcp serve --tools mytools                         # stdio: an MCP client starts it
    agentc mcp serve --tools mytools --http 127.0.0.1:8000   # streamable HTTP at http://127.0.0.1:8000/mcp

Every tool becomes an MCP tool with its own JSON schema, description and
hints (a `side_effects` tool is not read-only, an `idempotent` one says
so: a client that asks before acting goes by them). Calls run through
agentc's `ToolExecutor`, so the tool's timeout, retries and concurrency
limits hold for MCP clients too; an unknown argument is refused, and a
failed call comes back as an MCP error result with agentc's message. The
`ask` tool answers a question with an agentc agent that plans calls to
those tools and runs them in parallel; its model is built on the first
question (the bundled local model unless `--model`/`--base-url` say
otherwise), so listing and calling the tools never loads one.

`mcp_server` builds the server for use from Python; the SDK's `MCPServer`
it returns runs with `.run()` or `.run("streamable-http", host=, port=)`.
The other direction, an agentc agent using MCP servers' tools, is
`agentc.tools.mcp`.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Callable, Iterable, Optional

import typer
from pydantic import ConfigDict
from pydantic_core import to_json, to_jsonable_python

from agentc.agent import Agent
from agentc.backends import BackendOptions, build_backend, server_grammars
from agentc.cli_options import TOOLS_OPTION, backend_options, load_tools, reported_errors
from agentc.errors import AgentcError, ToolDefinitionError, ToolError, describe
from agentc.executor import ToolExecutor
from agentc.tools import Tool, ToolRegistry

try:
    import mcp_types
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError as MCPToolError
    from mcp.server.mcpserver.tools import Tool as MCPTool
except ImportError as exc:  # the SDK is an optional extra
    raise ImportError(f"serving over MCP needs the mcp extra ({exc}); install it with: pip install 'agentc[mcp]'") from exc

ASK = "ask"
"""The name of the tool that runs an agent over the served tools."""


def mcp_server(
    tools: Iterable[Any],
    *,
    ask: Agent | Callable[[], Agent] | None = None,
    name: str = "agentc",
    tool_timeout: float | None = 60.0,
    log_level: str = "WARNING",
) -> MCPServer:
    """An MCP server with `tools` (anything `ToolRegistry` takes) and, when
    `ask` is given, an `ask` tool run by that agent. `ask` may be a function
    that builds the agent: it is called once, on the first question, in a
    thread (loading a local model takes seconds)."""
    registry = tools if isinstance(tools, ToolRegistry) else ToolRegistry(tools)
    executor = ToolExecutor(default_timeout=tool_timeout)
    served = [_served_tool(item, executor) for item in registry]
    if ask is not None:
        if ASK in registry:
            raise ToolDefinitionError(
                f"a served tool is named {ASK!r} ({registry[ASK].source}), the name of the agent's own tool; "
                "rename it with @tool(name=...) or serve without the agent (--no-ask)"
            )
        served.append(_ask_tool(ask, registry))
    return MCPServer(name, tools=served, log_level=log_level)  # type: ignore[arg-type]


def _served_tool(tool: Tool, executor: ToolExecutor) -> MCPTool:
    """`tool` as the SDK's tool: its schema as the input schema, its calls
    through `executor`, its errors as MCP error results."""

    async def call(**arguments: Any) -> Any:
        try:
            result, _ = await executor.call(tool, arguments)
        except ToolError as exc:
            raise MCPToolError(str(exc)) from exc
        if isinstance(result, dict):  # an object travels as structured content too, so it stays a value
            structured = to_jsonable_python(result, fallback=str)
            text = to_json(structured, indent=2).decode()
            return mcp_types.CallToolResult(content=[mcp_types.TextContent(type="text", text=text)], structured_content=structured)
        return result

    call.__name__ = tool.name
    call.__signature__ = _signature(tool)  # type: ignore[attr-defined]
    hints = mcp_types.ToolAnnotations(
        read_only_hint=not tool.side_effects, destructive_hint=tool.side_effects, idempotent_hint=tool.idempotent
    )
    made = MCPTool.from_function(call, name=tool.name, description=tool.description, annotations=hints, structured_output=False)
    loose = made.fn_metadata.arg_model
    strict = type(loose.__name__, (loose,), {"model_config": ConfigDict(**loose.model_config, extra="forbid")})
    checks = made.fn_metadata.model_copy(update={"arg_model": strict})  # an unknown argument is an error, not dropped
    return made.model_copy(update={"parameters": tool.parameters_schema(), "fn_metadata": checks})


def _signature(tool: Tool) -> inspect.Signature:
    """The keyword parameters of `tool`'s argument model, which the SDK
    reads to accept and pass on a call's arguments."""
    parameters = []
    for field_name, field in tool.args_model.model_fields.items():
        default = inspect.Parameter.empty if field.is_required() else field.get_default(call_default_factory=True)
        parameters.append(
            inspect.Parameter(field.alias or field_name, inspect.Parameter.KEYWORD_ONLY, annotation=field.annotation, default=default)
        )
    return inspect.Signature(parameters)


def _ask_tool(ask: Agent | Callable[[], Agent], registry: ToolRegistry) -> MCPTool:
    """The `ask` tool: `ask`'s agent answers a question with `registry`'s
    tools. It may call any of them, so it is read-only only when they all
    are: a client that asks before acting asks before this."""
    agents: list[Agent] = [ask] if isinstance(ask, Agent) else []
    building = asyncio.Lock()

    async def agent() -> Agent:
        async with building:
            if not agents:
                try:
                    agents.append(await asyncio.to_thread(ask))  # type: ignore[arg-type]
                except Exception as exc:  # a model that fails to load, a missing extra: say so to the client
                    raise MCPToolError(f"cannot start the agent: {describe(exc)}") from exc
        return agents[0]

    async def answer(question: str) -> str:
        try:
            result = await (await agent()).arun(question)
        except AgentcError as exc:
            raise MCPToolError(f"no answer: {exc}") from exc
        return result.answer

    description = (
        "Answer a question in plain words: an agentc agent plans calls to this server's tools "
        f"({', '.join(registry.names)}), runs the independent ones in parallel, and answers from their results."
    )
    acts = any(item.side_effects for item in registry)
    hints = mcp_types.ToolAnnotations(read_only_hint=not acts, destructive_hint=acts, open_world_hint=True)
    return MCPTool.from_function(answer, name=ASK, description=description, annotations=hints, structured_output=False)


mcp_app = typer.Typer(help="MCP (Model Context Protocol): serve agentc tools to MCP clients.", no_args_is_help=True)


@mcp_app.callback()
def mcp_commands() -> None:
    """MCP (Model Context Protocol): serve agentc tools to MCP clients;
    `agentc run --mcp "CMD"` goes the other way and uses an MCP server's tools."""


@mcp_app.command("serve")
@backend_options
def serve(
    tools: list[str] = TOOLS_OPTION,
    http: Optional[str] = typer.Option(
        None, "--http", metavar="HOST:PORT", help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio"
    ),
    ask: bool = typer.Option(True, "--ask/--no-ask", help="add the `ask` tool: an agentc agent over the served tools"),
    max_replans: int = typer.Option(2, "--max-replans", min=0),
    *,
    backend: BackendOptions,
) -> None:
    """Serve tools (--tools, else the built-in demo tools) as an MCP server, over stdio unless --http."""
    from rich.console import Console

    console = Console(stderr=True)  # stdout carries the protocol on stdio
    address = _host_port(http) if http else None
    with reported_errors(console):
        if tools:
            registry = ToolRegistry(item for spec in tools for item in load_tools(spec))
        else:
            from agentc.tools.builtin import demo_tools

            registry = ToolRegistry(demo_tools())

        def agent() -> Agent:
            from agentc.tools.builtin import examples_for

            llm = build_backend(backend).llm
            examples = [] if getattr(llm, "tuned", False) else examples_for(registry.names)
            return Agent(
                llm, registry, max_replans=max_replans, examples=examples, constrain=backend.grammar, **server_grammars(llm)
            )

        server = mcp_server(registry, ask=agent if ask else None)
    if address is None:
        server.run()
        return
    host, port = address
    console.print(f"agentc MCP server: http://{host}:{port}/mcp · tools: {', '.join(registry.names)}")
    server.run("streamable-http", host=host, port=port)


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise typer.BadParameter(f"--http {text!r} is not HOST:PORT (for example 127.0.0.1:8000)")
    return host.strip("[]"), int(port)


if __name__ == "__main__":
    mcp_app()
