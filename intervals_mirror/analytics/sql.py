"""Read-only ad-hoc SQL over the store (the query_sql tool and the ``sql`` command).

Runs on SQLite itself, so users' SQL meets exactly the documented schema (views,
``json_extract`` on ``raw``). Read-only by construction of the connection, not by reading the
text: opened ``mode=ro`` and guarded (``sqlguard``); sqlite3 runs one statement per call;
rows are capped, and for query_sql the answer's size too.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import validate
from ..answers.units import count
from ..errors import QueryError
from ..store import Store
from .common import choice
from .sqlguard import SQL_VALUE_BYTES, Guard, guarded

SQL_FORMATS = ("table", "csv", "json")
DEFAULT_SQL_LIMIT = 200
MAX_SQL_LIMIT = 1_000       # per MCP call; the CLI allows more
DEFAULT_SQL_TIMEOUT_S = 10.0
TEXT_CELL_CHARS = 60       # a text-table cell longer than this is cut (the data keeps more)
DATA_CELL_CHARS = 2_000    # a structured cell longer than this is cut
SQL_OUTPUT_BYTES = 100_000   # query_sql: the text, and the structured rows, stop at about this

@dataclass(frozen=True)
class SqlResult:
    """Rows of one read-only statement, capped at ``limit`` rows and, if ``max_bytes`` is set
    (query_sql), at about that many bytes of rows; the text table stops there too."""

    sql: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    limit: int
    truncated: bool
    elapsed_ms: float
    limit_capped: bool = False
    max_bytes: int | None = None
    size_cut: bool = False  # the rows stopped at max_bytes (rather than at the limit)

    @property
    def data(self) -> dict[str, Any]:
        return {"columns": list(self.columns),
                "rows": [[_data_cell(v) for v in row] for row in self.rows],
                "row_count": len(self.rows), "truncated": self.truncated,
                "truncated_by": ("size" if self.size_cut else "limit") if self.truncated
                else None, "limit": self.limit, "elapsed_ms": round(self.elapsed_ms, 1)}

    @property
    def note(self) -> str:
        shown = count(len(self.rows), "row")
        if self.size_cut:
            return (f"{shown} shown: the output stops at about {_kb(self.max_bytes)}; select "
                    "fewer or shorter columns (substr, json_extract), or add WHERE, GROUP BY "
                    "or LIMIT")
        if self.truncated:
            more = " (the largest allowed)" if self.limit_capped else ""
            return (f"{shown} shown: cut at the limit of {self.limit:,}{more}; "
                    "add WHERE, GROUP BY or LIMIT, or raise limit")
        return shown

    @property
    def text(self) -> str:
        return self.render("table")

    def render(self, fmt: str) -> str:
        """The rows as an aligned text table, CSV or JSON."""
        fmt = choice("format", fmt, SQL_FORMATS)
        if fmt == "json":
            return json.dumps(self.data, ensure_ascii=False)
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows([_csv_cell(v) for v in row] for row in self.rows)
            return out.getvalue().rstrip("\n")
        header = [_text_cell(c) for c in self.columns]
        cells = [[_text_cell(v) for v in row] for row in self.rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(header)]

        def line(values: Sequence[str]) -> str:
            return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        lines = [line(header), "-+-".join("-" * w for w in widths)]
        size = sum(len(x) + 1 for x in lines)
        for row in cells:
            text = line(row)
            size += len(text) + 1
            if self.max_bytes is not None and size > self.max_bytes:
                break
            lines.append(text)
        shown = len(lines) - 2
        if shown < len(self.rows):
            lines.append(f"(the first {shown:,} of {count(len(self.rows), 'row')}: this text "
                         f"stops at about {_kb(self.max_bytes)}; all {len(self.rows):,} are in "
                         "the structured result; select fewer columns to see more here)")
        else:
            lines.append(f"({self.note})")
        return "\n".join(lines)


def _kb(size: int | None) -> str:
    return f"{(size or 0) // 1000:,} KB"


def _row_bytes(row: Sequence[Any]) -> int:
    """About how many bytes a row takes in the answer (after long cells are cut)."""
    return sum(len(str(_data_cell(v))) + 4 for v in row)


def _data_cell(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > DATA_CELL_CHARS:
        return value[:DATA_CELL_CHARS] + f"… (+{len(value) - DATA_CELL_CHARS} chars)"
    return value


def _csv_cell(value: Any) -> Any:
    return f"<{len(value)} bytes>" if isinstance(value, bytes) else value


def _text_cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = str(value).replace("\n", " ")
    return text if len(text) <= TEXT_CELL_CHARS else text[:TEXT_CELL_CHARS - 1] + "…"


def run_sql(db_path: str | Path, sql: str, *, limit: int = DEFAULT_SQL_LIMIT,
            timeout_s: float = DEFAULT_SQL_TIMEOUT_S, max_limit: int = MAX_SQL_LIMIT,
            max_bytes: int | None = None) -> SqlResult:
    """One read-only SQLite statement over the store; refused if it would change anything.

    ``max_bytes`` (query_sql) stops the rows at about that size, so an answer stays small.
    """
    if not isinstance(sql, str) or not sql.strip():
        raise QueryError("sql: expected one SELECT statement, got nothing")
    rows_limit, capped = validate.limit("limit", limit, maximum=max_limit)
    started = time.perf_counter()
    with Store.open(db_path, readonly=True) as store, \
            guarded(store.db.conn, timeout_s) as guard:
        try:
            cursor = store.db.conn.execute(sql)
            if cursor.description is None:
                raise QueryError("sql: the statement returned no rows; expected a SELECT "
                                 "(query_sql and `sql` are read-only)")
            columns = tuple(d[0] for d in cursor.description)
            rows, truncated, size_cut = _fetch(cursor, rows_limit, max_bytes)
        except sqlite3.Error as exc:
            raise _sql_error(exc, guard, timeout_s) from None
    return SqlResult(sql=sql, columns=columns, rows=tuple(rows), limit=rows_limit,
                     truncated=truncated, elapsed_ms=(time.perf_counter() - started) * 1000,
                     limit_capped=capped, max_bytes=max_bytes, size_cut=size_cut)


def _fetch(cursor: sqlite3.Cursor, limit: int, max_bytes: int | None
           ) -> tuple[list[tuple[Any, ...]], bool, bool]:
    """Rows up to ``limit`` and about ``max_bytes``: (rows, truncated, cut by size)."""
    rows: list[tuple[Any, ...]] = []
    size = 0
    for row in cursor:
        if len(rows) == limit:
            return rows, True, False
        size += _row_bytes(row) if max_bytes is not None else 0
        if max_bytes is not None and size > max_bytes and rows:
            return rows, True, True
        rows.append(row)
    return rows, False, False


def _sql_error(exc: sqlite3.Error, guard: Guard, timeout_s: float) -> QueryError:
    if guard.timed_out:
        return QueryError(f"sql: cut off after the time limit of {timeout_s:g} s; narrow it "
                          "down (WHERE on date, fewer joins) or aggregate first")
    if guard.refused:
        return QueryError(f"sql: refused, the store is read-only here: {guard.refused[0]} is "
                          "not allowed (only SELECT, WITH and read-only PRAGMAs)")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in str(exc):
        return QueryError("sql: one statement per call; remove everything after the first ';'")
    if "too big" in str(exc):
        return QueryError(f"sql: a value would be larger than {SQL_VALUE_BYTES:,} bytes "
                          f"({exc}); ad-hoc SQL answers stay small: use substr(), length() "
                          "or aggregate instead")
    message = str(exc)
    if "readonly" in message or "read-only" in message:
        return QueryError(f"sql: refused, the store is read-only here ({message})")
    return QueryError(f"sql: {message}")

