"""Open a URL or a file in the user's default application.

`open` on macOS, `xdg-open` elsewhere; the target is one argv item, never
part of a shell command.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from agentc.tools.desktop.errors import DesktopError


def system_opener_command() -> str:
    return "open" if sys.platform == "darwin" else "xdg-open"


def system_open(target: str) -> None:
    """Open `target` with the desktop's opener; raise `DesktopError` if there is none or it fails."""
    command = system_opener_command()
    program = shutil.which(command)
    if program is None:
        raise DesktopError(
            f"cannot open {target!r}: no {command!r} on this system (install xdg-utils, or open it yourself)"
        )
    done = subprocess.run([program, target], capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise DesktopError(f"{command} could not open {target!r}: {done.stderr.strip() or f'exit {done.returncode}'}")
