"""The local desktop assistant: TinyAgent's Siri-like helper, on the user's
own machine.

A request ("email Lutfi the slides and put a meeting with him on my
calendar tomorrow at 3pm") is planned by a small local model over the
desktop toolkit. ToolRAG shows the planner only the tools the request needs
(when the `retrieval` extra is installed), and the example plans most like
the request are shown after them. Before any tool that sends, creates or
changes something runs, the user is asked (`approve`); the run's trace keeps
what was approved, declined and done.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from rich.console import Console
from rich.markup import escape
from rich.prompt import Confirm
from rich.status import Status

from agentc.agent import Agent, PlanResult, RunResult
from agentc.errors import AgentcError
from agentc.consent import Approver, ConsentRequest
from agentc.conversation import Conversation, Turn
from agentc.events import Event, FinalAnswer, PlanText, Replanning, TaskFinished
from agentc.llm import LLM
from agentc.plan import as_text, shortened
from agentc.progress import RunStatus
from agentc.tools import Tool, ToolRegistry
from agentc.tools.desktop.examples import DESKTOP_EXAMPLES, Similarity, similar_examples, word_overlap
from agentc.trace import Trace

ToolSelector = Callable[[str, Sequence[Any]], Sequence[Any]]

DEFAULT_TOOLS_SHOWN = 8
"""How many tools ToolRAG shows the planner (of the toolkit's 18)."""

TOOL2VEC_REQUESTS = 1500
"""Synthesized desktop requests drawn for Tool2Vec; those of training
templates (about 1,250 that call a tool) teach it which tools a request needs."""


@dataclass
class Assistant:
    """Plans and runs one request at a time over `tools`.

    `selector` picks the tools the planner sees (None: all); `similarity`
    picks the example plans; `agent_options` go to every `Agent` (grammars,
    `max_replans`, ...).
    """

    llm: LLM
    tools: list[Tool]
    approve: Approver
    selector: ToolSelector | None = None
    similarity: Similarity = word_overlap
    examples: Sequence[str] = tuple(DESKTOP_EXAMPLES)
    examples_shown: int = 3
    agent_options: dict[str, Any] = field(default_factory=dict)

    def agent_for(self, question: str) -> Agent:
        """An agent for `question`: its tools chosen, its examples the closest."""
        registry = ToolRegistry(self.tools)
        chosen = list(self.selector(question, list(registry))) if self.selector else list(registry)
        names = [t.name for t in chosen]
        examples = similar_examples(question, names, k=self.examples_shown, examples=self.examples, similarity=self.similarity)
        only_chosen = (lambda q, tools: [t for t in tools if t.name in names]) if self.selector else None
        return Agent(
            self.llm, registry, examples=examples, tool_selector=only_chosen, approve=self.approve, **self.agent_options
        )

    async def ask(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        return await self.agent_for(question).arun(question, history=history)

    async def arun(self, question: str, *, history: Sequence[Turn] = ()) -> RunResult:
        """`ask`, under the name a `Conversation` calls."""
        return await self.ask(question, history=history)

    async def plan(self, question: str, *, on_event: Callable[[Event], None] | None = None) -> PlanResult:
        """Plan only (`--dry-run`): nothing runs. `on_event` gets the plan's
        events as the planner writes it."""
        return await self.agent_for(question).planner.aplan(question, on_event=on_event)


def tool_uses(requests: int = TOOL2VEC_REQUESTS) -> list[tuple[str, list[str]]]:
    """`(request, tools its plan calls)` to fit Tool2Vec on: the example
    plans and synthesized requests of the training templates only (the
    held-out ones measure the assistant, `benchmarks/assistant.py`). Nine
    example plans alone left a needed tool out of 10 of 60 held-out
    requests, even with companions."""
    from agentc.edge.tune.synth import synthesize
    from agentc.tools.desktop.examples import example_uses

    synthesized = [i for i in synthesize("desktop", n=requests, seed=0) if i.split == "train"] if requests else []
    uses = example_uses(DESKTOP_EXAMPLES) + [(i.question, list(dict.fromkeys(i.tools))) for i in synthesized]
    return [(question, tools) for question, tools in uses if tools]  # a request of no tool teaches Tool2Vec nothing


def tool_rag(
    tools: Sequence[Tool], k: int = DEFAULT_TOOLS_SHOWN, *, requests: int = TOOL2VEC_REQUESTS
) -> tuple[ToolSelector, Similarity] | None:
    """ToolRAG over `tools` with Tool2Vec vectors learned from `tool_uses`,
    a chosen tool shown with the lookups it is fed from in the example
    plans, and an embedding similarity for the examples; None when the
    `retrieval` extra is not installed (then every tool is shown)."""
    try:
        from agentc.retrieval import Example, SentenceEncoder, ToolRAG, Tool2VecRetriever
    except ImportError:
        return None
    from agentc.tools.desktop.examples import embedding_similarity, example_feeders

    names = {t.name for t in tools}
    uses = [(q, tuple(t for t in used if t in names)) for q, used in tool_uses(requests)]  # a toolkit without some tools
    encoder = SentenceEncoder()
    retriever = Tool2VecRetriever(encoder)
    retriever.fit(list(tools), [Example(q, used) for q, used in uses if used])
    return ToolRAG(retriever, k, companions=example_feeders(DESKTOP_EXAMPLES)), embedding_similarity(encoder)


class TerminalSession:
    """The rich terminal side: the plan as it streams (line by line), the
    tasks as they settle, a status line saying what the request waits on
    (a small local model may read its prompt for most of a minute), and a
    yes/no question before each side effect."""

    def __init__(self, console: Console, *, assume_yes: bool = False) -> None:
        self.console = console
        self.assume_yes = assume_yes
        self._asking = threading.Event()
        self._held: list[Any] = []
        self._line = ""  # the plan line being written
        self._status: Status | None = None

    def approve(self, requests: Sequence[ConsentRequest]) -> bool:
        """Ask on the terminal (run in a thread by the consent gate).

        Shows the call as the planner wrote it and then what it resolves to
        (the addresses mail goes to, the URL that opens). Every value is
        escaped: text from a plan or a contact is never read as markup, so
        `[conceal]` cannot hide a recipient and `[/]` cannot break the prompt.
        """
        if self.assume_yes:
            return True
        self._asking.set()
        if self._status is not None:
            self._status.stop()  # a live line would redraw over the answer being typed
        try:
            for request in requests:
                self.console.print(f"\n[bold yellow]about to[/] {escape(request.tool)}({escape(_arguments(request.arguments))})")
                for key, value in request.resolved.items():
                    self.console.print(f"  [bold]{escape(key)}:[/] {escape(_shown(value))}")
            return Confirm.ask("run it?", console=self.console, default=False)
        finally:
            self._asking.clear()
            if self._status is not None:
                self._status.start()

    async def run(self, assistant: Assistant, question: str, history: Sequence[Turn] = ()) -> Trace:
        """Run `question` with the earlier turns `history` in view, showing it
        live; return the trace."""
        answer: FinalAnswer | None = None
        with self._waiting() as status:
            async for event in assistant.agent_for(question).astream(question, history=history):
                status.update(event)
                if isinstance(event, FinalAnswer):
                    answer = event
                    continue
                self._show(event)
        assert answer is not None
        self.console.print(f"\n[bold]Answer:[/] {escape(str(answer.answer))}")
        self.report(answer.trace)
        return answer.trace

    async def plan(self, assistant: Assistant, question: str) -> PlanResult:
        """Plan `question` only (`--dry-run`), with the status line while the model writes."""
        with self._waiting() as status:
            return await assistant.plan(question, on_event=status.update)

    @contextmanager
    def _waiting(self) -> Iterator[RunStatus]:
        """The status line, shown while the body runs; its `RunStatus` takes the events."""
        status = RunStatus()
        with self.console.status(status) as shown:
            self._status = shown
            try:
                yield status
            finally:
                self._status = None
        self._flush(end=True)

    def dry_run(self, result: PlanResult, tools: Sequence[Tool]) -> None:
        side_effects = {t.name for t in tools if t.side_effects}
        self.console.print(result.text.strip(), style="cyan", highlight=False, markup=False)
        for task in result.tasks:
            if task.tool in side_effects:
                self.console.print(f"[yellow]would ask before[/] ${task.idx} {escape(task.tool)}")
        if result.error is not None:
            self.console.print(f"[red]the plan is not valid:[/] {escape(str(result.error))}")
        self.console.print("[dim]dry run: nothing was run[/]")

    def report(self, trace: Trace) -> None:
        """What was approved, declined and done."""
        for decision in trace.consents:
            style = "green" if decision.decision == "approved" else "red"
            self.console.print(f"[{style}]{decision.decision}[/] {escape(decision.tool)}({escape(_arguments(decision.arguments))})")
            for key, value in decision.resolved.items():
                self.console.print(f"  {escape(key)}: {escape(_shown(value))}")
        done = [r for r in trace.tasks if r.status == "done"]
        self.console.print(f"[dim]done: {escape(', '.join(f'${r.idx} {r.tool}' for r in done)) or 'nothing'}[/]")

    def _show(self, event: Any) -> None:
        self._held.append(event)
        if not self._asking.is_set():
            self._flush()

    def _flush(self, *, end: bool = False) -> None:
        """Print the events held; `end`: the plan line being written too."""
        held, self._held = self._held, []
        for event in held:
            if isinstance(event, PlanText):
                *lines, self._line = (self._line + event.text).split("\n")
                for line in lines:
                    self._plan_line(line)
            elif isinstance(event, Replanning):
                self.console.print(f"[magenta]-- replanning: {escape(str(event.reason))}[/]")
            elif isinstance(event, TaskFinished):
                record = event.record
                shown = as_text(record.observation) if record.status == "done" else record.error
                status = f"same as ${record.same_as}" if record.same_as is not None and record.status == "done" else record.status
                self.console.print(
                    f"  ${record.idx} {escape(record.tool)}: [{_STYLE.get(record.status, '')}]{status}[/] "
                    f"{escape(shortened(shown or '', 160))}"
                )
        if end and self._line:
            self._plan_line(self._line)
            self._line = ""

    def _plan_line(self, line: str) -> None:
        """One whole line of plan text: printed whole, so the status line below it never splits it."""
        self.console.print(line, style="cyan", highlight=False, markup=False)


_STYLE = {"done": "green", "error": "red", "skipped": "yellow", "cancelled": "yellow"}


def _arguments(arguments: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in arguments.items())


def _shown(value: Any) -> str:
    """A resolved value: a list as its items, one per comma, each quoted."""
    if isinstance(value, (list, tuple)):
        return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in value)
    return repr(value) if isinstance(value, str) else str(value)


async def interactive(session: TerminalSession, assistant: Assistant, ask: Callable[[], str | None]) -> None:
    """Ask, answer, repeat, until `ask` returns None or an exit word. Each
    request sees the earlier ones (a `Conversation`); "new" starts afresh."""
    conversation = Conversation(assistant)
    while (question := ask()) is not None:
        question = question.strip()
        if question.lower() in ("exit", "quit", "bye"):
            return
        if question.lower() in ("new", "reset"):
            conversation.clear()
            continue
        if not question:
            continue
        try:
            trace = await session.run(assistant, question, history=conversation.turns)
        except AgentcError as exc:  # one failed request does not end the session
            session.console.print(f"[red]error:[/] {escape(str(exc))}")
        else:
            conversation.add(Turn.from_trace(trace))
