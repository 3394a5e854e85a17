"""The desktop assistant's toolkit: contacts, messages, mail, calendar,
reminders, notes, files, maps and meetings, on macOS or anywhere.

    from agentc.tools.desktop import DesktopConfig, desktop_tools
    tools = desktop_tools(DesktopConfig(home="~/assistant"), llm=llm)

Tools that send, create, change or open something are marked
`side_effects=True`, so an `Agent(approve=...)` asks before running them,
showing what each call resolves to (addresses, dates, URLs, paths).
"""

from agentc.tools.desktop.backend import CalendarEvent, Contact, DesktopBackend, EventList, OutgoingMail, Reminder
from agentc.tools.desktop.config import DesktopConfig, SmtpSettings, default_home
from agentc.tools.desktop.dates import parse_when
from agentc.tools.desktop.errors import DesktopError
from agentc.tools.desktop.examples import DESKTOP_EXAMPLES
from agentc.tools.desktop.toolkit import Desk, desktop_tools, make_backend

__all__ = [
    "CalendarEvent",
    "Contact",
    "DESKTOP_EXAMPLES",
    "Desk",
    "DesktopBackend",
    "DesktopConfig",
    "DesktopError",
    "EventList",
    "OutgoingMail",
    "Reminder",
    "SmtpSettings",
    "default_home",
    "desktop_tools",
    "make_backend",
    "parse_when",
]
