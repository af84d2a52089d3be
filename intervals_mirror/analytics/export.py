"""Every store table and view as one Parquet or CSV file (the ``export`` command), written by
DuckDB from one consistent snapshot of the store, with real types: days as DATE, times as
TIMESTAMP, 0/1 flags as BOOLEAN, custom wellness values as numbers (text ones beside them),
and wellness's day also as ``date``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..answers.units import count
from ..errors import QueryError
from ..store import Store
from . import duck
from .common import Answer, choice

EXPORT_FORMATS = ("parquet", "csv")
_COPIED = {"TEXT": "VARCHAR", "INTEGER": "BIGINT", "REAL": "DOUBLE"}
# What a text or 0/1 column holds, by its name (the same in every table and view): written
# with that type, so pandas, DuckDB or Spark read days, times and flags, not strings and ints.
_WRITTEN = {
    **dict.fromkeys(("date", "end_date", "covered_from", "covered_to", "history_start"),
                    "DATE"),
    **dict.fromkeys(("start_date_local", "end_date_local"), "TIMESTAMP"),  # local wall clock
    **dict.fromkeys(("start_date", "icu_sync_date", "updated", "synced_at", "started_at",
                     "finished_at", "last_ok_at", "last_full_at", "fetched_at", "created"),
                    "TIMESTAMPTZ"),
    **dict.fromkeys(("is_stub", "trainer", "commute", "race", "indoor"), "BOOLEAN"),
}
_NUMBER = "typeof(value) IN ('integer', 'real')"
# Packed stream samples are written as the JSON array they hold (stream_json), not as bytes.
_PACKED = frozenset({("streams", "data"), ("streams", "data2")})


def export_store(db_path: str | Path, out_dir: str | Path, fmt: str = "parquet") -> Answer:
    """Every store table and view as one Parquet or CSV file in ``out_dir``, typed."""
    fmt = choice("format", fmt, EXPORT_FORMATS)
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QueryError(f"--out: cannot create {out}: {exc.strerror or exc}") from None
    with Store.open(db_path, readonly=True) as store:
        conn = store.db.conn
        conn.execute("BEGIN")  # one snapshot for every table
        try:
            written = duck.write_files(_sources(conn, out, fmt), fmt)
        finally:
            conn.execute("COMMIT")
    files: list[dict[str, Any]] = [
        {"table": table, "rows": rows, "file": str(target), "bytes": target.stat().st_size}
        for table, rows, target in written]
    text = "\n".join([f"Exported {len(files)} tables and views as {fmt} to {out}:",
                      *(f"{f['table']}: {count(f['rows'], 'row')}, {f['bytes']:,} bytes"
                        for f in files)])
    return Answer(text, {"format": fmt, "out": str(out), "files": files})


def _sources(conn: sqlite3.Connection, out: Path, fmt: str) -> Iterator[duck.ExportTable]:
    """Each table and view: its columns (as copied and as written), rows and file."""
    for name in _store_objects(conn):
        columns = _columns(conn, name)
        select = "SELECT " + ", ".join(sql for sql, _ in columns) + f' FROM "{name}"'
        yield duck.ExportTable(name, tuple(column for _, column in columns),
                               conn.execute(select), out / f"{name}.{fmt}")


def _columns(conn: sqlite3.Connection, name: str
             ) -> list[tuple[str, tuple[str, str, str]]]:
    """(SQLite expression, (name, type copied, type written)) per exported column."""
    columns = []
    for _, column, decl, *_ in conn.execute(f'PRAGMA table_info("{name}")'):
        quoted = f'"{column}"'
        if (name, column) == ("wellness_custom", "value"):  # numbers, and text for the rest
            columns += [(f"CASE WHEN {_NUMBER} THEN value END", ("value", "DOUBLE", "DOUBLE")),
                        (f"CASE WHEN NOT {_NUMBER} THEN CAST(value AS TEXT) END",
                         ("value_text", "VARCHAR", "VARCHAR"))]
            continue
        if (name, column) in _PACKED:
            columns.append((f"stream_json({quoted})", (column, "VARCHAR", "VARCHAR")))
            continue
        copied = _COPIED.get((decl or "").upper(), "VARCHAR")
        select = f"CAST({quoted} AS TEXT)" if copied == "VARCHAR" else quoted
        columns.append((select, (column, copied, _WRITTEN.get(column, copied))))
        if (name, column) == ("wellness", "id"):  # the day, named as in every other file
            columns.append((select, ("date", "VARCHAR", "DATE")))
    return columns


def _store_objects(conn: sqlite3.Connection) -> Iterator[str]:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall():
        yield name
