"""Typed outputs: `Agent(output_type=...)` answers with a validated object.

The scripted backend constrains nothing, so a reply that does not fit is
sent back once with what was wrong; an OpenAI-compatible server gets the
decision's JSON schema as `response_format`.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from pydantic import BaseModel, Field

from agentc import Agent, JoinerError, OutputError, tool
from agentc.llm import OpenAILLM, ScriptedLLM
from agentc.output import OutputSpec


class Conversion(BaseModel):
    kilometres: float = Field(gt=0)


@tool
def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


@tool
def convert(miles: float) -> dict:
    """Miles to kilometres, as {"kilometres": ...}."""
    return {"kilometres": round(miles * 1.609344, 2)}


PLAN = "1. multiply(a=26.2, b=1.609344)\n2. join()\n<END_OF_PLAN>"
QUESTION = "How many kilometres is 26.2 miles?"


async def test_a_fitting_answer_is_a_validated_object():
    llm = ScriptedLLM([PLAN, '{"thought": "26.2 miles is 42.16 km.", "answer": {"kilometres": 42.16}}'])
    result = await Agent(llm, [multiply], output_type=Conversion).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16)
    assert result.answer == '{"kilometres":42.16}' == result.trace.answer
    joiner_system = llm.calls[1][0].content
    assert "Reply with one JSON object" in joiner_system
    assert json.dumps(Conversion.model_json_schema()) in joiner_system
    assert "<" not in joiner_system  # no fill-in markers a small model could copy
    assert len(llm.calls) == 2


async def test_an_unfit_answer_is_asked_again_once_with_what_was_wrong():
    llm = ScriptedLLM(
        [
            PLAN,
            '{"thought": "far", "answer": {"kilometres": -1}}',
            'Sure! ```json\n{"thought": "42.16 km", "answer": {"kilometres": 42.16}}\n```',
        ]
    )
    result = await Agent(llm, [multiply], output_type=Conversion).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16)
    retry = llm.calls[2]
    assert retry[-2].role == "assistant" and retry[-2].content == '{"thought": "far", "answer": {"kilometres": -1}}'
    assert retry[-1].role == "user"
    assert "does not fit Conversion: kilometres: Input should be greater than 0" in retry[-1].content
    assert [c.role for c in result.trace.llm_calls] == ["planner", "joiner", "joiner"]


async def test_unfit_twice_is_an_output_error_carrying_the_trace():
    llm = ScriptedLLM([PLAN, "It is about 42 km.", '{"thought": "x", "answer": {"miles": 26.2}}'])
    with pytest.raises(OutputError) as caught:
        await Agent(llm, [multiply], output_type=Conversion).arun(QUESTION)
    error = caught.value
    assert isinstance(error, JoinerError)
    assert "did not fit output_type Conversion in 2 tries" in str(error)
    assert error.problem == "the answer does not fit Conversion: kilometres: Field required"
    assert error.reply == '{"thought": "x", "answer": {"miles": 26.2}}'
    assert "the reply is neither `Action: Finish(...)` nor a JSON object" in llm.calls[2][-1].content
    assert error.trace is not None and error.trace.tasks[0].observation == pytest.approx(42.1648)
    assert error.trace.error is not None and "OutputError" in error.trace.error


async def test_a_replan_decision_replans():
    llm = ScriptedLLM(
        [
            "1. join()\n<END_OF_PLAN>",
            '{"thought": "nothing was run", "replan": "convert 26.2 miles"}',
            "2. convert(miles=26.2)\n3. join()\n<END_OF_PLAN>",
            '{"thought": "done", "answer": {"kilometres": 42.16}}',
        ]
    )
    result = await Agent(llm, [convert], output_type=Conversion, max_replans=1).arun(QUESTION)
    assert result.trace.replan_reasons == ["convert 26.2 miles"]
    assert result.output.kilometres == 42.16
    assert "reply with \"thought\" and \"answer\"" in llm.calls[3][0].content  # the last round may not replan


async def test_a_planned_answer_that_fits_needs_no_joiner_and_one_that_does_not_asks_it():
    llm = ScriptedLLM(["1. convert(miles=26.2)\n2. join($1)\n<END_OF_PLAN>"])
    result = await Agent(llm, [convert], output_type=Conversion).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16) and len(llm.calls) == 1
    direct_plan = "1. multiply(a=26.2, b=1.609344)\n2. join($1)\n<END_OF_PLAN>"
    llm = ScriptedLLM([direct_plan, '{"thought": "t", "answer": {"kilometres": 42.16}}'])
    result = await Agent(llm, [multiply], output_type=Conversion).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16) and len(llm.calls) == 2


async def test_with_a_joiner_grammar_the_answer_is_json_inside_finish():
    """The form a grammar holds the joiner to (the llama.cpp backend brings
    one); the scripted backend ignores the grammar, so a reply whose
    Finish holds text is sent back once."""
    llm = ScriptedLLM(
        [
            PLAN,
            "Thought: 26.2 miles is 42.16 km.\nAction: Finish(42.16 km)",
            'Thought: 26.2 miles is 42.16 km.\nAction: Finish({"kilometres": 42.16})',
        ]
    )
    agent = Agent(llm, [multiply], output_type=Conversion, joiner_grammar='root ::= "any"')
    result = await agent.arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16)
    joiner_system = llm.calls[1][0].content
    assert "Action: Finish(...)" in joiner_system and "Reply with one JSON object" not in joiner_system
    assert "Here the answer inside Finish(...) is JSON that fits this schema instead:\n" + json.dumps(
        Conversion.model_json_schema()
    ) in joiner_system
    assert "the answer inside Finish(...) is not JSON" in llm.calls[2][-1].content


def test_any_type_pydantic_validates_and_the_decision_schema():
    spec = OutputSpec(list[int])
    assert spec.read('{"thought": "t", "answer": [1, 2]}', final=True).output == [1, 2]
    assert spec.read("[3]", final=True).output == [3]  # a bare answer
    # a raw newline inside a string, as llama.cpp's JSON grammar lets through
    assert spec.read('{"thought": "two\nlines", "answer": [4]}', final=True).output == [4]
    assert "not" in spec.read('{"thought": "t", "replan": "more"}', final=True).problem  # no replan when final
    schema = spec.decision_schema(final=False)
    finish, replan = schema["anyOf"]
    assert finish["properties"]["answer"] == {"items": {"type": "integer"}, "type": "array"}
    assert finish["required"] == ["thought", "answer"] and replan["required"] == ["thought", "replan"]
    assert spec.decision_schema(final=True) == finish


class ChatServer(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that streams the next scripted
    reply and keeps every request body."""

    replies: list[str] = []
    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        text = type(self).replies[len(type(self).requests) - 1]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        events = [{"choices": [{"delta": {"content": text}}]}, {"choices": [{"delta": {}, "finish_reason": "stop"}]}]
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: Any) -> None:
        pass


async def test_an_openai_compatible_server_gets_the_schema_as_response_format(serve_http):
    class Server(ChatServer):
        replies = [PLAN, '{"thought": "t", "answer": {"kilometres": 42.16}}']
        requests: list[dict[str, Any]] = []

    llm = OpenAILLM("any", base_url=serve_http(Server), api_key="none")
    result = await Agent(llm, [multiply], output_type=Conversion).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16)
    planner_request, joiner_request = Server.requests
    assert "response_format" not in planner_request
    response_format = joiner_request["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"] == OutputSpec(Conversion).decision_schema(final=False)


async def test_a_llama_cpp_server_gets_the_schema_in_the_form_it_takes(serve_http):
    """llama.cpp's servers (`accepts_grammar=True`) take `json_object` with a
    `schema`; llama-cpp-python's refuses the `json_schema` type."""

    class Server(ChatServer):
        replies = [PLAN, '{"thought": "t", "answer": {"kilometres": 42.16}}']
        requests: list[dict[str, Any]] = []

    llm = OpenAILLM("any", base_url=serve_http(Server), api_key="none", accepts_grammar=True)
    result = await Agent(llm, [multiply], output_type=Conversion, max_replans=0).arun(QUESTION)
    assert result.output == Conversion(kilometres=42.16)
    schema = OutputSpec(Conversion).decision_schema(final=True)
    assert Server.requests[1]["response_format"] == {"type": "json_object", "schema": schema}
