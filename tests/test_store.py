"""The store: schema and migrations, read-only opening, and the row mapping users query."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from intervals_mirror import records
from intervals_mirror.demo.build import load_dataset
from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.errors import StoreError
from intervals_mirror.store import Store, schema_version

from mirror_helpers import drop_curves_schema
from server_helpers import before_streams

STUB = {"id": "16358453283", "icu_athlete_id": "i1", "start_date_local": "2026-06-12T18:21:15",
        "source": "STRAVA", "_note": "STRAVA activities are not available via the API"}


def test_new_store_is_wal_with_schema_version_and_views(tmp_path: Path) -> None:
    with Store.open(tmp_path / "m.sqlite") as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert {"fitness", "real_activities", "work_intervals"} <= set(store.db.view_names())


def test_a_store_before_the_pairing_index_gains_it(tmp_path: Path) -> None:
    """get_events looks up what was done for its plans by the plans' ids: a store that a
    release before migration 0008 left gets the index, and ends like a new store."""
    with Store.open(tmp_path / "new.sqlite") as store:
        new = store.db.conn.execute("SELECT type, name, sql FROM sqlite_master "
                                    "ORDER BY name").fetchall()
    path = tmp_path / "old.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP INDEX activities_paired_event")
        conn.execute("PRAGMA user_version = 7")
    conn.close()
    with Store.open(path) as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        plan = " ".join(r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT activity_id FROM workout_activities "
            "WHERE event_id IN ('1', '2')"))
        upgraded = conn.execute("SELECT type, name, sql FROM sqlite_master "
                                "ORDER BY name").fetchall()
    assert "activities_paired_event" in plan
    assert {(t, n) for t, n, _ in upgraded} == {(t, n) for t, n, _ in new}


def test_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store, store.transaction():
        store.upsert("activities", [records.activity_row(STUB, "i1", "2026-01-01T00:00:00Z")])
    with Store.open(path) as store:
        assert store.row_count("activities") == 1


def test_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="upgrade intervals-mirror"):
        Store.open(path)


def test_read_only_store_refuses_writes_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `intervals-mirror sync` first"):
        Store.open(tmp_path / "absent.sqlite", readonly=True)
    Store.open(tmp_path / "m.sqlite").close()
    with Store.open(tmp_path / "m.sqlite", readonly=True) as store, \
            pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.db.conn.execute("DELETE FROM activities")


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    with Store.open(tmp_path / "m.sqlite") as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.upsert("activities", [records.activity_row(STUB, "i1", "t")])
            raise RuntimeError("killed")
        assert store.row_count("activities") == 0


def test_strava_stub_is_flagged_and_keeps_its_json() -> None:
    row = records.activity_row(STUB, "i1", "t")
    assert row["is_stub"] == 1 and row["type"] is None and row["date"] == "2026-06-12"
    assert json.loads(row["raw"]) == STUB


def test_activity_columns_use_the_real_api_keys() -> None:
    activity = {"id": "i5", "start_date_local": "2024-02-29T06:00:00", "type": "Ride",
                "icu_average_watts": 201, "icu_weighted_avg_watts": 220, "icu_intensity": 85.5,
                "icu_training_load": 77, "total_elevation_gain": 420.0, "trainer": True,
                "gear": {"id": "b9", "name": None}, "icu_zone_times": [{"id": "Z1", "secs": 5}]}
    row = records.activity_row(activity, "i1", "t")
    assert (row["average_watts"], row["weighted_average_watts"], row["intensity"],
            row["training_load"], row["elevation_gain"], row["trainer"], row["gear_id"],
            row["date"], row["is_stub"]) == (201, 220, 85.5, 77, 420.0, 1, "b9", "2024-02-29", 0)


def test_custom_wellness_fields_become_rows_and_standard_fields_columns() -> None:
    record = {"id": "2026-06-14", "ctl": 61.9, "atl": 68.4, "restingHR": 47, "hrvSDNN": 40.0,
              "CaffeineMg": 240, "Travel": "no", "Alcohol": None, "sportInfo": [{"type": "Ride"}]}
    row = records.wellness_row(record, "i1", "t")
    assert (row["resting_hr"], row["hrv_sdnn"], row["form"]) == (47, 40.0, -6.5)
    custom = {(c["field"], c["value"]) for c in records.wellness_custom_rows(record, "i1")}
    assert custom == {("CaffeineMg", 240), ("Travel", "no")}


def test_repeated_interval_ids_keep_every_interval() -> None:
    rows = records.interval_rows("i1", "a", [{"id": 7}, {"id": 7}, {}])
    assert [r["id"] for r in rows] == ["i1:7", "i1:#1", "i1:2"]


def _as_version_1(path: Path) -> None:
    """Make a store look as a version-1 release left it: no events.end_date,
    average_speed copied from the API's field (null for swims), custom_fields a table and no
    sport settings, gear or custom_items, and no curves."""
    drop_curves_schema(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ALTER TABLE events DROP COLUMN end_date")
        before_streams(conn)  # the latest migration first
        conn.execute("DROP VIEW custom_fields")
        conn.execute("CREATE TABLE custom_fields AS SELECT id, athlete_id, type AS item_type, "
                     "code, name, field_type, aggregate, raw, fingerprint, synced_at "
                     "FROM custom_items")
        for table in ("sport_settings", "gear", "custom_items"):
            conn.execute(f"DROP TABLE {table}")
        for table in ("activities", "intervals"):
            conn.execute(f"UPDATE {table} SET average_speed = "
                         "json_extract(raw, '$.average_speed')")
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_an_older_store_is_upgraded_in_place(tmp_path: Path) -> None:
    """A version-1 store gains events.end_date, filled from what it holds, on first open."""
    dataset = generate(years=0.25, seed=3, end=dt.date(2026, 6, 30))
    events = [*dataset.events.values(),
              {"id": 1, "start_date_local": "2026-06-01T00:00:00", "end_date_local": None},
              {"id": 2, "start_date_local": "2026-06-01T00:00:00",
               "end_date_local": "2026-06-03T09:30:00"}]
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store, store.transaction():
        load_dataset(store, dataset)
        store.upsert("events", [records.event_row(e, "i1", "t") for e in events])
    _as_version_1(path)
    with Store.open(path) as store:
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        stored = dict(store.db.conn.execute("SELECT id, end_date FROM events"))
    for event in events:   # the end is exclusive when it is a midnight
        first, end = event["start_date_local"][:10], event["end_date_local"]
        last = (first if end is None else end[:10] if not end.endswith("T00:00:00") else
                (dt.date.fromisoformat(end[:10]) - dt.timedelta(days=1)).isoformat())
        assert stored[str(event["id"])] == max(first, last), event
    assert stored["1"] == "2026-06-01" and stored["2"] == "2026-06-03"
    one_day = next(e for e in dataset.events.values() if e["category"] == "NOTE")
    assert stored[str(one_day["id"])] == one_day["start_date_local"][:10]
    _assert_speeds_from_pace_or_distance(path, dataset)


def _assert_speeds_from_pace_or_distance(path: Path, dataset: Dataset) -> None:
    """Swims (average_speed null) have their speed from pace; their intervals from distance
    over moving time; every other activity keeps the API's average_speed."""
    conn = sqlite3.connect(path)
    speeds = dict(conn.execute("SELECT id, average_speed FROM activities"))
    interval_speeds = dict(conn.execute("SELECT id, average_speed FROM intervals"))
    conn.close()
    swims = [a for a in dataset.activities.values() if a.get("type") == "Swim"]
    assert swims and all(a["average_speed"] is None for a in swims)
    for activity in dataset.activities.values():
        expected = (activity.get("pace") if activity.get("type") == "Swim"
                    else activity.get("average_speed"))
        assert speeds[activity["id"]] == expected, activity["id"]
    for swim in swims:
        for interval in dataset.intervals[swim["id"]]["icu_intervals"]:
            assert interval_speeds[f"{swim['id']}:{interval['id']}"] == pytest.approx(
                interval["distance"] / interval["moving_time"], rel=1e-12)
