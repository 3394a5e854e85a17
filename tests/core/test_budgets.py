"""Run budgets: going over max_llm_tokens, max_tool_calls or max_seconds ends
the run with `BudgetExceeded`, which carries the trace so far."""

from __future__ import annotations

import asyncio
import json

import pytest

from agentc import Agent, AgentcError, BudgetExceeded, tool
from agentc.budget import Budget
from agentc.events import TaskStarted
from agentc.llm import ScriptedLLM
from agentc.planners.parallel_fc import ParallelFCAgent
from agentc.planners.react import ReActAgent

FINISH = "Thought: done.\nAction: Finish(Paris is warmer)"


def count_tokens_of_a_run(agent: Agent) -> list[int]:
    """Each LLM call's tokens in a run without budgets."""
    return [c.prompt_tokens + c.completion_tokens for c in agent.run("Warmer?").trace.llm_calls]


def test_max_llm_tokens_stops_the_run_after_the_call_that_goes_over(weather_tools, weather_plan):
    planner_tokens, joiner_tokens = count_tokens_of_a_run(Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools))
    agent = Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, max_llm_tokens=planner_tokens)
    with pytest.raises(BudgetExceeded) as caught:
        agent.run("Warmer?")
    error = caught.value
    assert isinstance(error, AgentcError)
    assert (error.budget, error.limit, error.used) == ("max_llm_tokens", planner_tokens, planner_tokens + joiner_tokens)
    assert f"max_llm_tokens={planner_tokens} budget" in str(error)
    trace = error.trace
    assert [c.role for c in trace.llm_calls] == ["planner", "joiner"]
    assert [t.status for t in trace.tasks] == ["done", "done", "done"]
    assert trace.answer is None and trace.error == f"BudgetExceeded: {error}"
    assert trace.finished_at is not None


async def test_max_llm_tokens_cancels_the_tools_still_running(weather_tools, weather_plan):
    agent = Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, max_llm_tokens=10)
    with pytest.raises(BudgetExceeded) as caught:
        await agent.arun("Warmer?")
    trace = caught.value.trace
    assert [c.role for c in trace.llm_calls] == ["planner"]  # the joiner was never asked
    paris, tokyo = trace.tasks[:2]
    assert paris.status == tokyo.status == "cancelled"  # 0.2 s calls, stopped when the plan's tokens were counted
    assert paris.error == "the run ended before this task finished: it went over its max_llm_tokens budget"


async def test_max_tool_calls_stops_a_call_that_a_finished_task_would_start(weather_tools, weather_plan):
    agent = Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, max_tool_calls=2)
    with pytest.raises(BudgetExceeded) as caught:
        await agent.arun("Warmer?")
    error = caught.value
    assert (error.budget, error.limit, error.used) == ("max_tool_calls", 2, 2)
    assert "before task 3 (compare) could start" in str(error)
    paris, tokyo, compare = error.trace.tasks
    assert paris.status == tokyo.status == "done"
    assert compare.status == "cancelled" and compare.started_at is None
    assert "max_tool_calls budget" in compare.error
    assert [c.role for c in error.trace.llm_calls] == ["planner"]


async def test_max_tool_calls_stops_the_plan_while_it_is_written(weather_tools):
    plan = '1. get_weather("Paris")\n2. get_weather("Tokyo")\n3. get_weather("Oslo")\n4. join()\n<END_OF_PLAN>'
    agent = Agent(ScriptedLLM([plan, FINISH]), weather_tools, max_tool_calls=2)
    started: list[int] = []
    with pytest.raises(BudgetExceeded) as caught:
        async for event in agent.astream("q"):
            if isinstance(event, TaskStarted):
                started.append(event.record.idx)
    assert started == [1, 2]
    trace = caught.value.trace
    assert [(t.idx, t.status) for t in trace.tasks] == [(1, "cancelled"), (2, "cancelled"), (3, "cancelled")]
    assert trace.tasks[2].started_at is None


async def test_merged_repeats_do_not_count_as_tool_calls(weather_tools):
    plan = '1. get_weather("Paris")\n2. get_weather("Paris")\n3. join($2)\n<END_OF_PLAN>'
    result = await Agent(ScriptedLLM([plan]), weather_tools, max_tool_calls=1).arun("q")
    assert [t.same_as for t in result.trace.tasks] == [None, 1]
    assert result.answer == '{"city": "Paris", "temp_c": 15}'


async def test_max_seconds_stops_a_run_waiting_on_a_slow_tool():
    @tool
    async def slow(x: int) -> int:
        """Takes its time."""
        await asyncio.sleep(30)
        return x

    plan = "1. slow(x=1)\n2. join($1)\n<END_OF_PLAN>"
    with pytest.raises(BudgetExceeded) as caught:
        await Agent(ScriptedLLM([plan]), [slow], max_seconds=0.3).arun("q")
    error = caught.value
    assert (error.budget, error.limit) == ("max_seconds", 0.3)
    assert "max_seconds=0.3 budget" in str(error) and "1 tool calls unfinished" in str(error)
    [task] = error.trace.tasks
    assert task.status == "cancelled" and task.observation is None
    assert task.error == "the run ended before this task finished: it went over its max_seconds budget"
    assert error.trace.error.startswith("BudgetExceeded: the run took longer than its max_seconds=0.3 budget")


def test_max_seconds_stops_a_sync_run_on_a_blocking_tool():
    @tool
    def blocking(x: int) -> int:
        """Blocks its thread."""
        import time

        time.sleep(2)
        return x

    plan = "1. blocking(x=1)\n2. join($1)\n<END_OF_PLAN>"
    with pytest.raises(BudgetExceeded) as caught:
        Agent(ScriptedLLM([plan]), [blocking], max_seconds=0.2).run("q")
    assert caught.value.budget == "max_seconds"
    assert [t.status for t in caught.value.trace.tasks] == ["cancelled"]


async def test_a_run_within_its_budgets_answers(weather_tools, weather_plan):
    agent = Agent(
        ScriptedLLM([weather_plan, FINISH]), weather_tools, max_llm_tokens=10_000, max_tool_calls=3, max_seconds=30
    )
    result = await agent.arun("Warmer?")
    assert result.answer == "Paris is warmer" and result.trace.error is None


async def test_react_stops_at_max_tool_calls(weather_tools):
    steps = [
        'Thought: Paris.\nAction: get_weather(city="Paris")',
        'Thought: Tokyo.\nAction: get_weather(city="Tokyo")',
        "Thought: ok.\nAction: Finish[Paris]",
    ]
    with pytest.raises(BudgetExceeded) as caught:
        await ReActAgent(ScriptedLLM(steps), weather_tools, max_tool_calls=1).arun("q")
    trace = caught.value.trace
    assert caught.value.budget == "max_tool_calls"
    assert [(t.tool, t.status) for t in trace.tasks] == [("get_weather", "done"), ("get_weather", "cancelled")]
    assert len(trace.steps) == 2


async def test_parallel_fc_stops_at_max_llm_tokens(weather_tools):
    both = json.dumps([{"name": "get_weather", "arguments": {"city": city}} for city in ("Paris", "Tokyo")])
    agent = ParallelFCAgent(ScriptedLLM([both, '{"answer": "done"}']), weather_tools, max_llm_tokens=5)
    with pytest.raises(BudgetExceeded) as caught:
        await agent.arun("q")
    assert caught.value.budget == "max_llm_tokens"
    assert caught.value.used == caught.value.trace.prompt_tokens + caught.value.trace.completion_tokens > 5
    assert len(caught.value.trace.llm_calls) == 1


def test_budgets_must_be_sensible(weather_tools):
    with pytest.raises(ValueError, match="max_seconds must be more than 0"):
        Agent(ScriptedLLM([]), weather_tools, max_seconds=0)
    with pytest.raises(ValueError, match="max_tool_calls must be a whole number"):
        ReActAgent(ScriptedLLM([]), weather_tools, max_tool_calls=-1)
    assert Budget().unlimited and not Budget(max_tool_calls=0).unlimited


async def test_a_cancel_from_outside_stays_a_cancel(weather_tools, weather_plan):
    agent = Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, max_seconds=30)
    run = asyncio.ensure_future(agent.arun("q"))
    await asyncio.sleep(0.05)
    run.cancel()
    with pytest.raises(asyncio.CancelledError) as caught:
        await run
    assert caught.value.trace.error == "the run was cancelled"
