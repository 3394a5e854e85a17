"""The CLI commands that need no model: tools list, trace drawing, --tools loading."""

from __future__ import annotations

import textwrap

from typer.testing import CliRunner

from agentc import Agent
from agentc.cli import app, load_tools
from agentc.llm import ScriptedLLM
from agentc.trace_view import mermaid

runner = CliRunner()


def test_tools_list_shows_builtin_and_module_tools(tmp_path, monkeypatch):
    (tmp_path / "mytools.py").write_text(
        textwrap.dedent(
            '''
            from agentc import tool

            @tool
            def shout(text: str) -> str:
                """Shout the text."""
                return text.upper()
            '''
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = runner.invoke(app, ["tools", "list", "--tools", "mytools"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "calculate(expression: str)" in result.output
    assert "shout(text: str)" in result.output and "mytools:shout" in result.output
    assert [t.name for t in load_tools("mytools:shout")] == ["shout"]
    bad = runner.invoke(app, ["tools", "list", "--tools", "no_such_module_here"])
    assert bad.exit_code != 0 and "cannot import 'no_such_module_here'" in bad.output


def test_trace_is_drawn_as_timeline_and_mermaid(weather_tools, tmp_path):
    plan = '1. get_weather("Paris")\n2. get_weather("Tokyo")\n3. compare($1, $2)\n4. compare($1, $2)\n5. join()'
    result = Agent(ScriptedLLM([plan, "Action: Finish(Tokyo)"]), weather_tools).run("warmer?")
    path = tmp_path / "trace.json"
    result.trace.save(str(path))
    shown = runner.invoke(app, ["trace", str(path)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "planner" in shown.output and "get_weather [done]" in shown.output and "Answer: Tokyo" in shown.output
    assert "█" in shown.output
    graph = mermaid(result.trace)
    assert "t1 --> t3" in graph and "t2 --> t3" in graph and "t3 -. same call .-> t4" in graph
    drawn = runner.invoke(app, ["trace", str(path), "--mermaid"])
    assert drawn.output.startswith("flowchart LR")


def test_a_command_whose_extra_is_missing_says_what_to_install():
    import typer

    from agentc.cli import _needs_extra

    group = typer.Typer()
    group.command("other")(lambda: None)
    _needs_extra(group, "retrieval", "retrieval", ImportError("No module named 'numpy'"))
    result = runner.invoke(group, ["retrieval", "--data", "x"])
    assert result.exit_code == 2
    assert "needs the retrieval extra (No module named 'numpy')" in result.output
    assert "pip install 'agentc[retrieval]'" in result.output


def test_assistant_without_the_desktop_extra_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "icalendar" else real(name, *a))
    result = runner.invoke(app, ["assistant", "--dry-run", "hi"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "the assistant needs icalendar" in result.output and "pip install 'agentc[desktop]'" in result.output


def test_a_server_on_this_machine_is_sent_the_plan_grammar_and_a_remote_one_never() -> None:
    from agentc.cli import build_llm

    for url, sent in [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:8080/v1", True),
        ("http://[::1]:8080/v1", True),
        ("https://api.example.com/v1", False),
        ("http://10.0.0.5:8080/v1", False),
    ]:
        llm, label, local = build_llm(model=None, base_url=url, api_key="k", model_name="m")
        assert not local and llm.accepts_grammar is sent, url
        assert ("(grammar)" in label) is sent
    llm, _, _ = build_llm(model=None, base_url="http://127.0.0.1:8080/v1", api_key="k", model_name="m", grammar=False)
    assert llm.accepts_grammar is False


def test_tools_load_from_a_module_of_the_current_folder_or_a_file(tmp_path, monkeypatch):
    (tmp_path / "shelf_tools.py").write_text(
        textwrap.dedent(
            '''
            from agentc import tool

            @tool
            def shelf(book: str) -> str:
                """Where a book is shelved."""
                return "B3"
            '''
        )
    )
    monkeypatch.chdir(tmp_path)
    assert [t.name for t in load_tools("shelf_tools")] == ["shelf"]
    assert [t.name for t in load_tools(str(tmp_path / "shelf_tools.py"))] == ["shelf"]
    assert [t.name for t in load_tools("./shelf_tools.py:shelf")] == ["shelf"]
