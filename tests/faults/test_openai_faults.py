"""Class 10: `OpenAILLM` against a real local HTTP server that misbehaves.

Every case is an `LLMError` that says what happened (or, for a plain JSON
reply, the text), within a bounded time: keep-alive comments or empty deltas
forever, 429 with Retry-After, a malformed event, a connection closed
mid-stream, a server that never answers.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Iterator

import pytest

from agentc.errors import LLMError
from agentc.llm import Message, complete
from agentc.llm.openai import OpenAILLM

ASK = [Message("user", "hi")]
HEAD = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m"}
Reply = Callable[[BaseHTTPRequestHandler, threading.Event], None]


@dataclass
class Server:
    url: str
    times: list[float] = field(default_factory=list)


@pytest.fixture
def serve(serve_http: Callable[[Any], str]) -> Iterator[Callable[..., Server]]:
    """Start a server on 127.0.0.1 answering the n-th request with `replies[n]` (the last repeats)."""
    stop = threading.Event()

    def start(*replies: Reply, http11: bool = False) -> Server:
        state = Server("")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if http11 else "HTTP/1.0"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                state.times.append(time.monotonic())
                replies[min(len(state.times), len(replies)) - 1](self, stop)

            def log_message(self, *args: Any) -> None:
                pass

        state.url = serve_http(Handler)
        return state

    yield start
    stop.set()  # before the servers shut down: replies that wait on it end


def chunk(text: str, finish: str | None = None) -> bytes:
    event = {**HEAD, "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]}
    return f"data: {json.dumps(event)}\n\n".encode()


def sse_headers(handler: BaseHTTPRequestHandler, status: int = 200) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "text/event-stream")
    handler.end_headers()


def stream(*texts: str) -> Reply:
    def reply(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        sse_headers(handler)
        for text in texts:
            handler.wfile.write(chunk(text))
        handler.wfile.write(chunk("", "stop") + b"data: [DONE]\n\n")

    return reply


def forever(piece: bytes) -> Reply:
    """Headers, then `piece` every 50 ms until the client goes away."""

    def reply(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        sse_headers(handler)
        try:
            while not stop.wait(0.05):
                handler.wfile.write(piece)
                handler.wfile.flush()
        except OSError:
            pass

    return reply


def silent(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    stop.wait(30)


def rate_limited(retry_after: str) -> Reply:
    def reply(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        body = json.dumps({"error": {"message": "slow down", "type": "rate_limit", "code": 429}}).encode()
        handler.send_response(429)
        handler.send_header("Retry-After", retry_after)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return reply


def raw(body: bytes, content_type: str = "text/event-stream") -> Reply:
    def reply(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        handler.wfile.write(body)

    return reply


def cut_chunked(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """HTTP/1.1 chunked stream whose connection is reset after the first event."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    data = chunk("Hel")
    handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    handler.connection.close()
    handler.close_connection = True


def llm(server: Server, **options: Any) -> OpenAILLM:
    return OpenAILLM("m", base_url=server.url, **{"backoff": 0.01, **options})


async def _fails_within(seconds: float, target: OpenAILLM, match: str) -> LLMError:
    start = time.monotonic()
    with pytest.raises(LLMError, match=match) as error:
        await complete(target, ASK)
    assert time.monotonic() - start < seconds
    return error.value


@pytest.mark.parametrize(
    "piece",
    [b": keep-alive\n\n", chunk("")],
    ids=["keep-alive comments", "empty deltas"],
)
async def test_a_stream_that_never_finishes_hits_the_deadline(serve, piece: bytes) -> None:
    server = serve(forever(piece))
    await _fails_within(10, llm(server, timeout=1.0, deadline=1.5), r"within the deadline of 1.5 s")


async def test_a_silent_server_costs_at_most_the_deadline(serve) -> None:
    server = serve(silent)
    error = await _fails_within(10, llm(server, timeout=0.5, max_retries=10, deadline=1.2), "deadline")
    assert "1.2 s" in str(error)
    assert OpenAILLM("m", base_url=server.url).deadline == 180.0, "the default bound is stated"


async def test_retry_after_is_honoured(serve) -> None:
    server = serve(rate_limited("1"), stream("Hi"))
    answer = await complete(llm(server, backoff=0.01), ASK)
    assert answer.text == "Hi"
    assert server.times[1] - server.times[0] >= 0.9, "waited as long as the server asked, not the 0.01 s backoff"


async def test_a_retry_after_beyond_the_bound_is_an_error_at_once(serve) -> None:
    server = serve(rate_limited("3600"))
    await _fails_within(10, llm(server, max_retry_after=30), r"retry after 3600 s")
    assert len(server.times) == 1


async def test_a_malformed_event_is_an_llm_error(serve) -> None:
    server = serve(raw(chunk("Hel") + b"data: {not json\n\n"))
    await _fails_within(10, llm(server), r"malformed stream event .*not json")


async def test_a_stream_cut_short_says_so(serve) -> None:
    server = serve(raw(chunk("Hel") + chunk("lo")))  # no finish_reason, no [DONE]: the connection just closes
    error = await _fails_within(10, llm(server), r"closed the stream before the completion finished")
    assert "after 5 characters" in str(error)


async def test_a_connection_reset_mid_stream_is_not_called_a_failure_to_connect(serve) -> None:
    server = serve(cut_chunked, http11=True)
    error = await _fails_within(10, llm(server), r"mid-stream")
    assert "cannot connect" not in str(error)


async def test_a_plain_json_reply_gives_its_text(serve) -> None:
    completion = {
        "id": "c1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
    server = serve(raw(json.dumps(completion).encode(), "application/json"))
    answer = await complete(llm(server), ASK)
    assert answer.text == "Hello" and answer.usage.completion_tokens == 1


async def test_a_json_reply_that_is_no_completion_is_an_error(serve) -> None:
    server = serve(raw(b'{"status": "ok"}', "application/json"))
    await _fails_within(10, llm(server), "neither a stream nor a chat completion")
