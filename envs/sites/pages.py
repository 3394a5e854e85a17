"""Helpers every site shares: templates, pagination and the page-size constant."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGE_SIZE = 10
TEMPLATES_DIR = Path(__file__).parent / "templates"


def templates() -> Any:
    """The Jinja2 templates of all sites (each site's pages live in its own folder)."""
    from starlette.templating import Jinja2Templates

    return Jinja2Templates(directory=str(TEMPLATES_DIR))


@dataclass
class Page:
    """One page of a listing: which rows to show and how to reach the neighbours."""

    number: int
    count: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE_SIZE

    @property
    def first(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.offset + PAGE_SIZE)


def paginate(total: int, requested: str | None) -> Page:
    """Clamp the requested page number (from the query string) to the pages that exist."""
    count = max(1, math.ceil(total / PAGE_SIZE))
    try:
        number = int(requested or 1)
    except ValueError:
        number = 1
    return Page(number=min(max(number, 1), count), count=count, total=total)
