"""The one HTML report page every evaluation writes (`eval fc`, `eval web`, `eval retrieval`).

One self-contained file (inline CSS, no scripts) with the run's setup at
the top and the benchmark's sections below; every text is escaped, so a
plan, a page title or a model's output cannot break the page. Each
benchmark builds its sections from `html_table` and `esc` and hands them
to `html_page`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterable, Sequence

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.9em; }
.pass { color: #070; font-weight: bold; } .fail, .reason { color: #a00; font-weight: bold; }
details { margin: 0.3em 0 1em 1em; } summary { cursor: pointer; }
img { max-width: 480px; border: 1px solid #ccc; }
"""


def html_page(title: str, setup: dict[str, Any], sections: Sequence[str]) -> str:
    """The page: the title, the setup (`key: value`, ...), then `sections` (HTML) in order."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<p>" + ", ".join(f"{esc(k)}: <code>{esc(v)}</code>" for k, v in setup.items()) + "</p>",
        *sections,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def html_table(header: Iterable[str], rows: Iterable[Sequence[Any]], *, numeric_from: int | None = None, escape: bool = True) -> str:
    """A table; cells from column `numeric_from` on are right-aligned numbers;
    `escape=False` takes the cells as HTML already built (with `esc`)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = esc(cell) if escape else str(cell)
            css = ' class="num"' if numeric_from is not None and i >= numeric_from else ""
            cells.append(f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def esc(value: Any) -> str:
    """`value` as HTML text."""
    return html.escape(str(value), quote=True)


def write_page(path: Path, page: str) -> Path:
    """Write `page` at `path` (making its folder); returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
