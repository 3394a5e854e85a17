"""Consent shows what will actually happen: every value the approver sees
is text, never markup; contact names are resolved to the addresses the
mail goes to before the question; one recipient string is one address;
and every desktop tool that sends, creates, or opens an app, a URL or a
file asks first (and `--dry-run` lists it). Real parts: a terminal
session on a real rich console, vCard files, an SMTP server (aiosmtpd)
on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from agentc import Agent
from agentc.consent import ConsentRequest, approve_all, decline_all
from agentc.edge.assistant import Assistant, TerminalSession
from agentc.llm import ScriptedLLM
from agentc.tools.desktop import DesktopConfig, SmtpSettings, desktop_tools

NOW = datetime(2025, 3, 14, 10, 0)
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Annabel Other\r\nEMAIL:annabel@other.example\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Two Addresses\r\nEMAIL:two@example.org\\, hidden@evil.example\r\nEND:VCARD\r\n"
)
FINISH = "Action: Finish(done)"


def envelopes(server: tuple[Any, int]) -> list[list[str]]:
    """The envelope recipients of each mail the SMTP server received, in order."""
    return [received.recipients for received in server[0].messages]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "contacts").mkdir(parents=True)
    (home / "contacts" / "people.vcf").write_text(CARDS, encoding="utf-8", newline="")
    (home / "Documents").mkdir()
    (home / "Documents" / "report.txt").write_text("the report", encoding="utf-8")
    (home / "notes").mkdir()
    (home / "notes" / "Groceries.md").write_text("# Groceries\n\nmilk\n", encoding="utf-8")
    return home


@pytest.fixture
def opened() -> list[str]:
    return []


@pytest.fixture
def tools(home: Path, smtp_server: tuple[Any, int], opened: list[str]) -> list:
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_server[1], starttls=False, sender="me@example.org", timeout=10)
    return desktop_tools(DesktopConfig(home=home, smtp=smtp, now=lambda: NOW, opener=opened.append), backend="portable")


def terminal() -> tuple[TerminalSession, io.StringIO]:
    """A session on a real rich console that writes ANSI codes, as a terminal would get them."""
    out = io.StringIO()
    return TerminalSession(Console(file=out, force_terminal=True, color_system="standard", width=300)), out


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """What the user types at the prompt."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


CONCEAL = "\x1b[8m"  # the ANSI code rich writes for [conceal]


def text(out: io.StringIO) -> str:
    """What the terminal shows, without its colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())


@pytest.mark.parametrize(
    "arguments",
    [
        {"recipients": ["ann@example.org", "[conceal]bob@evil.example[/conceal]"], "subject": "hi", "body": "x"},
        {"recipients": ["ann@example.org"], "subject": "[/]", "body": "[/bold] [link=file:///etc]x[/link]"},
    ],
)
def test_the_approver_sees_every_argument_as_text(monkeypatch, arguments):
    session, out = terminal()
    answer(monkeypatch, "n\n")
    request = ConsentRequest("send_email", "Send an email now.", arguments)
    assert session.approve([request]) is False
    assert CONCEAL not in out.getvalue()
    shown = text(out)
    for value in (*arguments["recipients"], arguments["subject"], arguments["body"]):
        assert value in shown


async def test_markup_in_plans_and_observations_cannot_crash_or_hide_anything(tools, monkeypatch):
    plan = (
        '1. create_note(title="todo", content="[/] call [conceal]the bank[/conceal]")\n'
        '2. open_note(title="todo")\n3. join()\n<END_OF_PLAN>'
    )
    session, out = terminal()
    answer(monkeypatch, "y\n")
    assistant = Assistant(ScriptedLLM([plan, "Action: Finish([/] done [conceal]secret[/conceal])"]), tools, approve=session.approve)
    await session.run(assistant, "make a note")
    assert CONCEAL not in out.getvalue()
    shown = text(out)
    assert "[conceal]the bank[/conceal]" in shown and "[conceal]secret[/conceal]" in shown


async def test_the_approver_sees_the_address_a_name_resolves_to(tools, smtp_server, monkeypatch):
    plan = '1. send_email(recipients=["Ann"], subject="Hi", body="Lunch?")\n2. join()\n<END_OF_PLAN>'
    session, out = terminal()
    answer(monkeypatch, "n\n")
    asked: list[ConsentRequest] = []

    def approve(requests):
        asked.extend(requests)
        return session.approve(requests)

    result = await Agent(ScriptedLLM([plan, FINISH]), tools, approve=approve).arun("email Ann")
    [request] = asked
    assert request.arguments["recipients"] == ["Ann"]
    assert request.resolved["to"] == ["annabel@other.example"]
    assert "annabel@other.example" in text(out)
    assert result.trace.consents[0].resolved["to"] == ["annabel@other.example"]
    assert envelopes(smtp_server) == []

    # approved, the mail goes to exactly the addresses shown, each its own envelope recipient
    plan = '1. send_email(recipients=["Ann", "sam@example.net"], subject="Hi", body="x")\n2. join()\n<END_OF_PLAN>'
    asked.clear()
    result = await Agent(ScriptedLLM([plan, FINISH]), tools, approve=lambda requests: asked.extend(requests) or True).arun("q")
    assert result.trace.tasks[0].status == "done"
    assert asked[0].resolved["to"] == ["annabel@other.example", "sam@example.net"]
    assert envelopes(smtp_server) == [["annabel@other.example", "sam@example.net"]]


@pytest.mark.parametrize(
    "recipient",
    [
        "ann@example.org, bob@evil.example",
        '"Ann" <ann@example.org>, <bob@evil.example>',
        "ann@example.org;bob@evil.example",
        "ann@example.org\nBcc: bob@evil.example",
        "Two Addresses",  # a contact whose card holds a list
    ],
)
async def test_one_recipient_string_is_one_address_or_an_error(tools, smtp_server, recipient):
    asked: list[ConsentRequest] = []

    def approve(requests):
        asked.extend(requests)
        return True

    for tool in ("send_email", "compose_email"):
        plan = f"1. {tool}(recipients=[{recipient!r}], subject='Hi', body='x')\n2. join()\n<END_OF_PLAN>"
        result = await Agent(ScriptedLLM([plan, FINISH]), tools, approve=approve).arun("mail")
        [task] = result.trace.tasks
        assert task.status == "error" and "is not one email address" in task.error
    assert envelopes(smtp_server) == [] and asked == []  # refused before the question, nothing sent


EVERY_TOOL = {
    "get_phone_number": '(name="Annabel")',
    "get_email_address": '(name="Annabel")',
    "send_sms": '(recipients=["Annabel"], message="hi")',
    "compose_sms": '(recipients=["+1 555 0100"], message="hi")',
    "send_email": '(recipients=["Annabel"], subject="s", body="b")',
    "compose_email": '(recipients=["Annabel"], subject="s", body="b")',
    "create_calendar_event": '(title="t", start="tomorrow at 3pm")',
    "list_calendar_events": '(day="today")',
    "create_reminder": '(title="t")',
    "create_note": '(title="new", content="c")',
    "open_note": '(title="Groceries")',
    "append_note_content": '(title="Groceries", content="eggs")',
    "find_file": '(name="report")',
    "open_file": '(path="Documents/report.txt")',
    "summarize_file": '(path="Documents/report.txt")',
    "open_location": '(place="Lyon")',
    "get_directions": '(destination="Lyon")',
    "create_meeting_link": '(topic="sync")',
}
ACTS = {
    "send_sms", "compose_sms", "send_email", "compose_email", "create_calendar_event", "create_reminder",
    "create_note", "append_note_content", "open_file", "open_location", "get_directions",
}
"""The tools that send, create, change, or open something on the user's screen."""


def files(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


async def test_nothing_is_sent_created_or_opened_without_consent(tools, home, smtp_server, opened):
    assert set(EVERY_TOOL) == {t.name for t in tools}, "add the new tool to EVERY_TOOL (and ACTS if it acts)"
    before = files(home)
    plan = "".join(f"{n}. {name}{args}\n" for n, (name, args) in enumerate(EVERY_TOOL.items(), 1))
    plan += f"{len(EVERY_TOOL) + 1}. join()\n<END_OF_PLAN>"

    result = await Agent(ScriptedLLM([plan, FINISH]), tools, approve=decline_all).arun("do everything")

    assert opened == [] and envelopes(smtp_server) == [] and files(home) == before
    assert sorted(c.tool for c in result.trace.consents) == sorted(ACTS)
    assert {t.name for t in tools if t.side_effects} == ACTS


def test_dry_run_lists_every_tool_that_would_ask(tools, home, monkeypatch):
    plan = (
        '1. open_file(path="Documents/report.txt")\n2. compose_sms(recipients=["+1 555 0100"], message="hi")\n'
        '3. open_location(place="Lyon")\n4. get_directions(destination="Lyon")\n5. find_file(name="report")\n'
        "6. join()\n<END_OF_PLAN>"
    )
    session, out = terminal()
    result = asyncio.run(Assistant(ScriptedLLM([plan]), tools, approve=decline_all).plan("q"))
    session.dry_run(result, tools)
    shown = text(out)
    for n, name in enumerate(["open_file", "compose_sms", "open_location", "get_directions"], 1):
        assert f"${n} {name}" in shown
    assert "find_file" not in shown.split("would ask before", 1)[1]
