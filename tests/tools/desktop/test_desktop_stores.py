"""Calendar, reminders, contacts, notes, files and maps on real files."""

from __future__ import annotations

import json
from datetime import datetime

import icalendar
import pytest

from agentc.tools.desktop import DesktopError


async def test_events_are_written_as_valid_icalendar_and_read_back(tools, home):
    created = await tools["create_calendar_event"].ainvoke(
        {"title": "Meeting with Lutfi", "start": "tomorrow at 3pm", "duration_minutes": 45, "attendees": ["Lutfi"], "location": "Room 2"}
    )
    await tools["create_calendar_event"].ainvoke({"title": "Standup", "start": "2025-03-17T09:30"})
    assert "Meeting with Lutfi" in created and "2025-03-15 15:00-15:45" in created

    calendar = icalendar.Calendar.from_ical((home / "calendar" / "calendar.ics").read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Meeting with Lutfi", "Standup"}
    meeting = events["Meeting with Lutfi"]
    assert meeting.decoded("dtstart") == datetime(2025, 3, 15, 15, 0)
    assert meeting.decoded("dtend") == datetime(2025, 3, 15, 15, 45)
    assert str(meeting["attendee"]) == "mailto:lutfi@example.org"
    assert str(meeting["location"]) == "Room 2" and meeting["uid"]

    saturday = await tools["list_calendar_events"].ainvoke({"day": "tomorrow"})
    assert saturday == ["'Meeting with Lutfi' 2025-03-15 15:00-15:45 at Room 2 with lutfi@example.org"]
    both = await tools["list_calendar_events"].ainvoke({"day": "2025-03-15", "days": 3})
    assert [line.split("'")[1] for line in both] == ["Meeting with Lutfi", "Standup"]
    assert await tools["list_calendar_events"].ainvoke({"day": "2025-04-01"}) == ["no events from 2025-04-01 for 1 day(s)"]


async def test_reminders_are_vtodos(tools, home):
    await tools["create_reminder"].ainvoke({"title": "Call the dentist", "due": "monday at 9am"})
    await tools["create_reminder"].ainvoke({"title": "Buy milk"})
    todos = list(icalendar.Calendar.from_ical((home / "calendar" / "reminders.ics").read_bytes()).walk("VTODO"))
    assert [str(t["summary"]) for t in todos] == ["Call the dentist", "Buy milk"]
    assert todos[0].decoded("due") == datetime(2025, 3, 17, 9, 0) and "due" not in todos[1]


@pytest.mark.parametrize("bad", ["31/02/2025", "2025-02-30", "next blursday", "tomorrow at 25:00", ""])
async def test_bad_dates_are_clear_errors_and_write_nothing(tools, home, bad):
    with pytest.raises(DesktopError) as caught:
        await tools["create_calendar_event"].ainvoke({"title": "x", "start": bad})
    assert "ISO 8601" in str(caught.value) or "time of day" in str(caught.value)
    assert not (home / "calendar" / "calendar.ics").exists()


async def test_contacts_are_looked_up_fuzzily_in_vcards(tools):
    assert await tools["get_email_address"].ainvoke({"name": "Lutfi"}) == "lutfi@example.org"
    assert await tools["get_email_address"].ainvoke({"name": "ann lee"}) == "ann.lee@example.com"
    assert await tools["get_phone_number"].ainvoke({"name": "Lutfi Erdogan"}) == "+1 510 555 0101"
    with pytest.raises(DesktopError, match="no contact matches 'Zebulon'"):
        await tools["get_email_address"].ainvoke({"name": "Zebulon"})
    with pytest.raises(DesktopError, match="'Sam Okafor' has no phone number"):
        await tools["get_phone_number"].ainvoke({"name": "Sam"})


async def test_sms_goes_to_the_outbox_and_compose_opens_an_sms_link(tools, home, opened):
    await tools["send_sms"].ainvoke({"recipients": ["Ann", "+1 555 0100"], "message": "Running late"})
    sent = sorted((home / "messages" / "outbox").glob("*.json"))
    assert sorted(json.loads(p.read_text())["to"] for p in sent) == ["+1 555 0100", "+44 20 7946 0000"]
    await tools["compose_sms"].ainvoke({"recipients": ["Ann"], "message": "see you at 5 & bring cake"})
    assert opened == ["sms:+44%2020%207946%200000?body=see%20you%20at%205%20%26%20bring%20cake"]


async def test_notes_are_markdown_files(tools, home):
    await tools["create_note"].ainvoke({"title": "Shopping list", "content": "- eggs"})
    await tools["append_note_content"].ainvoke({"title": "Shopping list", "content": "- oat milk"})
    text = await tools["open_note"].ainvoke({"title": "Shopping list"})
    assert text == (home / "notes" / "Shopping list.md").read_text() == "# Shopping list\n\n- eggs\n\n- oat milk\n"
    with pytest.raises(DesktopError, match="exists already; use append_note_content"):
        await tools["create_note"].ainvoke({"title": "Shopping list", "content": "again"})
    with pytest.raises(DesktopError, match="no note titled 'Groceries'; existing notes: Shopping list"):
        await tools["open_note"].ainvoke({"title": "Groceries"})


async def test_files_are_found_by_fuzzy_name_and_opened(tools, home, opened):
    found = await tools["find_file"].ainvoke({"name": "slides"})
    assert found == str(home / "Documents" / "Q3 slides.pdf")
    await tools["open_file"].ainvoke({"path": found})
    assert opened == [found]
    with pytest.raises(DesktopError, match="no file named like"):
        await tools["find_file"].ainvoke({"name": "zzzzqqqq"})


async def test_maps_and_meetings_are_links(tools, opened, config):
    url = await tools["get_directions"].ainvoke({"destination": "Ferry Building", "mode": "walking"})
    assert url.startswith("https://www.openstreetmap.org/directions?") and "to=Ferry+Building" in url
    assert "fossgis_osrm_foot" in url and opened == [url]
    link = await tools["create_meeting_link"].ainvoke({"topic": "Budget review!"})
    assert link.startswith("https://meet.jit.si/Budget-review-") and link != await tools["create_meeting_link"].ainvoke({"topic": "Budget review!"})


async def test_summarize_file_reads_the_text_and_asks_the_model(config, home):
    from agentc.llm import ScriptedLLM
    from agentc.tools.desktop import desktop_tools

    llm = ScriptedLLM(["The Lyon office opens in May."])
    summarize = {t.name: t for t in desktop_tools(config, backend="portable", llm=llm)}["summarize_file"]
    summary = await summarize.ainvoke({"path": str(home / "Documents" / "notes about lyon.txt")})
    assert summary == "The Lyon office opens in May."
    assert "Lyon office opens in May." in llm.calls[0][-1].content
    with pytest.raises(DesktopError, match="not a readable PDF"):
        await summarize.ainvoke({"path": str(home / "Documents" / "Q3 slides.pdf")})
