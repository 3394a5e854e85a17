"""`ReActAgent`: the Thought / Action / Observation loop, as a baseline for `Agent`.

One LLM call per tool call: the model writes a thought and one action, the
action runs, its observation is appended to the conversation, and the model
is asked again, until it writes `Action: Finish[answer]` or `max_steps` run
out. Every step re-sends the whole conversation so far; that growing
scratchpad, not the instructions, is where ReAct's token cost comes from.

Actions use the plan language's call syntax (`search(query="x")`), read by
`agentc.call_syntax.CallReader` and checked by the same `PlanChecker` as
plans, so ReAct and `Agent` accept exactly the same calls. As LLMCompiler's
ReAct baseline did, the prompt tells the model not to repeat an action with
the same input and to finish as soon as it can; a repeated action is not run
again (the tool call is merged with the earlier one, as in a plan) and the
observation says so. The last allowed step is told to finish; an action it
writes instead is not run. On backends that take a grammar, `action_grammar`
(GBNF, see `agentc.edge.grammar.action_grammar`) constrains each step, and
the last step gets `FINISH_GRAMMAR`, so a small model always ends with an
answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from agentc.call_syntax import CallReader
from agentc.errors import PlanError, RunError
from agentc.llm import LLM, Message
from agentc.plan import ParsedCall
from agentc.planners.prompt_parts import observation_text, tools_prompt
from agentc.planners.stepwise import StepAgent, StepRun
from agentc.planners.templates import fill, load_template
from agentc.result import RunResult
from agentc.tools import ToolRegistry
from agentc.trace import TaskRecord

STOP = ["\nObservation:", "Observation:"]
"""Where a step ends: the model must not write the observation itself."""

_THOUGHT = re.compile(r"Thought\s*:\s*(.*?)(?=^\s*Action\s*:|\Z)", re.DOTALL | re.MULTILINE | re.IGNORECASE)
_ACTION = re.compile(r"^\s*Action\s*:[ \t]*", re.MULTILINE | re.IGNORECASE)
_FINISH = re.compile(r"Finish\s*([\[(])", re.IGNORECASE)
HOW_TO_ACT = "write `Action: tool_name(argument=value, ...)` or `Action: Finish[the answer]`"
FINISH_GRAMMAR = "\n".join(
    [
        'root ::= "Thought: " thought "\\n" "Action: Finish[" answer "]"',
        "thought ::= [^\\n]{1,200}",
        "answer ::= [^\\]\\n]{1,200}",
    ]
)
"""GBNF for the last step on backends that take a grammar: only `Finish[...]`
is left, so the run ends with an answer instead of running out of steps."""


@dataclass(frozen=True)
class Step:
    """One step as the model wrote it: `text` is what stays in the
    conversation; exactly one of `answer`, `call` (`(tool, positional,
    keywords, call text)`) and `error` is set."""

    text: str
    thought: str | None = None
    answer: str | None = None
    call: tuple[str, tuple[Any, ...], tuple[tuple[str, Any], ...], str] | None = None
    error: str | None = None


def read_step(completion: str) -> Step:
    """Read a step's thought and its first action (a call or `Finish[...]`).

    Text after the action line is dropped (a model that runs on has made up
    what comes next). A step with no readable action has `error` set; the
    message says what was wrong and how to write an action.
    """
    text = completion.split("Observation:", 1)[0].rstrip()
    action = _ACTION.search(text)
    thought_match = _THOUGHT.search(text[: action.start()] if action else text)
    thought = (thought_match.group(1).strip() or None) if thought_match else None
    if action is None:
        return Step(text, thought, error=f"the step has no `Action:` line; {HOW_TO_ACT}")
    rest = text[action.end() :]
    finish = _FINISH.match(rest)
    if finish:
        closer = "]" if finish.group(1) == "[" else ")"
        body = rest[finish.end() :]
        end = body.rfind(closer)
        answer = (body[:end] if end != -1 else body).strip()
        if not answer:
            empty = f"Finish{finish.group(1)}{closer}"
            return Step(text, thought, error=f"{empty} holds no answer; write the answer inside it")
        return Step(text, thought, answer=answer)
    line = rest.split("\n", 1)[0].strip()
    kept = text[: action.end()] + line
    try:
        name, positional, keywords = CallReader(line, line=1).read_call()
    except PlanError as exc:
        return Step(kept, thought, error=f"cannot read the action {line!r}: {exc.message}; {HOW_TO_ACT}")
    return Step(kept, thought, call=(name, positional, keywords, line))


def react_system_prompt(tools: ToolRegistry, examples: Sequence[str] = (), instructions: str = "") -> str:
    """The rules, tools, examples and the user's instructions: the static prefix of every step."""
    return tools_prompt("react", tools, examples, instructions)


class ReActAgent(StepAgent):
    """A ReAct agent with `Agent`'s interface: `run`, `arun`, `astream`, and a
    `RunResult` whose trace has the same shape (tasks with timing, LLM calls
    with tokens; `steps[i]` is the text of step `i`).

    `max_steps` bounds the LLM calls; `max_step_tokens` bounds each one;
    `action_grammar` is a GBNF grammar passed to the backend on every step
    (build one with `agentc.edge.grammar.action_grammar(tools)`).
    `instructions` end the system prompt. `max_llm_tokens`,
    `max_tool_calls` and `max_seconds` bound each run (`agentc.budget`);
    `tracer_provider` gets its OpenTelemetry spans (`agentc.telemetry`).
    """

    style = "react"

    def __init__(
        self,
        llm: LLM,
        tools: Iterable[Any] | ToolRegistry = (),
        *,
        max_steps: int = 15,
        examples: Sequence[str] = (),
        tool_timeout: float | None = 60.0,
        tool_retries: int = 2,
        max_step_tokens: int | None = 256,
        action_grammar: str | None = None,
        max_observation_chars: int = 2000,
        instructions: str = "",
        max_llm_tokens: int | None = None,
        max_tool_calls: int | None = None,
        max_seconds: float | None = None,
        tracer_provider: Any = None,
    ) -> None:
        if max_steps < 1:
            raise ValueError("max_steps must be 1 or more: the model needs at least one step to answer")
        self.llm = llm
        self.tools = tools if isinstance(tools, ToolRegistry) else ToolRegistry(tools)
        self.max_steps = max_steps
        self.examples = list(examples)
        self.tool_timeout = tool_timeout
        self.tool_retries = tool_retries
        self.max_step_tokens = max_step_tokens
        self.action_grammar = action_grammar
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
            Message("system", react_system_prompt(self.tools, self.examples, self.instructions)),
            Message("user", fill(load_template("react_question"), question=question).strip()),
        ]
        problem = "the model never wrote `Action: Finish[...]`"
        for step_no in range(self.max_steps):
            grammar = self.action_grammar
            if step_no == self.max_steps - 1 and step_no > 0:
                note = load_template("react_last_step").strip()
                messages[-1] = Message("user", f"{messages[-1].content}\n{note}")
                grammar = FINISH_GRAMMAR if grammar is not None else None
            completion = await run.complete(
                "react", self.llm, messages, stop=STOP, max_tokens=self.max_step_tokens, grammar=grammar
            )
            step = read_step(completion)
            messages.append(Message("assistant", step.text))
            if step.answer is not None:
                return run.finish(step.answer)
            if step.error is not None:
                problem = step.error
                observation = f"Error: {step.error}"
            elif step_no == self.max_steps - 1:
                problem = "the last step was another action instead of Finish[...]; it was not run"
                break
            else:
                observation, record = await self._act(run, step)
                if record.same_as is not None:
                    problem = f"the model repeated the call of task {record.same_as}, {record.tool}(...)"
            messages.append(Message("user", fill(load_template("react_observation"), observation=observation).strip()))
        raise RunError(
            f"ReAct reached max_steps={self.max_steps} without `Action: Finish[...]` ({problem}); "
            "raise max_steps, or read the steps in the trace to see where the model went round in circles",
            trace=run.trace,
        )

    async def _act(self, run: StepRun, step: Step) -> tuple[str, TaskRecord]:
        """Run the step's call; return the observation text and the task record."""
        assert step.call is not None
        name, positional, keywords, line = step.call
        call = ParsedCall(run.next_idx(), name, positional, keywords, step.thought, line=1, text=line)
        record = run.submit(call, literal_only=True)
        await run.settle()
        text = observation_text(record, max_chars=self.max_observation_chars)
        if record.same_as is not None:
            text = f"(this repeats an earlier action, so it was not run again; do not repeat it) {text}"
        return text, record
