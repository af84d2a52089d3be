"""Activities' intervals: fetched 50 activities per request for what a window changed, or
for one activity when a tool asks before sync got there."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from .. import records
from ..api import IntervalsClient
from ..config import Settings
from ..errors import ApiError, NotFoundError
from ..resources import ApiObject, Row
from ..store import Store
from .context import RunContext
from .lock import api_client, writer_lock
from .plan import Window

log = logging.getLogger(__name__)

INTERVAL_BATCH = 50


def intervals_due(run: RunContext, window: Window, rows: list[Row], changed: list[Row],
                  moved: dict[str, ApiObject], moved_intervals: dict[str, dict[str, Any]]
                  ) -> dict[str, dict[str, Any]]:
    """activity id -> intervals to store with the window: those of new or changed
    activities, of unchanged ones whose intervals never arrived, and of moved ones (their
    lookup brought them)."""
    changed_ids = {r["id"] for r in changed}
    missing = run.store.activities_needing_intervals(
        run.athlete_id, window.start, window.end) - changed_ids
    due = [r["id"] for r in changed if not r["is_stub"] and r["id"] not in moved]
    due += [r["id"] for r in rows if r["id"] in missing]
    intervals = _fetch_intervals(run.api, run.athlete_id, due, run.settings.concurrency)
    intervals.update({i: dto for i, dto in moved_intervals.items()
                      if not records.is_strava_stub(moved[i])})
    return intervals


def intervals_part(activity: dict[str, Any]) -> dict[str, Any]:
    """The intervals an activity carries when fetched with ``intervals=true``."""
    return {"icu_intervals": activity.pop("icu_intervals", None) or [],
            "icu_groups": activity.pop("icu_groups", None) or []}


def _fetch_intervals(api: IntervalsClient, athlete_id: str, ids: list[str], concurrency: int
                     ) -> dict[str, dict[str, Any]]:
    """Intervals for many activities, 50 per request; one by one only as a fallback."""
    if not ids:
        return {}
    batches = [ids[i:i + INTERVAL_BATCH] for i in range(0, len(ids), INTERVAL_BATCH)]
    found: dict[str, dict[str, Any]] = {}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for result in pool.map(partial(_fetch_batch, api, athlete_id), batches):
            found.update(result)
    return found


def _fetch_batch(api: IntervalsClient, athlete_id: str, ids: list[str]
                 ) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    try:
        for activity in api.activities_with_intervals(athlete_id, ids):
            if isinstance(activity, dict) and str(activity.get("id")) in ids \
                    and not records.is_strava_stub(activity):
                found[str(activity["id"])] = intervals_part(activity)
    except ApiError as exc:
        if exc.status not in (400, 404, 405, 422):
            raise
        log.info("batch intervals request refused (%s); fetching one by one", exc.status)
    for activity_id in ids:
        if activity_id not in found:
            found[activity_id] = _intervals_of(api, activity_id)
    return found


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
        with api_client(settings, client) as api:
            dto = _intervals_of(api, activity_id)
        with store.transaction():
            store.save_intervals(activity_id, athlete_id, dto)
        return len(dto.get("icu_intervals") or [])
