"""Shared fixtures: small real tools with observable timing, the bundled
SmolLM2 model (loaded lazily, once per session), and real local servers
(scripted HTTP, SMTP) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from agentc import tool


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    from agentc.edge.models import resolve_model

    return resolve_model("smollm2")


@pytest.fixture(scope="session")
def smollm2(smollm2_path: Path) -> Iterator[Any]:
    """SmolLM2-135M, untuned, with the 4-bit KV cache (the edge path's
    memory-saving setting, which "auto" picks on long contexts), loaded once
    per session (2 CPU cores: loading is cheap, but no reason to repeat it)."""
    from agentc.edge.llamacpp import LlamaCppLLM

    llm = LlamaCppLLM(smollm2_path, n_ctx=2048, kv_cache="q4_0")
    yield llm
    llm.close()


@pytest.fixture(scope="session")
def vocab(smollm2_path: Path) -> Iterator[Any]:
    """SmolLM2's vocabulary only: enough for llama.cpp's grammar engine."""
    from llama_cpp import Llama

    llama = Llama(str(smollm2_path), vocab_only=True, verbose=False)
    yield llama
    llama.close()


@pytest.fixture
def weather_tools():
    """`get_weather` (async, 0.2 s) and `compare` (sync), as a typical fan-in."""

    @tool
    async def get_weather(city: str) -> dict:
        """Current weather of a city.

        Args:
            city: the city's name
        """
        await asyncio.sleep(0.2)
        return {"city": city, "temp_c": len(city) * 3}

    @tool
    def compare(a: dict, b: dict) -> str:
        """Say which of two weather reports is warmer."""
        warmer = a if a["temp_c"] >= b["temp_c"] else b
        return f"{warmer['city']} is warmer"

    return [get_weather, compare]


@pytest.fixture
def weather_plan() -> str:
    """A plan over `weather_tools`: two independent 0.2 s calls, then one that needs both."""
    return '1. get_weather(city="Paris")\n2. get_weather("Tokyo")\n3. compare(a=$1, b=$2)\n4. join()\n<END_OF_PLAN>'


def sleeper(name: str, seconds: float):
    """An async tool that sleeps and returns its input, named `name`."""

    async def run(x: int = 0) -> int:
        await asyncio.sleep(seconds)
        return x

    run.__name__ = name
    run.__doc__ = f"Sleeps {seconds} s and returns x."
    return tool(run)


def stamp() -> float:
    return time.perf_counter()


@pytest.fixture
def serve_http() -> Iterator[Any]:
    """`serve_http(Handler)` serves a `BaseHTTPRequestHandler` class on
    127.0.0.1 in a thread and returns its `/v1` base URL; every server is
    shut down after the test (scripted OpenAI-compatible servers)."""
    import threading
    from http.server import ThreadingHTTPServer

    servers: list[ThreadingHTTPServer] = []

    def start(handler: Any) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Any


@dataclass
class Inbox:
    """What the SMTP server received, in order."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that was bound and released: nothing listens there."""
    return free_port()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1: `(inbox, port)`."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def chat_server(serve_http: Any) -> Iterator[Any]:
    """A real OpenAI-compatible chat server on 127.0.0.1 for driving commands
    end to end: `start(completions)` streams the n-th request's reply from
    `completions[n]` (the last one repeats) and returns the base URL."""
    import json
    from http.server import BaseHTTPRequestHandler

    def start(completions: list[str]) -> str:
        served: list[int] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                served.append(1)
                text = completions[min(len(served), len(completions)) - 1]
                head = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece, finish in ((text, None), ("", "stop")):
                    choice = {"index": 0, "delta": {"content": piece}, "finish_reason": finish}
                    self.wfile.write(f"data: {json.dumps({**head, 'choices': [choice]})}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *args: Any) -> None:
                pass

        return serve_http(Handler)

    yield start


@pytest.fixture
def ctrl_c_delivered() -> Iterator[None]:
    """Ctrl-C acts as it does at a terminal, also when the test run was started
    with SIGINT ignored (a shell's background job is, and children inherit
    that): this process raises KeyboardInterrupt, and a child it starts gets
    SIGINT's default action (a caught signal is reset on exec, an ignored one
    is not)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
