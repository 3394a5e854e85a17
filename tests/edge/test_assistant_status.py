"""The assistant's terminal session while a request waits on the model:
a live status line, the plan printed line by line, merged calls marked, and
a dry run that shows the planner's progress too."""

from __future__ import annotations

import io
import re

from rich.console import Console

from agentc.edge.assistant import Assistant, TerminalSession
from agentc.events import LLMTokens
from agentc.llm import ScriptedLLM

PLAN = '1. get_weather("Paris")\n2. get_weather("Paris")\n3. join()\n<END_OF_PLAN>'


def session() -> tuple[TerminalSession, io.StringIO]:
    out = io.StringIO()
    return TerminalSession(Console(file=out, force_terminal=True, color_system=None, width=200), assume_yes=True), out


def lines(out: io.StringIO) -> list[str]:
    """The terminal's lines, without cursor movements and line clearing."""
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    return [line.strip() for line in re.split(r"[\r\n]", shown) if line.strip()]


def assistant(weather_tools, script: list[str], ttft: float = 0.0) -> Assistant:
    llm = ScriptedLLM(script, ttft=ttft, tokens_per_second=1000)
    return Assistant(llm, weather_tools, approve=lambda requests: True, examples=())


async def test_a_request_shows_what_it_waits_on_and_its_plan_line_by_line(weather_tools):
    terminal, out = session()
    await terminal.run(assistant(weather_tools, [PLAN, "Thought: ok\nAction: Finish(15 C)"]), "weather in Paris?")
    shown = lines(out)
    status = [line for line in shown if re.search(r"(planning|joining)… .* s$", line)]
    assert any("planning… " in line and "token" in line for line in status), shown
    assert '1. get_weather("Paris")' in shown and '2. get_weather("Paris")' in shown and "3. join()" in shown
    assert any(line.startswith("$2 get_weather: same as $1") for line in shown), shown
    assert shown[-2:] == ["Answer: 15 C", "done: $1 get_weather, $2 get_weather"]


async def test_a_dry_run_shows_the_planners_progress(weather_tools):
    terminal, out = session()
    planned = assistant(weather_tools, [PLAN])
    seen: list[object] = []
    result = await planned.plan("weather in Paris?", on_event=seen.append)
    assert [e.tokens for e in seen if isinstance(e, LLMTokens)][-1] > 1 and [t.tool for t in result.tasks] == ["get_weather"] * 2
    slow = assistant(weather_tools, [PLAN], ttft=0.5)  # the status line redraws ~12 times a second meanwhile
    terminal.dry_run(await terminal.plan(slow, "weather in Paris?"), weather_tools)
    shown = lines(out)
    assert any(line.endswith("planning… reading the prompt · 0 s") for line in shown), shown
    assert shown[-1] == "dry run: nothing was run" and '1. get_weather("Paris")' in shown


async def test_the_interactive_session_keeps_the_conversation_until_new(weather_tools):
    from agentc.edge.assistant import interactive

    terminal, _ = session()
    answer = "Thought: ok\nAction: Finish(Paris is 15 C)"
    llm = ScriptedLLM([PLAN, answer] * 3, tokens_per_second=1000)
    helper = Assistant(llm, weather_tools, approve=lambda requests: True, examples=())
    questions = iter(["weather in Paris?", "and in F?", "new", "and in F?", "exit"])
    await interactive(terminal, helper, lambda: next(questions))
    planner_prompts = [str(call) for call in llm.calls if "Question:" in str(call) and "END_OF_PLAN" in str(call)]
    assert len(planner_prompts) == 3
    assert "Paris is 15 C" not in planner_prompts[0]
    assert "Paris is 15 C" in planner_prompts[1]  # the second request sees the first answer
    assert "Paris is 15 C" not in planner_prompts[2]  # "new" started afresh
