"""ParallelFCAgent: concurrent calls per turn through real tools, its trace, bounds and errors."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any, AsyncIterator

import pytest
from llama_cpp.llama_grammar import json_schema_to_gbnf

from agentc import Agent, RunError, tool
from agentc.edge.gbnf import grammar_accepts
from agentc.events import FinalAnswer, PlanText, TaskFinished, TaskStarted
from agentc.llm import LLMChunk, Message, ScriptedLLM
from agentc.planners.parallel_fc import ParallelFCAgent, answer_schema, read_turn, turn_schema
from agentc.trace import LLMCall, TaskRecord, Trace

BOTH = '[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Tokyo"}}]'
COMPARE = (
    '[{"name": "compare", "arguments": {"a": {"city": "Paris", "temp_c": 15}, "b": {"city": "Tokyo", "temp_c": 15}}}]'
)
ANSWER = '{"answer": "Paris is warmer"}'


class SchemaRecorder:
    """An LLM backend that replays a ScriptedLLM and keeps the JSON schema of each call."""

    def __init__(self, completions: list[Any]) -> None:
        self.inner = ScriptedLLM(completions)
        self.schemas: list[dict[str, Any] | None] = []

    async def stream(self, messages: list[Message], **options: Any) -> AsyncIterator[LLMChunk]:
        self.schemas.append(options.get("json_schema"))
        async for chunk in self.inner.stream(messages, **options):
            yield chunk


async def test_calls_of_a_turn_run_at_once_through_real_tools(weather_tools):
    llm = ScriptedLLM([BOTH, COMPARE, ANSWER])
    result = await ParallelFCAgent(llm, weather_tools).arun("Which is warmer, Paris or Tokyo?")
    assert result.answer == "Paris is warmer"
    trace = result.trace
    assert [(t.idx, t.tool, t.step) for t in trace.tasks] == [(1, "get_weather", 0), (2, "get_weather", 0), (3, "compare", 1)]
    assert all(t.plan is None for t in trace.tasks) and trace.plans == []
    paris, tokyo, compare = trace.tasks
    assert tokyo.started_at < paris.finished_at  # the two 0.2 s calls overlapped
    assert compare.started_at >= max(paris.finished_at, tokyo.finished_at)
    assert compare.observation == "Paris is warmer"
    assert [c.role for c in trace.llm_calls] == ["parallel_fc"] * 3
    assert trace.steps == [BOTH, COMPARE, ANSWER]
    results = llm.calls[1][-1].content
    assert results.splitlines() == [
        "Results:",
        'get_weather({"city": "Paris"}) -> {"city": "Paris", "temp_c": 15}',
        'get_weather({"city": "Tokyo"}) -> {"city": "Tokyo", "temp_c": 15}',
    ]
    assert "get_weather(city: str): Current weather of a city." in llm.calls[0][0].content
    assert all(c.prompt_tokens > 0 and c.completion_tokens > 0 for c in trace.llm_calls)


def test_trace_has_the_shape_of_an_agent_trace_and_round_trips(weather_tools):
    fc = ParallelFCAgent(ScriptedLLM([BOTH, ANSWER]), weather_tools).run("q")
    compiler = Agent(ScriptedLLM(['1. get_weather("Paris")\n2. join()', "Action: Finish(15 C)"]), weather_tools).run("q")
    for trace in (fc.trace, compiler.trace):
        assert all(isinstance(t, TaskRecord) for t in trace.tasks)
        assert all(isinstance(c, LLMCall) and c.finished_at is not None for c in trace.llm_calls)
    shape = {f.name for f in dataclasses.fields(TaskRecord)}
    assert set(vars(fc.trace.tasks[0])) == set(vars(compiler.trace.tasks[0])) == shape
    assert fc.trace.tasks[0].args == compiler.trace.tasks[0].args
    assert Trace.from_json(fc.trace.to_json()) == fc.trace
    assert json.loads(fc.trace.to_json())["tasks"][1]["observation"] == {"city": "Tokyo", "temp_c": 15}


async def test_max_turns_bounds_the_loop(weather_tools):
    turns = [json.dumps([{"name": "get_weather", "arguments": {"city": c}}]) for c in ("Paris", "Lima", "Oslo")]
    llm = ScriptedLLM(turns)
    with pytest.raises(RunError, match="max_turns=3") as info:
        await asyncio.wait_for(ParallelFCAgent(llm, weather_tools, max_turns=3).arun("q"), timeout=5)
    assert len(info.value.trace.llm_calls) == 3 and len(info.value.trace.tasks) == 2  # the last turn's call is not run
    assert "the last turn asked for more calls" in str(info.value)
    assert "This is the last turn" in llm.calls[2][-1].content


async def test_last_turn_schema_allows_only_an_answer(weather_tools):
    llm = SchemaRecorder([BOTH, ANSWER])
    agent = ParallelFCAgent(llm, weather_tools, max_turns=2)
    assert (await agent.arun("q")).answer == "Paris is warmer"
    assert llm.schemas == [agent.schema, answer_schema()]
    no_schema = SchemaRecorder([ANSWER])
    await ParallelFCAgent(no_schema, weather_tools, json_schema=False).arun("q")
    assert no_schema.schemas == [None]


def test_the_turn_schema_as_a_grammar_accepts_what_the_agent_reads(weather_tools, vocab):
    grammar = json_schema_to_gbnf(json.dumps(turn_schema(weather_tools, max_calls=2)))
    for text in (BOTH, COMPARE, ANSWER):
        assert grammar_accepts(vocab, grammar, text), text
        assert read_turn(text).error is None
    too_many = json.dumps([{"name": "get_weather", "arguments": {"city": c}} for c in "abc"])
    too_long = json.dumps([{"name": "get_weather", "arguments": {"city": "x" * 201}}])
    for bad in ('[{"name": "fly_to", "arguments": {}}]', "[]", '{"answer": 3}', too_many, too_long, "Paris"):
        assert not grammar_accepts(vocab, grammar, bad), bad


async def test_a_raising_tool_is_an_error_result_and_the_others_still_run():
    @tool
    def divide(a: float, b: float) -> float:
        """Divide a by b."""
        return a / b

    turn = '[{"name": "divide", "arguments": {"a": 1, "b": 0}}, {"name": "divide", "arguments": {"a": 6, "b": 3}}]'
    llm = ScriptedLLM([turn, '{"answer": "2"}'])
    result = await ParallelFCAgent(llm, [divide]).arun("q")
    assert [t.status for t in result.trace.tasks] == ["error", "done"]
    lines = llm.calls[1][-1].content.splitlines()
    assert lines[1].startswith('divide({"a": 1, "b": 0}) -> Error: tool \'divide\' raised ZeroDivisionError')
    assert lines[2] == 'divide({"a": 6, "b": 3}) -> 2.0'


async def test_bad_output_is_sent_back_as_an_error_and_the_run_goes_on(weather_tools):
    llm = ScriptedLLM(
        [
            '[{"name": "get_weather", "arguments": {"city": "Paris"}',
            '[{"arguments": {"city": "Paris"}}]',
            '[{"name": "fly_to", "arguments": {"city": "Tokyo"}}, {"name": "get_weather", "arguments": {"town": "Oslo"}}]',
            ANSWER,
        ]
    )
    result = await asyncio.wait_for(ParallelFCAgent(llm, weather_tools).arun("q"), timeout=5)
    assert result.answer == "Paris is warmer"
    assert llm.calls[1][-1].content.startswith("Error: the reply is not JSON (Expecting ',' delimiter")
    assert llm.calls[2][-1].content.startswith('Error: call 1 is not an object with a "name"')
    third = llm.calls[3][-1].content
    assert "unknown tool 'fly_to'" in third and "get_weather has no argument 'town'" in third
    assert [(t.tool, t.status) for t in result.trace.tasks] == [("fly_to", "error"), ("get_weather", "error")]


async def test_a_model_that_never_writes_json_ends_with_a_clear_error(weather_tools):
    llm = ScriptedLLM(["I would call the weather tool."] * 2)
    with pytest.raises(RunError, match="the reply is not JSON") as info:
        await asyncio.wait_for(ParallelFCAgent(llm, weather_tools, max_turns=2).arun("q"), timeout=5)
    assert info.value.trace.llm_calls[0].completion == "I would call the weather tool."


def test_read_turn_takes_the_common_shapes():
    fenced = read_turn('```json\n[{"name": "f", "arguments": {"x": 1}}]\n```')
    assert fenced.calls == [("f", {"x": 1})]
    openai = read_turn('[{"type": "function", "function": {"name": "f", "arguments": "{\\"x\\": 2}"}}]')
    assert openai.calls == [("f", {"x": 2})]
    assert read_turn('{"name": "f", "arguments": {}}').calls == [("f", {})]
    assert read_turn('{"tool_calls": [{"name": "f"}]}').calls == [("f", {})]
    assert read_turn('Here you go: {"answer": "yes"} hope it helps').answer == "yes"
    assert read_turn('{"answer": [1, 2]}').answer == "[1, 2]"
    assert "at most 2 may run in one turn" in read_turn('[{"name": "f"}, {"name": "f"}, {"name": "f"}]', max_calls=2).error
    assert "must be a JSON object" in read_turn('[{"name": "f", "arguments": [1]}]').error
    assert "the reply is empty" in read_turn("  ").error


async def test_astream_yields_the_agent_events(weather_tools):
    events = [e async for e in ParallelFCAgent(ScriptedLLM([BOTH, ANSWER]), weather_tools).astream("q")]
    assert isinstance(events[-1], FinalAnswer) and events[-1].answer == "Paris is warmer"
    assert "".join(e.text for e in events if isinstance(e, PlanText) and e.plan == 0) == BOTH
    assert len([e for e in events if isinstance(e, TaskStarted)]) == 2
    assert {e.record.idx for e in events if isinstance(e, TaskFinished)} == {1, 2}


@pytest.mark.slow
async def test_the_local_model_calls_a_real_tool_under_the_schema(smollm2, weather_tools):
    tools = weather_tools[:1]  # get_weather
    agent = ParallelFCAgent(smollm2, tools, max_turns=2, max_turn_tokens=128)
    result = await asyncio.wait_for(agent.arun("What is the weather in Paris?"), timeout=300)
    trace = result.trace
    assert result.answer
    assert trace.tasks and all(t.tool == "get_weather" and t.status == "done" for t in trace.tasks)
    assert trace.tasks[0].args == {"city": "Paris"}
    assert "temp_c" in trace.llm_calls[1].prompt[-1]["content"]
    assert all(read_turn(c.completion).error is None for c in trace.llm_calls)
