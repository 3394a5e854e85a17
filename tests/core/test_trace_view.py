"""`agentc trace FILE`: a timeline readable at 80 columns, and one error
line for a file that is not a trace."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from agentc import Agent, tool
from agentc.cli import app
from agentc.llm import ScriptedLLM
from agentc.trace_view import read_trace

runner = CliRunner()


@pytest.fixture
def saved_trace(tmp_path):
    """A run with a merged call, a retried call and a failed one, saved as JSON."""
    failures = iter([ConnectionError("the line dropped")])

    @tool
    async def get_weather(city: str) -> dict:
        """Weather of a city."""
        await asyncio.sleep(0.05)
        return {"city": city, "temp_c": 12}

    @tool(idempotent=True)
    def lookup(query: str) -> str:
        """Fails once, then answers."""
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return "found"

    @tool
    def status_page(service: str) -> str:
        """Always down."""
        raise RuntimeError("the service answered 503 Service Unavailable; it is down for maintenance until noon")

    plan = (
        '1. get_weather(city="Paris")\n2. get_weather(city="Paris")\n3. lookup(query="opening hours of the Louvre museum in Paris")\n'
        '4. status_page(service="museum-tickets")\n5. join()'
    )
    result = Agent(ScriptedLLM([plan, "Action: Finish(mild, open)"]), [get_weather, lookup, status_page]).run("Paris?")
    path = tmp_path / "trace.json"
    result.trace.save(str(path))
    return path


def test_the_timeline_is_readable_at_80_columns(saved_trace):
    shown = runner.invoke(app, ["trace", str(saved_trace)], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    rows = shown.output.splitlines()
    assert max(len(row) for row in rows) <= 80, shown.output
    header = next(row for row in rows if row.split()[:1] == ["step"])
    assert header.split() == ["step", "what", "status", "start→end", "tries", "timeline"]
    what = slice(header.index("what"), header.index("status"))
    trace = read_trace(saved_trace.read_text())

    def span(idx: int) -> str:
        record = trace.task(idx)
        return f"{record.started_at:.2f}→{record.finished_at:.2f}"

    def task(step: str) -> tuple[list[str], str]:
        """A task's cells on its first line, and its "what" cell over all its lines."""
        first = next(i for i, row in enumerate(rows) if row.split()[:1] == [step])
        last = next((i for i in range(first + 1, len(rows)) if rows[i][: what.start].strip() or not rows[i].strip()), len(rows))
        cell = "".join(row[what].strip() + ("" if row[what].rstrip().endswith(tuple("=(")) else " ") for row in rows[first:last])
        return rows[first][what.stop :].split(), cell.strip()

    cells, call = task("$1")
    assert call == 'get_weather(city="Paris")' and cells[:2] == ["done", span(1)] and cells[-1].strip("█ ") == ""
    cells, call = task("$3")
    assert cells[:3] == ["done", span(3), "2"] and "█" in cells[-1]  # a retried call: two tries
    assert call == 'lookup(query="opening hours of the Louvre museu…'  # a long call is cut
    cells, text = task("$4")
    assert cells[:2] == ["error", span(4)]
    assert text.endswith("raised RuntimeError: the service answered 503 Service Unavailable; it is down for maintenance until noon")
    cells, text = task("$2")
    assert cells[0] == "done" and text == 'get_weather(city="Paris") same call as $1, run once'


@pytest.mark.parametrize(
    "content, holds",
    [("{}", "an object without question, tasks, llm_calls"), ("[1, 2]", "a JSON list"), ('"x"', "a JSON string")],
)
def test_a_file_that_is_not_a_trace_is_one_error_line(tmp_path, content, holds):
    path = tmp_path / "not-a-trace.json"
    path.write_text(content)
    shown = runner.invoke(app, ["trace", str(path)], env={"COLUMNS": "400"})
    assert shown.exit_code == 1
    assert shown.output.splitlines() == [
        f"error: {path} is not an agentc trace: it holds {holds}; pass a trace written by `agentc run --trace FILE`"
    ]


def test_bad_json_and_a_trace_with_a_wrong_field_are_one_error_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"question": ')
    shown = runner.invoke(app, ["trace", str(bad)], env={"COLUMNS": "400"})
    assert shown.exit_code == 1 and len(shown.output.splitlines()) == 1
    assert shown.output.startswith(f"error: {bad} is not JSON (")
    with pytest.raises(ValueError, match=r"is not a valid agentc trace: tasks: Input should be a valid list"):
        read_trace('{"question": "q", "tasks": 3, "llm_calls": []}')
