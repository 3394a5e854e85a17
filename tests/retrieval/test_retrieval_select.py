"""`select_tools`: the planner's ToolRAG hook, on real `@tool` functions."""

from __future__ import annotations

import pytest

from agentc import tool
from agentc.retrieval import RetrievalError, SentenceEncoder, Tool2VecRetriever, ToolRAG, select_tools


@tool
def get_weather(city: str) -> str:
    """Current weather and forecast for a city: temperature, rain, wind."""
    return city


@tool
def convert_currency(amount: float, source: str, target: str) -> float:
    """Convert an amount of money from one currency to another at today's exchange rate."""
    return amount


@tool
def send_email(to: str, subject: str, body: str) -> None:
    """Send an email message to a recipient."""


@tool
def search_flights(origin: str, destination: str, date: str) -> list:
    """Find airline flights between two airports on a date."""
    return []


TOOLS = [get_weather, convert_currency, send_email, search_flights]


@pytest.fixture
def retriever(encoder: SentenceEncoder) -> Tool2VecRetriever:
    retriever = Tool2VecRetriever(encoder)
    retriever.fit(TOOLS, {"get_weather": ["Do I need an umbrella in London?"], "send_email": ["Write to Ann"]})
    return retriever


def test_returns_the_tool_objects_best_first(retriever: Tool2VecRetriever) -> None:
    chosen = select_tools(retriever, "How many euros is 250 dollars?", TOOLS, k=2)
    assert len(chosen) == 2
    assert chosen[0] is convert_currency
    assert all(t in TOOLS for t in chosen)


def test_only_the_given_tools_are_returned(retriever: Tool2VecRetriever) -> None:
    chosen = select_tools(retriever, "Is it going to snow in Oslo?", [send_email, search_flights], k=1)
    assert chosen[0] in (send_email, search_flights)
    assert len(chosen) == 1


def test_k_above_the_tool_count_returns_every_tool_ranked(retriever: Tool2VecRetriever) -> None:
    chosen = select_tools(retriever, "Book me a flight from Paris to Rome", TOOLS, k=10)
    assert chosen[0] is search_flights
    assert sorted(t.name for t in chosen) == sorted(t.name for t in TOOLS)


def test_unseen_tools_are_added_without_refit(retriever: Tool2VecRetriever) -> None:
    @tool
    def translate(text: str, language: str) -> str:
        """Translate text into another language."""
        return text

    chosen = select_tools(retriever, "Say 'good morning' in Japanese", [*TOOLS, translate], k=1)
    assert chosen == [translate]
    assert "translate" in retriever.tool_names


def test_k_below_one_is_an_error(retriever: Tool2VecRetriever) -> None:
    with pytest.raises(RetrievalError, match="top_k"):
        select_tools(retriever, "anything", TOOLS, k=0)


def test_toolrag_brings_a_chosen_tools_companions_before_it(retriever: Tool2VecRetriever) -> None:
    question = "Write an email to Ann about the trip"
    assert ToolRAG(retriever, k=1)(question, TOOLS) == [send_email]
    with_companions = ToolRAG(retriever, k=1, companions={"send_email": {"search_flights"}, "get_weather": {"convert_currency"}})
    assert with_companions(question, TOOLS) == [search_flights, send_email]


def test_toolrag_companions_count_towards_k(retriever: Tool2VecRetriever) -> None:
    rag = ToolRAG(retriever, k=3, companions={"send_email": {"search_flights"}})
    chosen = rag("Write an email to Ann about the trip", TOOLS)
    assert len(chosen) == 3
    assert chosen.index(search_flights) < chosen.index(send_email)
    assert ToolRAG(retriever, k=2, companions={"send_email": {"translate"}})("Write to Ann", TOOLS)[0] is send_email
