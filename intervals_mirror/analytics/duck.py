"""DuckDB, and the only module that imports it: an in-memory copy of the store for the
aggregates, kept while the store is unchanged, and the writer of exported files (typed).

DuckDB's sqlite extension is downloaded on first use, and users and CI are offline, so it is
never used. Instead the few columns the aggregates need are read with ``sqlite3`` and handed
to an in-memory DuckDB as one JSON array per column (``from_json`` + ``unnest``; the json
extension is built into the wheel). That needs nothing beyond ``pip install``, copies 10 years
in tens of milliseconds, and the copy is kept in process until the store changes
(``PRAGMA data_version`` on our open connection, or the file replaced), so repeated questions
cost a few milliseconds. After a change each table's rows are read and compared with its
copy: an unchanged table is left as it is (a sync that found nothing new, or a written event,
costs a read of the activities, not a reload), and when only a few rows changed (a sync's
new day) only those are replaced. The query connection can reach no file
(``enable_external_access=false``, configuration locked).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from ..errors import QueryError, StoreError
from ..sports import DEFAULT_FAMILIES
from ..sqlfiles import sql_text
from ..store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Columns = Sequence[tuple[str, str]]  # (name, DuckDB type)

_LOAD_CHUNK = 20_000
RUN_FAMILY = next(f for f in DEFAULT_FAMILIES if f[0] == "Run")

# Numeric wellness columns: all copied as DOUBLE, so the trends query can UNPIVOT them.
WELLNESS_NUMERIC = (
    "ctl", "atl", "form", "ramp_rate", "ctl_load", "atl_load", "weight", "resting_hr", "hrv",
    "hrv_sdnn", "sleep_secs", "sleep_score", "sleep_quality", "avg_sleeping_hr", "soreness",
    "fatigue", "stress", "mood", "motivation", "injury", "spo2", "respiration", "readiness",
    "steps", "body_fat", "vo2max", "kcal_consumed",
)


# (column, the activity JSON's key, DuckDB type): read with one json_extract per activity
# (SQLite parses the JSON once for every key), then split. Zone times stay JSON text: power's
# are [{"id": "Z1", "secs": 310}, ...] with an "SS" (sweet spot) entry, the others [310, ...].
_EXTRAS: tuple[tuple[str, str, str], ...] = (
    ("compliance", "compliance", "DOUBLE"),
    ("power_zone_times", "icu_zone_times", "VARCHAR"),
    ("hr_zone_times", "icu_hr_zone_times", "VARCHAR"),
    ("pace_zone_times", "pace_zone_times", "VARCHAR"),
    ("gap_zone_times", "gap_zone_times", "VARCHAR"),
    ("pm_ftp", "icu_pm_ftp", "DOUBLE"),
    ("rolling_ftp", "icu_rolling_ftp", "DOUBLE"),
    ("pm_cp", "icu_pm_cp", "DOUBLE"),
    ("rolling_cp", "icu_rolling_cp", "DOUBLE"),
    ("pm_w_prime", "icu_pm_w_prime", "DOUBLE"),
    ("rolling_w_prime", "icu_rolling_w_prime", "DOUBLE"),
    ("pm_p_max", "icu_pm_p_max", "DOUBLE"),
    ("rolling_p_max", "icu_rolling_p_max", "DOUBLE"),
    ("weight", "icu_weight", "DOUBLE"),
)


@dataclass(frozen=True)
class _Copy:
    """One store table as the aggregates see it: the SQLite query, the DuckDB columns, and how
    many leading columns identify a row (so a changed row can be replaced alone)."""

    select: str
    columns: tuple[tuple[str, str], ...]
    key: int = 1


_COPIES: dict[str, _Copy] = {
    "activities": _Copy(
        "SELECT id, date, type, is_stub, moving_time, distance, elevation_gain, training_load, "
        "intensity, start_date_local FROM activities",
        (("id", "VARCHAR"), ("date", "DATE"), ("type", "VARCHAR"), ("is_stub", "INTEGER"),
         ("moving_time", "DOUBLE"), ("distance", "DOUBLE"), ("elevation_gain", "DOUBLE"),
         ("training_load", "DOUBLE"), ("intensity", "DOUBLE"), ("start_date_local", "VARCHAR"))),
    # GAP (grade-adjusted speed, m/s) only of runs: the one sport that has it.
    "intervals": _Copy(
        "SELECT i.id, i.activity_id, i.type, i.elapsed_time, i.average_watts, "
        "i.average_heartrate, i.moving_time, i.distance, i.average_speed, "
        f"CASE WHEN a.type IN ({', '.join(map(repr, RUN_FAMILY))}) "
        "THEN json_extract(i.raw, '$.gap') END "
        "FROM intervals AS i LEFT JOIN activities AS a ON a.id = i.activity_id",
        (("id", "VARCHAR"), ("activity_id", "VARCHAR"), ("type", "VARCHAR"),
         ("elapsed_time", "DOUBLE"), ("average_watts", "DOUBLE"),
         ("average_heartrate", "DOUBLE"), ("moving_time", "DOUBLE"), ("distance", "DOUBLE"),
         ("average_speed", "DOUBLE"), ("gap", "DOUBLE"))),
    # The fitness trend's few columns apart, so it never waits for every wellness column.
    "fitness": _Copy(
        "SELECT id, ctl, atl, form, ramp_rate FROM wellness",
        (("id", "DATE"), ("ctl", "DOUBLE"), ("atl", "DOUBLE"), ("form", "DOUBLE"),
         ("ramp_rate", "DOUBLE"))),
    "wellness": _Copy(
        f"SELECT id, {', '.join(WELLNESS_NUMERIC)} FROM wellness",
        (("id", "DATE"), *((name, "DOUBLE") for name in WELLNESS_NUMERIC))),
    "wellness_custom": _Copy(
        "SELECT date, field, value FROM wellness_custom "
        "WHERE typeof(value) IN ('integer', 'real')",
        (("date", "DATE"), ("field", "VARCHAR"), ("value", "DOUBLE")), key=2),
    # What the zone, plan and fitness-marker aggregates read from a real activity's JSON.
    "activity_extras": _Copy(
        "WITH picked AS MATERIALIZED (SELECT id, start_date_local, name, "
        f"json_extract(raw, {', '.join(repr(f'$.{key}') for _, key, _ in _EXTRAS)}) AS x "
        "FROM activities WHERE is_stub = 0) "
        "SELECT id, start_date_local, name, "
        + ", ".join(f"json_extract(x, '$[{i}]')" for i in range(len(_EXTRAS))) + " FROM picked",
        (("id", "VARCHAR"), ("start_date_local", "VARCHAR"), ("name", "VARCHAR"),
         *((name, kind) for name, _, kind in _EXTRAS))),
    # Planned workouts and weekly targets.
    "plans": _Copy(
        "SELECT id, date, category, type, name, moving_time, distance, training_load, "
        "json_extract(raw, '$.load_target'), json_extract(raw, '$.time_target'), "
        "json_extract(raw, '$.distance_target') "
        "FROM events WHERE category IN ('WORKOUT', 'TARGET')",
        (("id", "VARCHAR"), ("date", "DATE"), ("category", "VARCHAR"), ("type", "VARCHAR"),
         ("name", "VARCHAR"), ("moving_time", "DOUBLE"), ("distance", "DOUBLE"),
         ("training_load", "DOUBLE"), ("load_target", "DOUBLE"), ("time_target", "DOUBLE"),
         ("distance_target", "DOUBLE"))),
    # Which activities were done for which plan and how much of each plan that is: the views
    # get_events reads too, so both tools pair and judge plans alike.
    "workout_activities": _Copy(
        "SELECT event_id, activity_id FROM workout_activities",
        (("event_id", "VARCHAR"), ("activity_id", "VARCHAR")), key=2),
    "workout_progress": _Copy(
        "SELECT event_id, activities, done_time_s, done_load, done_distance_m, done_share "
        "FROM workout_progress",
        (("event_id", "VARCHAR"), ("activities", "INTEGER"), ("done_time_s", "DOUBLE"),
         ("done_load", "DOUBLE"), ("done_distance_m", "DOUBLE"), ("done_share", "DOUBLE"))),
    # Wellness's per-sport estimates (sportInfo), one row per day and sport.
    "sport_info": _Copy(
        "SELECT w.id, json_extract(i.value, '$.type'), json_extract(i.value, '$.eftp'), "
        "json_extract(i.value, '$.wPrime'), json_extract(i.value, '$.pMax') "
        "FROM wellness AS w, json_each(w.raw, '$.sportInfo') AS i WHERE i.type = 'object'",
        (("date", "DATE"), ("type", "VARCHAR"), ("eftp", "DOUBLE"), ("w_prime", "DOUBLE"),
         ("p_max", "DOUBLE")), key=2),
}


def connect(*, external_access: bool) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads extensions (and, for queries, reaches no file)."""
    config: dict[str, Any] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "threads": 1,  # the copies are small: one thread is faster than scheduling more
    }
    if not external_access:
        config.update(enable_external_access=False, lock_configuration=True)
    return duckdb.connect(":memory:", config=config)


def copy_rows(duck: duckdb.DuckDBPyConnection, table: str, columns: Columns,
              rows: sqlite3.Cursor | Sequence[tuple[Any, ...]]) -> int:
    """Create ``table`` in DuckDB and fill it from ``rows`` (a cursor is read in chunks), one
    JSON array per column."""
    names = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    duck.execute(f'CREATE OR REPLACE TABLE "{table}" ({names})')
    return insert_rows(duck, table, columns, rows)


def insert_rows(duck: duckdb.DuckDBPyConnection, table: str, columns: Columns,
                rows: sqlite3.Cursor | Sequence[tuple[Any, ...]]) -> int:
    """Append ``rows`` to ``table``, one JSON array per column."""
    insert = f'INSERT INTO "{table}" SELECT ' + ", ".join(
        f"unnest(from_json(${i}, '[\"{kind}\"]'))" for i, (_, kind) in enumerate(columns, 1))
    chunks: Iterable[Sequence[tuple[Any, ...]]] = (
        iter(lambda: rows.fetchmany(_LOAD_CHUNK), []) if isinstance(rows, sqlite3.Cursor)
        else (rows[i:i + _LOAD_CHUNK] for i in range(0, len(rows), _LOAD_CHUNK)))
    count = 0
    for chunk in chunks:
        payload = [json.dumps(column) for column in zip(*chunk, strict=True)]
        duck.execute(insert, payload)
        count += len(chunk)
    return count


def delete_keys(duck: duckdb.DuckDBPyConnection, table: str, key: Columns,
                keys: Sequence[tuple[Any, ...]]) -> None:
    """Delete the rows of ``table`` whose ``key`` columns hold one of ``keys``."""
    if not keys:
        return
    given = ", ".join(f"unnest(from_json(${i}, '[\"{kind}\"]')) AS k{i}"
                      for i, (_, kind) in enumerate(key, 1))
    match = " AND ".join(f't."{name}" = g.k{i}' for i, (name, _) in enumerate(key, 1))
    duck.execute(f'DELETE FROM "{table}" AS t USING (SELECT {given}) AS g WHERE {match}',
                 [json.dumps(column) for column in zip(*keys, strict=True)])


class DuckCopy:
    """The tables the aggregates need, copied from one store into an in-memory DuckDB and
    copied again after the store changed. Safe to share between threads (one lock)."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._inode: int | None = None
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._version: int | None = None
        self._fresh: set[str] = set()       # tables checked against the store at _version
        self._digests: dict[str, int] = {}  # table -> hash of the rows in its copy
        self._rows: dict[str, dict[tuple[Any, ...], int]] = {}  # table -> key -> row's hash
        self.load_ms: dict[str, float] = {}  # table -> milliseconds of its last refresh
        self.loads: dict[str, int] = {}  # table -> times copied whole
        self.patches: dict[str, int] = {}  # table -> times only its changed rows were replaced

    def close(self) -> None:
        with self._lock:
            if self._duck is not None:
                self._duck.close()
                self._duck = None
            if self._store is not None:
                self._store.close()
                self._store = None
            self._fresh.clear()
            self._digests.clear()
            self._rows.clear()

    def warm(self, *, again: bool = False) -> dict[str, float]:
        """Copy every table now (e.g. when a server starts), so no question waits for it;
        ``again`` copies even if the store did not change. Milliseconds per table."""
        with self._lock:
            if again:
                self._version = None
                self._digests.clear()
                self._rows.clear()
            self._tables(list(_COPIES))
            return dict(self.load_ms)

    def query(self, sql: str, tables: Sequence[str], params: dict[str, Any] | None = None,
              *, what: str) -> list[dict[str, Any]]:
        """Rows of ``sql`` over current copies of ``tables``; an error names ``what`` failed."""
        with self._lock:
            duck = self._tables(tables)
            try:
                cursor = duck.execute(sql, params)
                columns = [d[0] for d in cursor.description or ()]
                return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            except duckdb.Error as exc:
                raise QueryError(f"{what} failed: {exc}") from None

    def on_store(self, read: Callable[[Store], T]) -> T:
        """``read`` on our read-only connection to the store itself (not the copy)."""
        with self._lock:
            return read(self._open())

    def _open(self) -> Store:
        """Our read-only store, reopened when the file was replaced (demo rebuild)."""
        try:
            inode = self.db_path.stat().st_ino
        except OSError:
            inode = None
        if self._store is not None and inode != self._inode:
            self.close()
        if self._store is None:
            self._store = Store.open(self.db_path, readonly=True)
            self._inode = inode
        return self._store

    def _tables(self, tables: Iterable[str]) -> duckdb.DuckDBPyConnection:
        """DuckDB holding current copies of ``tables`` (checked again after the store changed)."""
        conn = self._open().db.conn
        if self._duck is None:
            self._duck = connect(external_access=False)
            self._duck.execute(sql_text("analytics/macros.sql"))
            self._digests.clear()
            self._rows.clear()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._fresh.clear()
            self._version = version
        stale = [t for t in tables if t not in self._fresh]
        if stale:
            conn.execute("BEGIN")  # one snapshot for every table read now
            try:
                for table in stale:
                    started = time.perf_counter()
                    self._refresh(conn, table)
                    self.load_ms[table] = (time.perf_counter() - started) * 1000
                    self._fresh.add(table)
            except duckdb.Error as exc:
                raise StoreError(f"cannot copy the store into DuckDB: {exc}") from None
            finally:
                conn.execute("COMMIT")
        return self._duck

    def _refresh(self, conn: sqlite3.Connection, table: str) -> None:
        """Bring the copy of ``table`` up to the store: nothing when its rows are the same,
        only the changed rows when few changed (a sync's new day), else the whole table."""
        copy = _COPIES[table]
        rows = conn.execute(copy.select).fetchall()
        digest = hash(tuple(rows))  # 64 bits: a stale copy by collision is not a real risk
        if self._digests.get(table) == digest:
            return
        assert self._duck is not None
        self._digests.pop(table, None)  # a failed load must not look current
        before = self._rows.pop(table, None)
        after = {row[:copy.key]: hash(row) for row in rows}
        changed = ([row for row in rows if before.get(row[:copy.key]) != after[row[:copy.key]]]
                   if before is not None else rows)
        if before is None or 4 * len(changed) > len(rows):
            copy_rows(self._duck, table, copy.columns, rows)
            self.loads[table] = self.loads.get(table, 0) + 1
        else:
            gone = [key for key, row in before.items() if after.get(key) != row]
            delete_keys(self._duck, table, copy.columns[:copy.key], gone)
            insert_rows(self._duck, table, copy.columns, changed)
            self.patches[table] = self.patches.get(table, 0) + 1
        self._rows[table] = after
        self._digests[table] = digest


@dataclass(frozen=True)
class ExportTable:
    """One exported file: each column's (name, type copied from SQLite, type written)."""

    name: str
    columns: tuple[tuple[str, str, str], ...]
    rows: sqlite3.Cursor
    target: Path


def write_files(tables: Iterable[ExportTable], fmt: str) -> list[tuple[str, int, Path]]:
    """Each table written as one Parquet or CSV file by DuckDB, every column with the type it
    should have: (table, rows, target) per file."""
    duck = connect(external_access=True)
    written = []
    try:
        duck.execute("SET TimeZone = 'UTC'")  # CSV writes UTC times as UTC
        for table in tables:
            count = copy_rows(duck, table.name, [c[:2] for c in table.columns], table.rows)
            relation = duck.sql("SELECT " + ", ".join(
                _typed(duck, table.name, *column) for column in table.columns)
                + f' FROM "{table.name}"')
            if fmt == "parquet":
                relation.write_parquet(str(table.target))
            else:
                relation.write_csv(str(table.target), header=True)
            duck.execute(f'DROP TABLE "{table.name}"')
            written.append((table.name, count, table.target))
    except duckdb.Error as exc:
        raise QueryError(f"export failed: {exc}") from None
    finally:
        duck.close()
    return written


def _typed(duck: duckdb.DuckDBPyConnection, table: str, name: str, copied: str, kind: str
           ) -> str:
    """The column as ``kind``; as copied if a value would not convert (nothing is lost)."""
    column = f'"{name}"'
    if kind == copied:
        return column
    ((lost,),) = duck.execute(f'SELECT count(*) FROM "{table}" WHERE {column} IS NOT NULL '
                              f"AND TRY_CAST({column} AS {kind}) IS NULL").fetchall()
    if lost:
        log.warning("export: %s.%s kept as %s (%d values are not %s)", table, name, copied,
                    lost, kind)
        return column
    return f"CAST({column} AS {kind}) AS {column}"
