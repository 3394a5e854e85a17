"""ToolRAG in the planner: only the retrieved tools reach the planner prompt."""

from __future__ import annotations

from agentc import Agent, tool
from agentc.llm import ScriptedLLM
from agentc.retrieval import BM25Retriever, ToolRAG


def make_tools():
    @tool
    def get_weather(city: str) -> str:
        """Current weather forecast, temperature and rain for a city."""
        return f"sunny in {city}"

    @tool
    def send_email(to: str, body: str) -> str:
        """Send an email message to a recipient address."""
        return "sent"

    @tool
    def stock_price(ticker: str) -> float:
        """Latest stock market price of a company ticker symbol."""
        return 101.5

    return [get_weather, send_email, stock_price]


async def test_planner_sees_only_the_retrieved_tools_and_the_trace_says_which():
    tools = make_tools()
    retriever = BM25Retriever()
    retriever.fit(tools)
    llm = ScriptedLLM(['1. get_weather("Oslo")\n2. join()', "Action: Finish(sunny)"])
    agent = Agent(llm, tools, tool_selector=ToolRAG(retriever, k=1))
    result = await agent.arun("What is the weather forecast and temperature in Oslo?")
    assert result.answer == "sunny"
    assert result.trace.offered_tools == ["get_weather"]
    system = llm.calls[0][0].content
    assert "get_weather(city: str)" in system
    assert "send_email" not in system and "stock_price" not in system


async def test_plans_are_still_checked_against_every_tool():
    tools = make_tools()
    retriever = BM25Retriever()
    retriever.fit(tools)
    llm = ScriptedLLM(['1. stock_price("ACME")\n2. join()', "Action: Finish(101.5)"])
    result = await Agent(llm, tools, tool_selector=ToolRAG(retriever, k=1)).arun("weather in Oslo?")
    assert result.trace.offered_tools == ["get_weather"]
    assert result.trace.tasks[0].observation == 101.5
