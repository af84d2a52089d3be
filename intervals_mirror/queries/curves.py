"""Best efforts from the mirrored per-activity curves: the best value per duration (distance)
in a period, with the activity that holds it; the seasons.

One indexed query per period (``curve_points_best``: kind, duration, day), so any date range
is answered offline in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..sports import Sport
from ..store import Store
from .common import dicts


@dataclass(frozen=True)
class Period:
    label: str  # "This season", "Last season", "2026-01-01 to 2026-03-31"
    start: str  # YYYY-MM-DD, inclusive
    end: str
    note: str = ""  # where its bounds come from


def seasons(store: Store, today: dt.date) -> tuple[Period, Period]:
    """This season (from the latest SEASON_START on or before today) and the last one (from
    the SEASON_START before it). Without SEASON_START events: the calendar year so far and
    the year before."""
    starts = [dt.date.fromisoformat(d) for (d,) in store.db.conn.execute(
        "SELECT DISTINCT date FROM events WHERE category = 'SEASON_START' AND date <= ? "
        "ORDER BY date", (today.isoformat(),))]
    if not starts:
        year = today.year
        note = "no SEASON_START in the calendar: calendar years"
        return (Period("This season", f"{year}-01-01", today.isoformat(), note),
                Period("Last season", f"{year - 1}-01-01", f"{year - 1}-12-31", note))
    this = Period("This season", starts[-1].isoformat(), today.isoformat(),
                  f"from the SEASON_START of {starts[-1]}")
    before = starts[-1] - dt.timedelta(days=1)
    if len(starts) > 1:
        last = Period("Last season", starts[-2].isoformat(), before.isoformat(),
                      f"from the SEASON_START of {starts[-2]}")
    else:
        first = _year_before(starts[-1])
        last = Period("Last season", first.isoformat(), before.isoformat(),
                      "the year before this season (no earlier SEASON_START)")
    return this, last


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def best_efforts(store: Store, kind: str, points: Sequence[float], period: Period,
                 sport_: Sport | None, indoor: bool | None, *, highest: bool
                 ) -> dict[float, dict[str, Any]]:
    """Per duration (distance), the best value in the period and the activity holding it:
    value, activity_id, date, name, type, weight (on a tie, the earliest activity).

    Reads the ``curve_points_best`` index (kind, duration, day, value, activity), the sport
    and trainer filter from ``activities_sport_day``: ten years in under 20 ms."""
    conn = store.db.conn
    scope, params = "p.kind = ? AND p.date BETWEEN ? AND ?", [kind, period.start, period.end]
    chosen, chosen_params = _activities_chosen(period, sport_, indoor)
    among, holder = (f"AND p.activity_id IN ({chosen})", f"AND a.id IN ({chosen})") if chosen \
        else ("", "")
    # A tie goes to the earliest activity to reach the value (its start, then its id), as a
    # record book keeps the first to set a mark; never to whichever row SQLite reads first.
    best = conn.execute(
        f"WITH best AS (SELECT p.secs_or_distance AS point, {'max' if highest else 'min'}"
        f"(p.value) AS value FROM curve_points AS p WHERE {scope} {among} "
        f"AND p.secs_or_distance IN ({','.join('?' * len(points))}) "
        "GROUP BY p.secs_or_distance) "
        "SELECT b.point, b.value, (SELECT p.activity_id FROM curve_points AS p "
        f"JOIN activities AS a ON a.id = p.activity_id WHERE {scope} "
        f"AND p.secs_or_distance = b.point AND p.value = b.value {holder} "
        "ORDER BY a.start_date_local, a.id LIMIT 1) FROM best AS b",
        [*params, *chosen_params, *points, *params, *chosen_params]).fetchall()
    ids = sorted({activity_id for _, _, activity_id in best})
    holders = {row["activity_id"]: row for row in dicts(conn.execute(
        "SELECT a.id AS activity_id, a.date, a.name, a.type, c.weight FROM activities AS a "
        "LEFT JOIN activity_curves AS c ON c.id = a.id || ':' || ? "
        f"WHERE a.id IN ({','.join('?' * len(ids))})", [kind, *ids]))}
    return {point: {"value": value, **holders[activity_id]}
            for point, value, activity_id in best}


def _activities_chosen(period: Period, sport_: Sport | None, indoor: bool | None
                       ) -> tuple[str, list[Any]]:
    """The SELECT of the activities of the sport (and indoor or outdoor) in the period; ""
    when every activity counts."""
    if sport_ is None and indoor is None:
        return "", []
    where, params = ["date BETWEEN ? AND ?"], [period.start, period.end]
    if sport_ is not None:
        where.append(f"type IN ({','.join('?' * len(sport_.types))})")
        params += sport_.types
    if indoor is not None:
        where.append(("" if indoor else "NOT ") + _INDOOR)
    return f"SELECT id FROM activities WHERE {' AND '.join(where)}", params


# Indoor: on a trainer, or a virtual sport (VirtualRide, VirtualRun, VirtualRow, ...).
_INDOOR = "(coalesce(trainer, 0) = 1 OR type LIKE 'Virtual%')"


def curve_types(store: Store, kind: str) -> list[str]:
    """The sports that have curves of this kind, most activities first."""
    return [t for (t,) in store.db.conn.execute(
        "SELECT a.type FROM activity_curves AS c JOIN activities AS a ON a.id = c.activity_id "
        "WHERE c.kind = ? AND a.type IS NOT NULL GROUP BY a.type ORDER BY count(*) DESC, "
        "a.type", (kind,))]


def curves_pending(store: Store) -> int:
    """Real activities whose curves sync has not fetched yet (or not since they changed)."""
    return int(store.db.conn.execute(
        "SELECT count(*) FROM activities WHERE is_stub = 0 AND (curves_fingerprint IS NULL "
        "OR curves_fingerprint != fingerprint)").fetchone()[0])
