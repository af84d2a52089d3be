"""Per-activity best-effort curves (power, heart rate, pace): fetched for the activities whose
curves are due, a range of days per request and kind.

An activity's curves are due when it is new or changed since they were fetched (the store
keeps the activity fingerprint they belong to), so a run with nothing new asks for none, and
a store from before curves were mirrored fetches all of them once. Each request covers up to
``CURVE_RANGE_DAYS`` days of due activities, every sport at once; its answer is the truth for
every real activity on those days (an activity it leaves out has no curve of that kind). A
range is written in one transaction, so a killed run fetches only that range again.

The API documents ``type`` as optional on these lists, but its sibling (the athlete's
aggregate curves) refuses a request without one (422 "Required request parameter 'type'"). If
these ever do too, the range is asked once per activity type on those days instead, and the
answers are merged: more requests, the same store.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from ..curves import (
    activities_needing_curves,
    activity_types_between,
    curve_point_rows,
    curve_row,
    mark_curves_current,
    real_activities_between,
    save_curves,
)
from ..errors import ApiError
from ..resources import CURVE_KINDS, CURVE_RANGE_DAYS, CurveKind, Row
from .context import RunContext
from .report import Progress, ProgressCallback


def sync_curves(run: RunContext, now: str, progress: ProgressCallback) -> None:
    """Fetch and store the curves of every activity whose curves are due (all of them on a
    full run, which re-verifies everything)."""
    due = activities_needing_curves(run.store, run.athlete_id, every=run.full)
    ranges = day_ranges([day for _, day in due], CURVE_RANGE_DAYS)
    with ThreadPoolExecutor(max_workers=max(1, min(run.settings.concurrency,
                                                    len(CURVE_KINDS)))) as pool:
        for done, (start, end) in enumerate(ranges, start=1):
            sports = activity_types_between(run.store, run.athlete_id, start, end)
            payloads = list(pool.map(partial(_fetch, run, start=start, end=end, sports=sports),
                                     CURVE_KINDS))
            stored = _store_range(run, start, end, payloads, now)
            progress(Progress(done, len(ranges),
                              f"curves {start}..{end}: {stored} activities"))


def day_ranges(days: list[str], span: int) -> list[tuple[str, str]]:
    """Sorted days grouped into ranges of at most ``span`` days, each from its first day to
    its last (so a few new activities cost a range of a few days)."""
    ranges: list[tuple[str, str]] = []
    for day in sorted(set(days)):
        if ranges and dt.date.fromisoformat(day) < dt.date.fromisoformat(ranges[-1][0]) \
                + dt.timedelta(days=span):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _fetch(run: RunContext, kind: CurveKind, *, start: str, end: str, sports: list[str]
           ) -> tuple[CurveKind, dict[str, Any]]:
    ask = partial(run.api.activity_curves, run.athlete_id, kind.path, start, end,
                  kind.points_key, kind.points)
    if not run.curves_by_sport:
        try:
            return kind, ask()
        except ApiError as exc:
            if exc.status != 422 or "'type'" not in str(exc):
                raise
            run.curves_by_sport = True
    merged: dict[str, Any] = {kind.points_key: list(kind.points), "curves": []}
    for sport in sports:
        payload = ask(sport=sport)
        merged[kind.points_key] = payload.get(kind.points_key, merged[kind.points_key])
        merged["curves"] += payload.get("curves") or []  # an id twice: the same curve
    return kind, merged


def _store_range(run: RunContext, start: str, end: str,
                 payloads: list[tuple[CurveKind, dict[str, Any]]], now: str) -> int:
    """Write one range's answers; returns how many activities it brought up to date."""
    covered = real_activities_between(run.store, run.athlete_id, start, end)
    with run.store.transaction():
        for kind, payload in payloads:
            curves, points = curve_rows(kind, payload, covered, run.athlete_id, now)
            save_curves(run.store, kind.name, sorted(covered), curves, points)
        mark_curves_current(run.store, covered)
        run.report.curves_fetched += len(covered)
        run.store.record_progress(run.report.run_id, counts=run.report.flat_counts(),
                                  requests=run.requests, mode=run.report.mode)
    return len(covered)


def curve_rows(kind: CurveKind, payload: dict[str, Any], wanted: set[str], athlete_id: str,
               now: str) -> tuple[list[Row], list[Row]]:
    """The rows of the payload's curves that belong to ``wanted`` activities (one that was
    uploaded after the window was listed waits for the run that lists it)."""
    points = payload.get(kind.points_key)
    points = points if isinstance(points, list) else []
    curves: dict[str, Row] = {}
    point_rows: dict[str, list[Row]] = {}
    for curve in payload.get("curves") or []:
        if not isinstance(curve, dict) or str(curve.get("id")) not in wanted:
            continue
        row = curve_row(kind.name, curve, athlete_id, now)
        curves[row["activity_id"]] = row  # an id listed twice: the last one
        point_rows[row["activity_id"]] = curve_point_rows(
            kind.name, curve, points, kind.values_key, athlete_id)
    return list(curves.values()), [p for rows in point_rows.values() for p in rows]

