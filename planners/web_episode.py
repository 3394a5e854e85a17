"""`Episode`: the bookkeeping every LLM web agent shares — the clock, the
recorded LLM calls, the executor call, the browser steps and the loop guards.

Plan-and-Act and the executor-only baseline differ in what they ask the
model (their executor prompt templates); they call the executor, read its
action and stop for the same reasons, so those live here once:

- `max_steps` browser actions ran;
- the same action ran `max_repeats` times in a row and left the page as it
  was (a model stuck on one click never gets out by itself);
- `max_parse_failures` outputs were not an action (each failure is shown to
  the model once, in its next prompt, so it can correct itself).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from agentc.envs.web.actions import Action, ActionSyntaxError, parse_action
from agentc.envs.web.env import BrowserEnv
from agentc.envs.web.observation import Observation
from agentc.errors import describe
from agentc.llm import LLM, Message
from agentc.llm_call import recorded_call
from agentc.planners.templates import fill, load_template
from agentc.planners.web_grammar import max_element_id, step_grammar_gbnf
from agentc.planners.web_run import StopReason, WebRun, WebStep
from agentc.trace import Trace

EXECUTOR_STOPS = ("\nObservation:", "\nThought:")
"""Where an executor's one step ends: it must not write the page or a second thought."""


@dataclass(frozen=True)
class Guards:
    """An episode's loop guards: at most `max_steps` browser actions; stop when
    the same action ran `max_repeats` times in a row leaving the page as it
    was; stop after `max_parse_failures` outputs that are not an action."""

    max_steps: int = 30
    max_repeats: int = 3
    max_parse_failures: int = 3

    def __post_init__(self) -> None:
        if self.max_steps < 1:
            raise ValueError("max_steps must be 1 or more: an episode needs at least one action")
        if self.max_repeats < 2:
            raise ValueError("max_repeats must be 2 or more: one action is never a repeat")
        if self.max_parse_failures < 1:
            raise ValueError("max_parse_failures must be 1 or more")


@dataclass(frozen=True)
class Executor:
    """The executor call of a web agent: prompt `template` (Plan-and-Act's
    "web_executor", the baseline's "web_react") filled with the action list,
    the task, the history, a pending parse error and the page cut to
    `max_page_chars`, answered with one `Thought:`/`Action:` step of at most
    `max_tokens` (constrained by the step grammar when `grammar` is on)."""

    llm: LLM
    template: str
    max_page_chars: int = 4000
    grammar: bool = True
    max_tokens: int = 120

    async def ask(self, episode: Episode, **fields: str) -> str:
        """One recorded executor call in `episode`; `fields` fill the template's other placeholders."""
        error = episode.take_error()
        prompt = fill(
            load_template(self.template),
            actions=load_template("web_actions").strip(),
            intent=episode.run.intent,
            history=history_lines(episode.run),
            error=f"\nError: {error}\n" if error else "",
            page=episode.observation.as_prompt(self.max_page_chars),
            **fields,
        )
        options: dict[str, Any] = {"max_tokens": self.max_tokens, "stop": list(EXECUTOR_STOPS)}
        if self.grammar:
            options["grammar"] = step_grammar_gbnf(max_element_id(episode.observation.text))
        return await episode.complete("executor", self.llm, [Message("user", prompt)], **options)


class Episode:
    """The state of one web episode; `run` is the `WebRun` it fills in."""

    def __init__(self, intent: str, start: Observation, guards: Guards) -> None:
        self.max_steps = guards.max_steps
        self.max_repeats = guards.max_repeats
        self.max_parse_failures = guards.max_parse_failures
        self.started = time.perf_counter()
        self.run = WebRun(intent=intent, start_url=start.url, trace=Trace(question=intent))
        self.observation = start
        self.pending_error: str | None = None
        """A parse failure the next prompt must show the model (then cleared)."""

    def clock(self) -> float:
        return time.perf_counter() - self.started

    @property
    def finished(self) -> bool:
        return self.run.stop_reason is not None

    def stop(self, reason: StopReason, answer: str | None = None) -> WebRun:
        """End the episode; the trace records the answer and when it ended."""
        self.run.stop_reason = reason
        self.run.answer = answer
        self.run.trace.answer = answer
        self.run.trace.finished_at = self.clock()
        return self.run

    def fail(self, reason: StopReason, exc: BaseException) -> WebRun:
        """End the episode because of `exc`, recording it in the trace."""
        self.run.trace.error = describe(exc)
        return self.stop(reason)

    async def complete(self, role: str, llm: LLM, messages: list[Message], **options: Any) -> str:
        """One recorded LLM call (kept in the trace also when it fails); the whole text."""
        record = await recorded_call(self.run.trace, self.clock, role, llm, messages, lambda _: None, **options)
        return record.completion

    async def act_on(self, env: BrowserEnv, output: str, *, plan_step: str | None = None) -> bool:
        """Run the action an executor `output` names (see `act`); an output
        that is no action counts as a parse failure instead. True when it acted."""
        try:
            thought, action = read_action_step(output)
        except ActionSyntaxError as exc:
            self.parse_failed(output, str(exc))
            return False
        await self.act(env, action, plan_step=plan_step, thought=thought)
        return True

    def parse_failed(self, output: str, reason: str) -> bool:
        """Count an output that is not an action; True when the guard stops the episode."""
        self.run.parse_failures.append(f"{reason} (output: {output.strip()[:200]!r})")
        self.pending_error = f"your last output was not a valid action: {reason}"
        if len(self.run.parse_failures) >= self.max_parse_failures:
            self.stop("parse_failures")
            return True
        return False

    def take_error(self) -> str | None:
        """The parse error to show in the next prompt, shown once."""
        error, self.pending_error = self.pending_error, None
        return error

    def looping(self) -> bool:
        """Whether the last `max_repeats` actions were the same action ending
        on the same page with the same error: the agent is stuck. (The same
        click that turns one page after another, as a "next" link does, moves
        on and is not a loop.)"""
        last = [(s.action, s.url, s.error) for s in self.run.actions[-self.max_repeats :]]
        return len(last) == self.max_repeats and len(set(last)) == 1

    async def act(
        self, env: BrowserEnv, action: Action, *, plan_step: str | None = None, thought: str | None = None
    ) -> Observation:
        """Run `action` in the browser, record the step, and apply the guards.

        Stops the episode on `exit(...)` (the answer is the exit message),
        when the agent is stuck repeating itself (`looping`), and after `max_steps`.
        """
        began = time.perf_counter()
        observation = await env.step(action)
        seconds = time.perf_counter() - began
        self.observation = observation
        self.run.actions.append(
            WebStep(
                step=len(self.run.actions) + 1,
                action=str(action),
                url=observation.url,
                title=observation.title,
                error=observation.error,
                screenshot=observation.screenshot,
                plan_step=plan_step,
                thought=thought,
                seconds=seconds,
            )
        )
        if observation.done:
            self.stop("exit", observation.answer)
        elif self.looping():
            self.stop("repeated_action")
        elif len(self.run.actions) >= self.max_steps:
            self.stop("max_steps")
        return observation


def history_lines(run: WebRun, limit: int = 12) -> str:
    """The last `limit` actions as prompt lines, with their errors."""
    if not run.actions:
        return "(none yet)"
    lines = []
    for step in run.actions[-limit:]:
        note = f"  -> error: {step.error}" if step.error else f"  -> {step.url}"
        lines.append(f"{step.step}. {step.action}{note}")
    return "\n".join(lines)


_ACTION_LINE = re.compile(r"^\s*Action\s*:\s*(.+)$", re.MULTILINE | re.IGNORECASE)
_THOUGHT_LINE = re.compile(r"^\s*Thought\s*:\s*(.*)$", re.MULTILINE | re.IGNORECASE)


def read_action_step(output: str) -> tuple[str | None, Action]:
    """The thought and the action of an executor's output.

    The action is the first `Action:` line; an output with no such line is
    read as a bare action (`click(12)`) when that is all it holds. Raises
    `ActionSyntaxError` saying what is wrong and how to write an action.
    """
    thought_match = _THOUGHT_LINE.search(output)
    thought = thought_match.group(1).strip() or None if thought_match else None
    found = _ACTION_LINE.search(output)
    if found is not None:
        return thought, parse_action(found.group(1).strip())
    lines = [line for line in output.strip().splitlines() if line.strip()]
    if len(lines) == 1 and not thought_match:
        return None, parse_action(lines[0])
    raise ActionSyntaxError('no `Action:` line; end with a line such as `Action: click(12)` or `Action: exit("answer")`')
