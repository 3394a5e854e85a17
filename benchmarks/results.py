"""Writes one `## Title` section of benchmarks/RESULTS.md, keeping the
others, and draws the benchmarks' tables (markdown for the file, rich for
the terminal)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nEach section is written by the script it names; rerun the command to refresh it.\n"


def write_section(title: str, body: str, path: Path = RESULTS) -> None:
    """Replace the section headed `## {title}` (or append it) with `body`."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    """A markdown table of `rows` under `headers`."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def show(console: Console, title: str, headers: list[str], rows: list[list[str]]) -> None:
    """Print `rows` under `headers` as a rich table titled `title`."""
    table = Table(title=title)
    for h in headers:
        table.add_column(h)
    for r in rows:
        table.add_row(*r)
    console.print(table)
