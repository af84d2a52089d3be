"""Sync mirrors the per-activity best-effort curves: complete, cheap, for new and changed
activities only, resumable, and once for a store that predates them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.errors import ApiError
from intervals_mirror.resources import CURVE_KINDS, CURVE_RANGE_DAYS
from intervals_mirror.store import Store, schema_version
from intervals_mirror.sync import SyncOptions, run_sync

from conftest import settings_for
from fake_api import FakeIntervals, Request
from mirror_helpers import assert_store_equals_api, drop_curves_schema, last_run

MIGRATION = next(p for p in (Path(__file__).parents[1] / "sql" / "migrations").glob("*.sql")
                 if "activity_curves" in p.name)


def curve_requests(fake: FakeIntervals) -> list[Request]:
    return [r for r in fake.requests if r.path.endswith("-curves")]


def expected_ranges(fake: FakeIntervals) -> int:
    """How many ranges of CURVE_RANGE_DAYS the real activities' days fall into, counted here
    from the dataset: each range starts at the first day not yet in one."""
    days = sorted({dt.date.fromisoformat(a["start_date_local"][:10])
                   for a in fake.dataset.activities.values() if "_note" not in a})
    ranges, start = 0, None
    for day in days:
        if start is None or day >= start + dt.timedelta(days=CURVE_RANGE_DAYS):
            ranges, start = ranges + 1, day
    return ranges


def test_first_sync_asks_each_curve_endpoint_once_per_year_for_every_sport(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    # configured as 0 ("me"), which these endpoints refuse: they are asked with the real id
    settings = settings_for(fake_api, tmp_path / "mirror.sqlite", athlete_id="0")
    report = run_sync(settings)
    asked = curve_requests(fake_api)
    assert len(asked) == len(CURVE_KINDS) * expected_ranges(fake_api)
    for request in asked:
        assert request.api_path.startswith(f"/athlete/{fake_api.athlete_id}/activity-")
        assert "type" not in request.query  # every sport in one request
        kind = next(k for k in CURVE_KINDS if request.api_path.endswith(k.path))
        assert request.query[kind.points_key] == ",".join(f"{p:g}" for p in kind.points)
    covered = sorted((r.query["oldest"], r.query["newest"][:10]) for r in asked)
    days = sorted(a["start_date_local"][:10] for a in fake_api.dataset.activities.values()
                  if "_note" not in a)
    assert covered[0][0] == days[0] and covered[-1][1] == days[-1]
    real = sum(1 for a in fake_api.dataset.activities.values() if "_note" not in a)
    assert report.curves_fetched == real == last_run(settings.db_path)["curves_fetched"]
    # the line `intervals-mirror sync` prints and the background sync logs
    assert f"; best-effort curves for {real} activities; " in report.summary()
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    fake_api.reset_log()
    run_sync(settings, SyncOptions(full=True))  # a full run verifies every curve again
    assert len(curve_requests(fake_api)) == len(CURVE_KINDS) * expected_ranges(fake_api)


def test_curve_lists_that_want_a_sport_are_asked_sport_by_sport_with_the_same_store(
        fake_api: FakeIntervals, settings: Settings) -> None:
    fake_api.curves_need_type = True
    report = run_sync(settings)
    assert report.error is None
    assert_store_equals_api(settings.db_path, fake_api.dataset)  # curves included
    asked = curve_requests(fake_api)
    refused = [r for r in asked if "type" not in r.query]
    # at most once a kind, in the first range (kinds are asked in parallel): then the whole
    # run asks sport by sport
    assert 1 <= len(refused) <= len(CURVE_KINDS)
    assert len({r.query["oldest"] for r in refused}) == 1
    sports = {a["type"] for a in fake_api.dataset.activities.values() if "_note" not in a}
    assert {r.query["type"] for r in asked if "type" in r.query} == sports


def test_a_deleted_activity_takes_its_curves_and_an_edit_refreshes_them(
        fake_api: FakeIntervals, settings: Settings) -> None:
    run_sync(settings)
    rides = sorted((a["start_date_local"], a["id"]) for a in fake_api.dataset.activities.values()
                   if a.get("icu_average_watts"))
    gone, edited = rides[-1][1], rides[-2][1]
    fake_api.delete_activity(gone)
    old = fake_api.dataset.activities[edited]
    fake_api.edit_activity(edited, icu_average_watts=old["icu_average_watts"] + 30,
                           icu_weighted_avg_watts=old["icu_weighted_avg_watts"] + 30)
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    try:
        left = conn.execute("SELECT (SELECT count(*) FROM activity_curves WHERE activity_id = ?)"
                            " + (SELECT count(*) FROM curve_points WHERE activity_id = ?)",
                            (gone, gone)).fetchone()[0]
        lowest = conn.execute("SELECT min(value) FROM curve_points WHERE activity_id = ? AND "
                              "kind = 'power'", (edited,)).fetchone()[0]
    finally:
        conn.close()
    assert left == 0
    assert lowest >= old["icu_average_watts"] + 30
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def test_a_run_stopped_while_fetching_curves_is_finished_by_the_next(
        fake_api: FakeIntervals, settings: Settings) -> None:
    fake_api.inject(path="activity-hr-curves", status=503, times=50)
    with pytest.raises(ApiError, match="503"):
        run_sync(settings)
    assert last_run(settings.db_path)["status"] == "error"
    fake_api.clear_faults()
    fake_api.reset_log()
    run_sync(settings)
    # the activities and their intervals were kept; every range of curves is asked again
    assert fake_api.count(r"/activities/") == 0
    assert len(curve_requests(fake_api)) == len(CURVE_KINDS) * expected_ranges(fake_api)
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def downgrade_to_before_curves(db: Path) -> None:
    """Make a synced store look as the release before curves left it."""
    drop_curves_schema(db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {int(MIGRATION.name[:4]) - 1}")
    conn.close()


def test_a_store_from_before_curves_upgrades_in_place_and_fetches_them_once(
        fake_api: FakeIntervals, settings: Settings) -> None:
    run_sync(settings)
    downgrade_to_before_curves(settings.db_path)
    conn = sqlite3.connect(settings.db_path)
    activities = conn.execute("SELECT id, raw FROM activities ORDER BY id").fetchall()
    intervals = conn.execute("SELECT count(*) FROM intervals").fetchone()[0]
    conn.close()
    with Store.open(settings.db_path) as store:
        version = store.db.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == schema_version()
        assert store.row_count("activity_curves") == 0
        assert store.db.conn.execute("SELECT id, raw FROM activities ORDER BY id"
                                     ).fetchall() == activities
    fake_api.reset_log()
    report = run_sync(settings)
    assert report.status == "ok" and report.counts["activities"].changed == 0
    assert len(curve_requests(fake_api)) == len(CURVE_KINDS) * expected_ranges(fake_api)
    assert fake_api.count(r"/activities/") == 0  # no intervals fetched again
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT count(*) FROM intervals").fetchone()[0] == intervals
    conn.close()
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    fake_api.reset_log()
    run_sync(settings)
    assert curve_requests(fake_api) == []
