"""How an activity's best-effort curves are kept: rows made from the API's curves (one per
activity and kind, with its points typed), saved per kind, and which activities' curves are
due (new or changed since they were fetched).

Written by sync and by the demo store, inside the caller's transaction. No HTTP here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .records import canonical_json, local_day
from .resources import Row
from .store import Store, chunks


def activities_needing_curves(store: Store, athlete_id: str, *, every: bool = False
                              ) -> list[tuple[str, str]]:
    """(id, day) of the real activities whose curves are missing or older than the
    activity, oldest first; ``every``: all real activities (a full re-verify)."""
    stale = "" if every else \
        "AND (curves_fingerprint IS NULL OR curves_fingerprint != fingerprint) "
    return store.db.conn.execute(
        "SELECT id, date FROM activities WHERE athlete_id = ? AND is_stub = 0 "
        f"AND date IS NOT NULL {stale}ORDER BY date, id", (athlete_id,)).fetchall()


def real_activities_between(store: Store, athlete_id: str, day_from: str, day_to: str
                            ) -> set[str]:
    """The real activities on those days: what a curve request for them answers about."""
    return {r[0] for r in store.db.conn.execute(
        "SELECT id FROM activities WHERE athlete_id = ? AND is_stub = 0 "
        "AND date BETWEEN ? AND ?", (athlete_id, day_from, day_to))}


def activity_types_between(store: Store, athlete_id: str, day_from: str, day_to: str
                           ) -> list[str]:
    """The types of the real activities on those days: what to ask when the API wants one."""
    return [r[0] for r in store.db.conn.execute(
        "SELECT DISTINCT type FROM activities WHERE athlete_id = ? AND is_stub = 0 "
        "AND date BETWEEN ? AND ? AND type IS NOT NULL ORDER BY type",
        (athlete_id, day_from, day_to))]


def save_curves(store: Store, kind: str, activity_ids: Sequence[str],
                curves: Sequence[dict[str, Any]], points: Sequence[dict[str, Any]]) -> None:
    """Make the ``kind`` curves of ``activity_ids`` exactly ``curves`` and their points
    (an activity without a curve of that kind keeps none)."""
    conn = store.db.conn
    for chunk in chunks(list(activity_ids), 500):
        marks = ",".join("?" * len(chunk))
        for table in ("activity_curves", "curve_points"):
            conn.execute(f"DELETE FROM {table} WHERE kind = ? AND activity_id IN ({marks})",
                         [kind, *chunk])
    if curves:
        store.writer["activity_curves"].insert_all(curves)  # type: ignore[union-attr]
    if points:
        store.writer["curve_points"].insert_all(points)  # type: ignore[union-attr]


def mark_curves_current(store: Store, activity_ids: Iterable[str]) -> None:
    for chunk in chunks(list(activity_ids), 500):
        store.db.conn.execute(
            "UPDATE activities SET curves_fingerprint = fingerprint "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)



def curve_row(kind: str, curve: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    """One activity's curve of one kind (the element of the payload's ``curves``)."""
    activity_id = str(curve["id"])
    weight, start = curve.get("weight"), curve.get("start_date_local")
    return {
        "id": f"{activity_id}:{kind}",
        "activity_id": activity_id,
        "athlete_id": athlete_id,
        "kind": kind,
        "date": local_day(start),
        "start_date_local": start if isinstance(start, str) else None,
        "weight": weight if _positive(weight) else None,
        "raw": canonical_json(curve),
        "synced_at": synced_at,
    }



def curve_point_rows(kind: str, curve: dict[str, Any], points: list[Any], values_key: str,
                     athlete_id: str) -> list[Row]:
    """The curve's values paired with the payload's durations (distances): one row each.

    An activity shorter than a duration has no value there (the list stops early, or holds
    null or 0), so that duration gets no row rather than a zero best.
    """
    values = curve.get(values_key)
    if not isinstance(values, list):
        return []
    day = local_day(curve.get("start_date_local"))
    rows: dict[float, Row] = {}
    for point, value in zip(points, values, strict=False):
        if _positive(point) and _positive(value):
            rows[float(point)] = {"activity_id": str(curve["id"]), "athlete_id": athlete_id,
                                  "kind": kind, "date": day,
                                  "secs_or_distance": float(point), "value": value}
    return list(rows.values())



def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
