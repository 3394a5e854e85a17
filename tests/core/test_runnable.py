"""`Agent.as_runnable()`: invoke, ainvoke, astream and LCEL composition,
with langchain-core's own prompt, message and chain classes."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_core.runnables import RunnableLambda

from agentc import Agent
from agentc.llm import ScriptedLLM
from agentc.runnable import JoinerAnswer, question_and_history

PLAN = '1. get_weather("Lima")\n2. join()'


def make_agent(weather_tools, answers: int, tokens_per_second: float | None = None) -> tuple[Agent, ScriptedLLM]:
    script = []
    for n in range(answers):
        script += [PLAN, f"Thought: it is mild.\nAction: Finish(Lima is mild ({n}))"]
    llm = ScriptedLLM(script, tokens_per_second=tokens_per_second)
    return Agent(llm, weather_tools), llm


def test_invoke_and_compose(weather_tools):
    runnable = make_agent(weather_tools, 2)[0].as_runnable()
    assert runnable.invoke("weather in Lima?") == "Lima is mild (0)"
    assert runnable.last_trace.tasks[0].observation == {"city": "Lima", "temp_c": 12}
    chain = RunnableLambda(lambda city: {"question": f"weather in {city}?"}) | runnable | RunnableLambda(str.upper)
    assert chain.invoke("Lima") == "LIMA IS MILD (1)"


def test_a_chat_prompt_pipes_into_the_agent(weather_tools):
    agent, llm = make_agent(weather_tools, 3)
    chain = ChatPromptTemplate.from_template("What is the weather in {city}?") | agent.as_runnable()
    assert chain.invoke({"city": "Lima"}) == "Lima is mild (0)"
    assert "Question: What is the weather in Lima?" in llm.calls[0][-1].content
    text_chain = PromptTemplate.from_template("Weather in {city}?") | agent.as_runnable() | StrOutputParser()
    assert text_chain.invoke({"city": "Lima"}) == "Lima is mild (1)"
    assert "Question: Weather in Lima?" in llm.calls[2][-1].content
    assert agent.as_runnable().invoke({"input": "weather?"}) == "Lima is mild (2)"


def test_messages_give_the_question_and_the_earlier_turns():
    messages = [
        SystemMessage("be brief"),
        HumanMessage("How far is Lima?"),
        AIMessage("1000 km"),
        HumanMessage(content=[{"type": "text", "text": "And in miles?"}]),
    ]
    question, history = question_and_history(messages)
    assert question == "And in miles?"
    assert [(t.question, t.answer) for t in history] == [("How far is Lima?", "1000 km")]
    assert question_and_history({"messages": [("human", "hi")]}) == ("hi", ())
    assert question_and_history(ChatPromptTemplate.from_messages([("system", "s"), ("human", "q {x}")]).invoke({"x": 1})) == (
        "q 1",
        (),
    )
    with pytest.raises(TypeError, match="no human message"):
        question_and_history([SystemMessage("only rules")])
    with pytest.raises(TypeError, match="a question: a string"):
        question_and_history(42)


async def test_astream_yields_the_answer_as_the_joiner_writes_it(weather_tools):
    agent, _ = make_agent(weather_tools, 1, tokens_per_second=500)
    chunks = [c async for c in agent.as_runnable().astream("weather?")]
    assert "".join(chunks) == "Lima is mild (0)"
    assert len(chunks) >= 3 and chunks[0].startswith("Lima")  # piece by piece, as the joiner writes


async def test_astream_events_carry_the_runs_events(weather_tools):
    agent, _ = make_agent(weather_tools, 1)
    chain = ChatPromptTemplate.from_template("Weather in {city}?") | agent.as_runnable()
    names, streamed = [], []
    async for event in chain.astream_events({"city": "Lima"}, version="v2"):
        if event["event"] == "on_custom_event":
            names.append(event["name"])
        elif event["event"] == "on_chain_stream" and event.get("parent_ids") == []:
            streamed.append(event["data"]["chunk"])
    assert "".join(streamed) == "Lima is mild (0)"
    for kind in ("agentc_llm_started", "agentc_llm_tokens", "agentc_plan_text", "agentc_task_started", "agentc_answer"):
        assert kind in names, kind
    assert names.index("agentc_task_finished") < names.index("agentc_answer")


async def test_a_direct_answer_streams_whole(weather_tools):
    llm = ScriptedLLM(['1. get_weather("Lima")\n2. join($1)'])
    chunks = [c async for c in Agent(llm, weather_tools).as_runnable().astream("weather?")]
    assert chunks == ['{"city": "Lima", "temp_c": 12}']


def test_the_joiner_answer_is_released_only_where_it_is_known():
    answer = JoinerAnswer()
    pieces = ["Thought: x\nAct", "ion: Finish(", "  a (b", ") c", ")", "\nDone."]
    released = [answer.feed(p) for p in pieces]
    assert released == ["", "", "a (b", "", ") c", ""]
    assert "".join(released) == "a (b) c"
