"""The read side on SQLite: lookups that answer from the store, never from the API."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import records
from .store import MIRRORED_TABLES, RESOURCES, Store

# Which column holds each resource's local day.
DAY_COLUMN = {"activities": "date", "wellness": "id", "events": "date"}


def sync_status(store: Store) -> dict[str, Any]:
    """Coverage per resource, row counts, the last good sync and the last error."""
    conn = store.db.conn
    resources: dict[str, Any] = {}
    for resource in RESOURCES:
        day = DAY_COLUMN[resource]
        rows, first, last = conn.execute(
            f"SELECT count(*), min({day}), max({day}) FROM {resource}").fetchone()
        state = conn.execute(
            "SELECT covered_from, covered_to, history_start, last_ok_at, last_full_at "
            "FROM sync_state WHERE resource = ? ORDER BY last_ok_at DESC LIMIT 1",
            (resource,)).fetchone()
        resources[resource] = {
            "rows": rows, "first_day": first, "last_day": last,
            "covered_from": state[0] if state else None,
            "covered_to": state[1] if state else None,
            "history_start": state[2] if state else None,
            "last_synced_at": state[3] if state else None,
            "last_full_at": state[4] if state else None,
        }
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("intervals", "wellness_custom", "custom_fields")}
    stubs = conn.execute("SELECT count(*) FROM activities WHERE is_stub = 1").fetchone()[0]
    athlete = conn.execute("SELECT id, name, timezone FROM athlete LIMIT 1").fetchone()
    last_ok = conn.execute(
        "SELECT * FROM sync_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1").fetchone()
    last_error = conn.execute(  # only one since the last good run: older ones are history
        "SELECT * FROM sync_runs WHERE status IN ('error', 'interrupted') AND id > "
        "coalesce((SELECT max(id) FROM sync_runs WHERE status = 'ok'), 0) "
        "ORDER BY id DESC LIMIT 1").fetchone()
    columns = [c[1] for c in conn.execute("PRAGMA table_info(sync_runs)")]
    runs = [dict(zip(columns, r, strict=True)) for r in conn.execute(
        "SELECT * FROM sync_runs ORDER BY id DESC LIMIT 5")]
    return {
        "store": str(store.path),
        "athlete": {"id": athlete[0], "name": athlete[1], "timezone": athlete[2]}
        if athlete else None,
        "resources": resources,
        "intervals": counts["intervals"],
        "wellness_custom_values": counts["wellness_custom"],
        "custom_fields": counts["custom_fields"],
        "strava_stubs": stubs,
        "last_ok_sync": dict(zip(columns, last_ok, strict=True)) if last_ok else None,
        "last_error": dict(zip(columns, last_error, strict=True)) if last_error else None,
        "recent_runs": runs,
    }


def mirrored_until(stamp: str | None) -> str:
    """One line a user can trust: how fresh the answers are (``stamp``: UTC ISO time)."""
    if not stamp:
        return "never synced: run `intervals-mirror sync` (or the refresh tool)"
    return f"mirrored up to {stamp.replace('T', ' ').rstrip('Z')[:16]} UTC"


# -- lookups for the MCP tools ---------------------------------------------------------------
# Plain SQLite, bound parameters only; each returns plain dicts (column -> value) so the
# front-ends decide how to show them. ``raw`` is parsed only where a caller shows it.

ACTIVITY_FIELDS = ("id", "athlete_id", "date", "is_stub", "gear_id",
                   *(column for column, _ in records.ACTIVITY_COLUMNS))
INTERVAL_FIELDS = ("id", "activity_id", "position",
                   *(column for column, _ in records.INTERVAL_COLUMNS))
WELLNESS_FIELDS = ("id", "form", *(column for column, _ in records.WELLNESS_COLUMNS))
EVENT_FIELDS = ("id", "athlete_id", "date", *(column for column, _ in records.EVENT_COLUMNS))
STRAVA_NOTE = ("Intervals.icu does not share Strava-imported activities over its API: only "
               "the date is known. Connect the device (Garmin, Wahoo, Zwift, ...) to "
               "Intervals.icu directly, or upload the file, to see its data.")


@dataclass(frozen=True)
class ActivityPage:
    rows: list[dict[str, Any]]
    total: int  # activities in the range that pass the filters (rows may be fewer: limit)
    hidden_stubs: int  # Strava stubs left out because include_unnamed is false


@dataclass(frozen=True)
class IntervalSet:
    activity: dict[str, Any]
    intervals: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    mirrored: bool  # False: sync has not fetched them yet
    stale: bool  # the activity changed after its intervals were fetched


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    extra: dict[str, Any] = field(default_factory=dict)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _columns(fields: Sequence[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{name}" for name in fields)


def athlete(store: Store) -> dict[str, Any] | None:
    """The mirrored athlete (id, name, timezone), or None before the first sync."""
    rows = _dicts(store.db.conn.execute("SELECT id, name, timezone FROM athlete LIMIT 1"))
    return rows[0] if rows else None


def last_ok_sync(store: Store) -> dict[str, Any] | None:
    rows = _dicts(store.db.conn.execute(
        "SELECT * FROM sync_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def freshness(store: Store, resources: Sequence[str] = RESOURCES) -> str:
    """How fresh the answers about ``resources`` are: the ``mirrored_until`` line, from the
    last time sync listed each of them (the oldest, for several; one indexed read).

    A sync of some resources only (refresh of events) does not make the others fresher.
    """
    marks = ",".join("?" * len(resources))
    stamps = dict(store.db.conn.execute(
        f"SELECT resource, max(last_ok_at) FROM sync_state WHERE resource IN ({marks}) "
        "GROUP BY resource", list(resources)).fetchall())
    known = [stamps[r] for r in resources if stamps.get(r)]
    if known:
        return mirrored_until(min(known))
    if last_ok_sync(store) and resources:
        return (f"{', '.join(resources)}: not listed by a sync yet; call refresh (or run "
                "`intervals-mirror sync`)")
    return mirrored_until(None)


def mirrored_span(store: Store, resource: str) -> tuple[str | None, str | None]:
    """The days sync has fully listed for a resource; else the days the store has rows for."""
    day = DAY_COLUMN[resource]
    first, last = store.db.conn.execute(
        "SELECT min(covered_from), max(covered_to) FROM sync_state WHERE resource = ?",
        (resource,)).fetchone()
    if first and last:
        return first, last
    return tuple(store.db.conn.execute(  # type: ignore[return-value]
        f"SELECT min({day}), max({day}) FROM {resource}").fetchone())


def id_position(store: Store, table: str, item_id: str) -> str:
    """Where an unknown id would sit among the stored ones: 'newer', 'older' or 'within'.

    Intervals.icu ids grow with time (i + a number; Strava imports: plain numbers), so an id
    above every stored one most likely belongs to something newer than the mirror.
    """
    prefix = "i" if item_id.startswith("i") else ""
    number = int(item_id[len(prefix):])
    pattern = "i[0-9]*" if prefix else "[0-9]*"
    low, high = store.db.conn.execute(
        f"SELECT min(CAST(substr(id, ?) AS INTEGER)), max(CAST(substr(id, ?) AS INTEGER)) "
        f"FROM {_table(table)} WHERE id GLOB ?", (len(prefix) + 1, len(prefix) + 1, pattern)
    ).fetchone()
    if high is not None and number > high:
        return "newer"
    if low is not None and number < low:
        return "older"
    return "within"


def _table(name: str) -> str:
    if name not in MIRRORED_TABLES:
        raise ValueError(f"unknown table {name!r}")
    return name


def activities(store: Store, start: str, end: str, *, limit: int,
               include_unnamed: bool = False, activity_type: str | None = None
               ) -> ActivityPage:
    """Activities whose local day is in [start, end], newest first.

    ``include_unnamed`` false leaves out the Strava stubs (no name, no data: the API does not
    share them); real activities without a name are always listed, since they have data.
    """
    where, params = ["date BETWEEN ? AND ?"], [start, end]
    if activity_type:
        where.append("type = ? COLLATE NOCASE")
        params.append(activity_type)
    conn = store.db.conn
    total, stubs = conn.execute(
        f"SELECT count(*), coalesce(sum(is_stub), 0) FROM activities "
        f"WHERE {' AND '.join(where)}", params).fetchone()
    if not include_unnamed:
        where.append("is_stub = 0")
    rows = _dicts(conn.execute(
        f"SELECT {_columns(ACTIVITY_FIELDS)} FROM activities WHERE {' AND '.join(where)} "
        "ORDER BY start_date_local DESC, id DESC LIMIT ?", [*params, limit]))
    if include_unnamed:
        return ActivityPage(rows, total, 0)
    return ActivityPage(rows, total - stubs, stubs)


def resolve_activity_id(store: Store, activity_id: str) -> str:
    """The stored id: a plain number that is not stored but "i" + it is (a hand-typed id)."""
    if activity_id.isdigit():
        conn = store.db.conn
        for candidate in (activity_id, f"i{activity_id}"):
            if conn.execute("SELECT 1 FROM activities WHERE id = ?", (candidate,)).fetchone():
                return candidate
    return activity_id


def activities_by_id(store: Store, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The given activities (those still in the store), newest first."""
    wanted = list(dict.fromkeys(ids))
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.extend(_dicts(store.db.conn.execute(
            f"SELECT {_columns(ACTIVITY_FIELDS)} FROM activities "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)))
    return sorted(found, key=lambda r: (r["start_date_local"] or "", r["id"]), reverse=True)


def activity_types(store: Store) -> list[str]:
    """The sports in the store, most frequent first (for hints when a filter finds nothing)."""
    return [t for (t,) in store.db.conn.execute(
        "SELECT type FROM activities WHERE type IS NOT NULL GROUP BY type "
        "ORDER BY count(*) DESC, type")]


def activity(store: Store, activity_id: str) -> dict[str, Any] | None:
    """One activity: its typed columns, ``raw`` (parsed) and its custom fields by name."""
    rows = _dicts(store.db.conn.execute(
        f"SELECT {_columns(ACTIVITY_FIELDS)}, raw, intervals_fingerprint IS NOT NULL "
        "AS intervals_mirrored, synced_at FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        return None
    row = rows[0]
    row["raw"] = json.loads(row["raw"])
    names = custom_field_names(store, "ACTIVITY_FIELD")
    row["custom"] = {names[code]: row["raw"][code] for code in names
                     if row["raw"].get(code) is not None}
    row["gear_name"] = gear_names(store).get(row["gear_id"]) if row["gear_id"] else None
    return row


def activity_intervals(store: Store, activity_id: str) -> IntervalSet | None:
    """An activity's intervals and interval groups, in order; None if the activity is unknown."""
    conn = store.db.conn
    rows = _dicts(conn.execute(
        f"SELECT {_columns(ACTIVITY_FIELDS)}, intervals_fingerprint IS NOT NULL AS mirrored, "
        "coalesce(intervals_fingerprint != fingerprint, 0) AS stale "
        "FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        return None
    head = rows[0]
    mirrored, stale = bool(head.pop("mirrored")), bool(head.pop("stale"))
    intervals = _dicts(conn.execute(
        f"SELECT {_columns(INTERVAL_FIELDS)} FROM intervals WHERE activity_id = ? "
        "ORDER BY position", (activity_id,)))
    groups = [{"id": gid, "position": pos, "count": count, **_group_fields(raw)}
              for gid, pos, count, raw in conn.execute(
                  "SELECT id, position, count, raw FROM interval_groups WHERE activity_id = ? "
                  "ORDER BY position", (activity_id,))]
    return IntervalSet(head, intervals, groups, mirrored, stale)


_GROUP_KEYS = ("moving_time", "elapsed_time", "distance", "average_watts",
               "weighted_average_watts", "intensity", "training_load", "average_heartrate",
               "max_heartrate", "average_cadence", "average_speed")


def _group_fields(raw: str) -> dict[str, Any]:
    data = json.loads(raw)
    return {key: data.get(key) for key in _GROUP_KEYS if isinstance(data, dict)}


def custom_field_names(store: Store, item_type: str) -> dict[str, str]:
    """code -> display name of the athlete's custom fields of one kind (INPUT_FIELD: wellness)."""
    return {code: name or code for code, name in store.db.conn.execute(
        "SELECT code, name FROM custom_fields WHERE item_type = ? AND code IS NOT NULL "
        "ORDER BY code", (item_type,))}


def gear_names(store: Store) -> dict[str, str]:
    """gear id -> name, from the athlete profile's bikes and shoes."""
    row = store.db.conn.execute("SELECT raw FROM athlete LIMIT 1").fetchone()
    if not row:
        return {}
    profile = json.loads(row[0])
    return {str(g["id"]): str(g.get("name") or g["id"])
            for kind in ("bikes", "shoes") for g in profile.get(kind) or []
            if isinstance(g, dict) and g.get("id")}


def wellness(store: Store, start: str, end: str, *, include_custom: bool = True,
             limit: int, today: str | None = None) -> Page:
    """Wellness days in [start, end], oldest first; the newest ``limit`` days if more.

    Days after ``today`` are Intervals.icu's projection of fitness from planned workouts:
    they are marked ``projected``.
    """
    conn = store.db.conn
    total = conn.execute("SELECT count(*) FROM wellness WHERE id BETWEEN ? AND ?",
                         (start, end)).fetchone()[0]
    rows = _dicts(conn.execute(
        f"SELECT {_columns(WELLNESS_FIELDS)} FROM wellness WHERE id BETWEEN ? AND ? "
        "ORDER BY id DESC LIMIT ?", (start, end, limit)))
    rows.reverse()
    for row in rows:
        row["date"] = row.pop("id")
        row["projected"] = bool(today and row["date"] > today)
    names: dict[str, str] = {}
    if include_custom and rows:
        names = custom_field_names(store, "INPUT_FIELD")
        by_day: dict[str, dict[str, Any]] = {}
        for day, code, value in conn.execute(
                "SELECT date, field, value FROM wellness_custom WHERE date BETWEEN ? AND ? "
                "ORDER BY date, field", (rows[0]["date"], rows[-1]["date"])):
            by_day.setdefault(day, {})[names.get(code, code)] = value
        for row in rows:
            row["custom"] = by_day.get(row["date"], {})
    return Page(rows, total, {"custom_fields": names})


def events(store: Store, start: str, end: str, *, categories: Sequence[str] | None = None,
           limit: int) -> Page:
    """Events on days in [start, end] (multi-day ones that overlap it too), earliest first."""
    where = ["date <= ?", "coalesce(substr(end_date_local, 1, 10), date) >= ?"]
    params: list[Any] = [end, start]
    if categories:
        where.append(f"category IN ({','.join('?' * len(categories))})")
        params.extend(categories)
    conn = store.db.conn
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM events WHERE {clause}", params).fetchone()[0]
    rows = _dicts(conn.execute(
        f"SELECT {_columns(EVENT_FIELDS)} FROM events WHERE {clause} "
        "ORDER BY start_date_local, id LIMIT ?", [*params, limit]))
    return Page(rows, total)


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event in full: typed columns and ``raw`` (the workout steps live there)."""
    rows = _dicts(store.db.conn.execute(
        f"SELECT {_columns(EVENT_FIELDS)}, raw FROM events WHERE id = ?", (event_id,)))
    if not rows:
        return None
    rows[0]["raw"] = json.loads(rows[0]["raw"])
    return rows[0]


def row_counts(store: Store) -> dict[str, int]:
    """Rows per mirrored table (for the status answer)."""
    return {table: store.row_count(table) for table in MIRRORED_TABLES}
