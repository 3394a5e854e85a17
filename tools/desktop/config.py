"""`DesktopConfig`: where the assistant's data lives and how it reaches out.

Everything the portable backend writes (contacts, calendars, notes, mail
copies, the SMS outbox) lives under `home`, by default the user's data
directory (`platformdirs`), e.g. `~/.local/share/agentc/desktop` on Linux.
Files may also be found and opened under `file_roots` (default: `home`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable


def default_home() -> Path:
    """`$AGENTC_DESKTOP_HOME`, else `<user data dir>/agentc/desktop`."""
    configured = os.environ.get("AGENTC_DESKTOP_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("agentc", appauthor=False)) / "desktop"


@dataclass
class SmtpSettings:
    """How mail leaves: an SMTP server, optionally with STARTTLS and login.

    `sender` is the From address; without `host`, `send_email` explains how
    to configure one instead of sending.
    """

    host: str | None = None
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    sender: str = "agentc@localhost"
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> "SmtpSettings":
        """From `AGENTC_SMTP_HOST`, `_PORT`, `_STARTTLS` (0/1), `_USER`, `_PASSWORD`, `_FROM`."""
        env = os.environ
        return cls(
            host=env.get("AGENTC_SMTP_HOST") or None,
            port=int(env.get("AGENTC_SMTP_PORT", "587")),
            starttls=env.get("AGENTC_SMTP_STARTTLS", "1") not in ("0", "false", "no"),
            user=env.get("AGENTC_SMTP_USER") or None,
            password=env.get("AGENTC_SMTP_PASSWORD") or None,
            sender=env.get("AGENTC_SMTP_FROM", "agentc@localhost"),
        )


@dataclass
class DesktopConfig:
    """Settings of the desktop toolkit.

    `meeting_url` is the meeting provider as a URL template with `{room}`
    (Jitsi Meet by default; any provider with room-named links works).
    `now` gives the current local time (dates like "tomorrow" count from
    it). `opener` opens a URL or file for the user; None uses the system's
    (`open` on macOS, `xdg-open` elsewhere).
    """

    home: Path = field(default_factory=default_home)
    smtp: SmtpSettings = field(default_factory=SmtpSettings.from_env)
    file_roots: list[Path] = field(default_factory=list)
    meeting_url: str = "https://meet.jit.si/{room}"
    now: Callable[[], datetime] = datetime.now
    opener: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self.home = Path(self.home).expanduser().resolve()
        self.file_roots = [Path(r).expanduser().resolve() for r in self.file_roots] or [self.home]
        if "{room}" not in self.meeting_url:
            raise ValueError(f"meeting_url {self.meeting_url!r} needs a {{room}} placeholder")

    def folder(self, name: str) -> Path:
        """`home/name`, created on first use."""
        path = self.home / name
        path.mkdir(parents=True, exist_ok=True)
        return path
