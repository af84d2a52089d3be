"""Activities and their intervals: lists by date, one in full, ids as users type them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import records, typed_columns
from ..store import Store
from .athlete import zone_names
from .common import columns, custom_field_names, dicts
from .gear import gear_names
from .zones import time_in_zones

ACTIVITY_FIELDS = ("id", "athlete_id", "date", "is_stub", "gear_id",
                   *(column for column, _ in typed_columns.ACTIVITY_COLUMNS))
INTERVAL_FIELDS = ("id", "activity_id", "position",
                   *(column for column, _ in typed_columns.INTERVAL_COLUMNS))
STRAVA_NOTE = ("Intervals.icu does not share Strava-imported activities over its API: only "
               "the date is known. Connect the device (Garmin, Wahoo, Zwift, ...) to "
               "Intervals.icu directly, or upload the file, to see its data.")
_GROUP_KEYS = ("moving_time", "elapsed_time", "distance", "average_watts",
               "weighted_average_watts", "intensity", "training_load", "average_heartrate",
               "max_heartrate", "average_cadence", "average_speed")


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
    zones: list[dict[str, Any]] = field(default_factory=list)  # the power zones they are in


def activities(store: Store, start: str, end: str, *, limit: int,
               include_unnamed: bool = False, types: Sequence[str] | None = None
               ) -> ActivityPage:
    """Activities whose local day is in [start, end], newest first; ``types``: only these
    sports (a family's types, ``queries.sports``).

    ``include_unnamed`` false leaves out the Strava stubs (no name, no data: the API does not
    share them); real activities without a name are always listed, since they have data.
    """
    where, params = ["date BETWEEN ? AND ?"], [start, end]
    if types is not None:
        where.append(f"type IN ({','.join('?' * len(types))})")
        params.extend(types)
    conn = store.db.conn
    total, stubs = conn.execute(
        f"SELECT count(*), coalesce(sum(is_stub), 0) FROM activities "
        f"WHERE {' AND '.join(where)}", params).fetchone()
    if not include_unnamed:
        where.append("is_stub = 0")
    # date is start_date_local's day, so this is start_date_local order; led by date it
    # walks the (date, start_date_local) index and stops at the limit instead of sorting
    # every activity in the range (8 ms for three years, 0.5 ms this way).
    rows = dicts(conn.execute(
        f"SELECT {columns(ACTIVITY_FIELDS)} FROM activities WHERE {' AND '.join(where)} "
        "ORDER BY date DESC, start_date_local DESC, id DESC LIMIT ?", [*params, limit]))
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
        found.extend(dicts(store.db.conn.execute(
            f"SELECT {columns(ACTIVITY_FIELDS)} FROM activities "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)))
    return sorted(found, key=lambda r: (r["start_date_local"] or "", r["id"]), reverse=True)


def activity(store: Store, activity_id: str) -> dict[str, Any] | None:
    """One activity: its typed columns, ``raw`` (parsed) and its custom fields by name."""
    rows = dicts(store.db.conn.execute(
        f"SELECT {columns(ACTIVITY_FIELDS)}, raw, intervals_fingerprint IS NOT NULL "
        "AS intervals_mirrored, synced_at FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        return None
    row = rows[0]
    row["raw"] = json.loads(row["raw"])
    names = custom_field_names(store, "ACTIVITY_FIELD")
    row["custom"] = {names[code]: row["raw"][code] for code in names
                     if row["raw"].get(code) is not None}
    row["gear_name"] = gear_names(store).get(row["gear_id"]) if row["gear_id"] else None
    row["zones"] = time_in_zones(store, row["raw"])
    return row


def activity_intervals(store: Store, activity_id: str) -> IntervalSet | None:
    """An activity's intervals and interval groups, in order; None if the activity is unknown."""
    conn = store.db.conn
    rows = dicts(conn.execute(
        f"SELECT {columns(ACTIVITY_FIELDS)}, intervals_fingerprint IS NOT NULL AS mirrored, "
        "coalesce(intervals_fingerprint != fingerprint, 0) AS stale "
        "FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        return None
    head = rows[0]
    mirrored, stale = bool(head.pop("mirrored")), bool(head.pop("stale"))
    intervals = dicts(conn.execute(
        f"SELECT {columns(INTERVAL_FIELDS)} FROM intervals WHERE activity_id = ? "
        "ORDER BY position", (activity_id,)))
    groups = [{"id": gid, "position": pos, "count": count, **_group_fields(raw)}
              for gid, pos, count, raw in conn.execute(
                  "SELECT id, position, count, raw FROM interval_groups WHERE activity_id = ? "
                  "ORDER BY position", (activity_id,))]
    return IntervalSet(head, intervals, groups, mirrored, stale,
                       _power_zones(store, activity_id, head.get("type")))


def _power_zones(store: Store, activity_id: str, sport: str | None) -> list[dict[str, Any]]:
    """The power zones the intervals are in: number, the athlete's name for it (the sport
    settings), and the bounds in W that Intervals.icu gave each interval (its FTP then)."""
    names = zone_names(store, sport)
    rows = store.db.conn.execute(
        "SELECT DISTINCT zone, json_extract(raw, '$.zone_min_watts'), "
        "json_extract(raw, '$.zone_max_watts') FROM intervals WHERE activity_id = ? "
        "AND zone IS NOT NULL AND json_extract(raw, '$.zone_min_watts') IS NOT NULL "
        "ORDER BY zone", (activity_id,)).fetchall()
    return [{"number": int(zone), "name": names.get(int(zone)), "low": low, "high": high}
            for zone, low, high in rows]


def _group_fields(raw: str) -> dict[str, Any]:
    data = json.loads(raw)
    if not isinstance(data, dict):
        return {}
    return {**{key: data.get(key) for key in _GROUP_KEYS},
            "average_speed": records.average_speed(data)}  # swims: none in the API's group
