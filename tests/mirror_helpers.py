"""Comparing what the store holds with what the fake API serves, object for object."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.dataset import Dataset
from intervals_mirror.resources import CURVE_KINDS

from fake_curves import CurveMaker, parse_points

MIRRORED = ("activities", "intervals", "interval_groups", "wellness", "wellness_custom",
            "events", "athlete", "custom_fields", "sport_settings", "custom_items", "gear",
            "activity_curves", "curve_points")
WHOLE_LISTS = ("sport_settings", "custom_items", "gear")
ROW_ORDER = {"wellness_custom": "date, field",
             "curve_points": "activity_id, kind, secs_or_distance"}


def store_objects(db_path: Path) -> dict[str, dict[str, Any]]:
    """Per resource: id -> the stored raw JSON, parsed."""
    conn = sqlite3.connect(db_path)
    try:
        out: dict[str, dict[str, Any]] = {}
        for table in ("activities", "wellness", "events", *WHOLE_LISTS):
            out[table] = {i: json.loads(raw) for i, raw in conn.execute(
                f"SELECT id, raw FROM {table}")}
        intervals: dict[str, list[Any]] = {}
        for activity_id, raw in conn.execute(
                "SELECT activity_id, raw FROM intervals ORDER BY activity_id, position"):
            intervals.setdefault(activity_id, []).append(json.loads(raw))
        out["intervals"] = intervals
        groups: dict[str, list[Any]] = {}
        for activity_id, raw in conn.execute(
                "SELECT activity_id, raw FROM interval_groups ORDER BY activity_id, position"):
            groups.setdefault(activity_id, []).append(json.loads(raw))
        out["interval_groups"] = groups
        out.update(_stored_curves(conn))
        return out
    finally:
        conn.close()


def _stored_curves(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """The curves (raw, by ``<activity_id>:<kind>``) and their typed points, as stored."""
    curves = {i: json.loads(raw) for i, raw in conn.execute(
        "SELECT id, raw FROM activity_curves")}
    points: dict[str, dict[float, float]] = {}
    for activity_id, kind, point, value in conn.execute(
            "SELECT activity_id, kind, secs_or_distance, value FROM curve_points"):
        points.setdefault(f"{activity_id}:{kind}", {})[point] = value
    return {"activity_curves": curves, "curve_points": points}


def api_curves(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """What the fake's curve endpoints serve for all of history, at the points sync asks
    for: each activity's curve, and its values paired with the points (zeros and the
    durations beyond the activity left out)."""
    curves: dict[str, Any] = {}
    points: dict[str, dict[float, float]] = {}
    for kind in CURVE_KINDS:
        asked = parse_points(kind.name, {kind.points_key: ",".join(f"{p:g}" for p in kind.points)})
        payload = CurveMaker().payload(dataset, kind.name, "0000", "9999", None, asked)
        for curve in payload["curves"]:
            key = f"{curve['id']}:{kind.name}"
            curves[key] = curve
            points[key] = {float(x): v for x, v in zip(payload[kind.points_key],
                                                       curve[kind.values_key], strict=False)
                           if v}
    return {"activity_curves": curves, "curve_points": points}


def api_objects(dataset: Dataset, future_days: int = 90) -> dict[str, dict[str, Any]]:
    """The same view of what the fake API serves, up to the horizon sync mirrors."""
    horizon = (athlete_today() + dt.timedelta(days=future_days)).isoformat()
    return {
        "activities": {str(k): v for k, v in dataset.activities.items()},
        "wellness": {k: v for k, v in dataset.wellness.items() if k <= horizon},
        "events": {str(k): v for k, v in dataset.events.items()
                   if v["start_date_local"][:10] <= horizon},
        "intervals": {k: v["icu_intervals"] for k, v in dataset.intervals.items()
                      if v.get("icu_intervals")},
        "interval_groups": {k: v["icu_groups"] for k, v in dataset.intervals.items()
                            if v.get("icu_groups")},
        # The lists kept whole, every item as listed (sport settings: the athlete's).
        "sport_settings": {str(s["id"]): s for s in dataset.athlete["sportSettings"]},
        "custom_items": {str(i["id"]): i for i in dataset.custom_items},
        "gear": {str(g["id"]): g for g in dataset.gear},
        **api_curves(dataset),
    }


def assert_store_equals_api(db_path: Path, dataset: Dataset, future_days: int = 90) -> None:
    stored, served = store_objects(db_path), api_objects(dataset, future_days)
    for resource in served:
        missing = set(served[resource]) - set(stored[resource])
        extra = set(stored[resource]) - set(served[resource])
        assert not missing, f"{resource}: {len(missing)} not mirrored, e.g. {sorted(missing)[:3]}"
        assert not extra, f"{resource}: {len(extra)} not upstream, e.g. {sorted(extra)[:3]}"
        differing = [k for k in served[resource] if stored[resource][k] != served[resource][k]]
        assert not differing, f"{resource}: {len(differing)} differ, e.g. {differing[:3]}"


def row_stamps(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every mirrored row with its content and write time: equal before and after = no writes."""
    conn = sqlite3.connect(db_path)
    try:
        out = {}
        for table in MIRRORED:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
            order = ROW_ORDER.get(table, "id")
            out[table] = conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").fetchall()
        return out
    finally:
        conn.close()


def last_run(db_path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1").fetchone())
    finally:
        conn.close()


def drop_curves_schema(db_path: Path) -> None:
    """Take out what the curves migration adds (tables, columns, indexes, the curve views),
    so a store looks as a release before curves left it."""
    conn = sqlite3.connect(db_path)
    try:
        conn.executescript(
            "DROP VIEW IF EXISTS power_curve; DROP VIEW IF EXISTS hr_curve; "
            "DROP VIEW IF EXISTS pace_curve; "
            "DROP INDEX activities_sport_day; DROP INDEX activities_curves_due; "
            "DROP INDEX events_category; "
            "DROP TABLE curve_points; DROP TABLE activity_curves; "
            "ALTER TABLE activities DROP COLUMN curves_fingerprint; "
            "ALTER TABLE sync_runs DROP COLUMN curves_fetched;")
    finally:
        conn.close()


def served_points(dataset: Dataset) -> dict[str, dict[float, float]]:
    """Each activity's served points (``<activity_id>:<kind>`` -> point -> value)."""
    # The fake's curves of all history take a while: once per dataset (and activity added).
    key = (id(dataset), len(dataset.activities))
    if key not in _SERVED:
        _SERVED[key] = (dataset, api_curves(dataset)["curve_points"])
    return _SERVED[key][1]


_SERVED: dict[tuple[int, int], tuple[Dataset, dict[str, dict[float, float]]]] = {}


def holders(dataset: Dataset, kind: str, point: float, start: str, end: str, *,
            types: set[str] | None = None, indoor: bool | None = None
            ) -> tuple[float | None, set[str]]:
    """The best value the fake serves in [start, end] and every activity that holds it."""
    found: list[tuple[float, str]] = []
    for key, points in served_points(dataset).items():
        activity_id, curve_kind = key.rsplit(":", 1)
        act = dataset.activities[activity_id]
        if curve_kind != kind or point not in points:
            continue
        if not start <= act["start_date_local"][:10] <= end:
            continue
        if types is not None and act["type"] not in types:
            continue
        inside = bool(act.get("trainer")) or act["type"].startswith("Virtual")
        if indoor is not None and inside != indoor:
            continue
        found.append((points[point], activity_id))
    if not found:
        return None, set()
    best = (min if kind == "pace" else max)(v for v, _ in found)
    return best, {i for v, i in found if v == best}


def first_holder(dataset: Dataset, ids: set[str]) -> str:
    """Of the activities holding a best, the one a record book names: the earliest to set it
    (its start, then its id)."""
    return min(ids, key=lambda i: (dataset.activities[i]["start_date_local"], i))


def seasons(dataset: Dataset, today: dt.date) -> tuple[tuple[str, str], tuple[str, str]]:
    """This season and the last one, by the rule the README states."""
    starts = sorted(e["start_date_local"][:10] for e in dataset.events.values()
                    if e["category"] == "SEASON_START" and e["start_date_local"][:10]
                    <= today.isoformat())
    this_start = dt.date.fromisoformat(starts[-1])
    before = (this_start - dt.timedelta(days=1)).isoformat()
    last_start = starts[-2] if len(starts) > 1 else \
        this_start.replace(year=this_start.year - 1).isoformat()
    return (starts[-1], today.isoformat()), (last_start, before)
