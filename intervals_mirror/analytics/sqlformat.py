"""How rows of ad-hoc SQL are shown: an aligned text table that knows its size as it will be
sent (inside a JSON string), and CSV, JSON or table written row by row for the ``sql``
command, so that no output is held whole.

A blob is shown as ``<N bytes>``, never as its bytes; a text-table cell is cut at
``TEXT_CELL_CHARS``; query_sql's structured cells at ``DATA_CELL_CHARS``. A query_sql result
of one row whose text a table would cut is shown one column per line instead, each value
whole (``row_lines``): that is how a description or a raw JSON is read in full.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

TEXT_CELL_CHARS = 60       # a text-table cell longer than this is cut (the data keeps more)
DATA_CELL_CHARS = 2_000    # a structured cell (query_sql) longer than this is cut
STREAM_WIDTH_ROWS = 100    # the `sql` command's table takes its column widths from these


def data_cell(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > DATA_CELL_CHARS:
        return value[:DATA_CELL_CHARS] + f"… (+{len(value) - DATA_CELL_CHARS} chars)"
    return value


def plain_cell(value: Any) -> Any:
    """A value as the `sql` command prints it in CSV and JSON: whole, but a blob's size."""
    return f"<{len(value)} bytes>" if isinstance(value, bytes) else value


def row_lines(columns: Sequence[str], row: Sequence[Any]) -> list[str]:
    """One row, a 'column: value' line per column, each value whole (its own line breaks
    kept)."""
    return [f"{column}: {'NULL' if value is None else value}"
            for column, value in zip(columns, row, strict=True)]


def cut_in_table(value: Any) -> bool:
    """Whether a text table would cut this value."""
    return isinstance(value, str) and len(value) > TEXT_CELL_CHARS


def text_cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = str(value).replace("\n", " ")
    return text if len(text) <= TEXT_CELL_CHARS else text[:TEXT_CELL_CHARS - 1] + "…"


def json_size(value: Any) -> int:
    """Bytes of ``value`` as JSON (UTF-8; a string with its quotes)."""
    if isinstance(value, str) and value.isascii() and value.isprintable() \
            and '"' not in value and "\\" not in value:
        return len(value) + 2
    return len(json.dumps(value, ensure_ascii=False, default=str).encode())


def _escaping(cells: Iterable[str]) -> int:
    """What JSON escaping and UTF-8 add to the cells beyond one byte per character."""
    return sum(json_size(c) - 2 - len(c) for c in cells)


class TextTable:
    """An aligned text table grown row by row; ``size_with`` is its size as sent."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.header = [text_cell(c) for c in columns]
        self.widths = [len(h) for h in self.header]
        self.rows: list[list[str]] = []
        self._escaping = _escaping(self.header)

    def size_with(self, cells: Sequence[str]) -> int:
        """Bytes of the table with ``cells`` added, inside a JSON string (each line, its
        padding and its escaped newline), before trailing spaces are cut."""
        widths = [max(w, len(c)) for w, c in zip(self.widths, cells, strict=True)]
        line = sum(widths) + 3 * (len(widths) - 1) + 2
        return (len(self.rows) + 3) * line + self._escaping + _escaping(cells)

    def size(self) -> int:
        line = sum(self.widths) + 3 * (len(self.widths) - 1) + 2
        return (len(self.rows) + 2) * line + self._escaping

    def add(self, cells: list[str]) -> None:
        self.widths = [max(w, len(c)) for w, c in zip(self.widths, cells, strict=True)]
        self._escaping += _escaping(cells)
        self.rows.append(cells)

    def lines(self) -> list[str]:
        return [_line(self.header, self.widths), "-+-".join("-" * w for w in self.widths),
                *(_line(row, self.widths) for row in self.rows)]


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([plain_cell(v) for v in row])


def write_json(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The opening of ``{"columns": …, "rows": [...`` and the rows; the caller closes it."""
    out.write('{"columns": ' + json.dumps(list(columns), ensure_ascii=False) + ', "rows": [')
    for i, row in enumerate(rows):
        out.write(("," if i else "") + "\n" + json.dumps(
            [plain_cell(v) for v in row], ensure_ascii=False, default=str))
    out.write("\n]")


def write_table(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Widths from the first ``STREAM_WIDTH_ROWS`` rows; later rows keep them (a longer cell
    pushes its line out), so the table is printed as the rows come."""
    table, remaining = TextTable(columns), iter(rows)
    for row in remaining:
        table.add([text_cell(v) for v in row])
        if len(table.rows) == STREAM_WIDTH_ROWS:
            break
    out.write("\n".join(table.lines()) + "\n")
    for row in remaining:
        out.write(_line([text_cell(v) for v in row], table.widths) + "\n")
