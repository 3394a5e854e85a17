"""Text messages: send, or compose for the user to review (both side
effects: composing opens the user's messaging app).

Linux has no SMS service of its own, so the portable backend puts each
sent message in an outbox folder (`home/messages/outbox`, one JSON file a
message) for a phone-link program to deliver; composing opens an `sms:`
link in the desktop's handler. On macOS, Messages sends it.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from agentc.tools.desktop.errors import DesktopError
from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk


class SmsOutbox:
    """Sent messages as JSON files in `folder`, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, phone: str, body: str, at: datetime) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.json"
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps({"to": phone, "body": body, "at": at.isoformat()}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
        return target


def sms_url(phone: str, body: str) -> str:
    return f"sms:{quote(phone, safe='+')}?body={quote(body, safe='')}"


def message_tools(desk: "Desk") -> list[Tool]:
    def phones(recipients: list[str]) -> list[str]:
        if not recipients:
            raise DesktopError("no recipients; give at least one name or phone number")
        return [desk.phone_of(r) for r in recipients]

    def send_preview(recipients: list[str], message: str) -> dict[str, Any]:
        return {"to": phones(recipients), "message": message}

    def compose_preview(recipients: list[str], message: str) -> dict[str, Any]:
        return {"opens": [sms_url(p, message) for p in phones(recipients)]}

    @tool(side_effects=True, preview=send_preview)
    def send_sms(recipients: list[str], message: str) -> str:
        """Send a text message (SMS) to people or phone numbers.

        Args:
            recipients: names from the contacts or phone numbers
            message: the text to send
        """
        return "; ".join(desk.backend.send_sms(p, message) for p in phones(recipients))

    @tool(side_effects=True, preview=compose_preview)
    def compose_sms(recipients: list[str], message: str) -> str:
        """Open a new text message for the user to review and send themselves.

        Args:
            recipients: names from the contacts or phone numbers
            message: the draft text
        """
        return "; ".join(desk.backend.compose_sms(p, message) for p in phones(recipients))

    return [send_sms, compose_sms]
