"""Use the tools of MCP servers as agentc tools.

An MCP server is reached over stdio (a command this process starts) or
streamable HTTP (a URL); the official `mcp` SDK speaks the protocol. Every
tool the server lists becomes a `Tool` with the server's JSON schema, so the
planner prompt, the plan grammar and the argument checks treat it like any
other tool:

    async with MCPTools("python weather_server.py") as tools:
        result = await Agent(llm, tools).arun("Weather in Paris and Tokyo?")

    with MCPTools("http://127.0.0.1:8000/mcp") as tools:   # sync code
        print(Agent(llm, tools).run("Weather in Paris?").answer)

Each server gets one session, opened when the block starts and shared by
all its tools for the whole block, so the calls of one plan reuse it and run
concurrently over it. The block's end, an exception or Ctrl-C closes the
sessions and stops the servers it started. In sync code the sessions live
on an event loop of their own in a background thread, so `Agent.run` (which
makes a loop per run) can call them.

A call the server answers with `isError`, or refuses, raises a `ToolError`:
like any tool error it becomes the task's error observation. Names follow
the plan language (`agentc.tools.schema`): `get-weather` is planned as
`get_weather`, while the server is still called by its own names.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import shlex
import threading
from contextlib import AsyncExitStack
from typing import Any, Sequence, Union

from pydantic_core import to_jsonable_python

from agentc.errors import ToolDefinitionError, ToolError, describe
from agentc.tools.schema import plan_parameter, tool_from_schema
from agentc.tools.tool import Tool

try:
    import mcp_types
    from mcp import Client, MCPError, StdioServerParameters
except ImportError as exc:  # the SDK is an optional extra
    raise ImportError(f"MCP tools need the mcp extra ({exc}); install it with: pip install 'agentc[mcp]'") from exc

Server = Union[str, Sequence[str], StdioServerParameters]
"""How a server is named: a URL (`http://…`, `https://…`: streamable HTTP),
a command line (`"python server.py --flag"`) or its argv list (stdio), or
the SDK's `StdioServerParameters` (for `env` and `cwd`)."""


class MCPTools:
    """The tools of one or more MCP servers, one session per server.

    Use as `async with MCPTools(...) as tools:` in async code or
    `with MCPTools(...) as tools:` in sync code; `tools` is a list of
    `Tool`. `start()` and `close()` are the sync pair for code that cannot
    use a `with` block. `prefix` goes before every tool name (two servers
    that both have a `search` tool: give one `prefix="docs_"`).
    `open_timeout` bounds starting a server and listing its tools,
    `read_timeout` each call (None: the agent's tool timeout alone), in
    seconds. A server that cannot be started, reached or listed raises a
    `ToolDefinitionError` naming it.
    """

    def __init__(
        self, *servers: Server, prefix: str = "", open_timeout: float | None = 30.0, read_timeout: float | None = None
    ) -> None:
        self.targets = [_target(server) for server in servers]
        self.prefix = prefix
        self.open_timeout = open_timeout
        self.read_timeout = read_timeout
        self.tools: list[Tool] = []
        self._stack: AsyncExitStack | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None

    async def __aenter__(self) -> list[Tool]:
        if self._stack is not None:
            raise RuntimeError("these MCP servers are already open; use one `with` block at a time")
        async with AsyncExitStack() as stack:
            tools: list[Tool] = []
            for target in self.targets:
                tools += await self._open(stack, target)
            self._stack = stack.pop_all()
        self._loop = asyncio.get_running_loop()
        self.tools = tools
        return tools

    async def _open(self, stack: AsyncExitStack, target: str | StdioServerParameters) -> list[Tool]:
        """Start or connect to one server, open its session on `stack`, list its tools."""
        label = _label(target)
        try:
            async with asyncio.timeout(self.open_timeout):
                client = await stack.enter_async_context(Client(target, read_timeout_seconds=self.read_timeout))
                return await self._list_tools(client, label)
        except Exception as exc:  # a missing program, a refused connection, a server that exits at once
            reason = "; ".join(describe(leaf) for leaf in _leaves(exc))
            if isinstance(exc, TimeoutError) and self.open_timeout is not None:
                reason = f"no MCP answer within {self.open_timeout:g} s; is it an MCP server speaking on stdio (or at that URL)?"
        raise ToolDefinitionError(f"cannot use the tools of MCP server {label}: {reason}")

    async def __aexit__(self, *exc_info: Any) -> None:
        stack, self._stack, self._loop = self._stack, None, None
        if stack is not None:
            await stack.__aexit__(*exc_info)

    def __enter__(self) -> list[Tool]:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def start(self) -> list[Tool]:
        """Open the sessions on a background event loop; return the tools."""
        if self._thread is not None:
            raise RuntimeError("these MCP servers are already started; close() them first")
        if not self.targets:
            return []
        opened: concurrent.futures.Future[list[Tool]] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._hold_open(opened),), name="agentc-mcp", daemon=True
        )
        self._thread.start()
        try:
            return opened.result()
        except BaseException:  # the servers failed to open, or Ctrl-C while they were opening
            if opened.cancel():  # still opening: the background task closes them once open
                self._thread = None
            else:
                self.close()
            raise

    def close(self) -> None:
        """Close the sessions that `start()` opened and stop their servers."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)
        thread.join()

    async def _hold_open(self, opened: concurrent.futures.Future[list[Tool]]) -> None:
        """The background loop's one task: open, wait for `close()`, close."""
        self._stop = asyncio.Event()
        try:
            tools = await self.__aenter__()
        except BaseException as exc:
            if not opened.cancelled():
                opened.set_exception(exc)
            return
        try:
            opened.set_result(tools)
            await self._stop.wait()
        except concurrent.futures.InvalidStateError:  # start() stopped waiting (Ctrl-C)
            pass
        finally:
            await self.__aexit__(None, None, None)

    async def _list_tools(self, client: Client, label: str) -> list[Tool]:
        listed: list[mcp_types.Tool] = []
        cursor: str | None = None
        while True:
            page = await client.list_tools(cursor=cursor)
            listed += page.tools
            cursor = page.next_cursor
            if cursor is None:
                return [self._as_tool(client, label, item) for item in listed]

    def _as_tool(self, client: Client, label: str, listed: mcp_types.Tool) -> Tool:
        """`listed` as a `Tool` whose calls go to `client`."""
        schema = listed.input_schema or {"type": "object", "properties": {}}
        wire_names = {plan_parameter(name): name for name in schema.get("properties", {})}
        required = set(schema.get("required", []))
        unwrap = _wraps_result(listed.output_schema)

        async def call(**arguments: Any) -> Any:
            sent = {
                wire_names.get(key, key): to_jsonable_python(value)
                for key, value in arguments.items()
                if value is not None or wire_names.get(key, key) in required
            }
            try:
                result = await self._call(client, label, listed.name, sent)
            except MCPError as exc:
                raise ToolError(f"MCP server {label} refused the call to {listed.name!r}: {exc}", tool=call.__name__) from exc
            return _observation(result, call.__name__, label, unwrap)

        described = tool_from_schema(
            {"name": self.prefix + listed.name, "description": listed.description or listed.title or "", "parameters": schema}
        )
        hints = listed.annotations or mcp_types.ToolAnnotations()
        call.__name__ = described.name
        return dataclasses.replace(
            described,
            fn=call,
            side_effects=not hints.read_only_hint,
            idempotent=bool(hints.idempotent_hint),
            source=f"mcp:{label}:{listed.name}",
        )

    async def _call(self, client: Client, label: str, name: str, arguments: dict[str, Any]) -> mcp_types.CallToolResult:
        """Call on the loop that holds the session, from whichever loop runs the agent."""
        loop = self._loop
        if loop is None:
            raise ToolError(f"the MCP server {label} is closed; call its tools inside the `with MCPTools(...)` block")
        if asyncio.get_running_loop() is loop:
            return await client.call_tool(name, arguments)
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(client.call_tool(name, arguments), loop))


def open_mcp_tools(commands: Sequence[str] = (), urls: Sequence[str] = ()) -> MCPTools:
    """The tools of the servers `agentc run --mcp "CMD ARGS"` starts and
    `--mcp-url URL` connects to, as one `MCPTools` (use it as a context manager)."""
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"--mcp-url {url!r} is not an http:// or https:// URL; start a local server with --mcp \"CMD ARGS\"")
    return MCPTools(*[shlex.split(command) for command in commands], *urls)


def _target(server: Server) -> str | StdioServerParameters:
    """What `mcp.Client` connects to: a URL, or the command to start."""
    if isinstance(server, StdioServerParameters):
        return server
    if isinstance(server, str):
        if server.startswith(("http://", "https://")):
            return server
        server = shlex.split(server)
    argv = list(server)
    if not argv:
        raise ValueError("an MCP server command is empty; give the program to start and its arguments")
    return StdioServerParameters(command=argv[0], args=argv[1:])


def _label(target: str | StdioServerParameters) -> str:
    """How messages and `Tool.source` name a server."""
    if isinstance(target, str):
        return target
    return shlex.join([target.command, *target.args])


def _leaves(exc: BaseException) -> list[BaseException]:
    """The errors inside (nested) exception groups: what the SDK's task groups raise."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def _wraps_result(output_schema: dict[str, Any] | None) -> bool:
    """Whether structured results come as `{"result": value}`: the SDKs wrap
    a tool's return value so when it is not an object (a number, a list)."""
    properties = (output_schema or {}).get("properties")
    return isinstance(properties, dict) and list(properties) == ["result"]


def _observation(result: mcp_types.CallToolResult, name: str, label: str, unwrap: bool) -> Any:
    """What a call returned, as a value the plan can pass on: the structured
    content when there is some (JSON values stay values), else the text, or
    the content blocks as JSON when there are several or they are not text."""
    parts = [
        block.text if isinstance(block, mcp_types.TextContent) else block.model_dump(mode="json", by_alias=True, exclude_none=True)
        for block in result.content
    ]
    if result.is_error:
        detail = "; ".join(part if isinstance(part, str) else str(part) for part in parts) or "no details"
        raise ToolError(f"tool {name!r} (MCP server {label}) failed: {detail}", tool=name)
    structured = result.structured_content
    if structured is not None:
        return structured["result"] if unwrap and list(structured) == ["result"] else structured
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts
