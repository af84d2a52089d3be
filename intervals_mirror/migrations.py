"""The store's schema across releases: the version this release writes, the ``sql/`` scripts
that bring a new or older store up to it, and the tables a store of each version holds (so a
store an older release left is not taken for a damaged one).

Apart from ``store`` so opening, reading and writing a store stay one module and the
schema's history another; it runs inside the transaction the store opens.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .errors import StoreError
from .sqlfiles import sql_path, sql_text

_MIGRATION_RE = re.compile(r"^(\d{4})_.+\.sql$")
_CREATES_TABLE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)", re.I)


def schema_version() -> int:
    """The schema version this release writes: 1 plus every migration shipped."""
    numbers = [int(m.group(1)) for p in _migrations() if (m := _MIGRATION_RE.match(p.name))]
    return max([1, *numbers])


def _migrations() -> list[Path]:
    folder = sql_path("migrations")
    return sorted(p for p in folder.glob("*.sql")) if folder.is_dir() else []


def upgrade(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the store to ``schema_version()``: the whole schema for a new file, else each
    migration newer than it; the views always (they may change without a migration). The
    caller holds the transaction, so a failed step leaves the store as it was."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    target = schema_version()
    if current > target:
        raise StoreError(
            f"store {path} has schema version {current}, newer than this release "
            f"understands ({target}): upgrade intervals-mirror"
        )
    if current == 0:
        run_script(conn, sql_text("schema.sql"))
    else:
        for migration in _migrations():
            match = _MIGRATION_RE.match(migration.name)
            if match and int(match.group(1)) > current:
                run_script(conn, migration.read_text(encoding="utf-8"))
    run_script(conn, sql_text("views.sql"))
    conn.execute(f"PRAGMA user_version = {int(target)}")


def tables_at(version: int, known: frozenset[str]) -> frozenset[str]:
    """The ``known`` tables a store of schema ``version`` holds: those a newer migration
    creates are not there yet."""
    newer = {name for path in _migrations()
             if (m := _MIGRATION_RE.match(path.name)) and int(m.group(1)) > version
             for name in _CREATES_TABLE_RE.findall(path.read_text(encoding="utf-8"))}
    return known - newer


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement SQL file inside the caller's transaction (executescript commits)."""
    for statement in _split_sql(script):
        conn.execute(statement)


def _split_sql(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
