"""The SQLite store: open (WAL, the schema brought up to date by ``migrations``), upserts,
deletes and sync state.

Never does HTTP; sync hands it rows built by ``records``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import records, sqlite_file, stream_codec
from .errors import DiskFullError, StoreCorruptError, StoreError
from .migrations import schema_version, tables_at, upgrade
from .resources import BY_TABLE, MIRRORED_TABLES, RESOURCES, WELLNESS, Child

if TYPE_CHECKING:
    import sqlite_utils

def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_utc(stamp: str) -> dt.datetime:
    """A stored UTC time (``utc_now``'s form, or any ISO time) as an aware datetime."""
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Coverage:
    """What sync has fully listed for one resource."""

    resource: str
    covered_from: str | None = None
    covered_to: str | None = None
    history_start: str | None = None
    last_ok_at: str | None = None
    last_full_at: str | None = None


def _writer_db(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn)


class ReadOnlyDb:
    """All a reader uses of ``sqlite_utils.Database``: the connection and the table names.
    Readers (the server's lookups) never import sqlite_utils, which costs more than a lookup
    to load."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def table_names(self) -> list[str]:
        """As ``sqlite_utils.Database.table_names``: a store not yet upgraded lacks some."""
        return [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def close(self) -> None:
        self.conn.close()


class Store:
    """One SQLite file. A writer applies the schema; readers open it read-only."""

    def __init__(self, db: sqlite_utils.Database | ReadOnlyDb, path: Path, *,
                 readonly: bool) -> None:
        self.db = db
        self.path = path
        self.readonly = readonly

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, check: bool = False) -> Store:
        """``check``: ``check_health`` first (sync and status), before anything is written."""
        path = Path(path)
        try:
            conn = sqlite_file.connect_readonly(path) if readonly \
                else sqlite_file.connect_writer(path)
            conn.execute("PRAGMA busy_timeout = 15000")
            conn.create_function("stream_json", -1, stream_codec.sql_function,
                                 deterministic=True)
            store = cls(ReadOnlyDb(conn) if readonly else _writer_db(conn), path,
                        readonly=readonly)
            if check:
                store.check_health()
            if not readonly:
                store._prepare()
            else:
                store._check_version()
            return store
        except sqlite3.DatabaseError as exc:
            raise sqlite_file.store_error(path, exc, "cannot open store",
                                          writing=not readonly) from None

    @property
    def writer(self) -> sqlite_utils.Database:
        """The sqlite_utils view a writer's upserts go through."""
        if isinstance(self.db, ReadOnlyDb):
            raise StoreError(f"{self.path} is open read-only")
        return self.db

    def check_health(self, *, thorough: bool = False) -> None:
        """Raise ``StoreCorruptError`` if the file is damaged (see ``sqlite_file.check``).

        A store from an older release lacks the tables of later migrations until it is
        opened for writing: that is not damage."""
        try:
            version = self.db.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:
            version = schema_version()  # unreadable: the check says why
        sqlite_file.check(self.db.conn, self.path, sorted(tables_at(version, _KNOWN_TABLES)),
                          thorough=thorough)

    def _prepare(self) -> None:
        conn = self.db.conn
        with self.writer.ensure_autocommit_on():
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"cannot switch {self.path} to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def _migrate(self) -> None:
        with self.writer.atomic():
            upgrade(self.db.conn, self.path)

    def behind(self) -> bool:
        """Written by an older release: it lacks this release's migrations until a writer
        opens it (``upgrade``)."""
        return bool(self.db.conn.execute("PRAGMA user_version").fetchone()[0] < schema_version())

    def _check_version(self) -> None:
        version = self.db.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            raise StoreError(f"{self.path} is not an intervals-mirror store (no schema)")
        if version > schema_version():
            raise StoreError(
                f"store {self.path} has schema version {version}; upgrade intervals-mirror"
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a killed run leaves the store as it was before the block."""
        try:
            with self.writer.atomic():
                yield
        except sqlite3.OperationalError as exc:
            error = sqlite_file.store_error(self.path, exc, "cannot write store", writing=True)
            if isinstance(error, DiskFullError | StoreCorruptError):
                raise error from None
            raise

    # -- reads used by sync ------------------------------------------------------------------

    def fingerprints(self, table: str, athlete_id: str, day_from: str, day_to: str
                     ) -> dict[str, str]:
        """id -> fingerprint for the rows of one date window (wellness: its id is the date)."""
        sql = (f"SELECT id, fingerprint FROM {_table(table)} WHERE athlete_id = ? "
               f"AND {_day_column(table)} BETWEEN ? AND ?")
        return dict(self.db.conn.execute(sql, (athlete_id, day_from, day_to)).fetchall())

    def activities_needing_intervals(self, athlete_id: str, day_from: str, day_to: str
                                     ) -> set[str]:
        """Real activities of a date window whose stored intervals are missing or older than
        the activity (e.g. a run stopped between writing them and fetching intervals)."""
        return {r[0] for r in self.db.conn.execute(
            "SELECT id FROM activities WHERE athlete_id = ? AND date BETWEEN ? AND ? "
            "AND is_stub = 0 "
            "AND (intervals_fingerprint IS NULL OR intervals_fingerprint != fingerprint)",
            (athlete_id, day_from, day_to))}

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the table holds anywhere (an object moved from another window)."""
        found: set[str] = set()
        wanted = list(ids)
        for chunk in chunks(wanted, 500):
            found.update(r[0] for r in self.db.conn.execute(
                f"SELECT id FROM {_table(table)} WHERE id IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    def first_day(self, table: str, athlete_id: str) -> str | None:
        """The oldest day stored for this athlete, or None."""
        day = _day_column(table)
        return self.db.conn.execute(  # type: ignore[no-any-return]
            f"SELECT min({day}) FROM {_table(table)} WHERE athlete_id = ?",
            (athlete_id,)).fetchone()[0]

    def other_athletes(self, athlete_id: str) -> list[str]:
        """Athletes other than this one that the store mirrors (it holds one at a time)."""
        return [r[0] for r in self.db.conn.execute(
            "SELECT DISTINCT athlete_id FROM activities WHERE athlete_id != ? UNION "
            "SELECT DISTINCT athlete_id FROM wellness WHERE athlete_id != ? UNION "
            "SELECT id FROM athlete WHERE id != ?", (athlete_id,) * 3)]

    def ids_outside(self, table: str, athlete_id: str, first: str | None, last: str
                    ) -> list[str]:
        """Rows dated after ``last`` or before ``first``: outside what sync mirrors."""
        day = _day_column(table)
        return [r[0] for r in self.db.conn.execute(
            f"SELECT id FROM {_table(table)} WHERE athlete_id = ? AND "
            f"({day} > ? OR {day} < coalesce(?, ''))", (athlete_id, last, first))]

    def row_count(self, table: str) -> int:
        return int(self.db.conn.execute(f"SELECT count(*) FROM {_table(table)}").fetchone()[0])

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.writer[_table(table)].upsert_all(rows, pk="id")  # type: ignore[union-attr]

    def delete_ids(self, table: str, ids: Iterable[str], *, how: str | None = None) -> int:
        """Delete rows and their children. ``how`` ('tool': a write tool deleted them; 'sync':
        gone upstream) first keeps each row's last ``raw`` in ``deleted``; None (rows beyond
        the mirrored range, which still exist upstream) keeps nothing."""
        ids = list(ids)
        if how is not None:
            self.keep_deleted(table, ids, how)
        for child in _children(table):
            self._delete_children(child, ids)
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self.db.conn.execute(f"DELETE FROM {_table(table)} WHERE id IN ({marks})", chunk)
        return len(ids)

    def keep_deleted(self, table: str, ids: Sequence[str], how: str) -> None:
        """Copy rows into ``deleted`` (resource, id, athlete, last raw, when, how)."""
        now = utc_now()
        for chunk in chunks(ids, 500):
            self.db.conn.execute(
                "INSERT INTO deleted (resource, id, athlete_id, raw, deleted_at, how) "
                f"SELECT ?, id, athlete_id, raw, ?, ? FROM {_table(table)} "
                f"WHERE id IN ({','.join('?' * len(chunk))})", [table, now, how, *chunk])

    def _delete_children(self, child: Child, parent_ids: Sequence[str]) -> None:
        for chunk in chunks(parent_ids, 500):
            self.db.conn.execute(
                f"DELETE FROM {_table(child.table)} WHERE {child.parent_key} "
                f"IN ({','.join('?' * len(chunk))})", chunk)

    def save_activities(self, rows: Sequence[dict[str, Any]]) -> None:
        """Upsert list rows, keeping what is known of their intervals."""
        self.upsert("activities", rows)

    def save_intervals(self, activity_id: str, athlete_id: str, dto: dict[str, Any]) -> None:
        """Replace one activity's intervals and groups, and mark them current."""
        conn = self.db.conn
        conn.execute("DELETE FROM intervals WHERE activity_id = ?", (activity_id,))
        conn.execute("DELETE FROM interval_groups WHERE activity_id = ?", (activity_id,))
        self.writer["intervals"].insert_all(  # type: ignore[union-attr]
            records.interval_rows(activity_id, athlete_id, dto.get("icu_intervals") or []))
        self.writer["interval_groups"].insert_all(  # type: ignore[union-attr]
            records.interval_group_rows(activity_id, athlete_id, dto.get("icu_groups") or []))
        conn.execute(
            "UPDATE activities SET intervals_fingerprint = fingerprint WHERE id = ?",
            (activity_id,))

    def save_wellness(self, records_: Sequence[dict[str, Any]], athlete_id: str,
                      synced_at: str) -> None:
        rows = [records.wellness_row(r, athlete_id, synced_at) for r in records_]
        self.save_rows(WELLNESS.table, rows, records_, athlete_id)

    def save_rows(self, table: str, rows: Sequence[dict[str, Any]],
                  objects: Sequence[dict[str, Any]], athlete_id: str) -> None:
        """Upsert rows, and replace the child rows made from the same API objects."""
        self.upsert(table, rows)
        ids = [row["id"] for row in rows]
        for child in _children(table):
            if child.rows is None:
                continue
            self._delete_children(child, ids)
            made = [row for obj in objects for row in child.rows(obj, athlete_id)]
            if made:
                self.writer[child.table].insert_all(made)  # type: ignore[union-attr]

    def replace_all(self, table: str, athlete_id: str, rows: Sequence[dict[str, Any]]
                    ) -> tuple[int, int, int]:
        """Make ``table`` hold exactly ``rows`` for this athlete: (added, updated, deleted)."""
        conn = self.db.conn
        stored = dict(conn.execute(
            f"SELECT id, fingerprint FROM {_table(table)} WHERE athlete_id = ?", (athlete_id,)))
        changed = [r for r in rows if stored.get(r["id"]) != r["fingerprint"]]
        added = sum(1 for r in changed if r["id"] not in stored)
        gone = set(stored) - {r["id"] for r in rows}
        self.upsert(table, changed)
        self.delete_ids(table, gone, how="sync")
        return added, len(changed) - added, len(gone)

    # -- sync state and runs -----------------------------------------------------------------

    def coverage(self, athlete_id: str, resource: str) -> Coverage:
        row = self.db.conn.execute(
            "SELECT covered_from, covered_to, history_start, last_ok_at, last_full_at "
            "FROM sync_state WHERE athlete_id = ? AND resource = ?",
            (athlete_id, resource)).fetchone()
        return Coverage(resource, *row) if row else Coverage(resource)

    def set_coverage(self, athlete_id: str, coverage: Coverage) -> None:
        self.writer["sync_state"].upsert({  # type: ignore[union-attr]
            "athlete_id": athlete_id,
            "resource": coverage.resource,
            "covered_from": coverage.covered_from,
            "covered_to": coverage.covered_to,
            "history_start": coverage.history_start,
            "last_ok_at": coverage.last_ok_at,
            "last_full_at": coverage.last_full_at,
        }, pk=("athlete_id", "resource"))

    def start_run(self, athlete_id: str | None, mode: str, resources: Sequence[str]) -> int:
        with self.transaction():
            self.db.conn.execute(
                "UPDATE sync_runs SET status = 'interrupted', "
                "error = coalesce(error, 'the run was stopped before it finished') "
                "WHERE status = 'running'")
            cursor = self.db.conn.execute(
                "INSERT INTO sync_runs (athlete_id, started_at, status, mode, resources) "
                "VALUES (?, ?, 'running', ?, ?)",
                (athlete_id, utc_now(), mode, ",".join(resources)))
        return int(cursor.lastrowid or 0)

    def record_progress(self, run_id: int, *, counts: dict[str, int], requests: int,
                        mode: str) -> None:
        """A run's counts so far, written with each window: a killed run still shows them."""
        columns = {k: v for k, v in counts.items() if k in _RUN_COUNT_COLUMNS}
        self.writer["sync_runs"].update(run_id, {  # type: ignore[union-attr]
            **columns, "requests": requests, "mode": mode})

    def finish_run(self, run_id: int, *, status: str, counts: dict[str, int],
                   requests: int, duration_s: float, error: str | None,
                   athlete_id: str | None, mode: str) -> None:
        with self.transaction():
            self.record_progress(run_id, counts=counts, requests=requests, mode=mode)
            self.writer["sync_runs"].update(run_id, {  # type: ignore[union-attr]
                "status": status, "finished_at": utc_now(),
                "duration_s": round(duration_s, 3), "error": error, "athlete_id": athlete_id,
            })


_RUN_COUNT_COLUMNS = frozenset(
    f"{resource}_{what}" for resource in RESOURCES for what in ("added", "updated", "deleted")
) | {"intervals_fetched", "streams_fetched", "curves_fetched"}

_KNOWN_TABLES = frozenset(MIRRORED_TABLES) | {"sync_runs", "sync_state", "deleted"}


def _children(table: str) -> tuple[Child, ...]:
    resource = BY_TABLE.get(table)
    return resource.children if resource else ()


def _day_column(table: str) -> str:
    if table not in BY_TABLE:
        raise StoreError(f"{table!r} is not listed by day")
    return BY_TABLE[table].day_column


def _table(name: str) -> str:
    """Table names are interpolated into SQL, so only known ones pass."""
    if name not in _KNOWN_TABLES:
        raise StoreError(f"unknown table {name!r}")
    return name


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Id lists in pieces small enough for one ``IN (...)`` (SQLite caps bound values)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
