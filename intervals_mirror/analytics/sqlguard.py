"""What keeps ad-hoc SQL read-only: SQLite's authorizer allows reads only (no ATTACH, which
``VACUUM INTO`` needs too; no PRAGMA that sets anything; no ``load_extension``); and short, with
the limits of ``sqlbounds``. The guard is built on the connection, not on reading the SQL
text."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .sqlbounds import WATCHDOG, Bounds, CheckedFunctions, limit_connection

# PRAGMAs that only read. With an argument only those that take a table or index name.
_PRAGMAS_READ_WITH_ARG = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list"})
_PRAGMAS_READ = _PRAGMAS_READ_WITH_ARG | frozenset({
    "user_version", "schema_version", "data_version", "application_id", "page_count",
    "page_size", "freelist_count", "encoding", "journal_mode", "foreign_keys", "query_only",
    "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
    "database_list"})
_DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile",
                               "edit"})
_ACTION_NAMES = {
    1: "CREATE INDEX", 2: "CREATE TABLE", 3: "CREATE TEMP INDEX", 4: "CREATE TEMP TABLE",
    5: "CREATE TEMP TRIGGER", 6: "CREATE TEMP VIEW", 7: "CREATE TRIGGER", 8: "CREATE VIEW",
    9: "DELETE", 10: "DROP INDEX", 11: "DROP TABLE", 12: "DROP TEMP INDEX",
    13: "DROP TEMP TABLE", 14: "DROP TEMP TRIGGER", 15: "DROP TEMP VIEW", 16: "DROP TRIGGER",
    17: "DROP VIEW", 18: "INSERT", 19: "PRAGMA", 22: "a transaction", 23: "UPDATE",
    24: "ATTACH (also used by VACUUM INTO)", 25: "DETACH", 26: "ALTER TABLE", 27: "REINDEX",
    28: "ANALYZE", 29: "CREATE VIRTUAL TABLE", 30: "DROP VIRTUAL TABLE", 32: "SAVEPOINT",
}
_READ, _SELECT, _PRAGMA, _FUNCTION, _RECURSIVE, _UPDATE = 20, 21, 19, 31, 33, 23
# SQLite asks for UPDATE on these when a table-valued function (json_each, json_tree,
# pragma_table_info) is first used in a statement. A real UPDATE of them fails regardless
# ("may not be modified") unless writable_schema is on, and setting that PRAGMA is refused.
_VTAB_SETUP_TABLES = frozenset({"sqlite_master", "sqlite_temp_master"})
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_temp_master", "sqlite_schema",
                            "sqlite_temp_schema", "sqlite_stat1", "sqlite_stat4"})


@dataclass
class Guard:
    """The authorizer and limits of one read-only connection, and what they refused."""

    bounds: Bounds
    refused: list[str] = field(default_factory=list)

    def authorize(self, action: int, arg1: str | None, arg2: str | None, db: str | None,
                  source: str | None) -> int:
        if action in (_READ, _SELECT, _RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == _UPDATE and arg1 in _VTAB_SETUP_TABLES:
            return sqlite3.SQLITE_OK
        if action == _FUNCTION:
            if (arg2 or "").lower() in _DENIED_FUNCTIONS:
                self.refused.append(f"the function {arg2}()")
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == _PRAGMA:
            name = (arg1 or "").lower()
            if name in _PRAGMAS_READ and (arg2 is None or name in _PRAGMAS_READ_WITH_ARG):
                return sqlite3.SQLITE_OK
            self.refused.append(f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else ""))
            return sqlite3.SQLITE_DENY
        if arg1 in _SCHEMA_TABLES:
            self.refused.append("changing the schema (CREATE, DROP, ALTER, ANALYZE)")
        else:
            self.refused.append(_ACTION_NAMES.get(action, f"action {action}"))
        return sqlite3.SQLITE_DENY


@contextmanager
def guarded(conn: sqlite3.Connection, timeout_s: float) -> Iterator[Guard]:
    """``conn`` read-only, within the limits of ``sqlbounds`` and cut off after ``timeout_s``,
    until the block ends (the connection is ours, opened ``mode=ro``)."""
    guard = Guard(Bounds(deadline=time.monotonic() + timeout_s))
    conn.execute("PRAGMA query_only = 1")
    limit_connection(conn)
    functions = CheckedFunctions(guard.bounds)
    functions.install(conn)
    conn.set_authorizer(guard.authorize)
    try:
        with WATCHDOG.watching(conn, guard.bounds):
            yield guard
    finally:
        conn.set_authorizer(None)
        functions.close()
