"""Hostile text reaches files and the AppleScript argv unchanged, never as code;
paths never leave the allowed folders."""

from __future__ import annotations

import os
from datetime import datetime

import icalendar
import pytest

from agentc.tools.desktop import DesktopConfig, DesktopError, desktop_tools
from agentc.tools.desktop.macos import SCRIPTS, MacOSBackend

HOSTILE = [
    'He said "hi"',
    "back\\slash \\n not a newline",
    '"; do shell script "rm -rf ~" --',
    "line one\nline two\r\nline three",
    "ünïcødé — 日本語 — 🙂",
    "-e not an option",
    "$1 ${2} `whoami` $(id)",
    "end run\non run argv\ndo shell script \"touch /tmp/pwned\"",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_reaches_notes_and_calendar_unchanged(tools, home, text):
    await tools["create_note"].ainvoke({"title": "hostile", "content": text})
    assert await tools["open_note"].ainvoke({"title": "hostile"}) == f"# hostile\n\n{text}\n"
    await tools["create_calendar_event"].ainvoke({"title": text, "start": "2025-03-20T10:00", "notes": text})
    [event] = icalendar.Calendar.from_ical((home / "calendar" / "calendar.ics").read_bytes()).walk("VEVENT")
    same = text.replace("\r\n", "\n")  # iCalendar TEXT has one line end (RFC 5545 escapes it as \n)
    assert str(event["summary"]) == same and str(event["description"]) == same


async def test_hostile_titles_cannot_name_a_path_outside_the_notes(tools, home):
    await tools["create_note"].ainvoke({"title": "../../escape", "content": "x"})
    written = [p for p in home.rglob("*.md")]
    assert len(written) == 1 and written[0].parent == home / "notes"


class Recorder:
    """The process boundary of the macOS backend: records each argv, runs nothing."""

    def __init__(self, output: str = "") -> None:
        self.calls: list[list[str]] = []
        self.output = output

    def __call__(self, argv: list[str]) -> str:
        self.calls.append(argv)
        return self.output


@pytest.fixture
def mac(home, opened):
    config = DesktopConfig(home=home, now=lambda: datetime(2025, 3, 14, 10, 0), opener=opened.append)
    runner = Recorder()
    tools = {t.name: t for t in desktop_tools(config, backend=MacOSBackend(config, run=runner))}
    return tools, runner


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_reaches_osascript_only_as_argv(mac, text):
    tools, runner = mac
    await tools["create_note"].ainvoke({"title": text, "content": text})
    await tools["send_email"].ainvoke({"recipients": ["x@example.org"], "subject": text, "body": text})
    await tools["send_sms"].ainvoke({"recipients": ["+1 555 0100"], "message": text})
    await tools["create_calendar_event"].ainvoke({"title": text, "start": "2025-03-20T15:05", "location": text})
    await tools["create_reminder"].ainvoke({"title": text, "due": "tomorrow at 9am", "notes": text})
    note, mail, sms, event, reminder = runner.calls
    for argv in runner.calls:
        assert argv[0] == "osascript"
        script = argv[1]
        assert os.path.dirname(script) == str(SCRIPTS) and script.endswith(".applescript")
        source = open(script, encoding="utf-8").read()
        assert "on run argv" in source and text not in source
    assert note[2:] == [text, text]
    assert mail[2:] == ["send", text, text, "1", "x@example.org", "0"]
    assert sms[2:] == ["+1 555 0100", text]
    assert event[2:] == [text, text, "", "2025", "3", "20", "15", "5", "2025", "3", "20", "16", "5"]
    assert reminder[2:] == [text, text, "1", "2025", "3", "15", "9", "0"]


async def test_macos_lookups_parse_the_scripts_output(home):
    config = DesktopConfig(home=home)
    runner = Recorder("Lutfi Eren Erdogan\tlutfi@example.org,l@example.com\t+1 510 555 0101\n")
    tools = {t.name: t for t in desktop_tools(config, backend=MacOSBackend(config, run=runner))}
    assert await tools["get_email_address"].ainvoke({"name": 'Lutfi"; quit'}) == "lutfi@example.org"
    assert runner.calls[0][2:] == ['Lutfi"; quit']
    runner.output = ""
    with pytest.raises(DesktopError, match="no contact matches 'Nobody'"):
        await tools["get_phone_number"].ainvoke({"name": "Nobody"})


async def test_every_script_takes_its_values_from_argv_only():
    for script in SCRIPTS.glob("*.applescript"):
        source = script.read_text(encoding="utf-8")
        assert "on run argv" in source, script.name
        assert "do shell script" not in source and "run script" not in source, script.name


async def test_paths_outside_the_roots_are_refused(tools, home, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("private")
    (home / "Documents" / "link.txt").symlink_to(outside)
    for path in [str(outside), str(home / ".." / "outside.txt"), "../outside.txt", str(home / "Documents" / "link.txt")]:
        with pytest.raises(DesktopError, match="outside the folders"):
            await tools["open_file"].ainvoke({"path": path})
    assert await tools["find_file"].ainvoke({"name": "notes about lyon"}) == str(home / "Documents" / "notes about lyon.txt")
