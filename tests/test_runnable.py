"""`Agent.as_runnable()`: invoke, ainvoke, astream and LCEL composition."""

from __future__ import annotations

import pytest
from langchain_core.runnables import RunnableLambda

from agentc import Agent
from agentc.llm import ScriptedLLM

PLAN = '1. get_weather("Lima")\n2. join()'


def make_agent(weather_tools, answers: int) -> Agent:
    script = []
    for n in range(answers):
        script += [PLAN, f"Action: Finish(Lima is mild ({n}))"]
    return Agent(ScriptedLLM(script), weather_tools)


def test_invoke_and_compose(weather_tools):
    runnable = make_agent(weather_tools, 2).as_runnable()
    assert runnable.invoke("weather in Lima?") == "Lima is mild (0)"
    assert runnable.last_trace.tasks[0].observation == {"city": "Lima", "temp_c": 12}
    chain = RunnableLambda(lambda city: {"question": f"weather in {city}?"}) | runnable | RunnableLambda(str.upper)
    assert chain.invoke("Lima") == "LIMA IS MILD (1)"


async def test_ainvoke_and_astream(weather_tools):
    runnable = make_agent(weather_tools, 2).as_runnable()
    assert await runnable.ainvoke({"question": "weather?"}) == "Lima is mild (0)"
    chunks = [c async for c in runnable.astream("weather?")]
    assert chunks == ["Lima is mild (1)"]
    with pytest.raises(TypeError, match="question string"):
        await runnable.ainvoke(42)
