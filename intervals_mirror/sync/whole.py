"""The lists kept whole (sport settings, custom items, gear): listed in full, and the table
made to hold exactly what was listed, on every run and when a tool asks (gear refresh).

Deletions upstream are rows missing from the list: they are deleted here too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..api import IntervalsClient
from ..config import Settings
from ..errors import StoreError
from ..resources import WHOLE_BY_TABLE
from ..store import Coverage, Store, utc_now
from .lock import api_client, writer_lock
from .report import ResourceCounts

log = logging.getLogger("intervals_mirror.sync")

Listed = dict[str, list[Any]]


def list_whole(api: IntervalsClient, athlete_id: str, athlete: dict[str, Any],
               tables: Sequence[str] = tuple(WHOLE_BY_TABLE)) -> Listed:
    """table -> the objects the API lists (before anything is written)."""
    return {table: WHOLE_BY_TABLE[table].list_all(api, athlete_id, athlete) for table in tables}


def save_whole(store: Store, athlete_id: str, listed: Listed, now: str
               ) -> dict[str, ResourceCounts]:
    """Make each table hold exactly what was listed, and mark it listed now (inside the
    caller's transaction); returns what changed per table."""
    changes = {}
    for table, objects in listed.items():
        whole = WHOLE_BY_TABLE[table]
        rows = [whole.make_row(obj, athlete_id, now) for obj in objects
                if isinstance(obj, dict) and obj.get("id") is not None]
        changes[table] = ResourceCounts(*store.replace_all(table, athlete_id, rows))
        store.set_coverage(athlete_id, Coverage(table, last_ok_at=now))
        if changes[table].changed:
            log.info("%s: %d new, %d changed, %d deleted", table, changes[table].added,
                     changes[table].updated, changes[table].deleted)
    return changes


def refresh_whole_list(settings: Settings, table: str, *,
                       client: IntervalsClient | None = None) -> ResourceCounts:
    """List one whole list now (a tool asked for fresh gear), under the writer lock.

    Raises ``StoreError`` before the first sync (whose athlete is unknown), ``ApiError`` when
    the API cannot be reached.
    """
    settings.require_credentials()
    with writer_lock(settings), Store.open(settings.db_path) as store:
        row = store.db.conn.execute("SELECT id FROM athlete LIMIT 1").fetchone()
        if row is None:
            raise StoreError("nothing is mirrored yet: run a sync first")
        with api_client(settings, client) as api:
            listed = list_whole(api, row[0], {}, (table,))
        with store.transaction():
            return save_whole(store, row[0], listed, utc_now())[table]

