"""Real parts for the desktop tests: a home folder with vCard contacts, a
fixed clock, and an opener that records what it was asked to open instead
of starting a desktop app (the SMTP server is in tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from agentc.tools.desktop import DesktopConfig, SmtpSettings, desktop_tools
from agentc.tools import Tool

NOW = datetime(2025, 3, 14, 10, 0)  # a Friday

VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Lutfi Eren Erdogan
N:Erdogan;Lutfi Eren;;;
EMAIL;TYPE=INTERNET:lutfi@example.org
TEL;TYPE=CELL:+1 510 555 0101
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ann Lee
N:Lee;Ann;;;
EMAIL;TYPE=INTERNET:ann.lee@example.com
TEL;TYPE=CELL:+44 20 7946 0000
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Okafor
N:Okafor;Sam;;;
EMAIL:sam@example.net
END:VCARD
"""


@pytest.fixture
def opened() -> list[str]:
    return []


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "contacts").mkdir(parents=True)
    (home / "contacts" / "people.vcf").write_text(VCARDS, encoding="utf-8")
    docs = home / "Documents"
    docs.mkdir()
    (docs / "Q3 slides.pdf").write_bytes(b"%PDF-1.4 stand-in")
    (docs / "notes about lyon.txt").write_text("Lyon office opens in May.", encoding="utf-8")
    return home


@pytest.fixture
def config(home: Path, smtp_server: tuple[Inbox, int], opened: list[str]) -> DesktopConfig:
    _, port = smtp_server
    return DesktopConfig(
        home=home,
        smtp=SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="me@example.org", timeout=10),
        now=lambda: NOW,
        opener=opened.append,
    )


@pytest.fixture
def tools(config: DesktopConfig) -> dict[str, Tool]:
    return {t.name: t for t in desktop_tools(config, backend="portable")}
