"""One recorded LLM call: stream a completion into a callback and keep its
`LLMCall` record in the trace, also when the call fails part-way.

Every agent style (compiler, ReAct, parallel FC) records its calls this way,
so their traces count time and tokens alike, their token budgets are
checked alike and their OpenTelemetry spans have the same attributes.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable

from agentc.errors import LLMError, describe
from agentc.events import Event, LLMFinished, LLMStarted, LLMTokens
from agentc.llm import LLM, Message
from agentc.trace import LLMCall, Trace

if TYPE_CHECKING:
    from agentc.budget import RunBudget
    from agentc.telemetry import RunSpans


async def recorded_call(
    trace: Trace,
    clock: Callable[[], float],
    role: str,
    llm: LLM,
    messages: list[Message],
    take: Callable[[str], None],
    *,
    budget: "RunBudget | None" = None,
    spans: "RunSpans | None" = None,
    emit: Callable[[Event], None] | None = None,
    **options: Any,
) -> LLMCall:
    """Stream `llm`'s completion of `messages` into `take`; options set to
    None are not passed on. Returns the call's record (already in `trace`).
    With a `budget`, raises `BudgetExceeded` when the run's tokens, this
    call's included, go over it; with `spans`, the call has a span; with
    `emit`, the call's progress goes out as `LLMStarted`, `LLMTokens` and
    `LLMFinished` events (for live displays)."""
    record = LLMCall(role=role, prompt=[m.to_dict() for m in messages], started_at=clock())
    trace.llm_calls.append(record)
    if emit is not None:
        emit(LLMStarted(role))
        take = _reporting(take, role, emit)
    with spans.llm_call(record, llm, options) if spans is not None else nullcontext():
        await _stream_into(record, clock, llm, messages, take, options)
    if emit is not None:
        emit(LLMFinished(role, record.completion_tokens))
    if budget is not None:
        budget.count_llm_tokens()
    return record


def _reporting(take: Callable[[str], None], role: str, emit: Callable[[Event], None]) -> Callable[[str], None]:
    """`take` that first emits each piece as `LLMTokens`, counted."""
    count = 0

    def counted(text: str) -> None:
        nonlocal count
        count += 1
        emit(LLMTokens(role, text, count))
        take(text)

    return counted


async def _stream_into(
    record: LLMCall,
    clock: Callable[[], float],
    llm: LLM,
    messages: list[Message],
    take: Callable[[str], None],
    options: dict[str, Any],
) -> None:
    stream = llm.stream(messages, **{k: v for k, v in options.items() if v is not None})
    parts: list[str] = []  # joined once, at the end: appending to one string is quadratic in long completions
    try:
        async for chunk in stream:
            if chunk.text:
                if record.first_token_at is None:
                    record.first_token_at = clock()
                parts.append(chunk.text)
                take(chunk.text)
            if chunk.usage is not None:
                record.prompt_tokens = chunk.usage.prompt_tokens
                record.completion_tokens = chunk.usage.completion_tokens
    except LLMError as exc:
        record.error = describe(exc)
        raise
    finally:
        record.completion = "".join(parts)
        record.finished_at = clock()
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
