"""The one error hierarchy: every public exception agentc declares is an `AgentcError`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from agentc.errors import AgentcError, ToolError, ToolTimeoutError

PACKAGES = [
    "agentc",
    "agentc.planners",
    "agentc.tools",
    "agentc.retrieval",
    "agentc.edge",
    "agentc.envs",
    "agentc.evals",
]

STANDALONE = {
    "agentc.edge.tune.export.AdapterExportError": "the module runs on machines without agentc, so it imports nothing from it",
}
"""Exceptions that cannot join the hierarchy, and why."""


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        names += [info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")]
    return names


def _declared_exceptions() -> list[type[BaseException]]:
    found = []
    for name in _modules():
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional extra that is not installed
            if exc.name is not None and exc.name.startswith("agentc"):
                raise
            continue
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not attribute.startswith("_")
            ):
                found.append(value)
    return found


def test_every_public_exception_is_an_agentc_error():
    declared = _declared_exceptions()
    assert ToolTimeoutError in declared and len(declared) > 10  # the walk reached the packages
    outside = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in declared
        if not issubclass(cls, AgentcError) and f"{cls.__module__}.{cls.__qualname__}" not in STANDALONE
    ]
    assert outside == []


def test_attempts_is_part_of_a_tool_error():
    assert ToolError("x").attempts == 1
    assert ToolTimeoutError("slow", tool="t", attempts=3).attempts == 3


def test_the_hierarchy_is_documented_where_it_is_declared():
    import agentc.errors

    doc = agentc.errors.__doc__ or ""
    for cls in (c for c in vars(agentc.errors).values() if inspect.isclass(c) and issubclass(c, AgentcError)):
        assert cls.__name__ in doc, f"{cls.__name__} is missing from agentc.errors' docstring"


@pytest.mark.parametrize("name", ["ToolSkippedError"])
def test_no_error_is_declared_that_nothing_raises(name):
    import agentc
    import agentc.errors

    assert not hasattr(agentc.errors, name) and not hasattr(agentc, name)
