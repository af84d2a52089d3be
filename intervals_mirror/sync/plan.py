"""Which date windows a run lists, in which order, and where each resource's history begins.

The list endpoints filter by date only, so a run lists
  (a) a recent window (``lookback_days``, never less than since the last good run) and the
      days ahead (``future_days``; activities: two days of slack);
  (b) every window not yet covered, newest first, down to where the history begins
      (``history_start``, or the oldest day the API has data for);
  (c) on ``--full`` or every ``full_every_days``, everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..config import Settings
from ..resources import BY_NAME, DATED, Resource
from ..store import Coverage, parse_utc
from .context import RunContext

EPOCH = "1970-01-01"


@dataclass(frozen=True)
class Window:
    resource: str
    start: str  # YYYY-MM-DD, inclusive
    end: str
    backfill: bool  # older than the recent days: history not listed yet
    last_recent: bool = False  # the last of the recent windows: its commit means "fresh"


def plan(run: RunContext, coverages: dict[str, Coverage], floors: dict[str, str | None],
         today: dt.date) -> list[Window]:
    """Every resource's recent days first, then the backfill: a first sync cut short still
    has this week's wellness and calendar."""
    fallback = (today - dt.timedelta(days=run.settings.lookback_days)).isoformat()
    windows = [w for name in run.options.only
               for w in _windows(run, BY_NAME[name], coverages[name], floors[name], fallback,
                                 today)]
    return [w for w in windows if not w.backfill] + [w for w in windows if w.backfill]


def horizon(settings: Settings, resource: str, today: dt.date) -> str:
    """The last day listed for a resource."""
    ahead = BY_NAME[resource].days_ahead
    return (today + dt.timedelta(days=settings.future_days if ahead is None else ahead)
            ).isoformat()


def history_floors(run: RunContext, coverages: dict[str, Coverage], today: dt.date
                   ) -> dict[str, str | None]:
    """The oldest day with data per resource: configured, or probed (None: no data yet).

    Probed on the first run, while an account has no data, and on full runs, which also
    reach back to the oldest stored day so deletions there are found.
    """
    if run.settings.history_start:
        return {r: run.settings.history_start.isoformat() for r in coverages}
    known = {r: c.history_start for r, c in coverages.items()}
    if not run.full and all(known.values()):
        return known
    probed = _probe(run, [BY_NAME[r] for r in coverages], today.isoformat())
    floors: dict[str, str | None] = {}
    for resource in coverages:
        candidates = [probed.get(resource)]
        if run.full:
            candidates += [known[resource],
                           run.store.first_day(BY_NAME[resource].table, run.athlete_id)]
        floors[resource] = min(filter(None, candidates), default=None)
    return floors


def _probe(run: RunContext, wanted: list[Resource], end: str) -> dict[str, str | None]:
    """The first day with data, per resource: cheaply where the API has a probe; otherwise
    by listing what lies before the probed resources' start (events have no probe)."""
    unprobed = [r for r in wanted if r.probe_days is None]
    probed: dict[str, str | None] = {}
    for resource in DATED:
        if resource.probe_days and (resource in wanted or unprobed):
            days = resource.probe_days(run.api, run.athlete_id, EPOCH, end)
            probed[resource.name] = min(days, default=None)
    before = min(filter(None, probed.values()), default=None)
    for resource in unprobed:
        listed = resource.list_days(run.api, run.athlete_id, EPOCH,
                                    day_before(before)) if before else []
        earlier = [resource.day_of(obj) for obj in listed if isinstance(obj, dict)]
        probed[resource.name] = min(filter(None, [*earlier, before]), default=None)
    return probed


def _windows(run: RunContext, resource: Resource, cov: Coverage, floor: str | None,
             fallback: str, today: dt.date) -> list[Window]:
    if floor is None and resource.empty_probe_means_nothing and not cov.covered_from:
        return []  # the probe just listed all of history: there is nothing
    floor = floor or fallback
    last = horizon(run.settings, resource.name, today)
    size = resource.window_days
    if run.full:
        return _mark_last_recent(list(_split(resource.name, floor, last, size,
                                             backfill=False)))
    recent = today - dt.timedelta(days=run.settings.lookback_days)
    if cov.last_ok_at:
        recent = min(recent, parse_utc(cov.last_ok_at).date() - dt.timedelta(days=1))
    elif cov.covered_from:  # an earlier run stopped before its recent days were listed
        recent = min(recent, dt.date.fromisoformat(cov.covered_from))
    if run.options.since:
        recent = min(recent, run.options.since)
    recent_start = max(recent.isoformat(), min(floor, today.isoformat()))
    windows = _mark_last_recent(list(_split(resource.name, recent_start, last, size,
                                            backfill=False)))
    cursor = min(filter(None, [cov.covered_from, recent_start]))
    if cursor > floor:
        windows.extend(_split(resource.name, floor, day_before(cursor), size, backfill=True))
    return windows


def _split(resource: str, start: str, end: str, size: int, *, backfill: bool
           ) -> Iterator[Window]:
    """[start, end] as windows of ``size`` days, newest first."""
    first = dt.date.fromisoformat(start)
    cursor = dt.date.fromisoformat(end)
    while cursor >= first:
        window_start = max(first, cursor - dt.timedelta(days=size - 1))
        yield Window(resource, window_start.isoformat(), cursor.isoformat(), backfill)
        cursor = window_start - dt.timedelta(days=1)


def _mark_last_recent(windows: list[Window]) -> list[Window]:
    return [*windows[:-1], replace(windows[-1], last_recent=True)] if windows else windows


def day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
