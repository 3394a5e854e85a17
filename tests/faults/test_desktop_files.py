"""The assistant never destroys what was in the user's calendar, reminders
or contacts: content it does not understand is kept byte for byte or the
file is refused with an error naming the line (and left as it was); one
bad event or card hides only itself."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import icalendar
import pytest

from agentc.tools.desktop import DesktopConfig, DesktopError, desktop_tools

NOW = datetime(2025, 3, 14, 10, 0)  # a Friday

UNUSUAL = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Someone else//Their app//EN\r\n"
    'X-WR-CALNAME;X-ODD="a:b;c":Work\r\n'
    "BEGIN:VEVENT\r\n"
    "UID:existing-1@example.org\r\n"
    "DTSTAMP:20250301T090000Z\r\n"
    "DTSTART:20250317T090000\r\n"
    "DTEND:20250317T100000\r\n"
    "SUMMARY;LANGUAGE=fr:Réunion\r\n"
    "X-DUP;X-P=1;X-P=2:both parameters matter\r\n"
    'X-LIST;X-WHO="a","b":quoted list\r\n'
    'X-CARET;X-Q="line^nbreak":caret-encoded parameter\r\n'
    "DESCRIPTION:a long description that a calendar app folded over\r\n"
    "  two lines\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def toolkit(home: Path) -> dict:
    config = DesktopConfig(home=home, now=lambda: NOW, opener=lambda target: None)
    return {t.name: t for t in desktop_tools(config, backend="portable")}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home" / "calendar").mkdir(parents=True)
    (tmp_path / "home" / "contacts").mkdir(parents=True)
    return tmp_path / "home"


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize(
    "file,tool_name,arguments,kind",
    [
        ("calendar.ics", "create_calendar_event", {"title": "Added", "start": "2025-03-18T15:00"}, "VEVENT"),
        ("reminders.ics", "create_reminder", {"title": "Added", "due": "monday at 9am"}, "VTODO"),
    ],
)
async def test_unknown_content_is_kept_byte_for_byte(home, newline, file, tool_name, arguments, kind):
    path = home / "calendar" / file
    original = UNUSUAL.replace("\r\n", newline).encode("utf-8")
    path.write_bytes(original)

    await toolkit(home)[tool_name].ainvoke(arguments)

    written = path.read_bytes()
    head, tail = original.rsplit(b"END:VCALENDAR", 1)
    assert written.startswith(head) and written.endswith(b"END:VCALENDAR" + tail)
    added = written[len(head) : len(written) - len(tail) - len(b"END:VCALENDAR")]
    assert added.startswith(f"BEGIN:{kind}".encode()) and b"Added" in added
    assert (b"\r\n" in added) == (newline == "\r\n")  # the file's own line ends
    parsed = icalendar.Calendar.from_ical(written)
    assert "Added" in [str(c["summary"]) for c in parsed.walk(kind)]


@pytest.mark.parametrize(
    "content,line",
    [
        pytest.param(UNUSUAL.replace("Réunion", "R\u00e9union").encode("latin-1"), 10, id="latin-1"),
        pytest.param(b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20250317T090000\r\nSUMMARY:Bare\r\nEND:VEVENT\r\n", 1, id="bare-vevent"),
        pytest.param(UNUSUAL.rsplit("END:VEVENT", 1)[0].encode(), 15, id="cut-short"),
    ],
)
async def test_a_file_that_cannot_be_added_to_is_refused_naming_the_line_and_left_alone(home, content, line):
    path = home / "calendar" / "calendar.ics"
    path.write_bytes(content)
    tools = toolkit(home)

    with pytest.raises(DesktopError, match=rf"line {line}\b.*left as it was"):
        await tools["create_calendar_event"].ainvoke({"title": "Added", "start": "2025-03-18T15:00"})
    assert path.read_bytes() == content


async def test_one_unreadable_event_is_skipped_and_reported_the_rest_listed(home):
    (home / "calendar" / "calendar.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Good one\r\nDTSTART:20250317T090000\r\nDTEND:20250317T100000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Broken\r\nDTSTART:2025-13-45T99\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:3\r\nSUMMARY:No start\r\nDTEND:20250317T100000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:4\r\nSUMMARY:Also good\r\nDTSTART;VALUE=DATE:20250318\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    listed = await toolkit(home)["list_calendar_events"].ainvoke({"day": "monday", "days": 2})
    assert listed[:2] == ["'Good one' 2025-03-17 09:00-10:00", "'Also good' 2025-03-18 00:00-01:00"]
    assert len(listed) == 4
    assert "'Broken'" in listed[2] and "2025-13-45T99" in listed[2]
    assert "'No start'" in listed[3] and "DTSTART" in listed[3]


GOOD_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann.lee@example.com\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
)
BAD_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Broken\r\nTHIS LINE HAS NO COLON\r\nEND:VCARD\r\n"
SAM = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Okafor\r\nEMAIL:sam@example.net\r\nEND:VCARD\r\n"


async def test_one_malformed_card_hides_only_itself(home):
    (home / "contacts" / "people.vcf").write_text(GOOD_CARDS + BAD_CARD + SAM, encoding="utf-8", newline="")
    (home / "contacts" / "other.vcf").write_text("not a vcard at all\r\n", encoding="utf-8", newline="")
    tools = toolkit(home)

    assert await tools["get_email_address"].ainvoke({"name": "Ann"}) == "ann.lee@example.com"
    assert await tools["get_email_address"].ainvoke({"name": "Sam"}) == "sam@example.net"
    assert await tools["get_phone_number"].ainvoke({"name": "Ann Lee"}) == "+44 20 7946 0000"
    with pytest.raises(DesktopError, match=r"no contact matches 'Bob'") as refused:
        await tools["get_email_address"].ainvoke({"name": "Bob"})
    assert "people.vcf line 7" in str(refused.value) and "other.vcf line 1" in str(refused.value)


async def test_a_latin_1_address_book_is_read_not_refused(home):
    card = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:José Núñez\r\nEMAIL:jose@example.es\r\nEND:VCARD\r\n"
    (home / "contacts" / "old-export.vcf").write_bytes(card.encode("latin-1"))
    (home / "contacts" / "people.vcf").write_text(SAM, encoding="utf-8")

    tools = toolkit(home)
    assert await tools["get_email_address"].ainvoke({"name": "José"}) == "jose@example.es"
    assert await tools["get_email_address"].ainvoke({"name": "Sam"}) == "sam@example.net"
