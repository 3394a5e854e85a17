"""A real OpenAI-compatible chat server on 127.0.0.1 that streams given
completions in order, for driving `agentc run` end to end."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Iterator

import pytest


@pytest.fixture
def chat_server(serve_http: Callable[[Any], str]) -> Iterator[Callable[[list[str]], str]]:
    """`start(completions)` serves the n-th request with `completions[n]`; returns the base URL."""

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
