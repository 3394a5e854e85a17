"""Class 12: what tools, plug-ins and models say is shown as text, never read
as Rich markup, and a broken plug-in is a clean error in every command.

`agentc run` runs for real against a local OpenAI-compatible server.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentc.cli import app

runner = CliRunner()
MARKUP = "[/] [bold red]loud[/bold red] [link=file:///etc/passwd]x[/link] [/nope]"
ENV = {"COLUMNS": "200", "AGENTC_API_KEY": "none"}


def _module(tmp_path: Path, name: str, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body))
    monkeypatch.syspath_prepend(str(tmp_path))


def _plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module_body: str) -> None:
    """An installed distribution (dist-info on sys.path) declaring one agentc.tools entry point."""
    dist = tmp_path / "brokenplug-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[agentc.tools]\nbroken = brokenplug_mod:tools\n")
    _module(tmp_path, "brokenplug_mod", module_body, monkeypatch)


def _run(url: str, *args: str) -> "object":
    command = ["run", "--base-url", url, "--model-name", "m", "--no-builtin", "--no-plugins", "--no-grammar", *args]
    return runner.invoke(app, command, env=ENV)


@pytest.fixture
def markup_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    _module(
        tmp_path,
        "markup_tools",
        f'''
        from agentc import tool

        @tool
        def shout(text: str) -> str:
            """Returns text full of markup."""
            return text + " {MARKUP}"

        @tool
        def fail(text: str) -> str:
            """Raises with markup in its message."""
            raise RuntimeError("{MARKUP}")
        ''',
        monkeypatch,
    )
    return "markup_tools"


def test_markup_in_tool_output_errors_and_answers_is_shown_as_text(chat_server, markup_tools, tmp_path: Path) -> None:
    plan = '1. shout("[/]")\n2. fail("x")\n3. join()<END_OF_PLAN>'
    url = chat_server([plan, f"Action: Finish(done {MARKUP})"])
    trace = tmp_path / "trace.json"
    result = _run(url, "--tools", markup_tools, "--trace", str(trace), "[/] question")
    assert result.exit_code == 0, result.output
    assert f"Answer: done {MARKUP}" in result.output
    saved = json.loads(trace.read_text())
    assert saved["tasks"][0]["observation"] == f"[/] {MARKUP}"
    assert MARKUP in saved["tasks"][1]["error"]


def test_an_error_with_markup_is_printed_and_the_trace_still_written(chat_server, markup_tools, tmp_path: Path) -> None:
    url = chat_server(['1. no_such_tool("[/]")\n2. join()<END_OF_PLAN>'])
    trace = tmp_path / "trace.json"
    result = _run(url, "--tools", markup_tools, "--max-replans", "0", "--trace", str(trace), "q")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert 'no_such_tool("[/]")' in result.output
    assert "[/]" in json.loads(trace.read_text())["error"]


def test_a_plugin_that_raises_on_import_is_a_clean_error_in_run(chat_server, tmp_path, monkeypatch) -> None:
    _plugin(tmp_path, monkeypatch, 'raise RuntimeError("broken [/] plug-in")\n')
    url = chat_server(["1. x()\n2. join()"])
    result = runner.invoke(app, ["run", "--base-url", url, "--no-grammar", "q"], env=ENV)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "brokenplug_mod:tools" in result.output and "broken [/] plug-in" in result.output


def test_a_plugin_that_calls_sys_exit_is_a_clean_error_in_tools_list(tmp_path, monkeypatch) -> None:
    _plugin(tmp_path, monkeypatch, "import sys\nsys.exit(0)\n")
    result = runner.invoke(app, ["tools", "list"], env=ENV)
    assert result.exit_code == 1, result.output
    assert "brokenplug_mod:tools" in result.output and "SystemExit" in result.output


def test_two_tools_with_one_name_are_a_clean_error_in_run(chat_server, tmp_path, monkeypatch) -> None:
    for name in ("first_tools", "second_tools"):
        _module(
            tmp_path,
            name,
            '''
            from agentc import tool

            @tool
            def shout(text: str) -> str:
                """Shout."""
                return text.upper()
            ''',
            monkeypatch,
        )
    url = chat_server(["1. shout('a')\n2. join()"])
    result = _run(url, "--tools", "first_tools", "--tools", "second_tools", "q")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "two tools are named 'shout'" in result.output


def test_markup_in_a_tool_description_is_listed_as_text(tmp_path, monkeypatch) -> None:
    _module(
        tmp_path,
        "described_tools",
        '''
        from agentc import tool

        @tool
        def odd(text: str) -> str:
            """Does [/] things [bold]boldly[/bold]."""
            return text
        ''',
        monkeypatch,
    )
    result = runner.invoke(app, ["tools", "list", "--tools", "described_tools"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Does [/] things [bold]boldly[/bold]." in result.output
