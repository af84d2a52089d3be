"""One sync run: whose data, the plan of windows, each window listed and written, the close.

A run is logged in ``sync_runs`` from its start, so a killed or failed one is visible; the
windows are in ``plan``, one window's work is in ``window``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import replace

from .. import records
from ..api import IntervalsClient
from ..config import Settings
from ..errors import IntervalsMirrorError, StoreError
from ..resources import ACTIVITIES, ATHLETE_TABLE, BY_NAME, RESOURCES
from ..store import Store, parse_utc, utc_now
from ..validate import today_in
from .activity_parts import keep_recent_streams
from .context import RunContext
from .curves import sync_curves
from .lock import api_client, writer_lock
from .plan import Window, history_floors, horizon, plan
from .report import Progress, ProgressCallback, SyncOptions, SyncReport
from .whole import list_whole, save_whole
from .window import sync_window

log = logging.getLogger("intervals_mirror.sync")


def run_sync(
    settings: Settings,
    options: SyncOptions | None = None,
    *,
    client: IntervalsClient | None = None,
    progress: ProgressCallback | None = None,
) -> SyncReport:
    """Bring the store up to date; one writer at a time across processes."""
    options = options or SyncOptions()
    unknown = set(options.only) - set(RESOURCES)
    if unknown or not options.only:
        raise IntervalsMirrorError(
            f"only: unknown resource {', '.join(sorted(unknown)) or '(none given)'}; "
            f"expected a comma list of {', '.join(RESOURCES)}")
    settings.require_credentials()
    with writer_lock(settings), api_client(settings, client) as api, \
            Store.open(settings.db_path, check=True) as store:
        report = SyncReport(run_id=0, mode="full" if options.full else "incremental",
                            resources=options.only)
        run = RunContext(settings, options, api, store, report, athlete_id=settings.athlete_id,
                         full=options.full, requests_at_start=api.requests_made)
        return _execute(run, progress or (lambda p: None))


def _execute(run: RunContext, progress: ProgressCallback) -> SyncReport:
    started = time.monotonic()
    run.report.run_id = run.store.start_run(run.athlete_id, run.report.mode, run.options.only)
    try:
        _sync(run, progress)
    except IntervalsMirrorError as exc:
        _finish(run, started, "error", str(exc))
        raise
    except BaseException as exc:  # killed by Ctrl-C, or a bug: record it, then re-raise
        _finish(run, started, "interrupted" if isinstance(exc, KeyboardInterrupt)
                else "error", f"{type(exc).__name__}: {exc}"[:500])
        raise
    _finish(run, started, "ok", None)
    return run.report


def _finish(run: RunContext, started: float, status: str, error: str | None) -> None:
    report = run.report
    report.status = status
    report.error = error
    report.duration_s = time.monotonic() - started
    report.requests = run.requests
    run.store.finish_run(report.run_id, status=status, counts=report.flat_counts(),
                         requests=report.requests, duration_s=report.duration_s, error=error,
                         athlete_id=run.athlete_id, mode=report.mode)


def _sync(run: RunContext, progress: ProgressCallback) -> None:
    now = utc_now()
    today = _mirror_athlete(run, now)
    if not run.full:
        run.full = _full_due(run)
        run.report.mode = "full" if run.full else "incremental"
    coverages = {r: run.store.coverage(run.athlete_id, r) for r in run.options.only}
    if not any(c.covered_from for c in coverages.values()):
        run.report.mode = "full"  # the first run lists every resource's whole history
    floors = history_floors(run, coverages, today)
    with run.store.transaction():
        for resource, floor in floors.items():
            run.store.set_coverage(run.athlete_id,
                                   replace(coverages[resource], history_start=floor))
    windows = plan(run, coverages, floors, today)
    _list_windows(run, windows, now, progress)
    with run.store.transaction():
        for resource in run.options.only:
            _close_resource(run, resource, today, now)
    if ACTIVITIES.name in run.options.only:  # the curves' steps come after the windows'
        sync_curves(run, now, lambda p: progress(Progress(
            len(windows) + p.done, len(windows) + p.total, p.message)))
    keep_recent_streams(run, today)
    for resource, counts in run.report.counts.items():
        log.info("%s: %d new, %d changed, %d deleted", resource, counts.added,
                 counts.updated, counts.deleted)


def _mirror_athlete(run: RunContext, now: str) -> dt.date:
    """Whose data this is, and the lists kept whole (sport settings, custom items, gear);
    returns the athlete's today. A store holds one athlete: another one's key is refused
    before anything is written."""
    athlete = run.api.athlete(run.settings.athlete_id)
    run.athlete_id = str(athlete.get("id") or run.settings.athlete_id)
    run.report.athlete_id = run.athlete_id
    others = run.store.other_athletes(run.athlete_id)
    if others:
        raise StoreError(
            f"{run.settings.db_path} mirrors athlete {others[0]}, not {run.athlete_id}: "
            "give each athlete a store of their own (--db or INTERVALS_MIRROR_DB)")
    listed = list_whole(run.api, run.athlete_id, athlete)
    with run.store.transaction():
        run.store.replace_all(ATHLETE_TABLE, run.athlete_id,
                              [records.athlete_row(athlete, now)])
        run.report.whole_lists = save_whole(run.store, run.athlete_id, listed, now)
    zone = athlete.get("timezone")
    return today_in(zone if isinstance(zone, str) else None)


def _list_windows(run: RunContext, windows: list[Window], now: str,
                  progress: ProgressCallback) -> None:
    progress(Progress(0, len(windows), f"{len(windows)} windows to list"))
    for done, window in enumerate(windows, start=1):
        counts = sync_window(run, window, now)
        progress(Progress(done, len(windows),
                          f"{window.resource} {window.start}..{window.end}: "
                          f"{counts.added} new, {counts.updated} changed, "
                          f"{counts.deleted} deleted"))


def _close_resource(run: RunContext, resource: str, today: dt.date, now: str) -> None:
    """End of a good run: drop what lies outside the mirrored range, record coverage."""
    last = horizon(run.settings, resource, today)
    first = run.settings.history_start.isoformat() if run.settings.history_start else None
    table = BY_NAME[resource].table
    outside = run.store.ids_outside(table, run.athlete_id, first, last)
    if outside:
        run.store.delete_ids(table, outside)
        run.counts(resource).deleted += len(outside)
    cov = run.store.coverage(run.athlete_id, resource)
    complete = bool(cov.covered_from and cov.history_start
                    and cov.covered_from <= cov.history_start)
    first_complete = complete and cov.last_full_at is None
    run.store.set_coverage(run.athlete_id, replace(
        cov, covered_to=max(filter(None, [cov.covered_to, last])), last_ok_at=now,
        last_full_at=now if run.full or first_complete else cov.last_full_at))


def _full_due(run: RunContext) -> bool:
    """A full re-verify every ``full_every_days``, counted from the last one.

    The first complete backfill counts as one, so the first full re-listing comes
    ``full_every_days`` after the history was first mirrored.
    """
    every = run.settings.full_every_days
    if every <= 0:
        return False
    limit = dt.datetime.now(dt.UTC) - dt.timedelta(days=every)
    lasts = [run.store.coverage(run.athlete_id, r).last_full_at for r in run.options.only]
    return any(last is not None and parse_utc(last) < limit for last in lasts)
