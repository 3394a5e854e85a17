"""The CLI commands that need no model (tools list, trace drawing, --tools
loading), the backend options every model command shares, and what
`import agentc.cli` loads."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from typer.testing import CliRunner

from agentc import Agent
from agentc.backends import BackendOptions, build_backend, server_grammars
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
    rows = shown.output.splitlines()
    assert any(row.split()[:2] == ["planner", "LLM,"] for row in rows) and "Answer: Tokyo" in shown.output
    assert any(row.split()[:3] == ["$1", 'get_weather(city="Paris")', "done"] for row in rows), shown.output
    assert "█" in shown.output
    graph = mermaid(result.trace)
    assert "t1 --> t3" in graph and "t2 --> t3" in graph and "t3 -. same call .-> t4" in graph
    drawn = runner.invoke(app, ["trace", str(path), "--mermaid"])
    assert drawn.output.startswith("flowchart LR")


def test_a_command_whose_extra_is_missing_says_what_to_install():
    import typer

    from agentc.cli import Lazy, LazyGroup

    class Commands(LazyGroup):
        lazy = {"retrieval": Lazy("agentc_no_such_module.cli:retrieval_app", extra="retrieval")}

    group = typer.Typer(cls=Commands)
    group.callback()(lambda: None)
    listed = runner.invoke(group, ["--help"], env={"COLUMNS": "200"})
    assert "retrieval" in listed.output and "needs pip install 'agentc[retrieval]'" in listed.output
    result = runner.invoke(group, ["retrieval", "--data", "x"])
    assert result.exit_code == 2
    assert "needs the retrieval extra (No module named 'agentc_no_such_module')" in result.output
    assert "pip install 'agentc[retrieval]'" in result.output


def test_assistant_without_the_desktop_extra_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "icalendar" else real(name, *a))
    result = runner.invoke(app, ["assistant", "--dry-run", "hi"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "the assistant needs icalendar" in result.output and "pip install 'agentc[desktop]'" in result.output


def test_a_server_on_this_machine_is_sent_the_plan_grammar_and_a_remote_one_never() -> None:
    for url, sent in [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:8080/v1", True),
        ("http://[::1]:8080/v1", True),
        ("https://api.example.com/v1", False),
        ("http://10.0.0.5:8080/v1", False),
    ]:
        backend = build_backend(BackendOptions(base_url=url, api_key="k", model_name="m"))
        assert not backend.local and backend.llm.accepts_grammar is sent, url
        assert ("(grammar)" in backend.label) is sent
        assert bool(server_grammars(backend.llm)) is sent
    quiet = build_backend(BackendOptions(base_url="http://127.0.0.1:8080/v1", api_key="k", model_name="m", grammar=False))
    assert quiet.llm.accepts_grammar is False and server_grammars(quiet.llm) == {}


def test_on_a_server_the_model_is_named_by_model_name_else_by_model() -> None:
    url = "http://127.0.0.1:8080/v1"
    assert build_backend(BackendOptions(model="qwen", base_url=url, api_key="k")).llm.model == "qwen"
    named = build_backend(BackendOptions(model="qwen", base_url=url, api_key="k", model_name="served"))
    assert named.llm.model == "served" and named.label.startswith("served at ")


def test_the_backend_options_are_parsed_once_for_every_command(monkeypatch):
    import typer

    from agentc.cli_options import backend_options

    seen: list[BackendOptions] = []
    probe = typer.Typer()

    @probe.command()
    @backend_options
    def show(word: str = typer.Argument(...), *, backend: BackendOptions) -> None:
        """Show what the options became."""
        seen.append(backend)
        typer.echo(word)

    monkeypatch.setenv("AGENTC_KV_CACHE", "q4_0")
    args = ["hi", "--llm", "gemma3", "--base-url", "http://127.0.0.1:1/v1", "--api-key", "k", "--model-name", "g",
            "--adapter", "none", "--no-grammar"]
    result = runner.invoke(probe, args)
    assert result.exit_code == 0, result.output
    assert result.output == "hi\n"
    assert seen == [BackendOptions(model="gemma3", base_url="http://127.0.0.1:1/v1", api_key="k", model_name="g",
                                   kv_cache="q4_0", adapter="none", grammar=False)]
    assert show.__doc__ == "Show what the options became."


def test_every_command_that_loads_a_model_takes_the_same_backend_options():
    names = ["--model", "--llm", "--base-url", "--api-key", "--model-name", "--kv-cache", "--adapter", "--no-grammar"]
    for command in (["run"], ["assistant"], ["eval", "fc"], ["eval", "web"]):
        shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "250"})
        assert shown.exit_code == 0, shown.output
        assert [name for name in names if name not in shown.output] == [], command


def test_only_the_eval_commands_take_the_scripted_model():
    assert BackendOptions(model="scripted").scripted and BackendOptions(model="scripted-oracle").scripted
    assert not BackendOptions(model="smollm2").scripted
    result = runner.invoke(app, ["run", "--model", "scripted", "hi"], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert result.output.startswith("error: --model scripted replays a benchmark's gold outputs")
    assert "Traceback" not in result.output


def test_importing_the_cli_loads_no_heavy_library():
    """`agentc run` must start fast: numpy, torch, llama.cpp, playwright and the
    evaluation, retrieval and tuning code load only in the command that needs them."""
    probe = (
        "import sys, agentc.cli; "
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in "
        "('numpy', 'torch', 'llama_cpp', 'playwright', 'transformers', 'sentence_transformers')"
        " or m.startswith(('agentc.evals', 'agentc.retrieval', 'agentc.edge', 'agentc.envs'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout


CLASHING_TOOLS = {
    "shout_a.py": 'from agentc import tool\n\n@tool\ndef shout(text: str) -> str:\n    """Shout."""\n    return text\n',
    "shout_b.py": 'from agentc import tool\n\n@tool(name="shout")\ndef loud(text: str) -> str:\n    """Loud."""\n    return text\n',
}


def test_two_tools_with_one_name_end_a_command_with_one_error_line(tmp_path, monkeypatch):
    for name, text in CLASHING_TOOLS.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "seeds.jsonl").write_text('{"question": "shout hi", "plan": "1. shout(text=\\"hi\\")\\n2. join()"}\n')
    monkeypatch.chdir(tmp_path)
    clash = ["--tools", "shout_a", "--tools", "./shout_b.py"]
    for command in (["run", *clash, "hi"], ["tune", *clash, "--examples", "seeds.jsonl", "--data-only"], ["tools", "list", *clash]):
        result = runner.invoke(app, command, env={"COLUMNS": "300"})
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines() == [
            "error: two tools are named 'shout': one from shout_a:shout, one from shout_b:loud; "
            "rename one with @tool(name=...)"
        ], command


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


async def test_a_run_reports_its_llm_calls_and_their_tokens(weather_tools):
    from agentc.events import LLMFinished, LLMStarted, LLMTokens

    plan = '1. get_weather("Paris")\n2. get_weather("Tokyo")\n3. join()'
    llm = ScriptedLLM([plan, "Thought: ok\nAction: Finish(Tokyo)"], tokens_per_second=1000)
    events = [e async for e in Agent(llm, weather_tools).astream("warmer?")]
    calls = [(e.role, type(e).__name__) for e in events if isinstance(e, (LLMStarted, LLMFinished))]
    assert calls == [("planner", "LLMStarted"), ("planner", "LLMFinished"), ("joiner", "LLMStarted"), ("joiner", "LLMFinished")]
    planner_tokens = [e for e in events if isinstance(e, LLMTokens) and e.role == "planner"]
    assert [e.tokens for e in planner_tokens] == list(range(1, len(planner_tokens) + 1)) and len(planner_tokens) > 1
    assert "".join(e.text for e in planner_tokens) == plan
    finished = [e for e in events if isinstance(e, LLMFinished)]
    assert finished[0].tokens == events[-1].trace.llm_calls[0].completion_tokens > 0


async def test_the_status_line_says_what_the_run_waits_on(weather_tools):
    from agentc.progress import RunStatus

    plan = '1. get_weather("Paris")\n2. get_weather("Tokyo")\n3. join()'
    llm = ScriptedLLM([plan, "Thought: ok\nAction: Finish(Tokyo)"], tokens_per_second=1000)
    status = RunStatus(clock=lambda: 7.0)
    assert status.text() == "starting… · 0 s"
    lines = []
    async for event in Agent(llm, weather_tools).astream("warmer?"):
        status.update(event)
        lines.append(status.text())
    assert lines[0] == "planning… reading the prompt · 0 s"
    assert "planning… 1 token · 0 s" in lines and "planning… 5 tokens · 0 s" in lines
    assert any(line.startswith("planning… ") and "running 0/1 tasks" in line for line in lines)
    assert "running 0/2 tasks · 0 s" in lines and "running 2/2 tasks · 0 s" in lines
    assert "joining… reading the prompt · 0 s" in lines and "joining… 3 tokens · 0 s" in lines


def recorded_run(agent: Agent, question: str) -> tuple[str, object]:
    """What `agentc run` prints for `agent` (a console that is not a terminal, 120 columns)."""
    import asyncio
    import io

    from rich.console import Console

    from agentc.cli import _show_run
    from agentc.errors import AgentcError

    out = io.StringIO()
    console = Console(file=out, width=120)
    try:
        result: object = asyncio.run(_show_run(console, agent, question))
    except AgentcError as exc:
        console.print(f"error: {exc}")  # as `agentc run` ends a failed run
        result = exc
    return out.getvalue(), result


def test_a_merged_call_is_shown_as_the_call_it_repeats(weather_tools):
    plan = '1. get_weather("Paris")\n2. get_weather("Paris")\n3. join()'
    shown, _ = recorded_run(Agent(ScriptedLLM([plan, "Action: Finish(15)"]), weather_tools), "q")
    rows = [line for line in shown.splitlines() if "get_weather(city='Paris')" in line]
    assert len(rows) == 2, shown
    assert "done" in rows[0] and "same as $1" in rows[1] and "done" not in rows[1]
    assert "0.2" in rows[0] and "0.0" not in rows[1]  # only the call that ran has seconds


def test_a_run_that_fails_before_any_task_draws_no_table(weather_tools):
    from agentc.errors import PlanError

    shown, error = recorded_run(Agent(ScriptedLLM(["1. no_such_tool()\n2. join()"]), weather_tools, max_replans=0), "q")
    assert isinstance(error, PlanError)
    assert "┏" not in shown and "task" not in shown, shown
    lines = shown.splitlines()  # the plan stays on screen, and the error starts its own line
    assert lines[:3] == ["plan", "1. no_such_tool()", "2. join()"], shown
    assert lines[3].startswith("error: plan line 1: unknown tool 'no_such_tool'"), shown


def test_a_server_error_names_the_option_or_variable_the_user_set(monkeypatch):
    monkeypatch.delenv("AGENTC_BASE_URL", raising=False)
    command = ["run", "--no-plugins", "--base-url", "http://127.0.0.1:9/v1", "--model-name", "m", "hi"]
    given = runner.invoke(app, command, env={"COLUMNS": "400"})
    assert given.exit_code == 1, given.output
    error = [line for line in given.output.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and error[0].endswith("check that the server is running and that --base-url is right"), given.output
    assert "AGENTC_BASE_URL" not in given.output and "┏" not in given.output  # no empty task table either
    from_env = runner.invoke(app, command[:2] + command[4:], env={"COLUMNS": "400", "AGENTC_BASE_URL": "http://127.0.0.1:9/v1"})
    assert from_env.exit_code == 1 and "that AGENTC_BASE_URL is right" in from_env.output, from_env.output
    named = BackendOptions(model="qwen", base_url="http://h/v1", api_key="k").setting_names()
    assert named == {"base_url": "--base-url", "api_key": "--api-key", "model": "--model"}
