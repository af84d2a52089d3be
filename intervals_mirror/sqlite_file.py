"""The store's SQLite file itself: created private, opened read-only anywhere, checked for
damage, and SQLite's failures turned into one line that says what to do.

Plain ``sqlite3``: ``store`` builds on these and owns the schema.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .errors import DiskFullError, StoreCorruptError, StoreError, cut_list


def connect_writer(path: Path) -> sqlite3.Connection:
    """A new store is created 0600 (it holds health data); SQLite gives its -wal and -shm
    files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create store {path}: {exc.strerror or exc}; set "
                         "INTERVALS_MIRROR_DB (or [store] path) to a file in a writable "
                         "folder") from None
    return sqlite3.connect(str(path), check_same_thread=False)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Read-only, even where the folder is read-only too.

    A WAL store needs its -shm file, which SQLite cannot create in a read-only folder
    ("attempt to write a readonly database"). Nobody can write the store there either, so
    it is then opened as immutable; unless a -wal file holds changes it would miss.
    """
    if not path.exists():
        raise StoreError(f"no store at {path}: run `intervals-mirror sync` first "
                         "(or `intervals-mirror demo` for a demo store)")
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        wal = path.with_name(path.name + "-wal")
        if os.access(path.parent, os.W_OK) or (wal.exists() and wal.stat().st_size):
            raise StoreError(f"cannot read store {path}: {exc}") from None
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)


_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_FULL, _IOERR = 13, 10


def store_error(path: Path, exc: sqlite3.Error, doing: str, *, writing: bool = False
                ) -> StoreError:
    """One line that says what to do about a SQLite failure."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in _CORRUPT_CODES:
        return _corrupt(path, str(exc))
    if code == _FULL or (writing and code == _IOERR):
        cause = "the disk is full" if code == _FULL else "the disk failed a write (is it full?)"
        return DiskFullError(
            f"{doing} {path}: {cause} ({exc}); nothing was lost: the unfinished transaction "
            "was rolled back. Free some space and run `intervals-mirror sync` again")
    return StoreError(f"{doing} {path}: {exc}")


def _corrupt(path: Path, detail: str) -> StoreCorruptError:
    detail = " ".join(detail.replace("*** in database main ***", "").split())[:80]
    return StoreCorruptError(
        f"store {path} is damaged ({detail}): move it away (e.g. mv {path} "
        f"{path}.damaged) and run `intervals-mirror sync`; Intervals.icu holds everything, "
        "so the new store gets all of it again")


def check(conn: sqlite3.Connection, path: Path, tables: Iterable[str], *,
          thorough: bool = False) -> None:
    """Fail with ``StoreCorruptError`` if the file is damaged.

    The header and schema are read, then every page is walked (``PRAGMA quick_check``): on a
    10-year store (68 MB) about 0.07 s with the file in the OS cache and 1.0 s from a cold
    (slow, virtual) disk (``benchmarks/bench_health.py``); small next to a sync's requests,
    while a damaged store would fail later, half-written, or silently answer less.
    ``thorough`` (doctor) also checks every index against its table (``integrity_check``).
    """
    try:
        present = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        pragma = "integrity_check" if thorough else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}(1)")]
    except sqlite3.DatabaseError as exc:
        raise store_error(path, exc, "cannot read store") from None
    if problems != ["ok"]:
        raise _corrupt(path, problems[0] if problems else "no answer from quick_check")
    missing = [t for t in tables if t not in present]
    if present and missing:
        raise _corrupt(path, f"table {cut_list(missing)} missing")
