"""The `--summary-json` file every evaluation writes: its scores as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_summary_json(path: Path, summary: dict[str, Any]) -> Path:
    """Write `summary` at `path` (making its folder), indented, ending with a newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path
