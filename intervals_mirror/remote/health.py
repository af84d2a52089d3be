"""``GET /health``: what a load balancer, an uptime check or Docker's HEALTHCHECK asks.

Open to anyone (it answers before the token check), so it says only what is safe to say in
public: whether the mirror can be read and how fresh it is; never the API key, the token or
where the store lives. The store's facts are read once per change of its files, not on every
call, so a probe every few seconds costs a ``stat`` or two.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import __version__
from ..config import Settings
from ..errors import StoreError
from ..queries.common import athlete
from ..queries.status import freshness, last_failed_run, last_ok_sync
from ..store import Store, parse_utc

OK, DEGRADED, FAILING = "ok", "degraded", "failing"
NO_STORE = {"athlete": None, "activities": None, "last_sync_ok_at": None, "freshness": None}


@dataclass(frozen=True)
class StoreFacts:
    """What /health reports from the store, read in one short read-only visit."""

    athlete: str | None
    activities: int
    last_sync_ok_at: str | None
    freshness: str
    last_failure: dict[str, Any] | None  # the failed run since the last good one, if any

    @classmethod
    def read(cls, path: Path) -> StoreFacts:
        with Store.open(path, readonly=True) as store:
            who = athlete(store)
            good = last_ok_sync(store)
            return cls(athlete=who["id"] if who else None,
                       activities=store.row_count("activities"),
                       last_sync_ok_at=good and (good["finished_at"] or good["started_at"]),
                       freshness=freshness(store), last_failure=last_failed_run(store))


class HealthProbe:
    """Answers /health for one store; keeps the last facts until the store's files change."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._cached: tuple[tuple[Any, ...], StoreFacts] | None = None

    async def endpoint(self, request: Request) -> JSONResponse:
        status, body = await anyio.to_thread.run_sync(self.report)
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    def report(self, now: dt.datetime | None = None) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body): 200 when ok or degraded (serving still works), else 503."""
        try:
            facts = self._facts()
        except (StoreError, sqlite3.Error, OSError) as exc:
            why = self._scrub(str(exc))
            stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
            return 503, self._body(FAILING, NO_STORE, {"at": stamp.replace("+00:00", "Z"),
                                                       "message": why}, why)
        error = facts.last_failure
        reason = self._degraded_because(facts, now or dt.datetime.now(dt.UTC))
        last_error = None if error is None else {
            "at": error["finished_at"] or error["started_at"],
            "message": self._scrub(error["error"] or f"the run ended as {error['status']}")}
        store = {"athlete": facts.athlete, "activities": facts.activities,
                 "last_sync_ok_at": facts.last_sync_ok_at, "freshness": facts.freshness}
        return 200, self._body(DEGRADED if reason else OK, store, last_error, reason)

    def _facts(self) -> StoreFacts:
        path = self.settings.db_path
        if not path.exists():
            raise StoreError("nothing is mirrored yet (no store): run `intervals-mirror sync`, "
                             "or wait for the background sync")
        stamp = tuple(_file_stamp(p) for p in (path, path.with_name(path.name + "-wal")))
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, StoreFacts.read(path))
        return self._cached[1]

    def _degraded_because(self, facts: StoreFacts, now: dt.datetime) -> str | None:
        if facts.last_failure is not None:
            return "the last sync failed (see last_error)"
        if facts.last_sync_ok_at is None:
            return "no sync has finished yet"
        minutes = self.settings.interval_minutes
        age = now - parse_utc(facts.last_sync_ok_at)
        if minutes and age > dt.timedelta(minutes=2 * minutes):
            return (f"the last good sync was {int(age.total_seconds() // 60)} min ago, more "
                    f"than twice the sync interval ({minutes} min)")
        return None

    @staticmethod
    def _body(status: str, store: dict[str, Any], last_error: Any, reason: str | None
              ) -> dict[str, Any]:
        return {"status": status, "version": __version__, "store": store,
                "last_error": last_error, "reason": reason}

    def _scrub(self, text: str) -> str:
        """Errors name the store's path (and could, by mistake, hold a secret): not here."""
        path = self.settings.db_path
        for secret, shown in ((self.settings.api_key, "<api key>"),
                              (self.settings.server_token, "<token>"),
                              (str(path), "<store>"), (str(path.parent), "<data folder>")):
            if secret and len(secret) > 1:
                text = text.replace(secret, shown)
        return text[:300]


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_mtime_ns, info.st_size
