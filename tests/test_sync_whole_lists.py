"""The lists sync keeps whole (sport settings, custom items of every type, gear): mirrored
verbatim with typed columns, kept equal to the API through adds, edits and deletions, cheap,
and a store from the release before them upgraded in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror import records
from intervals_mirror.errors import StoreCorruptError
from intervals_mirror.store import Store, schema_version
from intervals_mirror.sync import run_sync

from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api

SCHEMA_V1 = Path(__file__).parent / "data" / "schema_v1.sql"  # sql/schema.sql of version 1


def rows(db: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def test_sync_mirrors_the_lists_with_typed_columns_and_follows_every_change(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    ride = fake_api.dataset.athlete["sportSettings"][0]
    (stored,) = rows(settings.db_path, "SELECT * FROM sport_settings WHERE id = ?",
                     str(ride["id"]))
    assert stored["types"] == ",".join(ride["types"]) and "Ride" in ride["types"]
    assert (stored["ftp"], stored["lthr"], stored["max_hr"]) == (
        ride["ftp"], ride["lthr"], ride["max_hr"])
    assert json.loads(stored["power_zones"]) == ride["power_zones"]
    assert json.loads(stored["hr_zone_names"]) == ride["hr_zone_names"]
    gear = {g["id"]: g for g in rows(settings.db_path, "SELECT * FROM gear")}
    for item in fake_api.dataset.gear:
        assert (gear[item["id"]]["distance"], gear[item["id"]]["activities"],
                gear[item["id"]]["retired"], gear[item["id"]]["reminders"]) == (
            item["distance"], item["activities"], item["retired"], len(item["reminders"]))
    assert any(g["retired"] for g in gear.values())
    kinds = {r["type"] for r in rows(settings.db_path, "SELECT type FROM custom_items")}
    assert {"INPUT_FIELD", "ACTIVITY_FIELD", "FITNESS_CHART", "ACTIVITY_STREAM",
            "ZONES"} <= kinds

    retired = fake_api.edit_gear(fake_api.dataset.gear[-1]["id"], retired="2026-02-03")
    bike = fake_api.add_gear("Gravel bike", "Bike", purchased="2026-01-02")
    gone_gear = fake_api.dataset.gear[0]["id"]
    fake_api.delete_gear(gone_gear)
    field = fake_api.add_custom_item("INPUT_FIELD", "Lactate (mmol/L)", content={
        "code": "LactateMmol", "type": "numeric", "aggregate": "MAX"})
    chart = next(i for i in fake_api.dataset.custom_items if i["type"] == "FITNESS_CHART")
    fake_api.edit_custom_item(chart["id"], name="Fitness, fatigue and HRV")
    gone_item = next(i for i in fake_api.dataset.custom_items if i["type"] == "ZONES")["id"]
    fake_api.delete_custom_item(gone_item)
    row_settings = fake_api.add_sport_settings(["Kayaking"], ftp=180)
    fake_api.edit_sport_settings(ride["id"], ftp=ride["ftp"] + 7)
    gone_settings = fake_api.dataset.athlete["sportSettings"][-2]["id"]
    fake_api.delete_sport_settings(gone_settings)
    fake_api.reset_log()

    report = run_sync(settings)

    assert_store_equals_api(settings.db_path, fake_api.dataset)
    changes = {table: (c.added, c.updated, c.deleted) for table, c in report.whole_lists.items()}
    assert changes == {"sport_settings": (1, 1, 1), "custom_items": (1, 1, 1), "gear": (1, 1, 1)}
    assert "gear: 1 new, 1 changed, 1 deleted" in report.summary()
    assert len(fake_api.requests) == 6  # nothing else changed: the listings only
    assert rows(settings.db_path, "SELECT retired FROM gear WHERE id = ?", retired["id"]) == [
        {"retired": "2026-02-03"}]
    assert rows(settings.db_path, "SELECT count(*) AS n FROM gear WHERE id IN (?, ?)",
                bike["id"], gone_gear) == [{"n": 1}]
    assert rows(settings.db_path, "SELECT code, field_type, aggregate FROM custom_fields "
                "WHERE id = ?", str(field["id"])) == [
        {"code": "LactateMmol", "field_type": "numeric", "aggregate": "MAX"}]
    assert rows(settings.db_path, "SELECT ftp FROM sport_settings WHERE id IN (?, ?, ?) "
                "ORDER BY ftp", str(ride["id"]), str(row_settings["id"]),
                str(gone_settings)) == [{"ftp": 180}, {"ftp": ride["ftp"] + 7}]


def test_sport_settings_are_asked_for_only_when_the_athlete_lacks_them(
        fake_api: FakeIntervals, settings, monkeypatch: pytest.MonkeyPatch) -> None:
    run_sync(settings)
    assert fake_api.count("/athlete/i104233/sport-settings") == 0
    listed = fake_api.dataset.athlete["sportSettings"]
    fake_api.edit_sport_settings(listed[0]["id"], lthr=171)
    monkeypatch.setattr(fake_api, "_athlete", lambda query: {
        k: v for k, v in fake_api.dataset.athlete.items() if k != "sportSettings"})
    report = run_sync(settings)
    assert fake_api.count("/athlete/i104233/sport-settings") == 1
    assert report.whole_lists["sport_settings"].updated == 1
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def _version_1_store(path: Path, dataset: Any) -> None:
    """A store as the release before these lists left it: schema version 1, its
    custom_fields table filled as that release's sync filled it, one good run."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
    athlete_id, now = dataset.athlete_id, "2026-01-01T00:00:00Z"
    with conn:
        athlete = records.athlete_row(dataset.athlete, now)
        conn.execute(f"INSERT INTO athlete ({', '.join(athlete)}) VALUES "
                     f"({', '.join('?' * len(athlete))})", list(athlete.values()))
        for item in dataset.custom_items:
            raw = records.canonical_json(item)
            content = item.get("content") if isinstance(item.get("content"), dict) else {}
            conn.execute(
                "INSERT INTO custom_fields VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(item["id"]), athlete_id, item["type"], content.get("code"), item["name"],
                 content.get("type"), content.get("aggregate"), raw, records.fingerprint(raw),
                 now))
        conn.execute("INSERT INTO sync_runs (athlete_id, started_at, status, mode, resources) "
                     "VALUES (?, ?, 'ok', 'full', 'activities,wellness,events')",
                     (athlete_id, now))
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_store_of_the_release_before_is_upgraded_in_place_and_filled_by_sync(
        fake_api: FakeIntervals, settings) -> None:
    path = settings.db_path
    dataset = fake_api.dataset
    _version_1_store(path, dataset)
    with Store.open(path, readonly=True, check=True) as old:  # `status` on it: not damage
        assert old.db.conn.execute("PRAGMA user_version").fetchone()[0] == 1
    before = rows(path, "SELECT * FROM custom_fields ORDER BY id")

    with Store.open(path) as store:
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert {"sport_settings", "gear", "custom_items"} <= set(store.db.table_names())
        assert "custom_fields" in store.db.view_names()
    assert rows(path, "SELECT * FROM custom_fields ORDER BY id") == before
    moved = {r["id"]: r for r in rows(path, "SELECT * FROM custom_items")}
    fresh = {str(i["id"]): records.custom_item_row(i, dataset.athlete_id, before[0]["synced_at"])
             for i in dataset.custom_items}
    assert moved == fresh  # the same row a sync would write

    report = run_sync(settings)
    assert report.status == "ok"
    assert not report.whole_lists["custom_items"].changed  # nothing to rewrite
    assert report.whole_lists["gear"].added == len(dataset.gear) > 0
    assert report.whole_lists["sport_settings"].added == len(dataset.athlete["sportSettings"])
    assert_store_equals_api(path, dataset)


def test_a_missing_table_of_the_lists_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE gear")
    conn.close()
    with pytest.raises(StoreCorruptError, match="gear"):
        Store.open(path, check=True)
