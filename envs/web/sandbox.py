"""What the browser may open: the task's sites, and nothing else.

    sandbox = Sandbox.of(["http://127.0.0.1:8001", "http://127.0.0.1:8002/forum"])
    sandbox.refusal("file:///etc/passwd")   # -> "file:///etc/passwd is not one of this task's sites; ..."
    sandbox.refusal("http://127.0.0.1:8001/cart")  # -> None

An agent writes `goto(url)` and clicks links it did not choose, so the
environment, not the agent, decides where the browser goes. A `Sandbox` is
an allow-list of origins (scheme, host and port: `http://localhost:8001` is
not `http://127.0.0.1:8001`) built from the task's URL map, plus folders
that `file:` URLs may come from (MiniWoB++'s bundled pages). `about:blank`
is always allowed; every other scheme (`file:` elsewhere, `data:`,
`view-source:`, `chrome:`, `javascript:`, other `about:` pages) is refused.
`PlaywrightEnv` checks `goto` against it before any request is made and routes
every request of the browser context through it, so links, redirects,
forms, scripts and sub-resources that leave the task's sites fail too.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import unquote, urlsplit

ALWAYS_ALLOWED = ("about:blank",)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_WEB_SCHEMES = {"ws": "http", "wss": "https"}


def origin(url: str) -> str | None:
    """`scheme://host:port` of an http(s) or ws(s) URL (default ports made explicit), else None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number, an unbalanced IPv6 bracket
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{_WEB_SCHEMES.get(scheme, scheme)}://{host}:{port or _DEFAULT_PORTS[scheme]}"


def file_path(url: str) -> str | None:
    """The normalised local path of a `file:` URL (`..` resolved), else None."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return posixpath.normpath(unquote(parts.path) or "/")


@dataclass(frozen=True)
class Sandbox:
    """The origins and `file:` folders a browser context may reach."""

    origins: frozenset[str]
    folders: tuple[str, ...] = ()
    """Local folders (absolute, no trailing slash) whose files `file:` URLs may open."""

    @classmethod
    def of(cls, urls: Iterable[str]) -> Sandbox:
        """The sandbox of a task's site URLs. An http(s) URL allows its whole
        origin; a `file:` URL allows the folder it names (a URL ending in `/`)
        or the folder of the file it names. Anything else is an error: a site
        must be something the browser can reach."""
        origins: set[str] = set()
        folders: list[str] = []
        for url in urls:
            if url.strip() in ALWAYS_ALLOWED:
                continue
            found = origin(url)
            path = file_path(url)
            if found is not None:
                origins.add(found)
            elif path is not None:
                folders.append(path if url.rstrip().endswith("/") else posixpath.dirname(path))
            else:
                raise ValueError(f"{url!r} is not a site URL; a task's sites are http(s):// or file:// URLs")
        return cls(frozenset(origins), tuple(dict.fromkeys(folders)))

    def allows(self, url: str) -> bool:
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """Why the browser may not open `url` (a message for the agent), or None when it may."""
        text = url.strip()
        if text in ALWAYS_ALLOWED:
            return None
        if text.lower().startswith("blob:"):  # a blob belongs to the origin that made it
            return None if self.refusal(text[5:]) is None else self._refuse(url)
        found = origin(text)
        if found is not None and found in self.origins:
            return None
        path = file_path(text)
        if path is not None and any(path == f or path.startswith(f.rstrip("/") + "/") for f in self.folders):
            return None
        return self._refuse(url)

    def describe(self) -> str:
        """The allowed places, for messages."""
        places = sorted(self.origins) + [f"file://{f}/" for f in self.folders]
        return ", ".join(places) if places else "nothing but about:blank"

    def _refuse(self, url: str) -> str:
        shown = url if len(url) <= 100 else url[:97] + "..."
        return f"{shown} is not one of this task's sites; the browser may only open {self.describe()}"
