"""The built-in demo toolset: a calculator, unit conversion and document search."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from agentc.tools.builtin.calculator import calculate
from agentc.tools.builtin.documents import document_search_tool
from agentc.tools.builtin.units import convert_units
from agentc.tools.examples import examples_for
from agentc.tools.tool import Tool


def demo_tools(documents: Iterable[str | Path] = ()) -> list[Tool]:
    """`calculate` and `convert_units`, plus `search_documents` when documents are given."""
    tools = [calculate, convert_units]
    documents = list(documents)
    if documents:
        tools.append(document_search_tool(documents))
    return tools


__all__ = ["calculate", "convert_units", "demo_tools", "document_search_tool", "examples_for"]
