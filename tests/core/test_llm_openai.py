"""`OpenAILLM` against a real OpenAI-compatible server on 127.0.0.1.

The main fixture starts `python -m llama_cpp.server` on the bundled SmolLM2
model. Failures a healthy local server never produces (429, 503, 401, slow
answers) come from `ScriptedServer`: a real HTTP server speaking the same
protocol whose replies are given in advance, as `ScriptedLLM` is for models.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Iterator

import pytest

from agentc.edge.models import resolve_model
from agentc.errors import LLMError
from agentc.llm.base import LLM, LLMChunk, Message, Usage, complete
from agentc.llm.openai import OpenAILLM

STORY = [Message("user", "Write a long story about a cat who sails around the world.")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on SmolLM2; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(resolve_model("smollm2")),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    log = tempfile.TemporaryFile()  # the server logs a lot; a pipe nobody reads would fill and stall it
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"llama_cpp.server exited: {log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def server_llm(llama_server: str) -> OpenAILLM:
    return OpenAILLM("smollm2", base_url=llama_server)


async def test_streams_from_a_real_server(server_llm: OpenAILLM) -> None:
    assert isinstance(server_llm, LLM)
    chunks: list[LLMChunk] = [c async for c in server_llm.stream(STORY, max_tokens=24)]
    texts = [c.text for c in chunks if c.text]
    assert len(texts) >= 10, "the server's tokens should arrive one by one"
    usage = chunks[-1].usage
    assert usage is not None and usage.prompt_tokens >= 10 and 10 <= usage.completion_tokens <= 40


async def test_stop_sequences(server_llm: OpenAILLM) -> None:
    free = await complete(server_llm, STORY, max_tokens=40)
    assert len(free.text) > 40
    stop = free.text[15:18]
    stopped = await complete(server_llm, STORY, max_tokens=40, stop=[stop])
    assert stopped.text == free.text[: free.text.index(stop)]
    assert stopped.usage.completion_tokens < free.usage.completion_tokens


async def test_grammar_goes_to_servers_that_take_it(llama_server: str) -> None:
    llm = OpenAILLM("smollm2", base_url=llama_server, accepts_grammar=True)
    question = [Message("user", "Is the sky blue? Answer yes or no.")]
    answer = await complete(llm, question, grammar='root ::= "maybe" | "perhaps"', max_tokens=10)
    assert answer.text in ("maybe", "perhaps")


async def test_settings_come_from_the_environment(llama_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTC_BASE_URL", llama_server)
    monkeypatch.setenv("AGENTC_MODEL_NAME", "smollm2")
    monkeypatch.delenv("AGENTC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm = OpenAILLM()
    assert llm.model == "smollm2" and llm.url.rstrip("/") == llama_server
    answer = await complete(llm, STORY, max_tokens=5)
    assert answer.text


def test_missing_settings_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AGENTC_BASE_URL", "AGENTC_MODEL_NAME", "AGENTC_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(LLMError, match="AGENTC_MODEL_NAME"):
        OpenAILLM()
    with pytest.raises(LLMError, match="AGENTC_API_KEY or OPENAI_API_KEY"):
        OpenAILLM("gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert OpenAILLM("gpt-4o-mini").client.api_key == "sk-test"


async def test_a_server_that_is_down_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    llm = OpenAILLM("smollm2", base_url=url, max_retries=3)
    start = time.perf_counter()
    with pytest.raises(LLMError) as caught:
        await complete(llm, STORY, max_tokens=5)
    message = str(caught.value)
    assert f"cannot connect to the OpenAI-compatible server at {url}" in message
    assert "check that the server is running" in message and "AGENTC_BASE_URL" in message
    assert time.perf_counter() - start < 5, "a refused connection is not retried"


async def test_a_wrong_path_is_a_clear_error(llama_server: str) -> None:
    llm = OpenAILLM("smollm2", base_url=llama_server.removesuffix("/v1"))
    with pytest.raises(LLMError, match="answered 404 .* is the API root"):
        await complete(llm, STORY, max_tokens=5)


# --- failures a local server does not produce, from a scripted one ---------

Reply = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class ScriptedServer:
    """Answers the n-th request with `replies[n]` (the last one repeats)."""

    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def scripted(serve_http: Callable[[Any], str]) -> Iterator[Callable[[list[Reply]], ScriptedServer]]:

    def start(replies: list[Reply]) -> ScriptedServer:
        script = ScriptedServer(replies)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                script.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                script.replies[min(len(script.requests), len(script.replies)) - 1](self)

            def log_message(self, *args: Any) -> None:
                pass

        script.url = serve_http(Handler)
        return script

    yield start


def error(status: int, message: str = "scripted failure") -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        data = json.dumps({"error": {"message": message, "type": "scripted", "code": status}}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return reply


def events(texts: list[str], usage: tuple[int, int] | None) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        head = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "scripted"}
        for text in texts:
            chunk = {**head, "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        if usage is not None:
            counts = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
            handler.wfile.write(f"data: {json.dumps({**head, 'choices': [], 'usage': counts})}\n\n".encode())
        handler.wfile.write(b"data: [DONE]\n\n")

    return reply


def slow(seconds: float, then: Reply) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        then(handler)

    return reply


async def test_server_errors_are_retried_with_backoff(scripted: Callable[[list[Reply]], ScriptedServer]) -> None:
    server = scripted([error(503), error(500), events(["Hel", "lo"], usage=(12, 2))])
    llm = OpenAILLM("m", base_url=server.url, backoff=0.1, max_retries=3)
    start = time.perf_counter()
    answer = await complete(llm, STORY)
    assert answer.text == "Hello"
    assert answer.usage == Usage(12, 2), "the server's own counts are used when it sends them"
    assert len(server.requests) == 3
    assert time.perf_counter() - start >= 0.1 + 0.2, "waits double: 0.1 s, then 0.2 s"


async def test_rate_limits_give_up_after_max_retries(scripted: Callable[[list[Reply]], ScriptedServer]) -> None:
    server = scripted([error(429, "slow down")])
    llm = OpenAILLM("m", base_url=server.url, backoff=0.01, max_retries=2)
    with pytest.raises(LLMError, match=r"rate-limiting the requests \(429\) \(after 3 attempts\)"):
        await complete(llm, STORY)
    assert len(server.requests) == 3


async def test_timeouts_are_retried_then_reported(scripted: Callable[[list[Reply]], ScriptedServer]) -> None:
    server = scripted([slow(1.0, events(["late"], usage=None))])
    llm = OpenAILLM("m", base_url=server.url, timeout=0.2, backoff=0.01, max_retries=1)
    with pytest.raises(LLMError, match=r"did not answer within 0.2 s \(after 2 attempts\)"):
        await complete(llm, STORY)
    assert len(server.requests) == 2


async def test_a_refused_key_is_not_retried(scripted: Callable[[list[Reply]], ScriptedServer]) -> None:
    server = scripted([error(401, "bad key")])
    llm = OpenAILLM("m", base_url=server.url, api_key="sk-wrong", backoff=0.01)
    with pytest.raises(LLMError, match=r"refused the API key \(401\): check AGENTC_API_KEY"):
        await complete(llm, STORY)
    assert len(server.requests) == 1
    assert server.requests[0]["auth"] == "Bearer sk-wrong"


async def test_what_the_request_carries(scripted: Callable[[list[Reply]], ScriptedServer]) -> None:
    server = scripted([events(["{}"], usage=(1, 1))])
    schema = {"type": "object", "properties": {}}
    plain = OpenAILLM("m", base_url=server.url)
    await complete(plain, STORY, stop=["\n\n"], max_tokens=7, grammar="root ::= x", json_schema=schema)
    body = server.requests[-1]["body"]
    assert body["model"] == "m" and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["stop"] == ["\n\n"] and body["max_tokens"] == 7 and body["temperature"] == 0.0
    assert body["response_format"] == {"type": "json_schema", "json_schema": {"name": "output", "schema": schema}}
    assert "grammar" not in body, "a server that was not said to take grammars never sees one"
    llama_like = OpenAILLM("m", base_url=server.url, accepts_grammar=True)
    await complete(llama_like, STORY, grammar="root ::= x")
    assert server.requests[-1]["body"]["grammar"] == "root ::= x"
