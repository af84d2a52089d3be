"""Read-only ad-hoc SQL over the store (the query_sql tool and the ``sql`` command).

Runs on SQLite itself, so users' SQL meets exactly the documented schema (views,
``json_extract`` on ``raw``). Read-only by construction of the connection, not by reading the
text: opened ``mode=ro`` and guarded (``sqlguard``, with the time and size limits of
``sqlbounds``); sqlite3 runs one statement per call. query_sql's answer stops at ``limit``
rows and at about ``SQL_OUTPUT_BYTES`` as sent; the ``sql`` command writes every row as it
comes (or ``--limit`` of them), holding one at a time.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import validate
from ..answers.units import count
from ..errors import QueryError
from ..store import Store
from .common import choice
from .sqlbounds import SQL_HEAP_BYTES, too_big_words
from .sqlformat import (
    TextTable,
    cut_in_table,
    data_cell,
    json_size,
    row_lines,
    text_cell,
    write_csv,
    write_json,
    write_table,
)
from .sqlguard import Guard, guarded

SQL_FORMATS = ("table", "csv", "json")
DEFAULT_SQL_LIMIT = 200
MAX_SQL_LIMIT = 1_000       # per MCP call; the CLI has no cap unless --limit is given
DEFAULT_SQL_TIMEOUT_S = 10.0
SQL_OUTPUT_BYTES = 100_000  # query_sql: the whole answer as sent stays under this
MAX_SQL_CHARS = 50_000      # the longest statement accepted
SQL_RUNNING = 2             # statements at once in this process (each ends by its deadline)
SQL_QUEUE_WAIT_S = 1.0      # how long a further one waits for its turn before "busy"
# Room in SQL_OUTPUT_BYTES for what is not rows: the note, the freshness line, the figures
# beside the rows and the JSON around them.
_ANSWER_FRAME_BYTES = 2_000

_running = threading.BoundedSemaphore(SQL_RUNNING)


@dataclass(frozen=True)
class SqlResult:
    """Rows of one read-only statement (as shown: blobs by size, long text cut), capped at
    ``limit`` rows and, if ``max_bytes`` is set (query_sql), at what fits in about that."""

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
        return {"columns": list(self.columns), "rows": [list(row) for row in self.rows],
                "row_count": len(self.rows), "truncated": self.truncated,
                "truncated_by": ("size" if self.size_cut else "limit") if self.truncated
                else None, "limit": self.limit, "elapsed_ms": round(self.elapsed_ms, 1)}

    @property
    def note(self) -> str:
        shown = count(len(self.rows), "row")
        if self.size_cut:
            return (f"{shown} shown: the output stops at about {(self.max_bytes or 0) // 1000:,}"
                    " KB; "
                    "select fewer or shorter columns (substr, json_extract), or add WHERE, "
                    "GROUP BY or LIMIT")
        if self.truncated:
            more = " (the largest allowed)" if self.limit_capped else ""
            return (f"{shown} shown: cut at the limit of {self.limit:,}{more}; "
                    "add WHERE, GROUP BY or LIMIT, or raise limit")
        return shown

    @property
    def text(self) -> str:
        """The rows as an aligned text table, and the note; query_sql's one row whose text a
        table would cut, one column per line."""
        if self.max_bytes is not None and len(self.rows) == 1 and any(
                cut_in_table(v) for v in self.rows[0]):
            return "\n".join([*row_lines(self.columns, self.rows[0]), f"({self.note})"])
        table = TextTable(self.columns)
        for row in self.rows:
            table.add([text_cell(v) for v in row])
        return "\n".join([*table.lines(), f"({self.note})"])


@dataclass(frozen=True)
class SqlStream:
    """What the ``sql`` command wrote: how many rows, and whether ``limit`` cut them."""

    rows: int
    limit: int | None
    truncated: bool

    @property
    def note(self) -> str:
        shown = count(self.rows, "row")
        if self.truncated:
            return (f"{shown} shown: cut at --limit {self.limit:,}; raise --limit or leave "
                    "it out for every row")
        return shown


def run_sql(db_path: str | Path, sql: str, *, limit: int = DEFAULT_SQL_LIMIT,
            timeout_s: float | None = None, max_limit: int = MAX_SQL_LIMIT,
            max_bytes: int | None = None) -> SqlResult:
    """One read-only SQLite statement over the store; refused if it would change anything.

    ``max_bytes`` (query_sql) stops the rows where the answer, as sent, would pass it.
    """
    rows_limit, capped = validate.limit("limit", limit, maximum=max_limit)
    started = time.perf_counter()
    with _statement(db_path, sql, timeout_s) as (columns, cursor):
        rows, truncated, size_cut = _fetch(cursor, columns, rows_limit, max_bytes)
    return SqlResult(sql=sql, columns=columns, rows=tuple(rows), limit=rows_limit,
                     truncated=truncated, elapsed_ms=(time.perf_counter() - started) * 1000,
                     limit_capped=capped, max_bytes=max_bytes, size_cut=size_cut)


def stream_sql(db_path: str | Path, sql: str, out: TextIO, *, fmt: str = "table",
               limit: int | None = None, timeout_s: float | None = None) -> SqlStream:
    """The ``sql`` command: every row (or ``limit`` of them) written to ``out`` as it comes."""
    fmt = choice("format", fmt, SQL_FORMATS)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 1):
        raise QueryError(f"--limit: expected a whole number of 1 or more, got {limit!r}")
    started = time.perf_counter()
    written, cut = 0, False

    def rows(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
        nonlocal written, cut
        for row in cursor:
            if written == limit:
                cut = True
                return
            written += 1
            yield row

    with _statement(db_path, sql, timeout_s) as (columns, cursor):
        {"csv": write_csv, "json": write_json, "table": write_table}[fmt](
            out, columns, rows(cursor))
    result = SqlStream(rows=written, limit=limit, truncated=cut)
    if fmt == "json":
        out.write(", " + json.dumps({
            "row_count": result.rows, "truncated": result.truncated,
            "truncated_by": "limit" if result.truncated else None, "limit": limit,
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)})[1:] + "\n")
    elif fmt == "table":
        out.write(f"({result.note})\n")
    return result


@contextmanager
def _statement(db_path: str | Path, sql: str, timeout_s: float | None
               ) -> Iterator[tuple[tuple[str, ...], sqlite3.Cursor]]:
    """The columns and cursor of one guarded statement; every SQLite error in the block
    becomes a ``QueryError`` that says what to change."""
    checked = validate.text("sql", sql, MAX_SQL_CHARS)
    if checked is None:
        raise QueryError("sql: expected one SELECT statement, got nothing")
    timeout_s = _timeout(timeout_s)
    if not _running.acquire(timeout=SQL_QUEUE_WAIT_S):
        raise QueryError(f"sql: busy, {SQL_RUNNING} other statements are running (each "
                         "stops at its time limit); try again in a few seconds")
    try:
        with Store.open(db_path, readonly=True) as store, \
                guarded(store.db.conn, timeout_s) as guard:
            try:
                cursor = store.db.conn.execute(sql)
                if cursor.description is None:
                    raise QueryError("sql: the statement returned no rows; expected a SELECT "
                                     "(query_sql and `sql` are read-only)")
                yield tuple(d[0] for d in cursor.description), cursor
            except (sqlite3.Error, MemoryError) as exc:
                raise _sql_error(exc, guard, timeout_s) from None
    finally:
        _running.release()


def _timeout(value: float | None) -> float:
    if value is None:
        return DEFAULT_SQL_TIMEOUT_S
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value <= 0:
        shown = f"{value:g}" if isinstance(value, float) else repr(value)
        raise QueryError(f"--timeout: expected a number of seconds above 0, got {shown}")
    return float(value)


def _fetch(cursor: sqlite3.Cursor, columns: tuple[str, ...], limit: int,
           max_bytes: int | None) -> tuple[list[tuple[Any, ...]], bool, bool]:
    """Rows up to ``limit`` and, with ``max_bytes``, while the answer fits: (rows as shown,
    truncated, cut by size). Only what is shown is kept: a blob is its size, long text cut."""
    rows: list[tuple[Any, ...]] = []
    table = TextTable(columns) if max_bytes is not None else None
    size = json_size(list(columns)) + _ANSWER_FRAME_BYTES
    if table is not None and max_bytes is not None and size + table.size() > max_bytes:
        raise QueryError(f"sql: {len(columns):,} columns do not fit in an answer of about "
                         f"{max_bytes:,} bytes; select fewer columns")
    first: tuple[Any, ...] = ()
    for row in cursor:
        if len(rows) == limit:
            return rows, True, False
        first = first or tuple(row)
        shown = tuple(data_cell(v) for v in row)
        if table is not None and max_bytes is not None:
            cells = [text_cell(v) for v in shown]
            size += json_size(list(shown)) + 2
            if size + table.size_with(cells) > max_bytes:
                return rows, True, True
            table.add(cells)
        rows.append(shown)
    if len(rows) == 1 and max_bytes is not None:  # shown whole, one column per line
        rows[0] = _whole(columns, first, max_bytes - _ANSWER_FRAME_BYTES - json_size(
            "\n".join(columns)))
    return rows, False, False


def _whole(columns: tuple[str, ...], row: tuple[Any, ...], room: int) -> tuple[Any, ...]:
    """The only row of a result with its text whole, as far as ``room`` bytes as sent
    allow; a text cut there says where to read on."""
    shown = []
    for column, value in zip(columns, row, strict=True):
        cell = value if isinstance(value, str) else data_cell(value)
        size = json_size(cell)
        if isinstance(cell, str) and size > room:
            keep = max(0, (room - 200) * len(cell) // size)
            cell = (f"{cell[:keep]}… (+{len(cell) - keep:,} chars; read on with "
                    f"substr({column}, {keep + 1}))")
            size = json_size(cell)
        room -= size
        shown.append(cell)
    return tuple(shown)


def _sql_error(exc: sqlite3.Error | MemoryError, guard: Guard, timeout_s: float
               ) -> QueryError:
    bounds = guard.bounds
    if bounds.timed_out:
        return QueryError(f"sql: cut off after the time limit of {timeout_s:g} s; narrow it "
                          "down (WHERE on date, fewer joins) or aggregate first")
    if bounds.refusal:
        return QueryError(f"sql: {bounds.refusal}")
    if isinstance(exc, MemoryError):
        return QueryError(f"sql: the statement needs more than {SQL_HEAP_BYTES // 10**6} MB "
                          "of memory (a row holds all its values at once); select fewer or "
                          "shorter values")
    if guard.refused:
        return QueryError(f"sql: refused, the store is read-only here: {guard.refused[0]} is "
                          "not allowed (only SELECT, WITH and read-only PRAGMAs)")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in str(exc):
        return QueryError("sql: one statement per call; remove everything after the first ';'")
    message = str(exc)
    if "too big" in message:
        return QueryError(f"sql: a value would be too big: {too_big_words()}")
    if "readonly" in message or "read-only" in message:
        return QueryError(f"sql: refused, the store is read-only here ({message})")
    return QueryError(f"sql: {message}")
