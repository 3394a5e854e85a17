"""`DesktopError`: a desktop tool could not do what it was asked.

It is a `ToolError`, so the run records its message, as written here, as
the task's error observation; every message says what was wrong and what
the planner or the user can do instead.
"""

from __future__ import annotations

from agentc.errors import ToolError


class DesktopError(ToolError):
    """A desktop action failed: unknown contact, bad date, path outside the
    allowed folders, SMTP refusal, a failed AppleScript."""
