"""Rows as a compact table: one header naming each column and its unit once, then one line
per row, cells separated by " | ". Columns no row has a value for are left out, and so are
a row's empty cells at its end; a missing value is an empty cell, never "N/A".

A model reads a table of 120 wellness days in a third of the characters the same days take
as labelled lines, which is what keeps long answers inside a conversation's budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .units import has

SEPARATOR = " | "

Cell = Callable[[dict[str, Any]], str]


def column(key: str, fmt: Callable[[Any], str] = str) -> Cell:
    """A cell showing ``row[key]`` through ``fmt``, empty when the value is missing."""

    def cell(row: dict[str, Any]) -> str:
        value = row.get(key)
        return fmt(value) if has(value) else ""

    return cell


def table(columns: Sequence[tuple[str, Cell]], rows: Sequence[dict[str, Any]]) -> list[str]:
    """The header line and one line per row; ``columns``: (header, cell) pairs."""
    cells = [[_clean(cell(row)) for _, cell in columns] for row in rows]
    kept = [i for i in range(len(columns)) if any(line[i] for line in cells)]
    lines = [SEPARATOR.join(columns[i][0] for i in kept)]
    for line in cells:
        shown = [line[i] for i in kept]
        while shown and not shown[-1]:
            shown.pop()
        lines.append(SEPARATOR.join(shown))
    return lines


def _clean(text: str) -> str:
    """One line per row: a value's own line breaks and bars would break the table."""
    if "\n" in text or "|" in text or "\r" in text:
        text = " ".join(text.replace("|", "/").split())
    return text
