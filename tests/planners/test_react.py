"""ReActAgent: the step loop through real tools, its trace, its bounds and its errors."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest

from agentc import Agent, RunError, tool
from agentc.edge.gbnf import grammar_accepts
from agentc.edge.grammar import action_grammar
from agentc.events import FinalAnswer, PlanText, TaskFinished, TaskStarted
from agentc.llm import ScriptedLLM
from agentc.agent import AGENT_KINDS, build_agent
from agentc.planners.parallel_fc import ParallelFCAgent
from agentc.planners.react import FINISH_GRAMMAR, ReActAgent, read_step
from agentc.trace import LLMCall, TaskRecord, Trace

PARIS = 'Thought: I need the weather in Paris.\nAction: get_weather(city="Paris")'
TOKYO = 'Thought: I need the weather in Tokyo.\nAction: get_weather(city="Tokyo")'
COMPARE = (
    'Thought: compare them.\nAction: compare(a={"city": "Paris", "temp_c": 15}, b={"city": "Tokyo", "temp_c": 15})'
)
FINISH = "Thought: the comparison says Paris.\nAction: Finish[Paris is warmer]"


async def test_answers_through_real_tools_one_call_per_step(weather_tools):
    llm = ScriptedLLM([PARIS, TOKYO, COMPARE, FINISH])
    result = await ReActAgent(llm, weather_tools).arun("Which is warmer, Paris or Tokyo?")
    assert result.answer == "Paris is warmer"
    trace = result.trace
    assert [t.tool for t in trace.tasks] == ["get_weather", "get_weather", "compare"]
    assert [t.idx for t in trace.tasks] == [1, 2, 3]
    assert [t.step for t in trace.tasks] == [0, 1, 2]
    assert all(t.plan is None for t in trace.tasks) and trace.plans == []
    assert trace.tasks[2].observation == "Paris is warmer"
    assert trace.tasks[0].thought == "I need the weather in Paris."
    assert all(t.status == "done" and t.finished_at >= t.started_at for t in trace.tasks)
    # one tool at a time: each call starts after the previous one ended
    assert trace.tasks[1].started_at >= trace.tasks[0].finished_at
    assert [c.role for c in trace.llm_calls] == ["react"] * 4
    assert trace.steps == [PARIS, TOKYO, COMPARE, FINISH]
    # the scratchpad grows: step 3 sees both observations, re-sent
    third = llm.calls[2]
    assert [m.role for m in third] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert third[3].content == 'Observation: {"city": "Paris", "temp_c": 15}'
    assert "get_weather(city: str): Current weather of a city." in third[0].content
    assert "Never repeat an action with the same arguments" in third[0].content
    prompts = [c.prompt_tokens for c in trace.llm_calls]
    assert prompts == sorted(prompts) and prompts[0] > 0
    assert all(c.completion_tokens > 0 for c in trace.llm_calls)


def test_trace_has_the_shape_of_an_agent_trace_and_round_trips(weather_tools):
    react = ReActAgent(ScriptedLLM([PARIS, FINISH]), weather_tools).run("Weather in Paris?")
    compiler = Agent(ScriptedLLM(['1. get_weather("Paris")\n2. join()', "Action: Finish(15 C)"]), weather_tools).run("q")
    for trace in (react.trace, compiler.trace):
        assert isinstance(trace, Trace) and trace.finished_at is not None
        assert all(isinstance(t, TaskRecord) for t in trace.tasks)
        assert all(isinstance(c, LLMCall) and c.finished_at is not None for c in trace.llm_calls)
    shape = {f.name for f in dataclasses.fields(TaskRecord)}
    assert set(vars(react.trace.tasks[0])) == set(vars(compiler.trace.tasks[0])) == shape
    assert react.trace.tasks[0].args == compiler.trace.tasks[0].args == {"city": "Paris"}
    again = Trace.from_json(react.trace.to_json())
    assert again == react.trace
    assert json.loads(react.trace.to_json())["tasks"][0]["observation"] == {"city": "Paris", "temp_c": 15}


async def test_max_steps_bounds_the_loop(weather_tools):
    cities = ["Paris", "Tokyo", "Lima", "Oslo"]
    steps = [f'Thought: more.\nAction: get_weather(city="{c}")' for c in cities]
    llm = ScriptedLLM(steps)
    with pytest.raises(RunError, match="max_steps=3") as info:
        await asyncio.wait_for(ReActAgent(llm, weather_tools, max_steps=3).arun("q"), timeout=5)
    trace = info.value.trace
    assert len(trace.llm_calls) == 3 and len(llm.calls) == 3
    assert [t.args["city"] for t in trace.tasks] == cities[:2]  # the last step's action is not run
    assert "max_steps=3" in trace.error and "the last step was another action" in trace.error
    assert "This was the last action you may take" in llm.calls[2][-1].content


async def test_last_step_on_a_grammar_backend_may_only_finish(weather_tools):
    grammar = action_grammar(weather_tools)
    llm = ScriptedLLM([PARIS, "Thought: out of steps.\nAction: Finish[about 15 C]"])
    result = await ReActAgent(llm, weather_tools, max_steps=2, action_grammar=grammar).arun("Weather in Paris?")
    assert result.answer == "about 15 C"
    assert llm.grammars == [grammar, FINISH_GRAMMAR]


def test_the_action_grammar_accepts_the_steps_the_agent_reads(weather_tools, vocab):
    grammar = action_grammar(weather_tools)
    for text in (PARIS, COMPARE, FINISH):
        assert grammar_accepts(vocab, grammar, text), text
        step = read_step(text)
        assert step.error is None
    for bad in ('Thought: x\nAction: get_weather(town="Paris")', "Action: Finish[x]", PARIS + "\nObservation: hot"):
        assert not grammar_accepts(vocab, grammar, bad), bad
    assert grammar_accepts(vocab, FINISH_GRAMMAR, FINISH)
    assert not grammar_accepts(vocab, FINISH_GRAMMAR, PARIS)


async def test_a_repeated_action_is_not_run_again_and_the_model_is_told():
    runs: list[str] = []

    @tool
    def search(query: str) -> str:
        """Search."""
        runs.append(query)
        return f"found {query}"

    step = 'Thought: look.\nAction: search(query="x")'
    llm = ScriptedLLM([step, step, "Thought: enough.\nAction: Finish[x]"])
    result = await ReActAgent(llm, [search]).arun("q")
    assert runs == ["x"]
    assert result.trace.tasks[1].same_as == 1 and result.trace.tasks[1].observation == "found x"
    assert "this repeats an earlier action, so it was not run again" in llm.calls[2][-1].content


async def test_a_raising_tool_becomes_an_error_observation():
    @tool
    def divide(a: float, b: float) -> float:
        """Divide a by b."""
        return a / b

    llm = ScriptedLLM(["Thought: divide.\nAction: divide(1, 0)", "Thought: it failed.\nAction: Finish[cannot divide by zero]"])
    result = await ReActAgent(llm, [divide]).arun("1/0?")
    assert result.trace.tasks[0].status == "error"
    assert "ZeroDivisionError" in result.trace.tasks[0].error
    assert llm.calls[1][-1].content.startswith("Observation: Error: tool 'divide' raised ZeroDivisionError")
    assert result.answer == "cannot divide by zero"


async def test_unreadable_actions_become_error_observations_and_the_run_goes_on(weather_tools):
    llm = ScriptedLLM(
        [
            "Thought: hmm.\nAction: get_weather(city=Paris)",
            "I think it is sunny.",
            'Thought: x.\nAction: fly_to(city="Tokyo")',
            'Thought: x.\nAction: get_weather(city=$1)',
            FINISH,
        ]
    )
    result = await asyncio.wait_for(ReActAgent(llm, weather_tools).arun("q"), timeout=5)
    assert result.answer == "Paris is warmer"
    seen = [call[-1].content for call in llm.calls[1:]]
    assert "cannot read the action 'get_weather(city=Paris)'" in seen[0] and "put text in quotes" in seen[0]
    assert "the step has no `Action:` line" in seen[1]
    assert "unknown tool 'fly_to'" in seen[2]
    assert "not references like $1" in seen[3]
    # calls that name a tool are recorded as failed tasks; unreadable text is not a task
    assert [(t.tool, t.status) for t in result.trace.tasks] == [("fly_to", "error"), ("get_weather", "error")]
    assert result.trace.steps[1] == "I think it is sunny."


async def test_a_model_that_never_acts_ends_with_a_clear_error(weather_tools):
    llm = ScriptedLLM(["no idea"] * 3)
    with pytest.raises(RunError, match="the step has no `Action:` line") as info:
        await asyncio.wait_for(ReActAgent(llm, weather_tools, max_steps=3).arun("q"), timeout=5)
    assert info.value.trace.tasks == []


def test_read_step_finish_forms_and_text_after_the_action():
    assert read_step("Thought: t\nAction: Finish[a [nested] answer]").answer == "a [nested] answer"
    assert read_step("Action: Finish(Paris (15 C))").answer == "Paris (15 C)"
    step = read_step('Thought: t\nAction: get_weather(city="Paris")\nThought: I will now imagine the result')
    assert step.text == 'Thought: t\nAction: get_weather(city="Paris")'
    assert step.call == ("get_weather", (), (("city", "Paris"),), 'get_weather(city="Paris")')
    assert "holds no answer" in read_step("Action: Finish[ ]").error


async def test_astream_yields_the_agent_events(weather_tools):
    agent = ReActAgent(ScriptedLLM([PARIS, FINISH]), weather_tools)
    events = [e async for e in agent.astream("Weather in Paris?")]
    kinds = [e.kind for e in events]
    assert kinds[-1] == "answer" and isinstance(events[-1], FinalAnswer)
    assert "".join(e.text for e in events if isinstance(e, PlanText) and e.plan == 0) == PARIS
    started = [e for e in events if isinstance(e, TaskStarted)]
    finished = [e for e in events if isinstance(e, TaskFinished)]
    assert [e.record.tool for e in started] == ["get_weather"] and finished[0].record.status == "done"
    assert kinds.index("task_started") < kinds.index("task_finished") < kinds.index("answer")


async def test_run_inside_a_loop_says_to_await(weather_tools):
    with pytest.raises(RuntimeError, match="await agent.arun"):
        ReActAgent(ScriptedLLM([]), weather_tools).run("q")


@pytest.mark.slow
async def test_the_local_model_answers_through_a_real_tool(smollm2, weather_tools):
    tools = weather_tools[:1]  # get_weather
    grammar = action_grammar(tools)
    agent = ReActAgent(smollm2, tools, max_steps=2, action_grammar=grammar, max_step_tokens=96)
    result = await asyncio.wait_for(agent.arun("Get the current weather of Paris."), timeout=300)
    trace = result.trace
    assert result.answer
    assert trace.tasks and trace.tasks[0].tool == "get_weather" and trace.tasks[0].status == "done"
    assert "temp_c" in trace.llm_calls[1].prompt[-1]["content"]
    assert all(read_step(c.completion).error is None for c in trace.llm_calls)
    assert all(c.prompt_tokens > 0 and c.completion_tokens > 0 for c in trace.llm_calls)


def test_build_agent_picks_the_style_by_name(weather_tools):
    llm = ScriptedLLM([])
    assert isinstance(build_agent("compiler", llm, weather_tools, max_replans=1), Agent)
    assert build_agent("react", llm, weather_tools, max_steps=4).max_steps == 4
    assert isinstance(build_agent("parallel", llm, weather_tools), ParallelFCAgent)
    assert set(AGENT_KINDS) == {"compiler", "react", "parallel"}
    with pytest.raises(ValueError, match="unknown agent kind 'plan'; choose one of: compiler, react, parallel"):
        build_agent("plan", llm, weather_tools)
    with pytest.raises(TypeError, match="ReActAgent \\(agent kind 'react'\\) does not take these options"):
        build_agent("react", llm, weather_tools, max_replans=1)
