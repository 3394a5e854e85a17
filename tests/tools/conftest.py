"""MCP servers as real processes: the SDK-written sample server over stdio,
and any server command over streamable HTTP on a free 127.0.0.1 port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

SAMPLE_SERVER = Path(__file__).with_name("sample_mcp_server.py")


@pytest.fixture
def sample_server() -> list[str]:
    """The argv that starts the sample MCP server on stdio."""
    return [sys.executable, str(SAMPLE_SERVER)]


@pytest.fixture
def serve_mcp_http() -> Iterator[Callable[[Callable[[int], list[str]]], str]]:
    """`start(argv_for_port)` runs `argv_for_port(port)` with a free port,
    waits until it accepts connections, and returns its MCP URL; every
    server is stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(argv_for_port: Callable[[int], list[str]]) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(argv_for_port(port), stdin=subprocess.DEVNULL)
        started.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # nothing announces that uvicorn listens: try to connect
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with code {process.returncode} before it listened")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}/mcp"
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not listen on port {port} within 60 s")

    yield start
    for process in started:
        process.kill()  # a test server has nothing to save
        process.wait()
