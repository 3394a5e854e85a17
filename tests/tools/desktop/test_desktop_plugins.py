"""Plug-ins through the `agentc.tools` entry-point group: the example
package installed for real, clashes and broken plug-ins named."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agentc.errors import ToolDefinitionError
from agentc.tools import ToolRegistry
from agentc.tools.builtin import calculate
from agentc.tools.plugins import PluginError, entry_point_tools

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/plugin built and installed into a private target folder."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    source = build / "plugin"
    subprocess.run(["cp", "-r", str(REPO / "examples" / "plugin"), str(source)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.mark.slow
def test_installed_plugin_shows_up_in_tools_list(installed_plugin):
    env = {**os.environ, "PYTHONPATH": str(installed_plugin), "COLUMNS": "250"}
    done = subprocess.run(
        [sys.executable, "-m", "agentc.cli", "tools", "list"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "moon_phase(day: str)" in done.stdout and "days_to_full_moon(day: str)" in done.stdout
    assert "entry point agentc_moon.tools:moon_phase (dist agentc-moon 0.1.0)" in done.stdout
    assert "send_email(" in done.stdout and "create_calendar_event(" in done.stdout  # the desktop toolkit is listed too

    schemas = subprocess.run(
        [sys.executable, "-m", "agentc.cli", "tools", "list", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert '"name": "moon_phase"' in schemas.stdout and '"day"' in schemas.stdout


@pytest.mark.slow
def test_agentc_run_offers_installed_plugins_unless_told_not_to(installed_plugin):
    env = {**os.environ, "PYTHONPATH": str(installed_plugin), "COLUMNS": "250", "AGENTC_API_KEY": "unused"}
    down = ["--base-url", "http://127.0.0.1:9/v1", "--model-name", "m", "--max-replans", "0"]
    done = subprocess.run(
        [sys.executable, "-m", "agentc.cli", "run", "What phase is the moon in?", *down],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert "moon_phase" in done.stdout and "calculate" in done.stdout
    assert done.returncode == 1 and "error:" in done.stdout  # no server there: a clear error, not a hang
    without = subprocess.run(
        [sys.executable, "-m", "agentc.cli", "run", "q", *down, "--no-plugins"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert "calculate" in without.stdout and "moon_phase" not in without.stdout


def entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, value: str) -> importlib.metadata.EntryPoint:
    (tmp_path / f"{value.split(':')[0]}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.metadata.EntryPoint(name="x", value=value, group="agentc.tools")


def test_plugin_tools_carry_their_entry_point_and_clashes_name_both(tmp_path, monkeypatch):
    ep = entry_point(
        tmp_path,
        monkeypatch,
        '''
        from agentc import tool

        @tool
        def calculate(expression: str) -> str:
            """A second calculator."""
            return expression
        ''',
        "someplugin:calculate",
    )
    [theirs] = entry_point_tools(ep)
    assert theirs.source.startswith("entry point someplugin:calculate")
    with pytest.raises(ToolDefinitionError) as clash:
        ToolRegistry([calculate, theirs])
    message = str(clash.value)
    assert "two tools are named 'calculate'" in message
    assert "agentc.tools.builtin.calculator" in message and "entry point someplugin:calculate" in message


def test_broken_plugins_are_named(tmp_path, monkeypatch):
    missing = importlib.metadata.EntryPoint(name="x", value="no_such_plugin_module:tools", group="agentc.tools")
    with pytest.raises(PluginError, match="plug-in entry point no_such_plugin_module:tools failed to load: ModuleNotFoundError"):
        entry_point_tools(missing)
    not_tools = entry_point(tmp_path, monkeypatch, "VALUE = 42\n", "brokenplugin:VALUE")
    with pytest.raises(PluginError, match="plug-in entry point brokenplugin:VALUE gives no usable tools: 42 is not a tool"):
        entry_point_tools(not_tools)
