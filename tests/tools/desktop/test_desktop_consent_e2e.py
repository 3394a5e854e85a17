"""Consent before side effects, and a multi-step request end to end:
the plan creates the event and sends the mail, verified on the SMTP server
and in the calendar file."""

from __future__ import annotations

import mailbox

import icalendar
from typer.testing import CliRunner

from agentc import Agent
from agentc.consent import DECLINED, ConsentRequest, approve_all, decline_all
from agentc.edge.assistant import Assistant
from agentc.llm import ScriptedLLM
from agentc.trace import Trace

PLAN = """1. get_email_address(name="Lutfi")
2. create_calendar_event(title="Meeting with Lutfi", start="tomorrow at 3pm", attendees=["$1"])
3. send_email(recipients=["$1"], subject="Meeting tomorrow", body="See you at 3pm.")
4. create_note(title="Sent", content="$3")
5. join()
<END_OF_PLAN>"""
JOIN = "Thought: the event and the mail are done.\nAction: Finish(Done: the meeting is on your calendar and Lutfi has the mail.)"


def events(home):
    path = home / "calendar" / "calendar.ics"
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")) if path.exists() else []


async def test_approved_plan_creates_the_event_and_sends_the_mail(tools, smtp_server, home):
    inbox, _ = smtp_server
    asked: list[list[ConsentRequest]] = []

    async def approve(requests):
        asked.append(list(requests))
        return True

    result = await Agent(ScriptedLLM([PLAN, JOIN]), list(tools.values()), approve=approve).arun("email Lutfi ...")
    assert result.answer.startswith("Done")
    [received] = inbox.messages
    assert received.recipients == ["lutfi@example.org"] and received.message["Subject"] == "Meeting tomorrow"
    [event] = events(home)
    assert str(event["summary"]) == "Meeting with Lutfi" and str(event["attendee"]) == "mailto:lutfi@example.org"
    assert sorted(r[0].tool for r in asked) == ["create_calendar_event", "create_note", "send_email"]
    mail_request = next(r[0] for r in asked if r[0].tool == "send_email")
    assert mail_request.arguments["recipients"] == ["lutfi@example.org"]  # $1 resolved before asking
    trace = Trace.from_json(result.trace.to_json())
    assert [c.decision for c in trace.consents] == ["approved"] * 3
    assert all(r.status == "done" for r in trace.tasks)


async def test_declined_means_nothing_happened(tools, smtp_server, home):
    inbox, _ = smtp_server
    result = await Agent(ScriptedLLM([PLAN, JOIN]), list(tools.values()), approve=decline_all).arun("email Lutfi ...")
    assert inbox.messages == [] and events(home) == []
    assert not (home / "mail").exists() and not (home / "notes").exists()
    by_tool = {r.tool: r for r in result.trace.tasks}
    assert by_tool["get_email_address"].status == "done"
    for name in ("create_calendar_event", "send_email"):
        assert by_tool[name].status == "error" and DECLINED in by_tool[name].error
    assert by_tool["create_note"].status == "skipped"  # it needed the declined mail's result
    assert sorted((c.tool, c.decision) for c in result.trace.consents) == [
        ("create_calendar_event", "declined"),
        ("send_email", "declined"),
    ]
    joiner_prompt = result.trace.llm_calls[-1].prompt[-1]["content"]
    assert DECLINED in joiner_prompt  # the joiner is told, so the answer cannot claim it was done


async def test_only_what_was_approved_runs(tools, smtp_server, home):
    inbox, _ = smtp_server

    def only_calendar(requests):
        return all(r.tool == "create_calendar_event" for r in requests)

    result = await Agent(ScriptedLLM([PLAN, JOIN]), list(tools.values()), approve=only_calendar).arun("q")
    assert len(events(home)) == 1 and inbox.messages == []
    assert {c.tool: c.decision for c in result.trace.consents} == {"create_calendar_event": "approved", "send_email": "declined"}


async def test_without_an_approver_an_agent_runs_side_effects_as_before(tools, smtp_server, home):
    inbox, _ = smtp_server
    result = await Agent(ScriptedLLM([PLAN, JOIN]), list(tools.values())).arun("q")
    assert len(inbox.messages) == 1 and len(events(home)) == 1 and result.trace.consents == []


async def test_assistant_runs_the_request_with_similar_examples(tools, smtp_server, home):
    inbox, _ = smtp_server
    llm = ScriptedLLM([PLAN, JOIN])
    assistant = Assistant(llm, list(tools.values()), approve=approve_all)
    result = await assistant.ask("Email Lutfi and put a meeting with him on my calendar tomorrow at 3pm")
    assert len(inbox.messages) == 1 and len(events(home)) == 1 and result.answer.startswith("Done")
    system = llm.calls[0][0].content + "".join(m.content for m in llm.calls[0][1:])
    assert "Question: Email Lutfi the slides" in system  # the closest example plan was shown


async def test_bad_date_and_unknown_contact_are_error_observations(tools, smtp_server, home):
    plan = """1. get_email_address(name="Zebulon")
2. create_calendar_event(title="Party", start="the day after the thing")
3. join()
<END_OF_PLAN>"""
    result = await Agent(ScriptedLLM([plan, "Action: Finish(could not)"]), list(tools.values()), approve=approve_all).arun("q")
    first, second = result.trace.tasks
    assert first.status == "error" and "no contact matches 'Zebulon'" in first.error
    assert second.status == "error" and "cannot read the date" in second.error and "ISO 8601" in second.error
    assert events(home) == []


def test_cli_one_shot_with_yes_and_dry_run(home, smtp_server, monkeypatch):
    """`agentc assistant` on the bundled model: --dry-run plans and runs nothing."""
    from agentc.cli import app

    inbox, port = smtp_server
    monkeypatch.setenv("AGENTC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AGENTC_SMTP_PORT", str(port))
    result = CliRunner().invoke(
        app,
        ["assistant", "--dry-run", "--all-tools", "--home", str(home), "Email Lutfi that the meeting moved to Friday"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was run" in result.output and "join()" in result.output
    assert inbox.messages == [] and not (home / "mail").exists()
