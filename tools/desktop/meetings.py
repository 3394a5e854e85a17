"""Meetings: a video-meeting link from the configured provider.

The provider is a URL template with `{room}` (Jitsi Meet by default); the
room name is the topic made URL-safe plus a random part, so links are not
guessable.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk


def meeting_url(template: str, topic: str) -> str:
    slug = "-".join(re.findall(r"[A-Za-z0-9]+", topic))[:40] or "meeting"
    return template.format(room=f"{slug}-{secrets.token_hex(4)}")


def meeting_tools(desk: "Desk") -> list[Tool]:
    @tool
    def create_meeting_link(topic: str) -> str:
        """Make a video-meeting link, to put in an event or a message.

        Args:
            topic: what the meeting is about
        """
        return meeting_url(desk.config.meeting_url, topic)

    return [create_meeting_link]
