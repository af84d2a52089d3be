"""Streams and comments in the store: an older store gains their tables in place, what was
fetched when is recorded per version of the activity, and a deleted activity takes them
along."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

from intervals_mirror import stream_codec
from intervals_mirror.activity_parts import last_fetch, save_messages, save_streams
from intervals_mirror.analytics.export import export_store
from intervals_mirror.demo.build import load_dataset
from intervals_mirror.demo.dataset import generate
from intervals_mirror.sqlfiles import sql_path
from intervals_mirror.store import Store, schema_version

from mirror_helpers import drop_curves_schema
from server_helpers import before_streams, execute

PARTS = ("streams", "activity_messages", "activity_fetches")
END = dt.date(2026, 6, 30)


def _migration_version() -> int:
    """The schema version the streams migration brings a store to."""
    (path,) = [p for p in sql_path("migrations").glob("*.sql")
               if "CREATE TABLE IF NOT EXISTS streams" in p.read_text(encoding="utf-8")]
    match = re.match(r"(\d{4})_", path.name)
    assert match
    return int(match.group(1))


def _as_before_streams(path: Path) -> None:
    """Make a store look as the release before streams left it (and so before curves)."""
    drop_curves_schema(path)
    conn = sqlite3.connect(path)
    with conn:
        before_streams(conn)
        conn.execute(f"PRAGMA user_version = {_migration_version() - 1}")
    conn.close()


def test_an_older_store_gains_the_tables_in_place(tmp_path: Path) -> None:
    dataset = generate(years=0.2, seed=3, end=END)
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store:
        load_dataset(store, dataset)
    _as_before_streams(path)
    with Store.open(path, check=True) as store:  # as sync opens it: checked, then migrated
        conn = store.db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert store.row_count("activities") == len(dataset.activities)
        assert {"streams_fetched"} <= {r[1] for r in conn.execute("PRAGMA table_info(sync_runs)")}
        activity = next(a for a in dataset.activities.values() if "_note" not in a)
        with store.transaction():
            save_streams(store, activity["id"], dataset.athlete_id,
                         [{"type": "watts", "data": [1, 2]}], ["watts"], "f1", "t")
        assert store.row_count("streams") == 1


def _store_with_an_activity(tmp_path: Path) -> tuple[Store, str]:
    store = Store.open(tmp_path / "m.sqlite")
    dataset = generate(years=0.1, seed=3, end=END)
    load_dataset(store, dataset)
    return store, next(a["id"] for a in dataset.activities.values() if "_note" not in a)


def test_streams_kept_per_version_of_the_activity(tmp_path: Path) -> None:
    store, aid = _store_with_an_activity(tmp_path)
    with store, store.transaction():
        save_streams(store, aid, "i1", [{"type": "time", "data": [0, 1]},
                                        {"type": "watts", "data": [5, 6]}],
                     ["time", "watts", "torque"], "v1", "2026-06-01T10:00:00Z")
        save_streams(store, aid, "i1", [{"type": "heartrate", "data": [90, 91]}],
                     ["heartrate"], "v1", "2026-06-01T11:00:00Z")
        fetch = last_fetch(store, aid, "streams")
        assert fetch and fetch.asked == ("time", "watts", "torque", "heartrate")
        assert fetch.fetched_at == "2026-06-01T11:00:00Z"
        kept = {r[0] for r in store.db.conn.execute("SELECT type FROM streams")}
        assert kept == {"time", "watts", "heartrate"}
        save_streams(store, aid, "i1", [{"type": "watts", "data": [7]}], ["watts"], "v2", "t")
        assert [r[0] for r in store.db.conn.execute("SELECT type FROM streams")] == ["watts"]
        assert last_fetch(store, aid, "streams").asked == ("watts",)  # type: ignore[union-attr]


def test_a_deleted_activity_takes_its_streams_and_comments(tmp_path: Path) -> None:
    store, aid = _store_with_an_activity(tmp_path)
    with store, store.transaction():
        save_streams(store, aid, "i1", [{"type": "watts", "data": [5]}], ["watts"], "v", "t")
        save_messages(store, aid, "i1", [{"id": 9, "content": "hi"}], "v", "t")
        store.delete_ids("activities", [aid])
        for table in PARTS:
            assert store.row_count(table) == 0, table
    assert execute(tmp_path / "m.sqlite", "SELECT count(*) FROM activities WHERE id = ?",
                   aid) == [(0,)]


def test_export_writes_the_samples_not_the_packed_bytes(tmp_path: Path) -> None:
    dataset = generate(years=0.05, seed=3, end=END)
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store:
        load_dataset(store, dataset, parts_days=10)
        expected = {i: stream_codec.decode(data) for i, data in store.db.conn.execute(
            "SELECT id, data FROM streams")}
    assert expected
    export_store(path, tmp_path / "out", "csv")
    with open(tmp_path / "out" / "streams.csv", newline="", encoding="utf-8") as f:
        written = {row["id"]: json.loads(row["data"]) for row in csv.DictReader(f)}
    assert written == expected
