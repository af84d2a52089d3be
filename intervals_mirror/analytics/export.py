"""Every store table as one Parquet or CSV file (the ``export`` command), written by DuckDB
from one consistent snapshot of the store."""

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
_EXPORT_TYPES = {"TEXT": "VARCHAR", "INTEGER": "BIGINT", "REAL": "DOUBLE"}


def export_store(db_path: str | Path, out_dir: str | Path, fmt: str = "parquet") -> Answer:
    """Every store table as one Parquet or CSV file in ``out_dir``, written by DuckDB."""
    fmt = choice("format", fmt, EXPORT_FORMATS)
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QueryError(f"out: cannot create {out}: {exc}") from None
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
    text = "\n".join([f"Exported {len(files)} tables as {fmt} to {out}:",
                      *(f"{f['table']}: {count(f['rows'], 'row')}, {f['bytes']:,} bytes"
                        for f in files)])
    return Answer(text, {"format": fmt, "out": str(out), "files": files})


def _sources(conn: sqlite3.Connection, out: Path, fmt: str
             ) -> Iterator[tuple[str, list[tuple[str, str]], sqlite3.Cursor, Path]]:
    """Each table's columns (as DuckDB types), its rows and its file, one table at a time."""
    for table in _store_tables(conn):
        columns = [(name, _EXPORT_TYPES.get((decl or "").upper(), "VARCHAR"))
                   for _, name, decl, *_ in conn.execute(f'PRAGMA table_info("{table}")')]
        select = "SELECT " + ", ".join(
            f'"{name}"' if kind != "VARCHAR" else f'CAST("{name}" AS TEXT)'
            for name, kind in columns) + f' FROM "{table}"'
        yield table, columns, conn.execute(select), out / f"{table}.{fmt}"


def _store_tables(conn: sqlite3.Connection) -> Iterator[str]:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        yield name
