"""Mail: SMTP delivery with a copy in a Maildir, and drafts.

`send_email` hands the message to the configured SMTP server (STARTTLS and
login when configured) and keeps a copy in `home/mail/Sent`; `compose_email`
saves a draft in `home/mail/Drafts` for the user's mail client. Both are
standard Maildirs (`mailbox.Maildir`).
"""

from __future__ import annotations

import mailbox
import mimetypes
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentc.tools.desktop.backend import OutgoingMail
from agentc.tools.desktop.config import SmtpSettings
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk


_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*")
"""One plain address, `local@domain` (letters may be non-ASCII): no display
name, no list, no quotes, no spaces, nothing a mail header could read as a
second recipient."""


def one_address(text: str, *, given: str = "") -> str:
    """`text` if it is exactly one plain address; else a `DesktopError`."""
    if _ADDRESS.fullmatch(text):
        return text
    what = f"{given} {text!r}" if given else repr(text)
    raise DesktopError(
        f"{what} is not one email address; give one plain address such as name@example.org, or a contact "
        "name, per recipient (several recipients as several list items)"
    )


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """The MIME message: plain-text body, each attachment with its guessed type."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid()
    message.set_content(mail.body)
    for path in mail.attachments:
        kind, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


class SmtpMailer:
    """Sends through `settings` and files copies under `maildir_root`."""

    def __init__(self, settings: SmtpSettings, maildir_root: Path) -> None:
        self.settings = settings
        self.maildir_root = maildir_root

    def send(self, mail: OutgoingMail) -> str:
        settings = self.settings
        if not settings.host:
            raise DesktopError(
                "no SMTP server is configured, so mail cannot be sent; set AGENTC_SMTP_HOST (and _PORT, "
                "_USER, _PASSWORD) or use compose_email to save a draft"
            )
        recipients = [one_address(r) for r in (*mail.to, *mail.cc)]
        message = build_message(mail, settings.sender)
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.user:
                    smtp.login(settings.user, settings.password or "")
                refused = smtp.send_message(message, to_addrs=recipients)  # never recipients parsed from headers
        except (smtplib.SMTPException, OSError) as exc:
            raise DesktopError(
                f"the SMTP server {settings.host}:{settings.port} did not take the mail: {exc}; "
                "check the SMTP settings or try again later"
            ) from exc
        try:
            self._keep(message, "Sent")
        except OSError as exc:
            raise DesktopError(
                f"the mail {mail.subject!r} was sent, but its copy could not be saved in {self.maildir_root}: {exc}"
            ) from exc
        delivered = [r for r in recipients if r not in refused]
        return f"sent {mail.subject!r} to {', '.join(delivered)}" + (f"; refused: {', '.join(refused)}" if refused else "")

    def draft(self, mail: OutgoingMail) -> str:
        key = self._keep(build_message(mail, self.settings.sender), "Drafts")
        return f"saved draft {mail.subject!r} to {', '.join(mail.to)} in {self.maildir_root / 'Drafts'} ({key})"

    def _keep(self, message: EmailMessage, folder: str) -> str:
        self.maildir_root.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(self.maildir_root / folder, create=True)
        try:
            return box.add(mailbox.MaildirMessage(message))
        finally:
            box.close()


def shown(mail: OutgoingMail) -> dict[str, Any]:
    """The mail as the approver should see it: resolved addresses, files."""
    fields: dict[str, Any] = {"to": list(mail.to)}
    if mail.cc:
        fields["cc"] = list(mail.cc)
    fields |= {"subject": mail.subject, "body": mail.body}
    if mail.attachments:
        fields["attachments"] = [str(p) for p in mail.attachments]
    return fields


def mail_tools(desk: "Desk") -> list[Tool]:
    def outgoing(recipients: list[str], subject: str, body: str, cc: list[str], attachments: list[str]) -> OutgoingMail:
        if not recipients:
            raise DesktopError("no recipients; give at least one name or address")
        return OutgoingMail(
            to=tuple(desk.email_of(r) for r in recipients),
            cc=tuple(desk.email_of(r) for r in cc),
            subject=subject,
            body=body,
            attachments=tuple(desk.existing_file(a) for a in attachments),
        )

    def preview(**arguments: Any) -> dict[str, Any]:
        return shown(outgoing(**arguments))

    @tool(side_effects=True, preview=preview)
    def send_email(
        recipients: list[str], subject: str, body: str, cc: list[str] = [], attachments: list[str] = []
    ) -> str:
        """Send an email now.

        Args:
            recipients: names from the contacts or email addresses
            subject: the subject line
            body: the message text
            cc: names or addresses to copy
            attachments: paths of files to attach
        """
        return desk.backend.send_mail(outgoing(recipients, subject, body, cc, attachments))

    @tool(side_effects=True, preview=preview)
    def compose_email(
        recipients: list[str], subject: str, body: str, cc: list[str] = [], attachments: list[str] = []
    ) -> str:
        """Write an email as a draft for the user to review and send.

        Args:
            recipients: names from the contacts or email addresses
            subject: the subject line
            body: the message text
            cc: names or addresses to copy
            attachments: paths of files to attach
        """
        return desk.backend.compose_mail(outgoing(recipients, subject, body, cc, attachments))

    return [send_email, compose_email]
