"""The bundled local model plans over the desktop toolkit, with the plan
grammar, ToolRAG and the retrieved example plans (validity and structure,
not the model's quality)."""

from __future__ import annotations

from typing import Iterator

import pytest

from agentc.consent import decline_all
from agentc.edge.assistant import Assistant, tool_rag
from agentc.edge.grammar import agent_grammars
from agentc.edge.models import load_local_llm
from agentc.tools.desktop import desktop_tools

QUESTIONS = [
    "Email Lutfi the slides and put a meeting with him on my calendar tomorrow at 3pm",
    "Remind me to call the dentist on Monday at 9am",
    "Text Ann that I am running late",
]


@pytest.fixture(scope="module")
def smollm2() -> Iterator[object]:
    llm = load_local_llm("smollm2", n_ctx=4096)
    yield llm
    llm.close()


@pytest.fixture
def toolkit(config, smollm2):
    return desktop_tools(config, backend="portable", llm=smollm2)


@pytest.mark.slow
@pytest.mark.parametrize("question", QUESTIONS)
async def test_smollm2_writes_a_valid_plan_over_the_toolkit(smollm2, toolkit, question):
    assistant = Assistant(smollm2, toolkit, approve=decline_all, agent_options=agent_grammars())
    result = await assistant.plan(question)
    assert result.valid, result.error
    names = {t.name for t in toolkit}
    assert all(task.tool in names for task in result.tasks)
    assert [t.idx for t in result.tasks] == list(range(1, len(result.tasks) + 1))
    assert result.text.rstrip().endswith("join()")


@pytest.mark.slow
def test_tool_rag_shows_the_tools_a_request_needs(toolkit):
    rag = tool_rag(toolkit, k=6)
    assert rag is not None
    selector, similarity = rag
    chosen = [t.name for t in selector("Email Lutfi and put a meeting on my calendar", toolkit)]
    assert len(chosen) == 6
    assert {"send_email", "get_email_address", "create_calendar_event"} <= set(chosen)
    # The README's request: without the lookup the planner cannot write the number.
    chosen = [t.name for t in selector("Text Maria that I'll be 10 minutes late and add a reminder to buy milk tomorrow", toolkit)]
    assert {"send_sms", "create_reminder"} <= set(chosen)
    assert chosen.index("get_phone_number") < chosen.index("send_sms")
    scores = similarity("text Ann I am late", ["Text Ann that I am running ten minutes late.", "What is on my calendar?"])
    assert scores[0] > scores[1]
