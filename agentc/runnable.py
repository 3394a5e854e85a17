"""`Agent` as a langchain-core `Runnable`, so it composes in LCEL chains.

Input is the question, in any form a chain hands on:

- a string, or a dict with an "input" or "question" key (or LangGraph's
  "messages" key);
- a prompt value, what a `PromptTemplate` or `ChatPromptTemplate` gives:
  `ChatPromptTemplate.from_template("Weather in {city}?") | agent.as_runnable()`;
- a list of messages: the last human message is the question, and each
  earlier human message with the AI message after it is an earlier turn of
  the conversation (`agentc.conversation.Turn`). System messages are not
  used: an agent's own `instructions=` end its system prompts.

Output is the answer string. `astream` yields the answer as the joiner
writes it (the chunks add up to the answer), and sends every event of the
run (plan text, tasks, LLM progress; `agentc.events`) as a LangChain custom
event named `agentc_<kind>`, which `astream_events` shows as
"on_custom_event". The trace of the latest call is kept on `last_trace`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, AsyncIterator, Optional

from langchain_core.callbacks import adispatch_custom_event
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_messages
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableConfig

from agentc.conversation import Turn
from agentc.events import FinalAnswer, LLMStarted, LLMTokens

if TYPE_CHECKING:
    from agentc.agent import Agent
    from agentc.trace import Trace

_FINISH = re.compile(r"Action\s*:\s*Finish\s*\(", re.IGNORECASE)
"""Where the answer starts in a joiner completion (`agentc.joiner`)."""


class AgentRunnable(Runnable[Any, str]):
    """Wraps an `Agent`; see `Agent.as_runnable()`."""

    def __init__(self, agent: "Agent") -> None:
        self.agent = agent
        self.last_trace: "Trace | None" = None

    def invoke(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> str:
        return self._call_with_config(self._answer, input, config)

    async def ainvoke(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> str:
        return await self._acall_with_config(self._aanswer, input, config)

    async def astream(self, input: Any, config: Optional[RunnableConfig] = None, **kwargs: Any) -> AsyncIterator[str]:
        """The answer in pieces as the joiner writes it; the run's events go
        out as custom events (see the module's docstring)."""

        async def one() -> AsyncIterator[Any]:
            yield input

        async for chunk in self._atransform_stream_with_config(one(), self._stream, config):
            yield chunk

    def _answer(self, input: Any) -> str:
        question, history = question_and_history(input)
        result = self.agent.run(question, history=history)
        self.last_trace = result.trace
        return result.answer

    async def _aanswer(self, input: Any) -> str:
        question, history = question_and_history(input)
        result = await self.agent.arun(question, history=history)
        self.last_trace = result.trace
        return result.answer

    async def _stream(self, inputs: AsyncIterator[Any], config: RunnableConfig) -> AsyncIterator[str]:
        question, history = question_and_history([item async for item in inputs][-1])
        streams_answer = self.agent.planner.output is None  # a typed answer is JSON, written whole
        written = JoinerAnswer()
        sent = ""
        async for event in self.agent.astream(question, history=history):
            await adispatch_custom_event(f"agentc_{event.kind}", event, config=config)
            if isinstance(event, LLMStarted) and event.role == "joiner":
                written = JoinerAnswer()
            elif isinstance(event, LLMTokens) and event.role == "joiner" and streams_answer:
                if piece := written.feed(event.text):
                    sent += piece
                    yield piece
            elif isinstance(event, FinalAnswer):
                self.last_trace = event.trace
                if event.answer.startswith(sent) and len(event.answer) > len(sent):
                    yield event.answer[len(sent) :]


class JoinerAnswer:
    """The answer of a joiner's `Action: Finish(...)`, released as it is written.

    The joiner's answer runs to the last `)` after `Finish(` and is
    stripped (`agentc.joiner.parse_decision`), so everything from the last
    `)` seen so far (perhaps the closing one) and trailing spaces are held
    back: what `feed` releases is always a prefix of the answer, as long as
    the joiner writes one action (a grammar-held joiner always does).
    """

    def __init__(self) -> None:
        self.text = ""
        self.released = 0

    def feed(self, piece: str) -> str:
        """Take the next piece of the completion; return the newly known answer text."""
        self.text += piece
        found = _FINISH.search(self.text)
        if found is None:
            return ""
        body = self.text[found.end() :].lstrip()
        close = body.rfind(")")
        known = (body[:close] if close != -1 else body).rstrip()
        fresh, self.released = known[self.released :], max(self.released, len(known))
        return fresh


def question_and_history(value: Any) -> tuple[str, tuple[Turn, ...]]:
    """The question and the earlier turns in a chain's input (see the module's docstring)."""
    if isinstance(value, str):
        return value, ()
    if isinstance(value, dict):
        for key in ("input", "question"):
            if isinstance(value.get(key), str):
                return value[key], ()
        if isinstance(value.get("messages"), (list, tuple)):
            return _from_messages(value["messages"])
    if isinstance(value, PromptValue):
        return _from_messages(value.to_messages())
    if isinstance(value, BaseMessage):
        return _from_messages([value])
    if isinstance(value, (list, tuple)) and value:
        return _from_messages(value)
    raise TypeError(
        "an agent takes a question: a string, {'input': str}, {'question': str}, a prompt value or a list of "
        f"messages, not {type(value).__name__}"
    )


def _from_messages(messages: Any) -> tuple[str, tuple[Turn, ...]]:
    try:
        converted = convert_to_messages(messages)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise TypeError(f"an agent cannot read these messages as a question: {exc}") from None
    asked = [i for i, m in enumerate(converted) if isinstance(m, HumanMessage)]
    if not asked:
        kinds = ", ".join(type(m).__name__ for m in converted) or "none"
        raise TypeError(f"the messages hold no human message to answer (they are: {kinds})")
    last = asked[-1]
    turns = [
        Turn(_text(message), _text(reply))
        for message, reply in zip(converted[:last], converted[1 : last + 1])
        if isinstance(message, HumanMessage) and isinstance(reply, AIMessage)
    ]
    return _text(converted[last]), tuple(turns)


def _text(message: BaseMessage) -> str:
    """A message's text: its content, or the text blocks of a multi-part content."""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        block if isinstance(block, str) else str(block.get("text", "")) for block in content if isinstance(block, (str, dict))
    )
