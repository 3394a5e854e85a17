"""Conversations: follow-up questions that see the earlier turns.

    conv = Conversation(agent)
    conv.ask("How many kilometres is 26.2 miles?")
    conv.ask("And what is 10% of that?")      # the planner sees the first answer

A `Turn` is one earlier question, its answer and the tool results it used;
`agent.arun(question, history=turns)` shows them to the planner and the
joiner, so a follow-up can plan with an earlier figure. `Conversation`
keeps the turns for you, bounded in tokens: when they grow past
`max_tokens`, the oldest turns are dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from agentc.llm.base import count_tokens
from agentc.plan import as_text, call_text, clipped
from agentc.result import RunResult
from agentc.running import run_sync
from agentc.trace import Trace

OBSERVATION_CHARS = 300
"""Most characters of one tool result a turn keeps."""


@dataclass(frozen=True)
class Turn:
    """One earlier question, its answer, and the tool calls with their
    results that the answer came from (`tool(args) = result`, each cut to
    `OBSERVATION_CHARS`)."""

    question: str
    answer: str
    observations: tuple[str, ...] = ()

    @classmethod
    def from_trace(cls, trace: Trace, *, max_chars: int = OBSERVATION_CHARS) -> "Turn":
        """The turn a finished run makes: its question, its answer, and its
        successful calls with their results."""
        observations = []
        for record in trace.tasks:
            if record.status != "done" or record.same_as is not None:
                continue
            call = call_text(record.tool, record.args, max_chars)
            observations.append(f"{call} = {clipped(as_text(record.observation), max_chars)}")
        return cls(trace.question, trace.answer or "", tuple(observations))

    def text(self) -> str:
        """The turn as prompts show it (and as its tokens are counted)."""
        lines = [f"Question: {self.question}"]
        lines += [f"Result: {line}" for line in self.observations]
        lines.append(f"Answer: {self.answer}")
        return "\n".join(lines)


class Answers(Protocol):
    """What a conversation talks to: an agent whose `arun` takes a history
    (`agentc.Agent`, or any object with the same `arun`)."""

    async def arun(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult: ...


class Conversation:
    """Questions to `agent` that each see the turns before them.

    `max_tokens` bounds the history shown to the agent: once the turns'
    text (`Turn.text`) counts more, the oldest turns are dropped, whole,
    until it fits (a single turn longer than the bound is dropped too).
    Tokens are counted by `count_tokens`: by default agentc's estimate
    (`agentc.llm.count_tokens`: words and punctuation marks, close to a BPE
    count for English text); pass the model's own tokenizer for an exact
    count, e.g. `lambda text: len(llm.llama.tokenize(text.encode()))` for a
    `LlamaCppLLM`.
    """

    def __init__(
        self,
        agent: Answers,
        *,
        max_tokens: int = 1000,
        count_tokens: Callable[[str], int] = count_tokens,
    ) -> None:
        if max_tokens < 0:
            raise ValueError("max_tokens must be 0 or more")
        self.agent = agent
        self.max_tokens = max_tokens
        self.count_tokens = count_tokens
        self.turns: list[Turn] = []

    def ask(self, question: str) -> RunResult:
        """Sync wrapper of `aask`; not for use inside a running event loop."""
        return run_sync(self.aask(question), "Conversation", method="ask")

    async def aask(self, question: str) -> RunResult:
        """Answer `question` with the earlier turns in view, then keep it as a turn.
        A run that fails raises as `agent.arun` does and adds no turn."""
        result = await self.agent.arun(question, history=tuple(self.turns))
        self.add(Turn.from_trace(result.trace))
        return result

    def add(self, turn: Turn) -> None:
        """Keep `turn` as the newest, dropping the oldest turns past `max_tokens`."""
        self.turns.append(turn)
        sizes = [self.count_tokens(t.text()) for t in self.turns]
        while self.turns and sum(sizes) > self.max_tokens:
            self.turns.pop(0)
            sizes.pop(0)

    def clear(self) -> None:
        """Forget every turn: the next question starts a new conversation."""
        self.turns.clear()

    @property
    def tokens(self) -> int:
        """The tokens the kept turns count."""
        return sum(self.count_tokens(t.text()) for t in self.turns)

