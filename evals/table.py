"""`ScoreTable`: a benchmark's scores as rows of text, shown in the terminal and in the report alike.

Every evaluation builds its table once (a label column, then numbers) and
prints it with `rich` or writes it into its HTML report, so the two never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table

from agentc.evals.report import html_table

NO_VALUE = "–"
"""A cell whose score does not apply (say API F1 on a data set without pooled calls)."""


@dataclass
class ScoreTable:
    """`columns[0]` labels each row (a category, a site, a method); the rest are numbers."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def without_empty_columns(self) -> "ScoreTable":
        """The table less the score columns in which no row has a value
        (every cell `NO_VALUE` or blank): a column of dashes says nothing."""
        kept = [0] + [
            i for i in range(1, len(self.columns)) if any(row[i].strip() not in ("", NO_VALUE) for row in self.rows)
        ]
        return ScoreTable([self.columns[i] for i in kept], [[row[i] for i in kept] for row in self.rows])

    def rich(self, title: str) -> Table:
        """The table for the terminal."""
        table = Table(title=title)
        table.add_column(self.columns[0], no_wrap=True)
        for column in self.columns[1:]:
            table.add_column(column, justify="right")
        for row in self.rows:
            table.add_row(*row)
        return table

    def html(self) -> str:
        """The table for the HTML report."""
        return html_table(self.columns, self.rows, numeric_from=1)


def pct(value: float) -> str:
    """A rate as a percentage with one decimal, e.g. "87.5%"."""
    return f"{100 * value:.1f}%"
