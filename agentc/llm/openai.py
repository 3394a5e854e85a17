"""`OpenAILLM`: any OpenAI-compatible chat server (OpenAI, vLLM, llama.cpp's
server, Ollama) through the `openai` package's `AsyncOpenAI`.

Settings come from arguments, else from the environment: AGENTC_BASE_URL,
AGENTC_API_KEY (else OPENAI_API_KEY) and AGENTC_MODEL_NAME. A local server
needs no key. Rate limits (429), server errors (5xx) and timeouts are retried
with exponential backoff (or after the server's `Retry-After`, when it sends
one), but only before the first token arrives: text that was already handed
on cannot be taken back. Everything else becomes an `LLMError` that names the
server and what to check.

Time is bounded twice: `timeout` is how long the server may stay silent (to
connect, to answer, between two pieces of the stream), and `deadline` bounds
the whole call, retries and waits included, so a server that keeps a stream
alive with comments or empty deltas cannot hold a run forever. With the
defaults a silent server costs at most 180 s (three attempts of 60 s).

The stream is read as server-sent events here, not by the `openai` package,
so every way a server can misbehave is an `LLMError` that says what happened:
a malformed event, a stream that ends without `[DONE]` or a finish reason (the
connection closed mid-stream), or a plain JSON completion sent instead of a
stream (its text is used).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import time
from typing import Any, AsyncIterator, Mapping

from agentc.errors import LLMError, describe
from agentc.llm.base import LLMChunk, Message, Usage, count_tokens


class OpenAILLM:
    """Streams chat completions from an OpenAI-compatible server.

    `accepts_grammar=True` sends a GBNF `grammar` in the request body (as
    llama.cpp's servers take it); other servers never see it. `json_schema`
    is sent as a `response_format`: `{"type": "json_schema", ...}` as
    OpenAI and vLLM take it, or, with `accepts_grammar`, `{"type":
    "json_object", "schema": ...}`, the form both llama.cpp servers take
    (llama-cpp-python's refuses the other). `max_retries` counts retries after the
    first attempt; the wait doubles from `backoff` seconds, or is what the
    server's `Retry-After` asks for, up to `max_retry_after` seconds (a longer
    wait is an error at once). `timeout` is seconds of silence allowed,
    `deadline` seconds for the whole call (None: no bound).
    `setting_names` says how the user gave `base_url`, `model` and
    `api_key` (a command line names its options: `{"base_url":
    "--base-url"}`), so an error names what to fix; by default both the
    environment variable and the argument are named.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        deadline: float | None = 180.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
        temperature: float | None = 0.0,
        accepts_grammar: bool = False,
        setting_names: Mapping[str, str] | None = None,
    ) -> None:
        self.setting_names = {
            "base_url": "AGENTC_BASE_URL (or base_url=)",
            "model": "AGENTC_MODEL_NAME (or model=)",
            "api_key": "AGENTC_API_KEY / OPENAI_API_KEY (or api_key=)",
            **(setting_names or {}),
        }
        """The user's name of each setting, for error messages."""
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
        self.deadline = deadline
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
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
        retryable = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError, _SilentStream)
        loop = asyncio.get_running_loop()
        deadline = None if self.deadline is None else loop.time() + self.deadline
        attempt = 0
        while True:
            parts: list[str] = []
            try:
                async for chunk in self._attempt(request, parts, deadline):
                    yield chunk
                return
            except TimeoutError:  # the call's deadline, from asyncio.timeout_at
                raise LLMError(
                    f"{self._where} did not finish the completion within the deadline of {self.deadline:g} s "
                    f"({attempt + 1} attempt{'s' if attempt else ''}, {len(''.join(parts))} characters received): "
                    "the server is too slow or keeps the stream open without finishing; raise deadline="
                ) from None
            except retryable as exc:
                if parts or attempt >= self.max_retries:
                    raise self._error(exc, attempt + 1) from exc
                wait = self._retry_wait(exc, attempt)
                remaining = None if deadline is None else deadline - loop.time()
                if remaining is not None and wait >= remaining:
                    raise LLMError(
                        f"{self._where} asked to wait {wait:g} s before retrying, longer than the "
                        f"{max(remaining, 0.0):.1f} s left of the call's deadline ({self.deadline:g} s); "
                        "try again later or raise deadline="
                    ) from exc
                await asyncio.sleep(wait)
                attempt += 1
            except openai.OpenAIError as exc:
                raise self._error(exc, attempt + 1) from exc

    @property
    def _where(self) -> str:
        return f"the OpenAI-compatible server at {self.url}"

    def _retry_wait(self, exc: Exception, attempt: int) -> float:
        """Seconds to wait before the next attempt: the server's Retry-After
        (seconds or an HTTP date) when it sent one, else the backoff. A
        Retry-After above `max_retry_after` is an error now, not a long sleep."""
        backoff = self.backoff * 2**attempt
        response = getattr(exc, "response", None)
        asked = _retry_after(response.headers) if response is not None else None
        if asked is None:
            return backoff
        if asked > self.max_retry_after:
            raise LLMError(
                f"{self._where} answered {getattr(exc, 'status_code', '')} and asked to retry after {asked:g} s, "
                f"more than max_retry_after={self.max_retry_after:g} s; try again later or raise max_retry_after="
            ) from exc
        return max(asked, 0.0)

    async def _attempt(self, request: dict[str, Any], parts: list[str], deadline: float | None) -> AsyncIterator[LLMChunk]:
        """One request: text chunks as they come (kept in `parts`), then usage.

        Every wait is bounded by `deadline`; the events are read here (see
        the module's docstring) so each misbehaviour is named."""
        async with asyncio.timeout_at(deadline):
            stream = await self.client.chat.completions.create(**request)
        response = stream.response
        usage: Usage | None = None
        try:
            if response.headers.get("content-type", "").split(";")[0].strip() == "application/json":
                async with asyncio.timeout_at(deadline):
                    body = await response.aread()
                text, usage = self._whole_completion(body)
                if text:
                    parts.append(text)
                    yield LLMChunk(text)
            else:
                finished = False
                events = _sse_data(response.aiter_lines()).__aiter__()
                while True:
                    try:
                        async with asyncio.timeout_at(deadline):
                            data = await events.__anext__()
                    except StopAsyncIteration:
                        break
                    except (TimeoutError, LLMError):
                        raise
                    except Exception as exc:  # the transport failed mid-stream
                        raise self._broken(exc, parts) from exc
                    if data.strip() == "[DONE]":
                        finished = True
                        break
                    for text, done, counts in self._read_event(data):
                        finished = finished or done
                        usage = counts or usage
                        if text:
                            parts.append(text)
                            yield LLMChunk(text)
                if not finished:
                    raise LLMError(
                        f"{self._where} closed the stream before the completion finished (no [DONE] and no "
                        f"finish_reason, after {len(''.join(parts))} characters): the connection was cut mid-stream "
                        "or the server stopped; check the server's log"
                    )
        finally:
            await stream.close()
        if usage is None:
            prompt = " ".join(m["content"] for m in request["messages"])
            usage = Usage(count_tokens(prompt), count_tokens("".join(parts)))
        yield LLMChunk("", usage=usage)

    def _read_event(self, data: str) -> list[tuple[str, bool, Usage | None]]:
        """`(text, finished, usage)` for each choice of one streamed chunk."""
        try:
            event = json.loads(data)
        except ValueError:
            raise LLMError(
                f"{self._where} sent a malformed stream event (not JSON): {data[:120]!r}; "
                f"is {self.setting_names['base_url']} an OpenAI-compatible chat server?"
            ) from None
        if not isinstance(event, dict):
            raise LLMError(f"{self._where} sent a stream event that is not a JSON object: {data[:120]!r}")
        if event.get("error"):
            raise LLMError(f"{self._where} reported an error mid-stream: {_error_message(event['error'])}")
        usage = _usage(event.get("usage"))
        choices = event.get("choices") or []
        if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
            raise LLMError(f"{self._where} sent a stream event with malformed choices: {data[:120]!r}")
        found = [(_text(c.get("delta")), bool(c.get("finish_reason")), None) for c in choices]
        return found + [("", False, usage)] if usage is not None else found

    def _whole_completion(self, body: bytes) -> tuple[str, Usage | None]:
        """The text of a non-streamed reply (a server that ignores `stream`)."""
        try:
            reply = json.loads(body)
        except ValueError:
            raise LLMError(f"{self._where} answered with malformed JSON instead of a stream: {body[:120]!r}") from None
        if isinstance(reply, dict) and reply.get("error"):
            raise LLMError(f"{self._where} answered with an error: {_error_message(reply['error'])}")
        choices = reply.get("choices") if isinstance(reply, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise LLMError(
                f"{self._where} answered with JSON that is neither a stream nor a chat completion: {body[:120]!r}"
            )
        first = choices[0]
        text = _text(first.get("message")) or (first.get("text") if isinstance(first.get("text"), str) else "")
        return text, _usage(reply.get("usage"))

    def _broken(self, exc: Exception, parts: list[str]) -> Exception:
        """What a transport error while reading the stream means."""
        received = len("".join(parts))
        if _is_timeout(exc):
            return _SilentStream(
                f"{self._where} sent nothing for {self.timeout:g} s in the middle of the stream "
                f"(after {received} characters); check its load, or raise timeout="
            )
        return LLMError(
            f"{self._where} closed the connection mid-stream after {received} characters "
            f"({describe(exc)}); check the server's log"
        )

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
        if json_schema is not None and self.accepts_grammar:
            request["response_format"] = {"type": "json_object", "schema": json_schema}
        elif json_schema is not None:
            schema = {"name": "output", "schema": json_schema}
            request["response_format"] = {"type": "json_schema", "json_schema": schema}
        if grammar is not None and self.accepts_grammar:
            request["extra_body"] = {"grammar": grammar}
        return request

    def _error(self, exc: Exception, attempts: int) -> LLMError:
        """An `LLMError` naming the server, what went wrong and what to check."""
        import openai

        where = self._where
        tries = f" (after {attempts} attempt{'s' if attempts != 1 else ''})"
        if isinstance(exc, LLMError):
            return LLMError(f"{exc}{tries}")
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return LLMError(
                f"{where} refused the API key ({exc.status_code}): check {self.setting_names['api_key']}"
            )
        if isinstance(exc, openai.NotFoundError):
            return LLMError(
                f"{where} answered 404 for model {self.model!r}: check {self.setting_names['model']} and that "
                f"{self.setting_names['base_url']} is the API root, e.g. http://127.0.0.1:8080/v1"
            )
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"{where} did not answer within {self.timeout} s{tries}: check its load, or raise timeout=")
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return LLMError(
                f"cannot connect to {where}: {cause}; check that the server is running and that "
                f"{self.setting_names['base_url']} is right"
            )
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"{where} kept rate-limiting the requests (429){tries}: slow down or raise max_retries=")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{where} answered {exc.status_code}{tries}: {exc.message}")
        return LLMError(f"{where} failed: {type(exc).__name__}: {exc}")


class _SilentStream(LLMError):
    """The server stopped sending in the middle of a stream (retried like a timeout)."""


async def _sse_data(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """The `data` of each server-sent event; comments (keep-alives) and other
    fields are skipped."""
    data: list[str] = []
    async for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


def _text(message: Any) -> str:
    """The text content of a delta or message (absent, null or non-text: empty)."""
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else ""


def _usage(counts: Any) -> Usage | None:
    if not isinstance(counts, dict):
        return None
    prompt, completion = counts.get("prompt_tokens"), counts.get("completion_tokens")
    return Usage(prompt if isinstance(prompt, int) else 0, completion if isinstance(completion, int) else 0)


def _error_message(error: Any) -> str:
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error["message"]
    return str(error)[:200]


def _retry_after(headers: Any) -> float | None:
    """Seconds from `Retry-After-Ms`, or `Retry-After` as seconds or an HTTP date; None if absent or unreadable."""
    try:
        if headers.get("retry-after-ms") is not None:
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return when.timestamp() - time.time()
    except (TypeError, ValueError, OverflowError):
        return None


def _is_timeout(exc: BaseException) -> bool:
    """A read timeout of whichever HTTP library the `openai` package uses
    (httpx or httpx2: both name it `...TimeoutException`)."""
    return isinstance(exc, TimeoutError) or any(c.__name__.endswith("TimeoutException") for c in type(exc).__mro__)
