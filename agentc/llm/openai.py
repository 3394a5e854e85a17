"""`OpenAILLM`: any OpenAI-compatible chat server (OpenAI, vLLM, llama.cpp's
server, Ollama) through the `openai` package's `AsyncOpenAI`.

Settings come from arguments, else from the environment: AGENTC_BASE_URL,
AGENTC_API_KEY (else OPENAI_API_KEY) and AGENTC_MODEL_NAME. A local server
needs no key. Rate limits (429), server errors (5xx) and timeouts are retried
with exponential backoff, but only before the first token arrives: text that
was already handed on cannot be taken back. Everything else becomes an
`LLMError` that names the server and what to check.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, AsyncIterator

from agentc.errors import LLMError
from agentc.llm.base import LLMChunk, Message, Usage, count_tokens


class OpenAILLM:
    """Streams chat completions from an OpenAI-compatible server.

    `accepts_grammar=True` sends a GBNF `grammar` in the request body (as
    llama.cpp's servers take it); other servers never see it. `json_schema`
    is sent as a `response_format`. `max_retries` counts retries after the
    first attempt; the wait doubles from `backoff` seconds.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        temperature: float | None = 0.0,
        accepts_grammar: bool = False,
    ) -> None:
        try:
            import openai
        except ImportError as exc:
            raise LLMError(
                f"the OpenAI backend needs the openai package ({exc}); install it with: pip install agentc"
            ) from exc
        self.model = model or os.environ.get("AGENTC_MODEL_NAME") or ""
        if not self.model:
            raise LLMError("no model name for the OpenAI backend: pass model= or set AGENTC_MODEL_NAME")
        self.base_url = base_url or os.environ.get("AGENTC_BASE_URL") or None
        key = api_key or os.environ.get("AGENTC_API_KEY") or os.environ.get("OPENAI_API_KEY")
        if not key:
            if self.base_url is None:
                raise LLMError(
                    "no API key for OpenAI: set AGENTC_API_KEY or OPENAI_API_KEY (or pass api_key=), "
                    "or point AGENTC_BASE_URL at a local OpenAI-compatible server"
                )
            key = "none"  # local servers accept any key, but the client needs one
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.temperature = temperature
        self.accepts_grammar = accepts_grammar
        self.client = openai.AsyncOpenAI(api_key=key, base_url=self.base_url, timeout=timeout, max_retries=0)

    @property
    def url(self) -> str:
        """The API root requests go to."""
        return str(self.client.base_url)

    async def stream(
        self,
        messages: list[Message],
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        grammar: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMChunk]:
        """Stream the completion; the last chunk carries `Usage`, the
        server's counts, or estimated ones (`count_tokens`) when the server
        sends none (llama-cpp-python's server does not, when streaming)."""
        import openai

        request = self._request(messages, stop, max_tokens, grammar, json_schema)
        retryable = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError)
        attempt = 0
        while True:
            parts: list[str] = []
            try:
                async for chunk in self._attempt(request, parts):
                    yield chunk
                return
            except retryable as exc:
                if parts or attempt >= self.max_retries:
                    raise self._error(exc, attempt + 1) from exc
                await asyncio.sleep(self.backoff * 2**attempt)
                attempt += 1
            except openai.OpenAIError as exc:
                raise self._error(exc, attempt + 1) from exc

    async def _attempt(self, request: dict[str, Any], parts: list[str]) -> AsyncIterator[LLMChunk]:
        """One request: text chunks as they come (kept in `parts`), then usage."""
        stream = await self.client.chat.completions.create(**request)
        usage: Usage | None = None
        try:
            async for chunk in stream:
                if chunk.usage is not None:
                    usage = Usage(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                for choice in chunk.choices:
                    text = choice.delta.content if choice.delta is not None else None
                    if text:
                        parts.append(text)
                        yield LLMChunk(text)
        finally:
            await stream.close()
        if usage is None:
            prompt = " ".join(m["content"] for m in request["messages"])
            usage = Usage(count_tokens(prompt), count_tokens("".join(parts)))
        yield LLMChunk("", usage=usage)

    def _request(
        self,
        messages: list[Message],
        stop: list[str] | None,
        max_tokens: int | None,
        grammar: str | None,
        json_schema: dict[str, Any] | None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": [m.to_dict() for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if stop:
            request["stop"] = list(stop)
        if max_tokens is not None:
            request["max_tokens"] = max_tokens
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if json_schema is not None:
            schema = {"name": "output", "schema": json_schema}
            request["response_format"] = {"type": "json_schema", "json_schema": schema}
        if grammar is not None and self.accepts_grammar:
            request["extra_body"] = {"grammar": grammar}
        return request

    def _error(self, exc: Exception, attempts: int) -> LLMError:
        """An `LLMError` naming the server, what went wrong and what to check."""
        import openai

        where = f"the OpenAI-compatible server at {self.url}"
        tries = f" (after {attempts} attempt{'s' if attempts != 1 else ''})"
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return LLMError(
                f"{where} refused the API key ({exc.status_code}): check AGENTC_API_KEY / OPENAI_API_KEY (or api_key=)"
            )
        if isinstance(exc, openai.NotFoundError):
            return LLMError(
                f"{where} answered 404 for model {self.model!r}: check AGENTC_MODEL_NAME (or model=) and that "
                "AGENTC_BASE_URL is the API root, e.g. http://127.0.0.1:8080/v1"
            )
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"{where} did not answer within {self.timeout} s{tries}: check its load, or raise timeout=")
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return LLMError(
                f"cannot connect to {where}: {cause}; check that the server is running and that "
                "AGENTC_BASE_URL (or base_url=) is right"
            )
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"{where} kept rate-limiting the requests (429){tries}: slow down or raise max_retries=")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{where} answered {exc.status_code}{tries}: {exc.message}")
        return LLMError(f"{where} failed: {type(exc).__name__}: {exc}")
