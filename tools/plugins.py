"""Tools from installed plug-ins: the `agentc.tools` entry-point group.

A package ships tools by declaring, in its `pyproject.toml`,

    [project.entry-points."agentc.tools"]
    weather = "mypkg.tools:weather"

where the named object is a tool (a `@tool`, a function, a LangChain tool),
a list of tools, or a zero-argument function returning them. Plug-ins are
loaded only when asked for (`plugin_tools()`), never at import time, and
whatever a plug-in does while loading (raise, even call `sys.exit`) becomes a
`PluginError` naming it. Each
tool's `source` names the entry point and its distribution, so a name clash
in a `ToolRegistry` says which two packages collide.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import inspect
from typing import Any

from agentc.errors import ToolDefinitionError, describe
from agentc.tools.convert import as_tool
from agentc.tools.tool import Tool

ENTRY_POINT_GROUP = "agentc.tools"


class PluginError(ToolDefinitionError):
    """An installed plug-in cannot be loaded or does not give tools."""


def plugin_tools(group: str = ENTRY_POINT_GROUP) -> list[Tool]:
    """Every tool the installed plug-ins declare, in entry-point order.

    Raises `PluginError` naming the entry point and its distribution when one
    fails to import or gives something that is not a tool.
    """
    tools: list[Tool] = []
    for entry_point in importlib.metadata.entry_points(group=group):
        tools += entry_point_tools(entry_point)
    return tools


def entry_point_tools(entry_point: importlib.metadata.EntryPoint) -> list[Tool]:
    """The tools one entry point gives, each with `source` naming it."""
    source = describe_entry_point(entry_point)
    try:
        value = entry_point.load()
    except (Exception, SystemExit) as exc:  # SystemExit too: a plug-in must not end the program
        raise PluginError(
            f"plug-in {source} failed to load: {describe(exc)}; fix or uninstall that package"
        ) from exc
    try:
        tools = tools_from(value)
    except ToolDefinitionError as exc:
        raise PluginError(f"plug-in {source} gives no usable tools: {exc}") from exc
    except (Exception, SystemExit) as exc:  # its tool factory failed
        raise PluginError(
            f"plug-in {source} failed making its tools: {describe(exc)}; fix or uninstall that package"
        ) from exc
    return [dataclasses.replace(t, source=f"{source} -> {t.source}" if t.source else source) for t in tools]


def tools_from(value: Any) -> list[Tool]:
    """`value` as tools: a tool, a list or tuple of tools, or a zero-argument
    function returning either."""
    if _is_factory(value):
        value = value()
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise ToolDefinitionError("it gives an empty list of tools")
    return [as_tool(item) for item in items]


def describe_entry_point(entry_point: importlib.metadata.EntryPoint) -> str:
    """`entry point mypkg.tools:weather (dist mypkg 0.1)`."""
    dist = entry_point.dist
    where = f" (dist {dist.name} {dist.version})" if dist is not None else ""
    return f"entry point {entry_point.value}{where}"


def _is_factory(value: Any) -> bool:
    """A plain function without parameters makes tools; one with parameters is a tool."""
    if isinstance(value, Tool) or not inspect.isfunction(value):
        return False
    return not inspect.signature(value).parameters


def installed_tools() -> list[Tool]:
    """What `agentc tools list` shows beyond the built-ins: the desktop
    toolkit (when its extra is installed) and every plug-in's tools."""
    tools: list[Tool] = []
    try:
        from agentc.tools.desktop import DesktopConfig, desktop_tools

        tools += desktop_tools(DesktopConfig(), backend="portable")
    except ImportError:
        pass  # the desktop extra is optional; its tools are simply not installed
    return tools + plugin_tools()
