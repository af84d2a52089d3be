"""One sync run: plan date windows, list them, diff against the store, write each in one
transaction, fetch intervals for what is new or changed, and log the run.

The list endpoints filter by date only, so a run lists
  (a) a recent window (``lookback_days``, never less than since the last good run) and, for
      wellness and events, the future (``future_days``);
  (b) every window not yet covered, newest first, down to where the history begins
      (``history_start``, or the oldest day the API has data for);
  (c) on ``--full`` or every ``full_every_days``, everything.
Objects missing from a fully listed window are deletions. Backfill progress is committed
with each window, so a killed run resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from filelock import FileLock, Timeout

from . import records
from .api import IntervalsClient
from .config import Settings
from .errors import (
    ApiError,
    IntervalsMirrorError,
    LockTimeoutError,
    NotFoundError,
    StoreError,
)
from .store import RESOURCES, Coverage, Store, parse_utc, utc_now
from .validate import today_in

log = logging.getLogger(__name__)

# Days per listed window: big enough for few requests, small enough that memory stays flat
# and a killed run loses little.
WINDOW_DAYS = {"activities": 182, "wellness": 366, "events": 366}
INTERVAL_BATCH = 50
MAX_EVENT_CHECKS = 20  # vanished events looked up one by one, in case they only moved
ACTIVITY_SLACK_DAYS = 2
EPOCH = "1970-01-01"


@dataclass(frozen=True)
class SyncOptions:
    full: bool = False
    since: dt.date | None = None
    only: tuple[str, ...] = RESOURCES


@dataclass(frozen=True)
class Progress:
    """One step of a run, for a terminal bar or an MCP progress notification."""

    done: int
    total: int
    message: str


ProgressCallback = Callable[[Progress], None]


@dataclass
class ResourceCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted


@dataclass
class SyncReport:
    run_id: int
    mode: str
    resources: tuple[str, ...]
    status: str = "running"
    counts: dict[str, ResourceCounts] = field(default_factory=dict)
    intervals_fetched: int = 0
    requests: int = 0
    duration_s: float = 0.0
    error: str | None = None
    athlete_id: str | None = None
    new_activity_ids: list[str] = field(default_factory=list)

    def flat_counts(self) -> dict[str, int]:
        out = {f"{r}_{k}": getattr(c, k) for r, c in self.counts.items()
               for k in ("added", "updated", "deleted")}
        out["intervals_fetched"] = self.intervals_fetched
        return out

    def summary(self) -> str:
        parts = [f"{r}: {c.added} new, {c.updated} changed, {c.deleted} deleted"
                 for r, c in self.counts.items()]
        return (f"{'; '.join(parts)}; intervals for {self.intervals_fetched} activities; "
                f"{self.requests} requests in {self.duration_s:.1f}s")


@dataclass(frozen=True)
class Window:
    resource: str
    start: str  # YYYY-MM-DD, inclusive
    end: str
    backfill: bool  # older than the recent days: history not listed yet
    last_recent: bool = False  # the last of the recent windows: its commit means "fresh"


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
    with writer_lock(settings), _client(settings, client) as api, \
            Store.open(settings.db_path) as store:
        return _Run(settings, options, api, store, progress).execute()


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time across processes: cron, the server's job and the refresh tool."""
    lock = FileLock(f"{settings.db_path}.lock")
    try:
        settings.db_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=settings.lock_timeout)
    except Timeout:
        raise LockTimeoutError(
            f"another sync is writing {settings.db_path} and did not finish within "
            f"{settings.lock_timeout:.0f}s; try again later (or raise lock_timeout under [sync])"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot use {settings.db_path} as the store: {exc.strerror or exc}; "
                         "set INTERVALS_MIRROR_DB (or [store] path) to a file in a writable "
                         "folder") from None
    try:
        yield
    finally:
        lock.release()


def sync_running(settings: Settings) -> bool:
    """Whether some process holds the writer lock right now."""
    lock = FileLock(f"{settings.db_path}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:
        return False  # no lock file can exist there, so nothing holds it
    lock.release()
    return False


@contextmanager
def _client(settings: Settings, client: IntervalsClient | None) -> Iterator[IntervalsClient]:
    """The caller's client, or one of our own that is closed afterwards."""
    if client is not None:
        yield client
        return
    with IntervalsClient(settings) as own:
        yield own


class _Run:
    def __init__(self, settings: Settings, options: SyncOptions, api: IntervalsClient,
                 store: Store, progress: ProgressCallback | None) -> None:
        self.settings = settings
        self.options = options
        self.api = api
        self.store = store
        self.progress = progress or (lambda p: None)
        self.requests_at_start = api.requests_made
        self.athlete_id = settings.athlete_id
        self.full = options.full
        self.report = SyncReport(run_id=0, mode="full" if options.full else "incremental",
                                 resources=options.only)

    def execute(self) -> SyncReport:
        started = time.monotonic()
        self.report.run_id = self.store.start_run(self.athlete_id, self.report.mode,
                                                  self.options.only)
        try:
            self._sync()
            self.report.status = "ok"
        except IntervalsMirrorError as exc:
            self._finish(started, "error", str(exc))
            raise
        except BaseException as exc:  # killed by Ctrl-C, or a bug: record it, then re-raise
            self._finish(started, "interrupted" if isinstance(exc, KeyboardInterrupt)
                         else "error", f"{type(exc).__name__}: {exc}"[:500])
            raise
        self._finish(started, "ok", None)
        return self.report

    def _finish(self, started: float, status: str, error: str | None) -> None:
        self.report.status = status
        self.report.error = error
        self.report.duration_s = time.monotonic() - started
        self.report.requests = self.api.requests_made - self.requests_at_start
        self.store.finish_run(self.report.run_id, status=status,
                              counts=self.report.flat_counts(), requests=self.report.requests,
                              duration_s=self.report.duration_s, error=error,
                              athlete_id=self.athlete_id, mode=self.report.mode)

    # -- the plan ------------------------------------------------------------------------------

    def _sync(self) -> None:
        now = utc_now()
        athlete = self.api.athlete(self.settings.athlete_id)
        self.athlete_id = str(athlete.get("id") or self.settings.athlete_id)
        self.report.athlete_id = self.athlete_id
        others = self.store.other_athletes(self.athlete_id)
        if others:
            raise StoreError(
                f"{self.settings.db_path} mirrors athlete {others[0]}, not {self.athlete_id}: "
                "give each athlete a store of their own (--db or INTERVALS_MIRROR_DB)")
        items = self.api.custom_items(self.athlete_id)
        with self.store.transaction():
            self.store.replace_all("athlete", self.athlete_id,
                                   [records.athlete_row(athlete, now)])
            self.store.replace_all("custom_fields", self.athlete_id,
                                   [records.custom_field_row(i, self.athlete_id, now)
                                    for i in items if isinstance(i, dict) and "id" in i])
        zone = athlete.get("timezone")
        today = today_in(zone if isinstance(zone, str) else None)
        if not self.full:
            self.full = self._full_due()
            self.report.mode = "full" if self.full else "incremental"

        coverages = {r: self.store.coverage(self.athlete_id, r) for r in self.options.only}
        floors = self._history_floors(coverages, today)
        with self.store.transaction():
            for resource, floor in floors.items():
                self.store.set_coverage(self.athlete_id,
                                        replace(coverages[resource], history_start=floor))
        fallback = (today - dt.timedelta(days=self.settings.lookback_days)).isoformat()
        windows = [w for r in self.options.only
                   for w in self._windows(r, coverages[r], floors[r], fallback, today)]
        # Every resource's recent days first, then the backfill: a first sync cut short
        # still has this week's wellness and calendar.
        plan = [w for w in windows if not w.backfill] + [w for w in windows if w.backfill]

        self.progress(Progress(0, len(plan), f"{len(plan)} windows to list"))
        for done, window in enumerate(plan, start=1):
            counts = self._sync_window(window, now)
            self.progress(Progress(done, len(plan),
                                   f"{window.resource} {window.start}..{window.end}: "
                                   f"{counts.added} new, {counts.updated} changed, "
                                   f"{counts.deleted} deleted"))

        with self.store.transaction():
            for resource in self.options.only:
                self._close_resource(resource, today, now)
        for resource, counts in self.report.counts.items():
            log.info("%s: %d new, %d changed, %d deleted", resource, counts.added,
                     counts.updated, counts.deleted)

    def _close_resource(self, resource: str, today: dt.date, now: str) -> None:
        """End of a good run: drop what lies outside the mirrored range, record coverage."""
        horizon = self._horizon(resource, today)
        first = self.settings.history_start.isoformat() if self.settings.history_start else None
        outside = self.store.ids_outside(resource, self.athlete_id, first, horizon)
        if outside:
            self.store.delete_ids(resource, outside)
            self.report.counts.setdefault(resource, ResourceCounts()).deleted += len(outside)
        cov = self.store.coverage(self.athlete_id, resource)
        complete = bool(cov.covered_from and cov.history_start
                        and cov.covered_from <= cov.history_start)
        first_complete = complete and cov.last_full_at is None
        self.store.set_coverage(self.athlete_id, replace(
            cov, covered_to=max(filter(None, [cov.covered_to, horizon])), last_ok_at=now,
            last_full_at=now if self.full or first_complete else cov.last_full_at))

    def _full_due(self) -> bool:
        """A full re-verify every ``full_every_days``, counted from the last one.

        The first complete backfill counts as one, so the first full re-listing comes
        ``full_every_days`` after the history was first mirrored.
        """
        every = self.settings.full_every_days
        if every <= 0:
            return False
        limit = dt.datetime.now(dt.UTC) - dt.timedelta(days=every)
        lasts = [self.store.coverage(self.athlete_id, r).last_full_at for r in self.options.only]
        return any(last is not None and parse_utc(last) < limit for last in lasts)

    def _horizon(self, resource: str, today: dt.date) -> str:
        # Activities: two days of slack for athletes ahead of their profile's time zone.
        ahead = ACTIVITY_SLACK_DAYS if resource == "activities" else self.settings.future_days
        return (today + dt.timedelta(days=ahead)).isoformat()

    def _history_floors(self, coverages: dict[str, Coverage], today: dt.date
                        ) -> dict[str, str | None]:
        """The oldest day with data per resource: configured, or probed (None: no data yet).

        Probed on the first run, while an account has no data, and on full runs, which also
        reach back to the oldest stored day so deletions there are found.
        """
        if self.settings.history_start:
            return {r: self.settings.history_start.isoformat() for r in coverages}
        known = {r: c.history_start for r, c in coverages.items()}
        if not self.full and all(known.values()):
            return known
        end = today.isoformat()
        probed: dict[str, str | None] = {}
        if "activities" in coverages or "events" in coverages:
            probed["activities"] = min(self.api.activity_days(self.athlete_id, EPOCH, end),
                                       default=None)
        if "wellness" in coverages or "events" in coverages:
            probed["wellness"] = min(self.api.wellness_days(self.athlete_id, EPOCH, end),
                                     default=None)
        if "events" in coverages:
            # Events have no cheap probe; list what lies before the other resources' start.
            before = min(filter(None, [probed["activities"], probed["wellness"]]), default=None)
            earlier = [records.local_day(e.get("start_date_local")) for e in self.api.events(
                self.athlete_id, EPOCH, _day_before(before))] if before else []
            probed["events"] = min(filter(None, [*earlier, before]), default=None)
        floors: dict[str, str | None] = {}
        for resource in coverages:
            candidates = [probed.get(resource)]
            if self.full:
                candidates += [known[resource], self.store.first_day(resource, self.athlete_id)]
            floors[resource] = min(filter(None, candidates), default=None)
        return floors

    def _windows(self, resource: str, cov: Coverage, floor: str | None, fallback: str,
                 today: dt.date) -> list[Window]:
        if floor is None and resource == "activities" and not cov.covered_from:
            return []  # the probe just listed all of history: there is nothing
        floor = floor or fallback
        horizon = self._horizon(resource, today)
        size = WINDOW_DAYS[resource]
        if self.full:
            return _mark_last_recent(list(_split(resource, floor, horizon, size,
                                                 backfill=False)))
        recent = today - dt.timedelta(days=self.settings.lookback_days)
        if cov.last_ok_at:
            recent = min(recent, parse_utc(cov.last_ok_at).date() - dt.timedelta(days=1))
        elif cov.covered_from:  # an earlier run stopped before its recent days were listed
            recent = min(recent, dt.date.fromisoformat(cov.covered_from))
        if self.options.since:
            recent = min(recent, self.options.since)
        recent_start = max(recent.isoformat(), min(floor, today.isoformat()))
        windows = _mark_last_recent(list(_split(resource, recent_start, horizon, size,
                                                backfill=False)))
        cursor = min(filter(None, [cov.covered_from, recent_start]))
        if cursor > floor:
            windows.extend(_split(resource, floor, _day_before(cursor), size, backfill=True))
        return windows

    # -- one window ----------------------------------------------------------------------------

    def _sync_window(self, window: Window, now: str) -> ResourceCounts:
        if window.resource == "activities":
            delta = self._activities_window(window, now)
        elif window.resource == "wellness":
            delta = self._wellness_window(window, now)
        else:
            delta = self._events_window(window, now)
        return delta

    def _commit_window(self, window: Window, delta: ResourceCounts, now: str) -> None:
        """Inside the window's transaction: the run's counts so far, and the listed range.

        The range grows only where the window touches it; a window that does not (a long
        catch-up, listed newest first) is recorded by the end-of-run update instead, so a
        killed run never claims more than it listed.
        """
        counts = self.report.counts.setdefault(window.resource, ResourceCounts())
        counts.added += delta.added
        counts.updated += delta.updated
        counts.deleted += delta.deleted
        self.store.record_progress(self.report.run_id, counts=self.report.flat_counts(),
                                   requests=self.api.requests_made - self.requests_at_start,
                                   mode=self.report.mode)
        cov = self.store.coverage(self.athlete_id, window.resource)
        if window.last_recent:
            cov = replace(cov, last_ok_at=now)
        if cov.covered_from is None or cov.covered_to is None:
            cov = replace(cov, covered_from=window.start, covered_to=window.end)
        elif window.start <= _day_after(cov.covered_to) and window.end >= _day_before(
                cov.covered_from):
            cov = replace(cov, covered_from=min(cov.covered_from, window.start),
                          covered_to=max(cov.covered_to, window.end))
        self.store.set_coverage(self.athlete_id, cov)

    def _diff(self, table: str, window: Window, rows: list[dict[str, Any]]
              ) -> tuple[list[dict[str, Any]], set[str], ResourceCounts]:
        """What the listing changes: rows to write, ids no longer listed, and the counts.

        An id new to this window but stored under another day was moved: an edit, not new.
        """
        stored = self.store.fingerprints(table, self.athlete_id, window.start, window.end)
        changed = [r for r in rows if stored.get(r["id"]) != r["fingerprint"]]
        unseen = [r["id"] for r in changed if r["id"] not in stored]
        moved_in = self.store.existing_ids(table, unseen)
        new = [i for i in unseen if i not in moved_in]
        gone = set(stored) - {r["id"] for r in rows}
        if table == "activities":
            self.report.new_activity_ids.extend(new)
        return changed, gone, ResourceCounts(len(new), len(changed) - len(new), len(gone))

    def _activities_window(self, window: Window, now: str) -> ResourceCounts:
        listed = self.api.activities(self.athlete_id, window.start, window.end)
        rows = _unique([records.activity_row(a, self.athlete_id, now) for a in listed
                        if isinstance(a, dict) and a.get("id") is not None])
        rows = [r for r in rows if r["date"] is None or window.start <= r["date"] <= window.end]
        changed, gone, delta = self._diff("activities", window, rows)
        moved = self._activities_moved_out(gone)  # id -> (activity, its intervals)
        changed += [records.activity_row(a, self.athlete_id, now) for a, _ in moved.values()]
        gone -= set(moved)
        delta = ResourceCounts(delta.added, delta.updated + len(moved), len(gone))
        changed_ids = {r["id"] for r in changed}
        # New or changed activities, and unchanged ones whose intervals never arrived.
        missing = self.store.activities_needing_intervals(
            self.athlete_id, window.start, window.end) - changed_ids
        due = [r["id"] for r in changed if not r["is_stub"] and r["id"] not in moved]
        due += [r["id"] for r in rows if r["id"] in missing]
        intervals = self._fetch_intervals(due)
        intervals.update({i: dto for i, (a, dto) in moved.items()
                          if not records.is_strava_stub(a)})
        with self.store.transaction():
            self.store.save_activities(changed)
            self.store.delete_ids("activities", gone)
            for activity_id, dto in intervals.items():
                self.store.save_intervals(activity_id, self.athlete_id, dto)
            self.report.intervals_fetched += len(intervals)
            self._commit_window(window, delta, now)
        return delta

    def _activities_moved_out(self, gone: set[str]
                              ) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        """Of the activities a window no longer lists, those that still exist (their date
        was edited): id -> (the list-shaped object, its intervals). One request per 50, and
        only when something vanished."""
        found: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        ids = sorted(gone)
        for start in range(0, len(ids), INTERVAL_BATCH):
            for activity in self.api.activities_with_intervals(
                    self.athlete_id, ids[start:start + INTERVAL_BATCH]):
                if isinstance(activity, dict) and str(activity.get("id")) in gone:
                    dto = _intervals_part(activity)  # takes them off the activity
                    found[str(activity["id"])] = (activity, dto)
        return found

    def _fetch_intervals(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Intervals for many activities, 50 per request; one by one only as a fallback."""
        if not ids:
            return {}
        batches = [ids[i:i + INTERVAL_BATCH] for i in range(0, len(ids), INTERVAL_BATCH)]
        found: dict[str, dict[str, Any]] = {}
        with ThreadPoolExecutor(max_workers=self.settings.concurrency) as pool:
            for result in pool.map(self._fetch_batch, batches):
                found.update(result)
        return found

    def _fetch_batch(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        try:
            for activity in self.api.activities_with_intervals(self.athlete_id, ids):
                if isinstance(activity, dict) and str(activity.get("id")) in ids \
                        and not records.is_strava_stub(activity):
                    found[str(activity["id"])] = _intervals_part(activity)
        except ApiError as exc:
            if exc.status not in (400, 404, 405, 422):
                raise
            log.info("batch intervals request refused (%s); fetching one by one", exc.status)
        for activity_id in ids:
            if activity_id not in found:
                found[activity_id] = _intervals_of(self.api, activity_id)
        return found

    def _wellness_window(self, window: Window, now: str) -> ResourceCounts:
        listed = [r for r in self.api.wellness(self.athlete_id, window.start, window.end)
                  if isinstance(r, dict) and r.get("id")]
        listed = [r for r in listed if window.start <= str(r["id"]) <= window.end]
        rows = _unique([records.wellness_row(r, self.athlete_id, now) for r in listed])
        changed, gone, delta = self._diff("wellness", window, rows)
        changed_ids = {r["id"] for r in changed}
        with self.store.transaction():
            self.store.save_wellness([r for r in listed if str(r["id"]) in changed_ids],
                                     self.athlete_id, now)
            self.store.delete_ids("wellness", gone)
            self._commit_window(window, delta, now)
        return delta

    def _events_window(self, window: Window, now: str) -> ResourceCounts:
        listed = self.api.events(self.athlete_id, window.start, window.end)
        rows = _unique([records.event_row(e, self.athlete_id, now) for e in listed
                        if isinstance(e, dict) and e.get("id") is not None])
        rows = [r for r in rows if r["date"] is None or window.start <= r["date"] <= window.end]
        changed, gone, delta = self._diff("events", window, rows)
        moved = [records.event_row(e, self.athlete_id, now) for e in self._events_moved_out(gone)]
        changed += moved
        gone -= {r["id"] for r in moved}
        delta = ResourceCounts(delta.added, delta.updated + len(moved), len(gone))
        with self.store.transaction():
            self.store.upsert("events", changed)
            self.store.delete_ids("events", gone)
            self._commit_window(window, delta, now)
        return delta

    def _events_moved_out(self, gone: set[str]) -> list[dict[str, Any]]:
        """Of the events a window no longer lists, those that still exist (moved to another
        day). One request each, so only for a few: a calendar cleared wholesale is deleted."""
        if len(gone) > MAX_EVENT_CHECKS:
            return []
        found = []
        for event_id in sorted(gone):
            try:
                found.append(self.api.event(self.athlete_id, event_id))
            except NotFoundError:
                continue
        return found


def _intervals_part(activity: dict[str, Any]) -> dict[str, Any]:
    """The intervals an activity carries when fetched with ``intervals=true``."""
    return {"icu_intervals": activity.pop("icu_intervals", None) or [],
            "icu_groups": activity.pop("icu_groups", None) or []}


def _intervals_of(api: IntervalsClient, activity_id: str) -> dict[str, Any]:
    """One activity's intervals; none when the API has lost or hides it (404, 422)."""
    try:
        return api.activity_intervals(activity_id)
    except NotFoundError:
        # Listed a moment ago but gone now: keep the list's row, without intervals.
        return {"icu_intervals": [], "icu_groups": []}
    except ApiError as exc:
        if exc.status == 422:
            return {"icu_intervals": [], "icu_groups": []}
        raise


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


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {row["id"]: row for row in rows}
    return list(by_id.values())


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def _day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()




def fetch_activity_intervals(
    settings: Settings, activity_id: str, *, client: IntervalsClient | None = None
) -> int:
    """Mirror one activity's intervals now (a tool asked for them before sync got there).

    Goes through the store like any sync, under the writer lock; returns how many intervals
    were stored. Raises ``NotFoundError`` when the activity is not in the store, and
    ``ApiError`` when the API cannot be reached.
    """
    settings.require_credentials()
    with writer_lock(settings), Store.open(settings.db_path) as store:
        row = store.db.conn.execute(
            "SELECT athlete_id, is_stub FROM activities WHERE id = ?", (activity_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"activity {activity_id} is not in the store")
        athlete_id, is_stub = row
        if is_stub:
            return 0
        with _client(settings, client) as api:
            dto = _intervals_of(api, activity_id)
        with store.transaction():
            store.save_intervals(activity_id, athlete_id, dto)
        return len(dto.get("icu_intervals") or [])
