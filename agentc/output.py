"""Typed outputs: the answer of a run as a validated object, not only text.

`Agent(llm, tools, output_type=Conversion)` validates the joiner's answer
against `output_type` (a pydantic model, a dataclass, a TypedDict, or any
type pydantic validates). The joiner writes that answer in one of two
forms, each held to the type's JSON schema where the backend can:

- with a joiner grammar (the llama.cpp backend brings one, see
  `agentc.llm.Grammars`): its usual two lines, the answer as JSON,

      Thought: 26.2 miles is 42.16 km.
      Action: Finish({"kilometres": 42.16})

  and the grammar holds the JSON to the schema (llama-cpp-python's
  JSON-schema converter, the one `LlamaGrammar.from_json_schema` uses);
  a tuned joiner keeps the form it was trained on;
- without one: one JSON object, `{"thought": ..., "answer": ...}` or
  `{"thought": ..., "replan": ...}`, whose schema (`decision_schema`) goes
  to the backend as `json_schema=`: an OpenAI-compatible server gets it as
  `response_format`, which asks for the whole reply as JSON.

A reply that does not fit (a backend that constrains nothing, such as the
scripted or LangChain ones, or a value a validator refuses) is sent back
once with what was wrong; a second miss is an `OutputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from agentc.errors import JoinerError, OutputError
from agentc.joiner import Finish, Replan, parse_decision

THOUGHT_CHARS = 200
"""Longest thought in a typed decision: a small model held to the schema
cannot loop inside it."""


_NO_REPLAN = "no new plan is possible now, so the reply must answer, not replan"


@dataclass(frozen=True)
class Unfit:
    """A reply that does not fit: what was wrong, said so the model can fix it."""

    problem: str


class OutputSpec:
    """What a typed answer must be: `output_type`, its JSON schema, and how
    a joiner reply is read into a `Finish` carrying the validated object."""

    def __init__(self, output_type: Any) -> None:
        self.output_type = output_type
        self.adapter: TypeAdapter[Any] = TypeAdapter(output_type)
        self.schema: dict[str, Any] = self.adapter.json_schema()

    @property
    def name(self) -> str:
        return getattr(self.output_type, "__name__", repr(self.output_type))

    def decision_schema(self, *, final: bool) -> dict[str, Any]:
        """The JSON schema of a joiner decision: `{"thought", "answer"}`, or
        (unless `final`, when no replan is left) `{"thought", "replan"}`."""
        schema = dict(self.schema)
        defs = schema.pop("$defs", None)
        thought = {"type": "string", "maxLength": THOUGHT_CHARS}
        finish = _object(thought=thought, answer=schema)
        decision = finish if final else {"anyOf": [finish, _object(thought=thought, replan={"type": "string"})]}
        return {**decision, "$defs": defs} if defs else decision

    def accept(self, value: Any) -> Any | None:
        """`value` (a tool's result, say) as the output type, or None if it does not fit."""
        try:
            if isinstance(value, str):
                return self.adapter.validate_json(value)
            return self.adapter.validate_python(value)
        except ValidationError:
            return None

    def finish(self, output: Any, thought: str = "") -> Finish:
        """A `Finish` whose answer is the JSON text of `output`."""
        return Finish(answer=self.adapter.dump_json(output).decode("utf-8"), thought=thought, output=output)

    def read(self, text: str, *, final: bool) -> Finish | Replan | Unfit:
        """Read a typed joiner reply: `Action: Finish(JSON)` or
        `Action: Replan(...)`, or a JSON decision (`decision_schema`), or
        the answer alone (a model that ignores the decision keys)."""
        try:
            decision = parse_decision(text)
        except JoinerError:
            decision = None
        if isinstance(decision, Finish):
            value, problem = _json_value(decision.answer)
            if problem is not None:
                return Unfit(f"the answer inside Finish(...) is not JSON: {problem}")
            return self._answer([value], decision.thought)
        if isinstance(decision, Replan):
            return Unfit(_NO_REPLAN) if final else decision
        value, problem = _json_value(text)
        if problem is not None:
            return Unfit(f"the reply is neither `Action: Finish(...)` nor a JSON object: {problem}")
        thought = value.get("thought", "") if isinstance(value, dict) else ""
        thought = thought if isinstance(thought, str) else ""
        if isinstance(value, dict) and "answer" not in value and "replan" in value:
            if final:
                return Unfit(_NO_REPLAN)
            return Replan(reason=str(value["replan"]) or thought or "the joiner gave no reason", thought=thought)
        candidates = [value]
        if isinstance(value, dict) and "answer" in value:
            candidates = [value["answer"]]
            if "answer" in self.schema.get("properties", {}):  # the type's own "answer" field
                candidates.append(value)
        return self._answer(candidates, thought)

    def _answer(self, candidates: list[Any], thought: str) -> Finish | Unfit:
        """The first candidate that validates, as a `Finish`; else what was wrong with the first."""
        first_error: ValidationError | None = None
        for candidate in candidates:
            try:
                return self.finish(self.adapter.validate_python(candidate), thought)
            except ValidationError as exc:
                first_error = first_error or exc
        assert first_error is not None
        return Unfit(f"the answer does not fit {self.name}: {_errors(first_error)}")

    def error(self, unfit: Unfit, reply: str, tries: int) -> OutputError:
        """The error a run ends with when the last of `tries` replies did not fit."""
        return OutputError(
            f"the joiner's answer did not fit output_type {self.name} in {tries} tries: {unfit.problem}; "
            f"its last reply was {reply.strip()[:300]!r}. Use a backend that constrains JSON (llama.cpp, or a "
            "server that takes response_format), a stronger joiner_llm, or a looser output type",
            problem=unfit.problem,
            reply=reply,
        )


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _json_value(text: str) -> tuple[Any, str | None]:
    """The JSON value in `text` (also inside a ``` fence or after some
    prose), or why there is none. Raw control characters (a newline) inside
    strings are taken: llama-cpp-python's JSON-schema grammar lets them through."""
    body = text.strip()
    if body.startswith("```"):
        body = body.strip("`").removeprefix("json").strip()
    if not body:
        return None, "it is empty"
    decoder = json.JSONDecoder(strict=False)
    try:
        return decoder.decode(body), None
    except json.JSONDecodeError as exc:
        first = exc
    start = body.find("{")
    if start != -1:
        try:
            return decoder.raw_decode(body, start)[0], None
        except json.JSONDecodeError:
            pass
    return None, f"{first.msg} at line {first.lineno}, column {first.colno}"


def _errors(exc: ValidationError) -> str:
    """Pydantic's errors in one line: `field: message; ...`."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "the value"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
