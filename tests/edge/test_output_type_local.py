"""Typed outputs and conversations on the bundled model (SmolLM2 with its
tuned adapter, `load_local_llm()`), with the built-in tools, on 2 CPU cores.

The typed answer is held to the answer's JSON schema by the joiner grammar,
so it validates whatever the model's skill. Measured here: the tuned model
plans `convert_units(value=26.2, from_unit="miles", to_unit="km")` and
answers `Action: Finish({"kilometres": 42.16})` (right) in about 5 s. It
does not yet carry a figure from one turn into the next plan: asked "And
what is 10% of that?" after that answer it plans
`calculate(expression="0.1 * 26.2")`, the earlier question's figure, not
the answer's. So the conversation test checks that the earlier turn reaches
the planner's prompt and that the run completes, not the figure.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from pydantic import BaseModel

from agentc import Agent, Conversation
from agentc.edge.gbnf import grammar_accepts
from agentc.edge.grammar import joiner_grammar
from agentc.joiner import Replan
from agentc.llm.base import complete
from agentc.output import OutputSpec, Unfit
from agentc.planners.llmcompiler import joiner_messages
from agentc.tools.builtin import calculate, convert_units
from agentc.trace import TaskRecord

pytestmark = pytest.mark.slow


class Conversion(BaseModel):
    kilometres: float


@pytest.fixture(scope="module")
def local_llm() -> Iterator[Any]:
    from agentc.edge.models import load_local_llm

    llm = load_local_llm()
    yield llm
    llm.close()


async def test_a_typed_answer_validates_on_the_bundled_model(local_llm):
    result = await Agent(local_llm, [calculate, convert_units], output_type=Conversion).arun(
        "How many kilometres is 26.2 miles?"
    )
    assert isinstance(result.output, Conversion)
    assert result.answer == result.output.model_dump_json()
    joiner_prompts = [c.prompt for c in result.trace.llm_calls if c.role == "joiner"]
    assert joiner_prompts and all(p[-1]["role"] == "user" and len(p) == 2 for p in joiner_prompts)  # no second try


def test_the_typed_joiner_grammar_takes_json_inside_finish_only(vocab):
    grammar = joiner_grammar(output_schema=Conversion.model_json_schema())
    assert grammar_accepts(vocab, grammar, 'Thought: 42.16 km.\nAction: Finish({"kilometres": 42.16})')
    assert grammar_accepts(vocab, grammar, "Thought: no result.\nAction: Replan(convert the miles)")
    assert not grammar_accepts(vocab, grammar, "Thought: 42.16 km.\nAction: Finish(42.16 km)")
    assert not grammar_accepts(vocab, grammar, 'Thought: 42.16 km.\nAction: Finish({"miles": 26.2})')


async def test_the_grammar_holds_an_untuned_model_to_the_schema(smollm2):
    spec = OutputSpec(Conversion)
    converted = TaskRecord(1, "convert_units", {"value": 26.2, "from_unit": "miles", "to_unit": "km"}, [])
    converted.status, converted.observation = "done", 42.16
    messages = joiner_messages(
        "How many kilometres is 26.2 miles?",
        [converted],
        final=True,
        output_schema=spec.schema,
    )
    reply = await complete(smollm2, messages, grammar=smollm2.joiner_grammar(spec.schema), max_tokens=200)
    decision = spec.read(reply.text, final=False)
    assert not isinstance(decision, Unfit), reply.text
    assert isinstance(decision, Replan) or isinstance(decision.output, Conversion)


async def test_a_follow_up_sees_the_earlier_turn_on_the_bundled_model(local_llm):
    conv = Conversation(Agent(local_llm, [calculate, convert_units]))
    first = await conv.aask("How many kilometres is 26.2 miles?")
    second = await conv.aask("And what is 10% of that?")
    planner_prompt = next(c for c in second.trace.llm_calls if c.role == "planner").prompt[1]["content"]
    assert planner_prompt.startswith("Earlier in this conversation:\nQuestion: How many kilometres is 26.2 miles?\n")
    assert f"\nAnswer: {first.answer}\n" in planner_prompt
    assert planner_prompt.endswith("Question: And what is 10% of that?")
    assert second.answer.strip()
    assert len(conv.turns) == 2
