"""The whole loop: plan, run in parallel, join, replan; errors and traces."""

from __future__ import annotations

import asyncio
import json

import pytest

from agentc import Agent, PlanError, RunError, tool
from agentc.errors import JoinerError, LLMError
from agentc.events import FinalAnswer, PlanText, Replanning, TaskFinished, TaskStarted
from agentc.llm import ScriptedLLM
from agentc.trace import Trace

WEATHER_PLAN = """Thought: the two cities are independent.
1. get_weather(city="Paris")
2. get_weather("Tokyo")
3. compare(a=$1, b=$2)
4. join()
<END_OF_PLAN>"""


async def test_answer_and_trace(weather_tools):
    llm = ScriptedLLM([WEATHER_PLAN, "Thought: Tokyo is warmer.\nAction: Finish(Tokyo (15 C) is warmer than Paris (15 C))"])
    result = await Agent(llm, weather_tools).arun("Which is warmer, Paris or Tokyo?")
    assert result.answer == "Tokyo (15 C) is warmer than Paris (15 C)"
    trace = result.trace
    assert [t.tool for t in trace.tasks] == ["get_weather", "get_weather", "compare"]
    assert trace.tasks[2].args == {"a": {"city": "Paris", "temp_c": 15}, "b": {"city": "Tokyo", "temp_c": 15}}
    assert trace.tasks[2].deps == [1, 2]
    assert trace.tasks[0].thought == "the two cities are independent."
    assert trace.tasks[2].observation == "Paris is warmer"
    assert [c.role for c in trace.llm_calls] == ["planner", "joiner"]
    assert all(c.prompt_tokens > 0 and c.completion_tokens > 0 for c in trace.llm_calls)
    assert "Observation: Paris is warmer" in llm.calls[1][1].content
    assert "get_weather(city: str): Current weather of a city." in llm.calls[0][0].content
    assert llm.calls[0][1].content.startswith("Question: Which is warmer")


def test_sync_run_and_trace_json_round_trip(weather_tools, tmp_path):
    llm = ScriptedLLM([WEATHER_PLAN, "Action: Finish(Paris)"])
    result = Agent(llm, weather_tools).run("Which is warmer?")
    text = result.trace.to_json()
    again = Trace.from_json(text)
    assert again == result.trace
    assert json.loads(text)["tasks"][0]["observation"] == {"city": "Paris", "temp_c": 15}
    path = tmp_path / "trace.json"
    result.trace.save(str(path))
    assert Trace.from_json(path.read_text()) == result.trace


async def test_run_inside_a_loop_says_to_await(weather_tools):
    with pytest.raises(RuntimeError, match="await agent.arun"):
        Agent(ScriptedLLM([]), weather_tools).run("q")


async def test_plan_inside_a_loop_says_to_await_aplan(weather_tools):
    llm = ScriptedLLM([WEATHER_PLAN])
    with pytest.raises(RuntimeError, match=r"Agent.plan\(\) was called inside a running event loop; use `await agent.aplan"):
        Agent(llm, weather_tools).plan("q")


def test_sync_plan_outside_a_loop(weather_tools):
    result = Agent(ScriptedLLM([WEATHER_PLAN]), weather_tools).plan("q")
    assert result.valid and [t.tool for t in result.tasks] == ["get_weather", "get_weather", "compare"]


async def test_first_task_starts_before_the_plan_completion_ends(weather_tools):
    llm = ScriptedLLM([WEATHER_PLAN, "Action: Finish(ok)"], ttft=0.05, tokens_per_second=100)
    result = await Agent(llm, weather_tools).arun("q")
    planner = result.trace.llm_calls[0]
    first = result.trace.tasks[0]
    assert first.started_at < planner.finished_at
    assert result.trace.tasks[1].started_at < planner.finished_at


async def test_without_streaming_tasks_wait_for_the_whole_plan(weather_tools):
    llm = ScriptedLLM([WEATHER_PLAN, "Action: Finish(ok)"], tokens_per_second=100)
    result = await Agent(llm, weather_tools, stream_plan=False).arun("q")
    assert result.trace.tasks[0].started_at >= result.trace.llm_calls[0].finished_at


async def test_raising_tool_ends_in_a_recorded_error_and_the_joiner_sees_it():
    @tool
    def divide(a: float, b: float) -> float:
        """Divide a by b."""
        return a / b

    llm = ScriptedLLM(["1. divide(1, 0)\n2. join()", "Thought: it failed.\nAction: Finish(cannot divide by zero)"])
    result = await Agent(llm, [divide]).arun("1/0?")
    assert result.trace.tasks[0].status == "error"
    assert "ZeroDivisionError" in result.trace.tasks[0].error
    assert "Observation: Error: tool 'divide' raised ZeroDivisionError" in llm.calls[1][1].content
    assert result.answer == "cannot divide by zero"


async def test_hanging_tool_times_out_and_the_run_still_answers():
    @tool
    async def hang() -> str:
        """Never returns."""
        await asyncio.Event().wait()
        return ""

    llm = ScriptedLLM(["1. hang()\n2. join()", "Action: Finish(timed out)"])
    result = await asyncio.wait_for(Agent(llm, [hang], tool_timeout=0.1).arun("q"), timeout=5)
    assert "did not finish within 0.1 s" in result.trace.tasks[0].error
    assert result.answer == "timed out"


async def test_unknown_tool_ends_the_run_with_a_plan_error_carrying_the_trace(weather_tools):
    llm = ScriptedLLM(['1. get_weather("Paris")\n2. fly_to(city="Tokyo")\n3. join()'])
    with pytest.raises(PlanError) as info:
        await asyncio.wait_for(Agent(llm, weather_tools, max_replans=0).arun("q"), timeout=5)
    assert "unknown tool 'fly_to'" in str(info.value) and info.value.line == 2
    trace = info.value.trace
    assert trace is not None and "unknown tool 'fly_to'" in trace.error
    assert trace.tasks[0].status == "done"  # the valid prefix ran and was kept
    assert trace.plans[0].startswith('1. get_weather("Paris")')


async def test_invalid_plan_is_sent_back_to_the_planner_when_replans_remain(weather_tools):
    llm = ScriptedLLM(['1. fly_to("Tokyo")\n2. join()', '1. get_weather("Tokyo")\n2. join()', "Action: Finish(Tokyo)"])
    result = await Agent(llm, weather_tools, max_replans=1).arun("q")
    assert result.answer == "Tokyo"
    assert "unknown tool 'fly_to'" in result.trace.replan_reasons[0]
    assert "unknown tool 'fly_to'" in llm.calls[1][1].content


async def test_replan_runs_a_second_plan_without_rerunning_finished_tasks():
    runs: list[str] = []

    @tool
    def search(query: str) -> str:
        """Search the web."""
        runs.append(query)
        return {"capital of France": "Paris", "population of Paris": "2.1 million"}.get(query, "nothing")

    plans = [
        '1. search("capital of France")\n2. join()',
        lambda messages: (
            '2. search("capital of France")\n3. search(query="population of $1")\n4. join()'
            if "numbering its tasks from 2" in messages[1].content
            else "1. join()"
        ),
    ]
    joins = ["Thought: need the population.\nAction: Replan(find the population of $1)", "Action: Finish(2.1 million (Paris))"]
    llm = ScriptedLLM([plans[0], joins[0], plans[1], joins[1]])
    events = []
    agent = Agent(llm, [search], max_replans=2)
    async for event in agent.astream("How many people live in the capital of France?"):
        events.append(event)
    answer = events[-1]
    assert isinstance(answer, FinalAnswer) and answer.answer == "2.1 million (Paris)"
    assert runs == ["capital of France", "population of Paris"]
    trace = answer.trace
    assert [t.idx for t in trace.tasks] == [1, 2, 3]
    assert trace.task(2).same_as == 1 and trace.task(2).observation == "Paris"
    assert [t.plan for t in trace.tasks] == [0, 1, 1]
    assert all(t.step is None for t in trace.tasks) and trace.steps == []
    assert trace.replan_reasons == ["find the population of $1"]
    replan_prompt = llm.calls[2][1].content
    assert "Observation: Paris" in replan_prompt and "Thought: find the population of $1" in replan_prompt
    kinds = [e.kind for e in events]
    assert kinds.count("replanning") == 1 and kinds[-1] == "answer"
    assert any(isinstance(e, PlanText) for e in events)
    started = [e.record.idx for e in events if isinstance(e, TaskStarted)]
    done = [e.record.idx for e in events if isinstance(e, TaskFinished)]
    assert started == [1, 3] and sorted(done) == [1, 2, 3]
    assert isinstance(events[kinds.index("replanning")], Replanning)


async def test_max_replans_bounds_the_loop():
    @tool
    def noop() -> str:
        """Does nothing."""
        return ""

    llm = ScriptedLLM(["1. noop()\n2. join()", "Action: Replan(more)", "2. join()", "Action: Replan(still more)"])
    with pytest.raises(RunError, match="max_replans=1") as info:
        await Agent(llm, [noop], max_replans=1).arun("q")
    assert info.value.trace.replan_reasons == ["more"]
    assert "No new plan is possible now" in llm.calls[3][0].content


async def test_a_new_plan_that_calls_no_tool_gets_a_final_answer_at_once(weather_tools):
    llm = ScriptedLLM(["1. join()", "Action: Replan(look it up)", "1. join()", "Action: Finish(no tool can tell)"])
    result = await Agent(llm, weather_tools, max_replans=2).arun("What is the capital of France?")
    assert result.answer == "no tool can tell"
    assert len(llm.calls) == 4 and result.trace.replan_reasons == ["look it up"]
    assert "No new plan is possible now" not in llm.calls[1][0].content
    assert "No new plan is possible now" in llm.calls[3][0].content


async def test_tasks_run_before_a_plan_error_are_new_results_for_the_joiner(weather_tools):
    llm = ScriptedLLM([
        '1. get_weather("Paris")\n2. join()',
        "Action: Replan(and Tokyo)",
        '2. get_weather("Tokyo")\n3. fly_to("Tokyo")\n4. join()',
        "3. join()",
        "Action: Finish(both)",
    ])
    result = await Agent(llm, weather_tools, max_replans=3).arun("q")
    assert result.answer == "both" and [t.idx for t in result.trace.tasks] == [1, 2]
    assert "No new plan is possible now" not in llm.calls[4][0].content


async def test_a_joiner_that_asks_again_after_a_plan_with_no_tool_is_a_clear_error(weather_tools):
    llm = ScriptedLLM(["1. join()", "Action: Replan(look it up)", "1. join()", "Action: Replan(look harder)"])
    with pytest.raises(RunError, match="after a new plan that called no tool \\(look harder\\)") as info:
        await Agent(llm, weather_tools, max_replans=2).arun("q")
    assert len(llm.calls) == 4 and info.value.trace.replan_reasons == ["look it up"]


async def test_joiner_without_an_action_is_a_clear_error(weather_tools):
    llm = ScriptedLLM(["1. join()", "I think it is sunny."])
    with pytest.raises(JoinerError, match="no `Action: Finish") as info:
        await Agent(llm, weather_tools).arun("q")
    assert info.value.trace.llm_calls[1].completion == "I think it is sunny."


async def test_llm_failure_keeps_the_trace(weather_tools):
    llm = ScriptedLLM([WEATHER_PLAN])
    with pytest.raises(LLMError, match="called 2 times but was given 1") as info:
        await Agent(llm, weather_tools).arun("q")
    trace = info.value.trace
    assert trace.llm_calls[1].error.startswith("LLMError")
    assert [t.status for t in trace.tasks] == ["done", "done", "done"]


async def test_cancelling_a_run_cancels_its_tasks():
    done: list[str] = []

    @tool
    async def slow() -> str:
        """Takes a long time."""
        await asyncio.sleep(10)
        done.append("slow")
        return "late"

    agent = Agent(ScriptedLLM(["1. slow()\n2. slow()\n3. join()", "Action: Finish(x)"]), [slow])
    stream = agent.astream("q")
    first = await anext(stream)
    while not isinstance(first, TaskStarted):
        first = await anext(stream)
    await stream.aclose()
    await asyncio.sleep(0.05)
    assert done == []
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert not tasks, f"tasks left running: {tasks}"


async def test_plan_only_checks_without_running_tools():
    ran: list[str] = []

    @tool
    def book_flight(origin: str, destination: str, seats: int = 1) -> str:
        """Book a flight."""
        ran.append(destination)
        return "booked"

    agent = Agent(ScriptedLLM(['1. book_flight("SFO", "NYC", 2)\n2. book_flight(origin="NYC", destination="$1")\n3. join()']), [book_flight])
    planned = await agent.aplan("book two seats")
    assert planned.valid and ran == []
    assert [(t.tool, t.deps) for t in planned.tasks] == [("book_flight", ()), ("book_flight", (1,))]
    assert planned.tasks[0].args == {"origin": "SFO", "destination": "NYC", "seats": 2}

    bad = await Agent(ScriptedLLM(['1. book_flight("SFO", seats="two")\n2. join()']), [book_flight]).aplan("q")
    assert not bad.valid and "needs argument(s) destination" in str(bad.error)
    assert bad.trace.error is not None and bad.text.startswith("1. book_flight")


async def test_join_with_a_task_answers_with_its_result_and_no_joiner_call(weather_tools):
    llm = ScriptedLLM(['1. get_weather(city="Paris")\n2. get_weather(city="Tokyo")\n3. compare(a=$1, b=$2)\n4. join($3)'])
    result = await Agent(llm, weather_tools).arun("Which is warmer?")
    assert result.answer == "Paris is warmer"
    assert result.trace.answer_task == 3
    assert [c.role for c in result.trace.llm_calls] == ["planner"]


async def test_join_with_a_failed_task_falls_back_to_the_joiner():
    @tool
    def divide(a: float, b: float) -> float:
        """Divide a by b."""
        return a / b

    llm = ScriptedLLM(["1. divide(1, 0)\n2. join($1)", "Action: Finish(cannot divide by zero)"])
    result = await Agent(llm, [divide]).arun("1/0?")
    assert result.answer == "cannot divide by zero"
    assert result.trace.answer_task is None
    assert [c.role for c in result.trace.llm_calls] == ["planner", "joiner"]


async def test_direct_answers_off_always_asks_the_joiner(weather_tools):
    llm = ScriptedLLM(['1. get_weather(city="Paris")\n2. join($1)', "Action: Finish(Paris is 15 C)"])
    result = await Agent(llm, weather_tools, direct_answers=False).arun("Weather in Paris?")
    assert result.answer == "Paris is 15 C"
    assert [c.role for c in result.trace.llm_calls] == ["planner", "joiner"]


def test_a_trace_saved_before_the_step_fields_still_loads():
    old = {
        "question": "q",
        "plans": ["1. f()\n2. join()"],
        "tasks": [{"idx": 1, "tool": "f", "args": {}, "deps": [], "plan": 0, "status": "done", "observation": 1}],
        "replan_reasons": [],
    }
    trace = Trace.from_json(json.dumps(old))
    assert trace.tasks[0].plan == 0 and trace.tasks[0].step is None
    assert trace.steps == [] and trace.plan_fallbacks == []
