"""Serving an ASGI app with uvicorn on a free port, in its own thread.

The listening socket is bound before the thread starts, so the URL is usable at
once: connections made before uvicorn is up wait in the socket's backlog.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any


@dataclass
class ServerThread:
    """A uvicorn server running an app in a background thread."""

    url: str
    server: Any  # uvicorn.Server
    thread: threading.Thread
    sock: socket.socket

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise RuntimeError(f"site server at {self.url} did not stop within {timeout} s")
        self.sock.close()


def serve_in_thread(app: Any, host: str = "127.0.0.1", name: str = "site") -> ServerThread:
    """Bind a free port on `host`, start uvicorn on it in a daemon thread, return its handle."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"agentc-{name}-{port}", daemon=True)
    thread.start()
    return ServerThread(url=f"http://{host}:{port}", server=server, thread=thread, sock=sock)
