"""Keeps the store fresh while the server runs: one background sync every interval.

APScheduler only. The job never overlaps itself (``max_instances=1``, missed runs coalesce)
and never overlaps a cron ``sync`` or the refresh tool either: ``run_sync`` takes the writer
lock, and a job that cannot get it skips this round quietly. Errors are logged, never raised:
a background job must not take the server down because the network is off.

APScheduler and the sync machinery (httpx) are imported when the scheduler starts, not when
the server is built: the server answers ``initialize`` first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import IntervalsMirrorError, LockTimeoutError, StoreError
from .queries.status import last_ok_sync
from .store import Store, parse_utc

if TYPE_CHECKING:
    from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
        BackgroundScheduler,
    )

log = logging.getLogger(__name__)

JOB_ID = "intervals-mirror-sync"
SyncRunner = Callable[[Settings], Any]


def run_sync(settings: Settings) -> Any:
    """``sync.run_sync``, imported when the first background sync runs."""
    from .sync import run_sync as sync_now

    return sync_now(settings)


def last_good_sync(settings: Settings) -> dt.datetime | None:
    """When the last successful sync finished; None when never (or no store yet)."""
    try:
        with Store.open(settings.db_path, readonly=True) as store:
            run = last_ok_sync(store)
    except StoreError:
        return None
    stamp = run and (run.get("finished_at") or run.get("started_at"))
    return parse_utc(stamp) if stamp else None


def first_run_at(settings: Settings, now: dt.datetime) -> dt.datetime:
    """Now if the store is stale (no good sync within the interval), else one interval after it."""
    last = last_good_sync(settings)
    interval = dt.timedelta(minutes=settings.interval_minutes)
    if last is None or last + interval <= now:
        return now
    return last + interval


def sync_job(settings: Settings, runner: SyncRunner = run_sync) -> None:
    """One background sync; logs what happened and never raises."""
    try:
        report = runner(settings)
    except LockTimeoutError:
        log.info("background sync skipped: another sync is running")
    except IntervalsMirrorError as exc:
        log.warning("background sync failed: %s", exc)
    except Exception:
        log.exception("background sync crashed")
    else:
        if hasattr(report, "summary"):
            log.info("background sync: %s", report.summary())


class SyncScheduler:
    """The server's background sync; ``start()`` does nothing when it has nothing to do."""

    def __init__(self, settings: Settings, *, runner: SyncRunner = run_sync) -> None:
        self.settings = settings
        self._runner = runner
        self._scheduler: BackgroundScheduler | None = None
        self._settled = threading.Event()  # clear while a start runs in the background
        self._settled.set()

    @property
    def enabled(self) -> bool:
        """No job when syncing is switched off (interval 0) or the API cannot be called."""
        return self.settings.interval_minutes > 0 and bool(
            self.settings.api_key and self.settings.athlete_id)

    def start(self) -> None:
        if not self.enabled or self._scheduler is not None:
            if not self.enabled:
                log.info("background sync off (%s)", self.why_off())
            return
        from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
            BackgroundScheduler,
        )

        now = dt.datetime.now(dt.UTC)
        scheduler = BackgroundScheduler(timezone="UTC")
        # Lock waits belong to cron and the refresh tool; the job just skips a busy round.
        settings = dataclasses.replace(self.settings,
                                       lock_timeout=min(self.settings.lock_timeout, 1.0))
        scheduler.add_job(
            sync_job, "interval", args=[settings, self._runner], id=JOB_ID,
            minutes=settings.interval_minutes, next_run_time=first_run_at(settings, now),
            max_instances=1, coalesce=True, misfire_grace_time=None)
        scheduler.start()
        self._scheduler = scheduler
        log.info("background sync every %d min, next at %s", settings.interval_minutes,
                 self.next_run())

    def start_in_background(self) -> threading.Thread:
        """``start()`` in a thread (APScheduler loads and the store is read there); until it
        is done, ``describe`` waits, so a status asked at once is still true."""
        self._settled.clear()
        thread = threading.Thread(target=self._start_and_settle, name="intervals-mirror-sync",
                                  daemon=True)
        thread.start()
        return thread

    def _start_and_settle(self) -> None:
        try:
            self.start()
        except Exception as exc:  # a background nicety must never take the server down
            log.info("background sync not started: %s", exc)
        finally:
            self._settled.set()

    def shutdown(self) -> None:
        """Stop scheduling; a sync in flight finishes its window (each is one transaction)."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    def why_off(self) -> str:
        if self.settings.interval_minutes <= 0:
            return "interval_minutes is 0"
        if not (self.settings.api_key and self.settings.athlete_id):
            return "no API key or athlete id configured"
        return "not started"

    def next_run(self) -> str | None:
        """The next background sync as UTC ISO text, or None when there is none."""
        job = self._scheduler.get_job(JOB_ID) if self._scheduler else None
        when = job.next_run_time if job else None
        return when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z") \
            if when else None

    def describe(self) -> dict[str, Any]:
        self._settled.wait(timeout=30)
        return {"running": self._scheduler is not None,
                "interval_minutes": self.settings.interval_minutes,
                "next_run": self.next_run(),
                "off_reason": None if self._scheduler is not None else self.why_off()}
