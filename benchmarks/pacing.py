"""`PacedLLM`: delivers another backend's completion on a hosted model's
schedule, counting tokens with a real BPE tokenizer.

Why: `ScriptedLLM` paces by its word-and-punctuation pieces, which count
every bracket, quote and colon of JSON as a token. A real tokenizer merges
them (`{"`, `":`, `"}}`), and splits invented names into several pieces, so
word pieces make a parallel-function-calling turn look about a third slower
to write than a plan line of the same content. Pacing every agent by the same
BPE tokenizer keeps the race about orchestration. Token counts (`Usage`) are
passed through from the inner backend unchanged.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Callable

from agentc.errors import LLMError
from agentc.llm import LLM, LLMChunk, Message, Usage

Pieces = Callable[[str], list[str]]


class PacedLLM:
    """`inner` writes the text (at once: give it no pacing of its own); this
    sends it `ttft` s after the call, then `tokens_per_second` pieces of
    `pieces(text)` a second."""

    def __init__(self, inner: LLM, pieces: Pieces, *, ttft: float, tokens_per_second: float) -> None:
        if tokens_per_second <= 0:
            raise ValueError("tokens_per_second must be positive")
        self.inner = inner
        self.pieces = pieces
        self.ttft = ttft
        self.tokens_per_second = tokens_per_second

    async def stream(self, messages: list[Message], **options: Any) -> AsyncIterator[LLMChunk]:
        start = time.perf_counter()
        parts: list[str] = []
        usage: Usage | None = None
        async for chunk in self.inner.stream(messages, **options):
            parts.append(chunk.text)
            usage = chunk.usage or usage
        for index, piece in enumerate(self.pieces("".join(parts))):
            delay = self.ttft + index / self.tokens_per_second - (time.perf_counter() - start)
            if delay > 0:
                await asyncio.sleep(delay)
            yield LLMChunk(piece)
        yield LLMChunk("", usage=usage)


def bpe_pieces() -> Pieces:
    """SmolLM2's tokenizer (vocabulary only) as text pieces that join back to
    the text. Raises `LLMError` when llama-cpp-python or the model is missing."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise LLMError(f"BPE pacing needs llama-cpp-python ({exc}); install it with: pip install 'agentc[local]'") from exc
    from agentc.edge.models import resolve_model

    vocab = Llama(str(resolve_model("smollm2")), vocab_only=True, verbose=False)

    def pieces(text: str) -> list[str]:
        tokens = vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        out = [vocab.detokenize([t]).decode("utf-8", errors="replace") for t in tokens]
        if "".join(out) != text:
            raise LLMError(f"SmolLM2's tokenizer does not round-trip {text[:60]!r}; use --pacing words")
        return out

    return pieces
