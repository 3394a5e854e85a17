"""`ParallelFCAgent`: OpenAI-style parallel function calling, as a baseline for `Agent`.

Each turn the model replies with JSON: a list of independent calls,
`[{"name": ..., "arguments": {...}}, ...]`, which all run at once, or
`{"answer": ...}`. The results go back as the next message and the model is
asked again. Unlike a plan, a turn cannot say that one call needs another's
result, so a chain of dependent calls costs one LLM turn per link; that is
the difference the race against `Agent` measures.

Native tool calling is a feature of some servers, not of the `LLM` protocol,
so this stays backend-agnostic: the turn's JSON schema (built from the tools,
`turn_schema`) goes to the backend as `json_schema=`, which llama.cpp turns
into a grammar and other backends may ignore, and the reply is parsed as
JSON text. Arguments are checked by the same `PlanChecker` as plans. The last
allowed turn is told to answer and gets `answer_schema()`; calls it asks for
instead are not run.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from agentc.errors import RunError
from agentc.llm import LLM, Message
from agentc.plan import ParsedCall, as_text
from agentc.planners.prompt_parts import observation_text, tools_prompt
from agentc.planners.stepwise import StepAgent, StepRun
from agentc.planners.templates import fill, load_template
from agentc.result import RunResult
from agentc.tools import ToolRegistry
from agentc.toolspec import ToolSpec

HOW_TO_REPLY = 'reply with a JSON list of calls, [{"name": "<tool>", "arguments": {...}}], or with {"answer": "..."}'
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?```\s*$", re.DOTALL)


@dataclass(frozen=True)
class Turn:
    """One reply as read: exactly one of `answer`, `calls` and `error` is set."""

    answer: str | None = None
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    error: str | None = None


def read_turn(text: str, *, max_calls: int = 16) -> Turn:
    """Read a reply: `{"answer": ...}` or a list of calls (a lone call object,
    and `{"calls": [...]}` or `{"tool_calls": [...]}`, are taken too).

    JSON inside a ``` fence, or after some prose, is found; anything else is
    a `Turn` with `error` saying what was wrong and what to reply.
    """
    value, problem = _json_value(text)
    if problem is not None:
        return Turn(error=f"{problem}; {HOW_TO_REPLY}")
    if isinstance(value, dict) and "answer" in value:
        answer = value["answer"]
        return Turn(answer=answer if isinstance(answer, str) else as_text(answer))
    if isinstance(value, dict) and "name" in value:
        value = [value]
    elif isinstance(value, dict):
        value = value.get("calls", value.get("tool_calls", value))
    if not isinstance(value, list) or not value:
        return Turn(error=f"the reply is JSON but neither a non-empty list of calls nor an answer; {HOW_TO_REPLY}")
    if len(value) > max_calls:
        return Turn(
            error=f"the reply has {len(value)} calls; at most {max_calls} may run in one turn, so send the rest in the next turn"
        )
    calls = []
    for number, item in enumerate(value, start=1):
        function = item.get("function", item) if isinstance(item, dict) else None  # OpenAI's nesting
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(name, str):
            return Turn(error=f'call {number} is not an object with a "name"; {HOW_TO_REPLY}')
        arguments = function.get("arguments", {})
        if isinstance(arguments, str):  # OpenAI sends arguments as a JSON string
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return Turn(error=f"the arguments of call {number} ({name}) are not JSON: {exc.msg}")
        if not isinstance(arguments, dict):
            return Turn(error=f'the "arguments" of call {number} ({name}) must be a JSON object of names to values')
        calls.append((name, arguments))
    return Turn(calls=calls)


def _json_value(text: str) -> tuple[Any, str | None]:
    """The JSON value in `text`, or the reason there is none."""
    fenced = _FENCE.match(text)
    body = (fenced.group(1) if fenced else text).strip()
    if not body:
        return None, "the reply is empty"
    try:
        return json.loads(body), None
    except json.JSONDecodeError as exc:
        first = exc
    starts = [at for at in (body.find("["), body.find("{")) if at != -1]
    if starts:
        try:
            value, _ = json.JSONDecoder().raw_decode(body, min(starts))
            return value, None
        except json.JSONDecodeError:
            pass
    return None, f"the reply is not JSON ({first.msg} at line {first.lineno}, column {first.colno})"


def turn_schema(tools: Iterable[ToolSpec], *, max_calls: int = 16, max_string: int = 200) -> dict[str, Any]:
    """The JSON schema of one reply: a list of 1..`max_calls` calls, each
    naming a tool with arguments that fit it, or `{"answer": string}`.

    Strings without a `maxLength` get `max_string`, so a small model held to
    the schema cannot loop inside one until its token budget runs out."""
    defs: dict[str, Any] = {}
    choices = []
    for tool in tools:
        parameters = _bounded(copy.deepcopy(tool.json_schema()["function"]["parameters"]), max_string)
        defs.update(parameters.pop("$defs", {}))
        choices.append(
            {
                "type": "object",
                "properties": {"name": {"const": tool.name}, "arguments": parameters},
                "required": ["name", "arguments"],
                "additionalProperties": False,
            }
        )
    calls = {"type": "array", "items": {"anyOf": choices}, "minItems": 1, "maxItems": max_calls}
    schema: dict[str, Any] = {"anyOf": [calls, answer_schema(max_string)]}
    if defs:
        schema["$defs"] = defs
    return schema


def answer_schema(max_string: int = 200) -> dict[str, Any]:
    """The JSON schema of an answer, `{"answer": string}`; alone, it is the
    last turn's schema, when no more calls may be made."""
    return {
        "type": "object",
        "properties": {"answer": {"type": "string", "maxLength": max_string}},
        "required": ["answer"],
        "additionalProperties": False,
    }


def _bounded(schema: Any, max_string: int) -> Any:
    """`schema` with `maxLength` added to every string type that has none."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and "maxLength" not in schema:
            schema["maxLength"] = max_string
        for value in schema.values():
            _bounded(value, max_string)
    elif isinstance(schema, list):
        for item in schema:
            _bounded(item, max_string)
    return schema


def parallel_fc_system_prompt(tools: ToolRegistry, examples: Sequence[str] = (), instructions: str = "") -> str:
    """The rules, tools, examples and the user's instructions: the static prefix of every turn."""
    return tools_prompt("parallel_fc", tools, examples, instructions)


def format_results(results: Sequence[tuple[str, dict[str, Any], str]]) -> str:
    """The message that brings a turn's results back: one line a call,
    `name({arguments}) -> result`, in the order the calls were written."""
    lines = [
        f"{name}({json.dumps(arguments, ensure_ascii=False, default=repr)}) -> {text}" for name, arguments, text in results
    ]
    return fill(load_template("parallel_fc_results"), results="\n".join(lines)).strip()


class ParallelFCAgent(StepAgent):
    """A parallel-function-calling agent with `Agent`'s interface: `run`,
    `arun`, `astream`, and a `RunResult` whose trace has the same shape
    (`steps[i]` is the JSON text of turn `i`).

    `max_turns` bounds the LLM calls; `max_turn_tokens` bounds each one;
    `json_schema=False` leaves the turn's schema out of the backend call.
    `instructions` end the system prompt. `max_llm_tokens`,
    `max_tool_calls` and `max_seconds` bound each run (`agentc.budget`);
    `tracer_provider` gets its OpenTelemetry spans (`agentc.telemetry`).
    """

    style = "parallel"

    def __init__(
        self,
        llm: LLM,
        tools: Iterable[Any] | ToolRegistry = (),
        *,
        max_turns: int = 8,
        examples: Sequence[str] = (),
        tool_timeout: float | None = 60.0,
        tool_retries: int = 2,
        max_turn_tokens: int | None = 512,
        max_calls_per_turn: int = 16,
        json_schema: bool = True,
        max_observation_chars: int = 2000,
        instructions: str = "",
        max_llm_tokens: int | None = None,
        max_tool_calls: int | None = None,
        max_seconds: float | None = None,
        tracer_provider: Any = None,
    ) -> None:
        if max_turns < 1:
            raise ValueError("max_turns must be 1 or more: the model needs at least one turn to answer")
        self.llm = llm
        self.tools = tools if isinstance(tools, ToolRegistry) else ToolRegistry(tools)
        self.max_turns = max_turns
        self.examples = list(examples)
        self.tool_timeout = tool_timeout
        self.tool_retries = tool_retries
        self.max_turn_tokens = max_turn_tokens
        self.max_calls_per_turn = max_calls_per_turn
        self.schema = turn_schema(self.tools, max_calls=max_calls_per_turn) if json_schema else None
        self.max_observation_chars = max_observation_chars
        self.instructions = instructions
        self.configure_runs(
            max_llm_tokens=max_llm_tokens,
            max_tool_calls=max_tool_calls,
            max_seconds=max_seconds,
            tracer_provider=tracer_provider,
        )

    async def _loop(self, run: StepRun, question: str) -> RunResult:
        messages = [
            Message("system", parallel_fc_system_prompt(self.tools, self.examples, self.instructions)),
            Message("user", fill(load_template("parallel_fc_question"), question=question).strip()),
        ]
        problem = "the model never replied with an answer"
        for turn_no in range(self.max_turns):
            schema = self.schema
            if turn_no == self.max_turns - 1 and turn_no > 0:
                note = load_template("parallel_fc_last_turn").strip()
                messages[-1] = Message("user", f"{messages[-1].content}\n{note}")
                schema = answer_schema() if schema is not None else None
            text = await run.complete(
                "parallel_fc", self.llm, messages, max_tokens=self.max_turn_tokens, json_schema=schema
            )
            turn = read_turn(text, max_calls=self.max_calls_per_turn)
            messages.append(Message("assistant", text.strip()))
            if turn.answer is not None:
                return run.finish(turn.answer)
            if turn.error is not None:
                problem = turn.error
                messages.append(Message("user", f"Error: {turn.error}"))
            elif turn_no == self.max_turns - 1:
                problem = "the last turn asked for more calls instead of answering; they were not run"
            else:
                messages.append(Message("user", await self._call_all(run, turn.calls)))
        raise RunError(
            f"parallel function calling reached max_turns={self.max_turns} without an answer "
            f"({problem}); raise max_turns, or read the turns in the trace",
            trace=run.trace,
        )

    async def _call_all(self, run: StepRun, calls: list[tuple[str, dict[str, Any]]]) -> str:
        """Start every call of a turn at once, wait for all, and write the results message."""
        records = []
        for name, arguments in calls:
            written = json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False, default=repr)
            call = ParsedCall(run.next_idx(), name, (), tuple(arguments.items()), None, line=1, text=written)
            records.append(run.submit(call))
        await run.settle()
        return format_results(
            [
                (name, arguments, observation_text(record, max_chars=self.max_observation_chars))
                for (name, arguments), record in zip(calls, records)
            ]
        )
