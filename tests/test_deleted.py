"""The deleted table: what sync finds deleted upstream keeps its last JSON there (what a write
tool deletes is tested with the tools), rows merely beyond the mirrored range do not, and an
older store gains the table on first open."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.sqlfiles import sql_path
from intervals_mirror.store import Store, schema_version
from intervals_mirror.sync import run_sync

from fake_api import FakeIntervals
from mirror_helpers import drop_curves_schema
from server_helpers import SyncedStore, execute


def stored_raw(db: Path, table: str, ident: str) -> dict:
    (raw,), = execute(db, f"SELECT raw FROM {table} WHERE id = ?", ident)
    return json.loads(raw)


def kept(db: Path) -> dict[tuple[str, str], tuple[dict, str, str]]:
    return {(resource, ident): (json.loads(raw), how, athlete)
            for resource, ident, raw, how, athlete in execute(
                db, "SELECT resource, id, raw, how, athlete_id FROM deleted")}


def test_what_sync_finds_deleted_upstream_is_kept_with_its_last_json(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    db = settings.db_path
    today = athlete_today().isoformat()
    activity = max((a for a in fake.dataset.activities.values() if "_note" not in a),
                   key=lambda a: a["start_date_local"])["id"]
    event = min(e["id"] for e in fake.dataset.events.values()
                if e["start_date_local"][:10] >= today)
    day = max(d for d in fake.dataset.wellness if d <= today)
    before = {("activities", activity): stored_raw(db, "activities", activity),
              ("events", str(event)): stored_raw(db, "events", str(event)),
              ("wellness", day): stored_raw(db, "wellness", day)}
    fake.delete_activity(activity)
    fake.delete_event(event)
    fake.delete_wellness(day)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")[:19]

    assert run_sync(settings).status == "ok"

    found = kept(db)
    assert set(found) == set(before)
    for key, raw in before.items():
        assert found[key] == (raw, "sync", template.athlete_id)
    (when,), = execute(db, "SELECT min(deleted_at) FROM deleted")
    assert when[:19] >= started and when.endswith("Z")
    assert execute(db, "SELECT count(*) FROM events WHERE id = ?", str(event)) == [(0,)]


def test_rows_beyond_the_mirrored_range_are_dropped_without_a_trace(
        live: tuple[FakeIntervals, Settings]) -> None:
    """Lowering future_days drops later events from the store, but they still exist upstream:
    nothing was deleted, so nothing is kept."""
    fake, settings = live
    horizon = (athlete_today() + dt.timedelta(days=10)).isoformat()
    beyond = execute(settings.db_path, "SELECT count(*) FROM events WHERE date > ?", horizon)
    assert beyond[0][0] > 0
    assert run_sync(dataclasses.replace(settings, future_days=10)).status == "ok"
    assert execute(settings.db_path, "SELECT count(*) FROM events WHERE date > ?",
                   horizon) == [(0,)]
    assert execute(settings.db_path, "SELECT count(*) FROM deleted") == [(0,)]


def test_an_older_store_gains_the_deleted_table(template: SyncedStore, tmp_path: Path) -> None:
    db = template.copy_to(tmp_path)
    drop_curves_schema(db)  # the curves came after `deleted`: a release before had neither
    deleted_version = int(next(sql_path("migrations").glob("*_deleted.sql")).name[:4])
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP TABLE deleted")
        conn.execute(f"PRAGMA user_version = {deleted_version - 1}")
    conn.close()
    with Store.open(db) as store:
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        columns = [r[1] for r in store.db.conn.execute("PRAGMA table_info(deleted)")]
    assert columns == ["resource", "id", "athlete_id", "raw", "deleted_at", "how"]
