"""One recorded LLM call: stream a completion into a callback and keep its
`LLMCall` record in the trace, also when the call fails part-way.

Every agent style (compiler, ReAct, parallel FC) records its calls this way,
so their traces count time and tokens alike.
"""

from __future__ import annotations

from typing import Any, Callable

from agentc.errors import LLMError, describe
from agentc.llm import LLM, Message
from agentc.trace import LLMCall, Trace


async def recorded_call(
    trace: Trace,
    clock: Callable[[], float],
    role: str,
    llm: LLM,
    messages: list[Message],
    take: Callable[[str], None],
    **options: Any,
) -> LLMCall:
    """Stream `llm`'s completion of `messages` into `take`; options set to
    None are not passed on. Returns the call's record (already in `trace`)."""
    record = LLMCall(role=role, prompt=[m.to_dict() for m in messages], started_at=clock())
    trace.llm_calls.append(record)
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
    return record
