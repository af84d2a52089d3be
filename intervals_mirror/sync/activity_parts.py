"""An activity's streams and messages, from the API into the store: for one activity when a
tool asks (under the writer lock, like any sync), and after a sync's windows the streams of
the last ``[sync] streams_days`` days (new and changed activities only)."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from ..activity_parts import (
    DEFAULT_STREAM_TYPES,
    STREAMS,
    last_fetch,
    save_messages,
    save_streams,
)
from ..api import IntervalsClient
from ..config import Settings
from ..errors import ApiError, NotFoundError
from ..store import Store, utc_now
from .context import RunContext
from .lock import api_client, writer_lock

log = logging.getLogger(__name__)


class StravaActivityError(ApiError):
    """The API refused with 422: the activity is a Strava import it does not share."""


def fetch_activity_streams(settings: Settings, activity_id: str, types: tuple[str, ...], *,
                           client: IntervalsClient | None = None) -> int:
    """Keep the streams of ``types`` (and ``time``) that the store lacks for the activity as it
    is now; a changed activity's kept streams are fetched again with them. Returns how many
    streams came (0 also when nothing was missing any more)."""
    settings.require_credentials()
    with writer_lock(settings), Store.open(settings.db_path) as store:
        athlete_id, fingerprint = _activity(store, activity_id)
        ask = _streams_to_ask(store, activity_id, fingerprint, types)
        if not ask:
            return 0
        with api_client(settings, client) as api:
            streams = _streams_of(api, activity_id, ask)
        with store.transaction():
            return save_streams(store, activity_id, athlete_id, streams, ask, fingerprint,
                                utc_now())


def fetch_activity_messages(settings: Settings, activity_id: str, *,
                            client: IntervalsClient | None = None) -> int:
    """Replace the activity's kept comments with the API's; returns how many there are."""
    settings.require_credentials()
    with writer_lock(settings), Store.open(settings.db_path) as store:
        athlete_id, fingerprint = _activity(store, activity_id)
        with api_client(settings, client) as api:
            try:
                messages = api.activity_messages(activity_id)
            except ApiError as exc:
                raise _strava_or(exc) from None
        with store.transaction():
            return save_messages(store, activity_id, athlete_id, messages, fingerprint,
                                 utc_now())


def keep_recent_streams(run: RunContext, today: dt.date) -> None:
    """The streams of the real activities of the last ``streams_days`` days that are not
    kept for their current version: one request each, each written as it comes."""
    days = run.settings.streams_days
    if days <= 0 or "activities" not in run.options.only:
        return
    first = (today - dt.timedelta(days=days - 1)).isoformat()
    versions = dict(run.store.db.conn.execute(
        "SELECT id, fingerprint FROM activities WHERE athlete_id = ? AND date >= ? "
        "AND is_stub = 0 ORDER BY date DESC", (run.athlete_id, first)).fetchall())
    due = [(aid, ask) for aid, fingerprint in versions.items()
           if (ask := _streams_to_ask(run.store, aid, fingerprint, DEFAULT_STREAM_TYPES))]
    if not due:
        return
    fetch = partial(_recent_streams, run.api)
    with ThreadPoolExecutor(max_workers=run.settings.concurrency) as pool:
        for (activity_id, ask), streams in zip(due, pool.map(fetch, due), strict=True):
            if streams is None:  # gone upstream since it was listed: the next sync drops it
                continue
            with run.store.transaction():
                save_streams(run.store, activity_id, run.athlete_id, streams, ask,
                             versions[activity_id], utc_now())
            run.report.streams_fetched += 1
    log.info("streams kept for %d of %d activities of the last %d days",
             run.report.streams_fetched, len(due), days)


def _recent_streams(api: IntervalsClient, item: tuple[str, tuple[str, ...]]
                    ) -> list[dict[str, Any]] | None:
    activity_id, ask = item
    try:
        return _streams_of(api, activity_id, ask)
    except NotFoundError:
        return None
    except StravaActivityError:
        return []


def _activity(store: Store, activity_id: str) -> tuple[str, str]:
    """(athlete id, fingerprint) of a stored real activity."""
    row = store.db.conn.execute(
        "SELECT athlete_id, fingerprint, is_stub FROM activities WHERE id = ?",
        (activity_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"activity {activity_id} is not in the store")
    if row[2]:
        raise StravaActivityError(f"activity {activity_id} is a Strava import", status=422)
    return row[0], row[1]


def _streams_to_ask(store: Store, activity_id: str, fingerprint: str,
                    types: tuple[str, ...]) -> tuple[str, ...]:
    """The types to request: those not asked for this version of the activity yet, with the
    clock; all of them again if the activity changed since."""
    before = last_fetch(store, activity_id, STREAMS)
    if before is None:
        missing = types
    elif before.fingerprint != fingerprint:
        missing = tuple(dict.fromkeys((*before.asked, *types)))
    else:
        missing = tuple(t for t in types if t not in before.asked)
    if not missing:
        return ()
    kept_clock = before is not None and before.fingerprint == fingerprint \
        and "time" in before.asked
    return missing if kept_clock or "time" in missing else ("time", *missing)


def _streams_of(api: IntervalsClient, activity_id: str, types: tuple[str, ...]
                ) -> list[dict[str, Any]]:
    try:
        return api.activity_streams(activity_id, types)
    except ApiError as exc:
        raise _strava_or(exc) from None


def _strava_or(exc: ApiError) -> ApiError:
    """A 422 about Strava becomes ``StravaActivityError``; anything else stays as it is."""
    if exc.status == 422 and "strava" in str(exc).lower():
        return StravaActivityError(str(exc), status=422)
    return exc

