"""The analytic read side: date-range aggregates on DuckDB, read-only ad-hoc SQL, the schema
description, and export. The only module that imports duckdb.

Aggregates (``sql/analytics/*.sql``, one query each, bound parameters only)
    DuckDB's sqlite extension is downloaded on first use, and users and CI are offline, so it
    is never used. Instead the few columns the aggregates need are read with ``sqlite3`` and
    handed to an in-memory DuckDB as one JSON array per column (``from_json`` + ``unnest``;
    the json extension is built into the wheel). That needs nothing beyond ``pip install``,
    copies 10 years in tens of milliseconds, and the copy is kept in process until the store
    changes (``PRAGMA data_version`` on our open connection, or the file replaced), so repeated
    questions cost a few milliseconds. The DuckDB connection can reach no file
    (``enable_external_access=false``, configuration locked).

Ad-hoc SQL (``run_sql``)
    Runs on SQLite itself, so users' SQL meets exactly the documented schema (views,
    ``json_extract`` on ``raw``). Read-only by construction of the connection, not by reading
    the text: opened ``mode=ro`` with ``PRAGMA query_only``; an authorizer allows reads only
    (no ATTACH, which ``VACUUM INTO`` needs too; no PRAGMA that sets anything; no
    ``load_extension``); sqlite3 runs one statement per call; a progress handler stops it at
    the time limit; rows are capped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from . import validate
from .errors import QueryError, StoreError
from .queries.common import custom_field_names
from .queries.status import mirrored_span
from .sqlfiles import sql_text
from .store import Store

DateArg = str | dt.date | None  # a date, its ISO text, or None for the default

SUMMARY_GROUPS = ("week", "month", "year", "sport")
FITNESS_GROUPS = ("day", "week")
WELLNESS_GROUPS = ("week", "month")
SQL_FORMATS = ("table", "csv", "json")
EXPORT_FORMATS = ("parquet", "csv")
REPORTS = ("summary", "fitness", "wellness")

DEFAULT_DAYS = 90          # an aggregate without dates covers the last 90 days
AUTO_WEEKLY_AFTER = 92     # get_fitness_trend: daily rows up to this many days, then weekly
DEFAULT_SQL_LIMIT = 200
MAX_SQL_LIMIT = 1_000       # per MCP call; the CLI allows more
DEFAULT_SQL_TIMEOUT_S = 10.0
TEXT_CELL_CHARS = 60       # a text-table cell longer than this is cut (the data keeps more)
DATA_CELL_CHARS = 2_000    # a structured cell longer than this is cut
SQL_OUTPUT_BYTES = 100_000   # query_sql: the text, and the structured rows, stop at about this
SQL_VALUE_BYTES = 1_000_000  # ad-hoc SQL: no string, blob or row may grow beyond this
TEXT_DETAIL_BUCKETS = 60   # more buckets than this: the text leaves out each one's sports
_LOAD_CHUNK = 20_000

# Numeric wellness columns: all copied as DOUBLE, so the trends query can UNPIVOT them.
WELLNESS_NUMERIC = (
    "ctl", "atl", "form", "ramp_rate", "ctl_load", "atl_load", "weight", "resting_hr", "hrv",
    "hrv_sdnn", "sleep_secs", "sleep_score", "sleep_quality", "avg_sleeping_hr", "soreness",
    "fatigue", "stress", "mood", "motivation", "injury", "spo2", "respiration", "readiness",
    "steps", "body_fat", "vo2max", "kcal_consumed",
)
DEFAULT_WELLNESS_FIELDS = ("hrv", "resting_hr", "sleep_secs", "sleep_score", "weight",
                           "soreness", "fatigue", "stress", "mood", "motivation", "readiness")
# How each field is shown in text: (unit, scale applied to the value for display).
FIELD_UNITS: dict[str, tuple[str, float]] = {
    "hrv": ("ms", 1), "hrv_sdnn": ("ms", 1), "resting_hr": ("bpm", 1),
    "avg_sleeping_hr": ("bpm", 1), "sleep_secs": ("h", 1 / 3600),
    "weight": ("kg", 1), "body_fat": ("%", 1), "spo2": ("%", 1), "respiration": ("/min", 1),
    "vo2max": ("ml/kg/min", 1), "kcal_consumed": ("kcal", 1), "steps": ("steps", 1),
}
SUBJECTIVE_NOTE = ("sleep_quality 1 great .. 4 poor; soreness, fatigue, stress, mood, "
                   "motivation, injury 1-4 with 1 the best")


@dataclass(frozen=True)
class Answer:
    """What a tool or command shows: compact text with units, and the same data for programs."""

    text: str
    data: dict[str, Any]


# -- the in-memory DuckDB copy ------------------------------------------------------------


@dataclass(frozen=True)
class _Copy:
    """One store table as the aggregates see it: the SQLite query and the DuckDB columns."""

    select: str
    columns: tuple[tuple[str, str], ...]


_COPIES: dict[str, _Copy] = {
    "activities": _Copy(
        "SELECT id, date, type, is_stub, moving_time, distance, elevation_gain, training_load, "
        "intensity FROM activities",
        (("id", "VARCHAR"), ("date", "DATE"), ("type", "VARCHAR"), ("is_stub", "INTEGER"),
         ("moving_time", "DOUBLE"), ("distance", "DOUBLE"), ("elevation_gain", "DOUBLE"),
         ("training_load", "DOUBLE"), ("intensity", "DOUBLE"))),
    "intervals": _Copy(
        "SELECT activity_id, type, elapsed_time, average_watts, average_heartrate "
        "FROM intervals",
        (("activity_id", "VARCHAR"), ("type", "VARCHAR"), ("elapsed_time", "DOUBLE"),
         ("average_watts", "DOUBLE"), ("average_heartrate", "DOUBLE"))),
    "wellness": _Copy(
        f"SELECT id, {', '.join(WELLNESS_NUMERIC)} FROM wellness",
        (("id", "DATE"), *((name, "DOUBLE") for name in WELLNESS_NUMERIC))),
    "wellness_custom": _Copy(
        "SELECT date, field, value FROM wellness_custom "
        "WHERE typeof(value) IN ('integer', 'real')",
        (("date", "DATE"), ("field", "VARCHAR"), ("value", "DOUBLE"))),
}


def _duck_connect(*, external_access: bool) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads extensions (and, for queries, reaches no file)."""
    config: dict[str, Any] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "threads": 1,  # the copies are small: one thread is faster than scheduling more
    }
    if not external_access:
        config.update(enable_external_access=False, lock_configuration=True)
    return duckdb.connect(":memory:", config=config)


def _copy_rows(duck: duckdb.DuckDBPyConnection, table: str, columns: Sequence[tuple[str, str]],
               cursor: sqlite3.Cursor) -> int:
    """Create ``table`` in DuckDB and fill it from ``cursor``, one JSON array per column."""
    names = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    duck.execute(f'CREATE OR REPLACE TABLE "{table}" ({names})')
    insert = f'INSERT INTO "{table}" SELECT ' + ", ".join(
        f"unnest(from_json(${i}, '[\"{kind}\"]'))" for i, (_, kind) in enumerate(columns, 1))
    count = 0
    while rows := cursor.fetchmany(_LOAD_CHUNK):
        payload = [json.dumps(column) for column in zip(*rows, strict=True)]
        duck.execute(insert, payload)
        count += len(rows)
    return count


class Analytics:
    """The aggregates over one store, from an in-memory DuckDB copy kept while the store is
    unchanged. Safe to share between threads (one lock; each query takes milliseconds)."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._inode: int | None = None
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._version: int | None = None
        self._loaded: set[str] = set()
        self.load_ms: dict[str, float] = {}  # table -> milliseconds of its last copy

    def close(self) -> None:
        with self._lock:
            if self._duck is not None:
                self._duck.close()
                self._duck = None
            if self._store is not None:
                self._store.close()
                self._store = None
            self._loaded.clear()

    def __enter__(self) -> Analytics:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the copy ---------------------------------------------------------------------------

    def warm(self, *, again: bool = False) -> dict[str, float]:
        """Copy every table now (e.g. when a server starts), so no question waits for it;
        ``again`` copies even if the store did not change. Milliseconds per table."""
        with self._lock:
            if again:
                self._version = None
            self._tables(list(_COPIES))
            return dict(self.load_ms)

    def _conn(self) -> sqlite3.Connection:
        """Our read-only connection, reopened when the store file was replaced (demo rebuild)."""
        try:
            inode = self.db_path.stat().st_ino
        except OSError:
            inode = None
        if self._store is not None and inode != self._inode:
            self.close()
        if self._store is None:
            self._store = Store.open(self.db_path, readonly=True)
            self._inode = inode
        return self._store.db.conn

    def _tables(self, tables: Iterable[str]) -> duckdb.DuckDBPyConnection:
        """DuckDB holding current copies of ``tables`` (copied again after the store changed)."""
        conn = self._conn()
        if self._duck is None:
            self._duck = _duck_connect(external_access=False)
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._loaded.clear()
            self._version = version
        missing = [t for t in tables if t not in self._loaded]
        if missing:
            conn.execute("BEGIN")  # one snapshot for every table copied now
            try:
                for table in missing:
                    started = time.perf_counter()
                    copy = _COPIES[table]
                    _copy_rows(self._duck, table, copy.columns, conn.execute(copy.select))
                    self.load_ms[table] = (time.perf_counter() - started) * 1000
                    self._loaded.add(table)
            except duckdb.Error as exc:
                self._loaded.difference_update(missing)
                raise StoreError(f"cannot copy the store into DuckDB: {exc}") from None
            finally:
                conn.execute("COMMIT")
        return self._duck

    def _query(self, name: str, tables: Sequence[str], params: dict[str, Any]
               ) -> list[dict[str, Any]]:
        with self._lock:
            duck = self._tables(tables)
            try:
                cursor = duck.execute(sql_text(f"analytics/{name}.sql"), params)
                columns = [d[0] for d in cursor.description or ()]
                return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            except duckdb.Error as exc:
                raise QueryError(f"{name} failed: {exc}") from None

    def _today(self) -> dt.date:
        with self._lock:
            row = self._conn().execute("SELECT timezone FROM athlete LIMIT 1").fetchone()
        return validate.today_in(row[0] if row else None)

    def _range(self, start: DateArg, end: DateArg, start_name: str = "start_date",
               end_name: str = "end_date") -> validate.DateRange:
        return validate.date_range(
            _iso(start), _iso(end), today=self._today(), default_days_back=DEFAULT_DAYS,
            start_name=start_name, end_name=end_name)

    def _sport(self, activity_type: str | None) -> str | None:
        """The stored spelling of a sport ("ride" -> "Ride"), or a clear error listing them."""
        if activity_type is None or not str(activity_type).strip():
            return None
        wanted = str(activity_type).strip()
        with self._lock:
            duck = self._tables(["activities"])
            known = [r[0] for r in duck.execute(
                "SELECT DISTINCT type FROM activities WHERE type IS NOT NULL ORDER BY 1"
            ).fetchall()]
        for sport in known:
            if sport.lower() == wanted.lower():
                return str(sport)
        raise QueryError(f"activity_type: no {wanted!r} activities in the store; it holds "
                         f"{', '.join(known) or 'no activities yet'}")

    # -- aggregates -------------------------------------------------------------------------

    def training_summary(self, start_date: DateArg = None, end_date: DateArg = None, *,
                         group_by: str = "week", activity_type: str | None = None) -> Answer:
        """Count, time, distance, climbing, load and intensity per bucket and sport."""
        span = self._range(start_date, end_date)
        group = _choice("group_by", group_by, SUMMARY_GROUPS)
        sport = self._sport(activity_type)
        rows = self._query("training_summary", ["activities"], {
            "start": span.start, "end": span.end, "group_by": group, "activity_type": sport})
        totals = _measures(next((r for r in rows if r["all_buckets"] and r["all_sports"]),
                                None))
        by_sport = [{"sport": r["sport"], **_measures(r)}
                    for r in rows if r["all_buckets"] and not r["all_sports"]]
        cells: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            if not r["all_buckets"] and not r["all_sports"]:
                cells.setdefault(r["bucket"], []).append({"sport": r["sport"], **_measures(r)})
        buckets = []
        for r in rows:
            if r["all_buckets"] or not r["all_sports"]:
                continue
            bucket: dict[str, Any] = {"bucket": r["bucket"], **_measures(r)}
            if group != "sport":
                bucket["sports"] = cells.get(r["bucket"], [])
            buckets.append(bucket)
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "activity_type": sport, "totals": totals,
                "by_sport": by_sport, "buckets": buckets,
                "notes": _notes(self._outside("activities", span))}
        return Answer(_summary_text(data), data)

    def compare_periods(self, a_start: DateArg, a_end: DateArg, b_start: DateArg,
                        b_end: DateArg, *, activity_type: str | None = None) -> Answer:
        """Two periods' training side by side, with the differences A - B."""
        for name, value in (("a_start", a_start), ("a_end", a_end), ("b_start", b_start),
                            ("b_end", b_end)):
            if value in (None, ""):
                raise QueryError(f"{name}: required, a date YYYY-MM-DD")
        a = self._range(a_start, a_end, "a_start", "a_end")
        b = self._range(b_start, b_end, "b_start", "b_end")
        sport = self._sport(activity_type)
        rows = self._query("compare_periods", ["activities"], {
            "a_start": a.start, "a_end": a.end, "b_start": b.start, "b_end": b.end,
            "activity_type": sport})
        cells = {(r["period"], "all" if r["all_sports"] else r["sport"]): _measures(r)
                 for r in rows}
        sports = ["all", *sorted({s for _, s in cells if s != "all"})]
        empty = _measures(None)
        compared = []
        for name in sports:
            one, other = cells.get(("a", name), empty), cells.get(("b", name), empty)
            compared.append({"sport": name, "a": one, "b": other, **_differences(one, other)})
        data = {
            "a": {"start_date": a.start.isoformat(), "end_date": a.end.isoformat(),
                  "days": a.days},
            "b": {"start_date": b.start.isoformat(), "end_date": b.end.isoformat(),
                  "days": b.days},
            "activity_type": sport, "rows": compared,
            "notes": _notes(*(self._outside("activities", p) for p in (a, b))),
        }
        return Answer(_compare_text(data), data)

    def fitness_trend(self, start_date: DateArg = None, end_date: DateArg = None, *,
                      group_by: str | None = None) -> Answer:
        """CTL, ATL, form and ramp rate per day (or per week for long ranges)."""
        span = self._range(start_date, end_date)
        group = (_choice("group_by", group_by, FITNESS_GROUPS) if group_by
                 else "day" if span.days <= AUTO_WEEKLY_AFTER else "week")
        rows = self._query("fitness_trend", ["wellness"], {
            "start": span.start, "end": span.end, "group_by": group})
        today = self._today().isoformat()
        points = [_fitness_point(r, group, today) for r in rows]
        summary: dict[str, Any] = {"days": sum(r["days"] for r in rows)}
        if rows:
            first, last = rows[0], rows[-1]
            summary.update({
                "first_day": first["first_day"], "last_day": last["last_day"],
                "ctl_start": _round(first["first_ctl"], 2), "ctl_end": _round(last["ctl"], 2),
                "ctl_change": _round(_minus(last["ctl"], first["first_ctl"]), 2),
                "atl_end": _round(last["atl"], 2), "form_end": _round(last["form"], 2),
                "max_ctl": _round(max((r["max_ctl"] for r in rows if r["max_ctl"] is not None),
                                      default=None), 2),
                "min_form": _round(min((r["min_form"] for r in rows
                                        if r["min_form"] is not None), default=None), 2),
                "negative_form_days": sum(r["negative_form_days"] for r in rows),
                "projected": last["last_day"] > today,
            })
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "today": today, "summary": summary, "points": points,
                "notes": _notes(self._outside("wellness", span))}
        return Answer(_fitness_text(data), data)

    def wellness_trends(self, start_date: DateArg = None, end_date: DateArg = None, *,
                        fields: str | Sequence[str] | None = None, group_by: str = "week"
                        ) -> Answer:
        """Average, min, max and linear trend of wellness fields, per week or month."""
        span = self._range(start_date, end_date)
        group = _choice("group_by", group_by, WELLNESS_GROUPS)
        custom = self._custom_fields()
        picked = self._wellness_fields(fields, custom)
        rows = self._query("wellness_trends", ["wellness", "wellness_custom"], {
            "start": span.start, "end": span.end, "group_by": group, "fields": list(picked)})
        out = []
        for name in picked:
            whole = next((r for r in rows if r["field"] == name and r["whole_range"]), None)
            out.append({
                "field": name, "name": custom.get(name) or _label(name),
                "custom": name in custom, **_stats(whole),
                "slope_per_week": _round(whole["slope_per_week"], 4) if whole else None,
                "buckets": [{"bucket": r["bucket"], **_stats(r)} for r in rows
                            if r["field"] == name and not r["whole_range"]],
            })
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "fields": out, "notes": _notes(self._outside("wellness",
                                                                                span))}
        return Answer(_wellness_text(data), data)

    def interval_stats(self, start_date: DateArg = None, end_date: DateArg = None, *,
                       activity_type: str | None = None) -> Answer:
        """Work intervals by duration band: count, time, best and average power and HR."""
        span = self._range(start_date, end_date)
        sport = self._sport(activity_type)
        rows = self._query("interval_stats", ["activities", "intervals"], {
            "start": span.start, "end": span.end, "activity_type": sport})
        total = next((r for r in rows if r["all_bands"]), None)
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "activity_type": sport, "totals": _band(total),
                "bands": [{"band": r["band"], **_band(r)} for r in rows if not r["all_bands"]],
                "notes": _notes(self._outside("activities", span))}
        return Answer(_intervals_text(data), data)

    def report(self, kind: str, start_date: DateArg = None, end_date: DateArg = None, *,
               by: str | None = None, activity_type: str | None = None,
               fields: str | None = None) -> Answer:
        """The CLI's ``report`` command: one of the aggregates by name (dates as --from/--to)."""
        kind = _choice("report", kind, REPORTS)
        span = self._range(start_date, end_date, "--from", "--to")
        try:
            if kind == "summary":
                return self.training_summary(span.start, span.end, group_by=by or "week",
                                             activity_type=activity_type)
            if kind == "fitness":
                return self.fitness_trend(span.start, span.end, group_by=by)
            return self.wellness_trends(span.start, span.end, fields=fields,
                                        group_by=by or "week")
        except QueryError as exc:   # name the command's flags, not the tools' parameters
            message = str(exc)
            for param, flag in (("group_by", "--by"), ("activity_type", "--type"),
                                ("fields", "--fields")):
                if message.startswith(f"{param}:"):
                    raise QueryError(flag + message[len(param):]) from None
            raise

    # -- wellness fields --------------------------------------------------------------------

    def _custom_fields(self) -> dict[str, str]:
        """Numeric custom wellness fields in the store: code -> display name."""
        with self._lock:
            duck = self._tables(["wellness_custom"])
            codes = [r[0] for r in duck.execute(
                "SELECT DISTINCT field FROM wellness_custom ORDER BY 1").fetchall()]
            self._conn()
            assert self._store is not None
            names = custom_field_names(self._store, "INPUT_FIELD")
        return {code: names.get(code, code) for code in codes if code not in WELLNESS_NUMERIC}

    def _wellness_fields(self, fields: str | Sequence[str] | None, custom: dict[str, str]
                         ) -> tuple[str, ...]:
        """Field codes from columns, custom field codes or their names ("Caffeine (mg)")."""
        known = [*WELLNESS_NUMERIC, *(f"{name} ({code})" if name != code else code
                                      for code, name in custom.items())]
        if fields is None or (isinstance(fields, str) and not fields.strip()):
            return (*DEFAULT_WELLNESS_FIELDS, *custom)
        # A name may hold commas, so a string is split only where no whole name matches.
        by_lower = {name.lower(): code for code, name in custom.items()}
        by_lower.update({k.lower(): k for k in (*WELLNESS_NUMERIC, *custom)})
        by_lower.update({"sleep": "sleep_secs", "sleep_hours": "sleep_secs", "tsb": "form",
                         "fitness": "ctl", "fatigue_atl": "atl", "rhr": "resting_hr"})
        items = ([fields] if fields.strip().lower() in by_lower else fields.split(",")
                 ) if isinstance(fields, str) else list(fields)
        picked: list[str] = []
        for item in items:
            key = str(item).strip()
            if not key:
                continue
            if key.lower() not in by_lower:
                raise QueryError(
                    f"fields: unknown wellness field {key!r}; expected some of "
                    f"{', '.join(known)}")
            picked.append(by_lower[key.lower()])
        if not picked:
            raise QueryError(f"fields: expected one or more of {', '.join(known)}")
        return tuple(dict.fromkeys(picked))

    # -- what the mirror covers -------------------------------------------------------------

    def _outside(self, resource: str, span: validate.DateRange) -> str | None:
        """A note when ``span`` lies (partly) outside the days sync has mirrored."""
        with self._lock:
            self._conn()
            assert self._store is not None
            first, last = mirrored_span(self._store, resource)
        days = f"{span.start.isoformat()}..{span.end.isoformat()}"
        if not first or not last:
            return f"{days}: no {resource} are mirrored yet; nothing is mirrored there"
        mirrored = f"the mirrored range ({first}..{last})"
        if span.end.isoformat() < first:
            return f"{days} is before {mirrored}; nothing is mirrored there"
        if span.start.isoformat() > last:
            return f"{days} is after {mirrored}; nothing is mirrored there"
        if span.start.isoformat() < first:
            return f"{days} starts before {mirrored}; only {first}..{span.end} is mirrored"
        return None


def _iso(value: DateArg) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    key = value.strip().lower() if isinstance(value, str) else ""
    if key not in allowed:
        raise QueryError(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")
    return key


# -- shaping rows -----------------------------------------------------------------------------


def _notes(*notes: str | None) -> list[str]:
    return [n for n in notes if n]


def _label(field_name: str) -> str:
    return "sleep" if field_name == "sleep_secs" else field_name


def _round(value: float | None, digits: int) -> float | None:
    """Rounded half up (142.5 -> 143), from the value's shortest decimal form."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return float(_half_up(value, digits))


def _half_up(value: float, digits: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _measures(row: dict[str, Any] | None) -> dict[str, Any]:
    """The training measures of one result row, rounded for reading; zeros for no activities."""
    row = row or {}
    return {
        "activities": int(row.get("activities") or 0),
        "stubs": int(row.get("stubs") or 0),
        "moving_time_s": int(round(row.get("moving_time_s") or 0)),
        "distance_km": _round((row.get("distance_m") or 0) / 1000, 3),
        "elevation_m": _round(row.get("elevation_m") or 0, 1),
        "training_load": _round(row.get("training_load") or 0, 1),
        "avg_intensity": _round(row.get("avg_intensity"), 2),
    }


def _differences(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    diff: dict[str, Any] = {}
    pct: dict[str, Any] = {}
    for key in ("activities", "moving_time_s", "distance_km", "elevation_m", "training_load",
                "avg_intensity"):
        d = _minus(a[key], b[key])
        diff[key] = None if d is None else (int(d) if isinstance(d, int) else _round(d, 3))
        pct[key] = (_round(100 * d / b[key], 1) if d is not None and b[key] else None)
    return {"diff": diff, "pct": pct}


def _fitness_point(row: dict[str, Any], group: str, today: str) -> dict[str, Any]:
    """One day or week; ``projected``: its (last) day is after today, so the values are
    Intervals.icu's projection from planned workouts, not what happened."""
    point: dict[str, Any] = {
        "date" if group == "day" else "week": row["bucket"],
        "ctl": _round(row["ctl"], 2), "atl": _round(row["atl"], 2),
        "form": _round(row["form"], 2), "ramp_rate": _round(row["ramp_rate"], 2),
        "projected": row["last_day"] > today,
    }
    if group == "week":
        point.update({"last_day": row["last_day"], "days": row["days"],
                      "min_form": _round(row["min_form"], 2), "max_ctl": _round(row["max_ctl"], 2),
                      "negative_form_days": row["negative_form_days"]})
    return point


def _stats(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {"n": int(row.get("n") or 0), "avg": _round(row.get("avg"), 3),
            "min": _round(row.get("min"), 3), "max": _round(row.get("max"), 3)}


def _band(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    best_w = row.get("best_watts_at") or {}
    best_hr = row.get("best_hr_at") or {}
    return {
        "intervals": int(row.get("intervals") or 0),
        "activities": int(row.get("activities") or 0),
        "time_s": int(round(row.get("time_s") or 0)),
        "with_power": int(row.get("with_power") or 0),
        "best_watts": _round(row.get("best_watts"), 0),
        "best_watts_activity_id": best_w.get("activity_id"),
        "best_watts_date": best_w.get("day"),
        "avg_watts": _round(row.get("avg_watts"), 0),
        "with_hr": int(row.get("with_hr") or 0),
        "best_hr": _round(row.get("best_hr"), 0),
        "best_hr_activity_id": best_hr.get("activity_id"),
        "best_hr_date": best_hr.get("day"),
        "avg_hr": _round(row.get("avg_hr"), 0),
    }


# -- text -------------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    if digits and float(value).is_integer():
        digits = 0
    return f"{_half_up(value, digits):,.{digits}f}"


def _count(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '1,204 intervals'."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _signed(value: float | None, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{'+' if value >= 0 else '-'}{_num(abs(value), digits)}{unit}"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h"


def _measure_text(m: dict[str, Any], *, short: bool = False) -> str:
    parts = [f"{m['activities']:,} act." if short
             else _count(m["activities"], "activity", "activities")]
    if m["stubs"]:
        parts[0] += f" ({_count(m['stubs'], 'Strava stub')}, no data)"
    if m["moving_time_s"]:
        parts.append(_hours(m["moving_time_s"]))
    if m["distance_km"]:
        parts.append(f"{_num(m['distance_km'], 1)} km")
    if m["elevation_m"]:
        parts.append(f"{_num(m['elevation_m'])} m up")
    if m["training_load"]:
        parts.append(f"load {_num(m['training_load'])}")
    if m["avg_intensity"] is not None:
        parts.append(f"intensity {_num(m['avg_intensity'])}%")
    return ", ".join(parts)


def _scope(sport: str | None) -> str:
    return sport if sport else "all sports"


def _summary_text(data: dict[str, Any]) -> str:
    head = (f"Training {data['start_date']}..{data['end_date']} ({_scope(data['activity_type'])})"
            f": {_measure_text(data['totals'])}.")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["totals"]["activities"]:
        return "\n".join([head.replace(": 0 activities.", ": no activities."), *notes])
    lines = [head, *notes]
    if data["group_by"] != "sport" and len(data["by_sport"]) > 1:
        lines.append("By sport: " + "; ".join(
            f"{s['sport']} {_measure_text(s, short=True)}" for s in data["by_sport"]))
    label = {"week": "week of ", "month": "", "year": "", "sport": ""}[data["group_by"]]
    detail = len(data["buckets"]) <= TEXT_DETAIL_BUCKETS
    lines.append(f"Per {data['group_by']} (intensity = average of the activities' %"
                 + ("" if detail else "; per-sport detail of each bucket in the structured "
                    "result") + "):")
    for b in data["buckets"]:
        line = f"{label}{b['bucket']}: {_measure_text(b, short=True)}"
        sports = b.get("sports") or []
        if detail and len(sports) > 1:
            line += " | " + "; ".join(
                f"{s['sport']} {s['activities']:,}"
                + (f", {_hours(s['moving_time_s'])}" if s["moving_time_s"] else "")
                + (f", load {_num(s['training_load'])}" if s["training_load"] else "")
                for s in sports)
        lines.append(line)
    return "\n".join(lines)


def _compare_text(data: dict[str, Any]) -> str:
    a, b = data["a"], data["b"]
    lines = [f"A {a['start_date']}..{a['end_date']} ({_count(a['days'], 'day')}) vs "
             f"B {b['start_date']}..{b['end_date']} ({_count(b['days'], 'day')}), "
             f"{_scope(data['activity_type'])}; differences are A - B.",
             *(f"Note: {n}" for n in data["notes"])]
    for row in data["rows"]:
        one, other, diff, pct = row["a"], row["b"], row["diff"], row["pct"]

        def part(key: str, label: str, show: Callable[[float], str], unit: str = "",
                 digits: int = 0, one: dict[str, Any] = one, other: dict[str, Any] = other,
                 diff: dict[str, Any] = diff, pct: dict[str, Any] = pct) -> str:
            change = _signed(diff[key] if key != "moving_time_s" or diff[key] is None
                             else diff[key] / 3600, digits, unit)
            share = f", {_signed(pct[key], 0, '%')}" if pct[key] is not None else ""
            return f"{label} {show(one[key])} vs {show(other[key])} ({change}{share})"

        hours_of: Callable[[float], str] = _hours
        parts = [part("activities", "activities", lambda v: _num(v))]
        for key, label, show, unit, digits in (
            ("moving_time_s", "time", hours_of, " h", 1),
            ("distance_km", "distance", lambda v: f"{_num(v, 1)} km", " km", 1),
            ("elevation_m", "climbing", lambda v: f"{_num(v)} m", " m", 0),
            ("training_load", "load", lambda v: _num(v), "", 0),
        ):
            if one[key] or other[key]:
                parts.append(part(key, label, show, unit, digits))
        if one["avg_intensity"] is not None or other["avg_intensity"] is not None:
            parts.append(part("avg_intensity", "intensity", lambda v: f"{_num(v)}%"
                              if v is not None else "-", "", 1))
        lines.append(f"{'Total' if row['sport'] == 'all' else row['sport']}: "
                     + "; ".join(parts))
    return "\n".join(lines)


def _fitness_text(data: dict[str, Any]) -> str:
    s = data["summary"]
    head = (f"Fitness {data['start_date']}..{data['end_date']} per {data['group_by']} "
            "(CTL fitness, ATL fatigue, form = CTL - ATL, ramp = CTL change per week)")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["points"]:
        return "\n".join([head + ": no wellness data in this range.", *notes])
    if s["projected"]:
        notes.append(f"Note: values after today ({data['today']}) are projected by "
                     "Intervals.icu from planned workouts, not measured")
    lines = [head + ":", *notes,
             f"on {s['last_day']}{' (projected)' if s['projected'] else ''}: "
             f"CTL {_num(s['ctl_end'], 1)}, ATL {_num(s['atl_end'], 1)}, "
             f"form {_num(s['form_end'], 1)}; CTL {_signed(s['ctl_change'], 1)} since "
             f"{s['first_day']} ({_num(s['ctl_start'], 1)}); peak CTL {_num(s['max_ctl'], 1)}; "
             f"lowest form {_num(s['min_form'], 1)}; negative form on "
             f"{s['negative_form_days']:,} of {_count(s['days'], 'day')}"]
    for p in data["points"]:
        when = p.get("date") or f"week of {p['week']}"
        line = (f"{when}{' (projected)' if p['projected'] else ''}: "
                f"CTL {_num(p['ctl'], 1)}, ATL {_num(p['atl'], 1)}, "
                f"form {_num(p['form'], 1)}, ramp {_num(p['ramp_rate'], 1)}")
        if "week" in p:
            line += f" (lowest form {_num(p['min_form'], 1)})"
        lines.append(line)
    return "\n".join(lines)


def _field_value(name: str, value: float | None) -> str:
    unit, scale = FIELD_UNITS.get(name, ("", 1))
    if value is None:
        return "-"
    shown = _num(value * scale, 1 if abs(value * scale) < 1000 else 0)
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}".rstrip()


def _wellness_text(data: dict[str, Any]) -> str:
    lines = [f"Wellness {data['start_date']}..{data['end_date']} per {data['group_by']} "
             "(avg, min-max over days with a value; trend = least-squares slope per week)",
             *(f"Note: {n}" for n in data["notes"])]
    missing = []
    for f in data["fields"]:
        name = f["field"]
        if not f["n"]:
            missing.append(f["name"])
            continue
        unit, scale = FIELD_UNITS.get(name, ("", 1))
        slope = f["slope_per_week"]
        trend = (f"trend {_signed(slope * scale, 2)}{' ' + unit if unit else ''}/week"
                 if slope is not None else "trend -")
        buckets = ", ".join(f"{b['bucket']} {_num(b['avg'] * scale, 1)}" for b in f["buckets"])
        lines.append(f"{f['name']}: avg {_field_value(name, f['avg'])} "
                     f"({_field_value(name, f['min'])} to {_field_value(name, f['max'])}, "
                     f"{_count(f['n'], 'day')}), {trend}; by {data['group_by']}: {buckets}")
    if missing:
        lines.append(f"no data in this range: {', '.join(missing)}")
    lines.append(f"Scales: {SUBJECTIVE_NOTE}.")
    return "\n".join(lines)


def _intervals_text(data: dict[str, Any]) -> str:
    t = data["totals"]
    head = (f"Work intervals {data['start_date']}..{data['end_date']} "
            f"({_scope(data['activity_type'])})")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not t["intervals"]:
        return "\n".join([head + ": none.", *notes])
    lines = [f"{head}: {t['intervals']:,} in {_count(t['activities'], 'activity', 'activities')}"
             f", {_hours(t['time_s'])} of work.", *notes]
    for b in data["bands"]:
        parts = [_count(b["intervals"], "interval"), _hours(b["time_s"])]
        if b["best_watts"] is not None:
            parts.append(f"best {_num(b['best_watts'])} W ({b['best_watts_activity_id']}, "
                         f"{b['best_watts_date']}), avg {_num(b['avg_watts'])} W")
        if b["best_hr"] is not None:
            parts.append(f"highest avg HR {_num(b['best_hr'])} bpm, avg {_num(b['avg_hr'])} bpm")
        lines.append(f"{b['band']}: {', '.join(parts)}")
    return "\n".join(lines)


# -- read-only ad-hoc SQL ---------------------------------------------------------------------

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
class _Guard:
    """The authorizer and time limit of one read-only connection, and what they refused."""

    deadline: float
    refused: list[str] = field(default_factory=list)
    timed_out: bool = False

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

    def progress(self) -> int:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0


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
        shown = _count(len(self.rows), "row")
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
        fmt = _choice("format", fmt, SQL_FORMATS)
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
            lines.append(f"(the first {shown:,} of {_count(len(self.rows), 'row')}: this text "
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
    guard = _Guard(deadline=time.monotonic() + timeout_s)
    rows: list[tuple[Any, ...]] = []
    truncated = size_cut = False
    with Store.open(db_path, readonly=True) as store:
        conn = store.db.conn
        conn.execute("PRAGMA query_only = 1")
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_VALUE_BYTES)
        conn.set_authorizer(guard.authorize)
        conn.set_progress_handler(guard.progress, 2_000)
        try:
            cursor = conn.execute(sql)
            if cursor.description is None:
                raise QueryError("sql: the statement returned no rows; expected a SELECT "
                                 "(query_sql and `sql` are read-only)")
            columns = tuple(d[0] for d in cursor.description)
            size = 0
            for row in cursor:
                if len(rows) == rows_limit:
                    truncated = True
                    break
                size += _row_bytes(row) if max_bytes is not None else 0
                if max_bytes is not None and size > max_bytes and rows:
                    truncated = size_cut = True
                    break
                rows.append(row)
        except sqlite3.Error as exc:
            raise _sql_error(exc, guard, timeout_s) from None
        finally:
            conn.set_authorizer(None)
            conn.set_progress_handler(None, 0)
    return SqlResult(sql=sql, columns=columns, rows=tuple(rows), limit=rows_limit,
                     truncated=truncated, elapsed_ms=(time.perf_counter() - started) * 1000,
                     limit_capped=capped, max_bytes=max_bytes, size_cut=size_cut)


def _sql_error(exc: sqlite3.Error, guard: _Guard, timeout_s: float) -> QueryError:
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


# -- the schema, described --------------------------------------------------------------------

TABLE_NOTES: dict[str, str] = {
    "activities": "one row per activity; Strava imports are stubs (is_stub = 1) with only a "
                  "date, because Intervals.icu does not share them over its API",
    "intervals": "the intervals of each activity (type WORK or RECOVERY), in order",
    "interval_groups": "repeated-interval groups of each activity (the group's JSON in raw)",
    "wellness": "one row per day: fitness (CTL/ATL/form), HRV, resting HR, sleep, weight, "
                "subjective scores",
    "wellness_custom": "the athlete's custom wellness fields, one row per day and field",
    "events": "the calendar: planned workouts, races, notes, holidays",
    "athlete": "the mirrored athlete",
    "custom_fields": "the athlete's custom field definitions (codes used in wellness_custom)",
    "sync_runs": "one row per sync run: when, status, counts, requests, error",
    "sync_state": "what sync has fully listed, per resource",
    "fitness": "view: wellness reduced to the fitness columns, date = the day",
    "real_activities": "view: activities without the Strava stubs",
    "work_intervals": "view: WORK intervals with their activity's date and activity_type",
}
COLUMN_NOTES: dict[str, str] = {
    "id": "the API's own id (primary key)",
    "athlete_id": "the athlete's id, e.g. i104233",
    "raw": "the API's JSON object verbatim; read it with json_extract(raw, '$.key')",
    "fingerprint": "hash of raw, used by sync",
    "intervals_fingerprint": "fingerprint the intervals were fetched for",
    "synced_at": "UTC ISO time of the last write",
    "description": "free text", "activity_type": "the activity's sport",
    "date": "local day YYYY-MM-DD", "timezone": "IANA time zone, e.g. Europe/Berlin",
    "device_name": "recording device", "trainer": "1: indoor trainer",
    "commute": "1: commute", "race": "1: race",
}
SCHEMA_NOTES = (
    "SQLite, queried with SQLite SQL (one SELECT per call, read-only).",
    "Days are TEXT 'YYYY-MM-DD' in the athlete's local time (wellness.id is the day); "
    "compare them as text: date BETWEEN '2026-01-01' AND '2026-03-31'.",
    "Booleans are 0/1. Units: seconds, metres, m/s, bpm, W, kg; intensity is % of threshold.",
    "Fields without a column are in raw: json_extract(raw, '$.icu_zone_times').",
    "Custom wellness fields: SELECT date, value FROM wellness_custom WHERE field = 'CODE'.",
    "Columns of a table: PRAGMA table_info(activities), or "
    "SELECT name FROM pragma_table_info('activities').",
    "JSON arrays in raw: SELECT a.id, z.value FROM activities a, "
    "json_each(a.raw, '$.icu_hr_zone_times') z.",
)
_CREATE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*?)\n\);", re.S)
_COLUMN_RE = re.compile(r"^\s+(\w+)\b[^\n]*?--\s*(.+)$", re.M)


@cache
def describe_schema() -> Answer:
    """Tables, views, columns, types and one-line meanings, from the shipped schema files."""
    comments: dict[tuple[str, str], str] = {}
    schema = sql_text("schema.sql")
    for table, body in _CREATE_RE.findall(schema):
        for column, note in _COLUMN_RE.findall(body):
            comments[(table, column)] = note.strip()
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(schema)
        db.executescript(sql_text("views.sql"))
        objects = db.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY type, rowid").fetchall()
        tables = []
        for name, kind in objects:
            columns = []
            for _, column, decl, _, _, pk in db.execute(f'PRAGMA table_info("{name}")'):
                note = (comments.get((name, column))
                        or next((v for (t, c), v in comments.items()
                                 if c == column and kind == "view" and t in _VIEW_BASES[name]),
                                None)
                        or COLUMN_NOTES.get(column, ""))
                columns.append({"name": column, "type": decl or "ANY", "primary_key": bool(pk),
                                "description": note})
            tables.append({"name": name, "kind": kind,
                           "description": TABLE_NOTES.get(name, ""), "columns": columns})
    finally:
        db.close()
    data = {"notes": list(SCHEMA_NOTES), "tables": tables}
    return Answer(_schema_text(data), data)


_VIEW_BASES = {"fitness": ("wellness",), "real_activities": ("activities",),
               "work_intervals": ("intervals", "activities")}


def _schema_text(data: dict[str, Any]) -> str:
    lines = ["intervals-mirror store schema", *(f"- {n}" for n in data["notes"])]
    for table in data["tables"]:
        lines.append(f"\n{table['kind']} {table['name']}: {table['description']}")
        for c in table["columns"]:
            key = " PK" if c["primary_key"] else ""
            note = f": {c['description']}" if c["description"] else ""
            lines.append(f"  {c['name']} {c['type']}{key}{note}")
    return "\n".join(lines)


# -- export -----------------------------------------------------------------------------------

_EXPORT_TYPES = {"TEXT": "VARCHAR", "INTEGER": "BIGINT", "REAL": "DOUBLE"}


def export_store(db_path: str | Path, out_dir: str | Path, fmt: str = "parquet") -> Answer:
    """Every store table as one Parquet or CSV file in ``out_dir``, written by DuckDB."""
    fmt = _choice("format", fmt, EXPORT_FORMATS)
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QueryError(f"out: cannot create {out}: {exc}") from None
    files: list[dict[str, Any]] = []
    duck = _duck_connect(external_access=True)
    try:
        with Store.open(db_path, readonly=True) as store:
            conn = store.db.conn
            conn.execute("BEGIN")  # one snapshot for every table
            try:
                for table in _store_tables(conn):
                    columns = [(name, _EXPORT_TYPES.get((decl or "").upper(), "VARCHAR"))
                               for _, name, decl, *_ in conn.execute(
                                   f'PRAGMA table_info("{table}")')]
                    select = "SELECT " + ", ".join(
                        f'"{name}"' if kind != "VARCHAR" else f'CAST("{name}" AS TEXT)'
                        for name, kind in columns) + f' FROM "{table}"'
                    count = _copy_rows(duck, table, columns, conn.execute(select))
                    target = out / f"{table}.{fmt}"
                    relation = duck.table(table)
                    if fmt == "parquet":
                        relation.write_parquet(str(target))
                    else:
                        relation.write_csv(str(target), header=True)
                    duck.execute(f'DROP TABLE "{table}"')
                    files.append({"table": table, "rows": count, "file": str(target),
                                  "bytes": target.stat().st_size})
            finally:
                conn.execute("COMMIT")
    except duckdb.Error as exc:
        raise QueryError(f"export failed: {exc}") from None
    finally:
        duck.close()
    text = "\n".join([f"Exported {len(files)} tables as {fmt} to {out}:",
                      *(f"{f['table']}: {_count(f['rows'], 'row')}, {f['bytes']:,} bytes"
                        for f in files)])
    return Answer(text, {"format": fmt, "out": str(out), "files": files})


def _store_tables(conn: sqlite3.Connection) -> Iterator[str]:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        yield name
