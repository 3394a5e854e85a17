"""Mail over real SMTP to aiosmtpd on 127.0.0.1, with the copy in a Maildir."""

from __future__ import annotations

import mailbox

import pytest

from agentc.tools.desktop import DesktopConfig, DesktopError, SmtpSettings, desktop_tools


async def test_send_email_arrives_with_recipients_subject_body_and_attachment(tools, smtp_server, home):
    inbox, _ = smtp_server
    slides = home / "Documents" / "Q3 slides.pdf"
    result = await tools["send_email"].ainvoke(
        {
            "recipients": ["Lutfi", "bob@example.com"],
            "cc": ["Ann"],
            "subject": "Q3 slides",
            "body": "Hi Lutfi,\nthe slides are attached.",
            "attachments": [str(slides)],
        }
    )
    assert "sent 'Q3 slides'" in result
    [received] = inbox.messages
    assert received.sender == "me@example.org"
    assert sorted(received.recipients) == ["ann.lee@example.com", "bob@example.com", "lutfi@example.org"]
    message = received.message
    assert message["Subject"] == "Q3 slides"
    assert message["Cc"] == "ann.lee@example.com"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n").strip() == "Hi Lutfi,\nthe slides are attached."
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "Q3 slides.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == slides.read_bytes()

    sent = mailbox.Maildir(home / "mail" / "Sent", create=False)
    [copy] = list(sent)
    assert copy["Subject"] == "Q3 slides" and copy["To"] == "lutfi@example.org, bob@example.com"


async def test_compose_email_saves_a_draft_and_sends_nothing(tools, smtp_server, home):
    inbox, _ = smtp_server
    result = await tools["compose_email"].ainvoke({"recipients": ["Sam"], "subject": "Lunch?", "body": "Friday?"})
    assert "saved draft" in result
    assert inbox.messages == []
    [draft] = list(mailbox.Maildir(home / "mail" / "Drafts", create=False))
    assert draft["To"] == "sam@example.net" and draft["Subject"] == "Lunch?"


async def test_unreachable_server_and_missing_settings_are_clear_errors(home, closed_port):
    closed = closed_port
    unreachable = DesktopConfig(home=home, smtp=SmtpSettings(host="127.0.0.1", port=closed, starttls=False, timeout=5))
    send = {t.name: t for t in desktop_tools(unreachable, backend="portable")}["send_email"]
    with pytest.raises(DesktopError, match=f"SMTP server 127.0.0.1:{closed} did not take the mail"):
        await send.ainvoke({"recipients": ["Ann"], "subject": "s", "body": "b"})
    assert not (home / "mail" / "Sent").exists()

    unset = DesktopConfig(home=home, smtp=SmtpSettings(host=None))
    send = {t.name: t for t in desktop_tools(unset, backend="portable")}["send_email"]
    with pytest.raises(DesktopError, match="no SMTP server is configured.*AGENTC_SMTP_HOST"):
        await send.ainvoke({"recipients": ["Ann"], "subject": "s", "body": "b"})


async def test_attachment_outside_the_allowed_folders_is_refused(tools, smtp_server, tmp_path):
    inbox, _ = smtp_server
    secret = tmp_path / "secret.txt"
    secret.write_text("do not send")
    with pytest.raises(DesktopError, match="outside the folders"):
        await tools["send_email"].ainvoke(
            {"recipients": ["Ann"], "subject": "s", "body": "b", "attachments": [str(secret)]}
        )
    assert inbox.messages == []
