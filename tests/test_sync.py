"""Sync against the fake Intervals.icu API: complete, incremental, cheap, and robust."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from intervals_mirror.errors import AuthError
from intervals_mirror.sync import SyncOptions, run_sync

from conftest import settings_for
from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api, last_run, row_stamps


def days_ago(n: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=n)


def activity_on(fake: FakeIntervals, day: dt.date, *, real: bool = True) -> str:
    """The id of a mirrored activity on or before ``day`` (a real one or a Strava stub)."""
    candidates = sorted(
        (a["start_date_local"], a["id"]) for a in fake.dataset.activities.values()
        if a["start_date_local"][:10] <= day.isoformat() and ("_note" not in a) == real)
    return candidates[-1][1]


def test_full_sync_mirrors_every_object_verbatim(fake_api: FakeIntervals, settings) -> None:
    report = run_sync(settings)
    assert report.status == "ok"
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    run = last_run(settings.db_path)
    assert run["status"] == "ok"
    assert run["activities_added"] == len(fake_api.dataset.activities)
    assert run["requests"] == len(fake_api.requests)


def test_first_sync_batches_intervals_instead_of_one_request_per_activity(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    real = sum(1 for a in fake_api.dataset.activities.values() if "_note" not in a)
    assert fake_api.count("/intervals") == 0
    assert fake_api.count(r"/activities/[^/?]+,") <= real // 50 + 8
    assert len(fake_api.requests) < 60


def test_sync_with_nothing_new_writes_nothing_and_makes_at_most_6_requests(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    before = row_stamps(settings.db_path)
    fake_api.reset_log()
    report = run_sync(settings)
    assert len(fake_api.requests) <= 6
    assert row_stamps(settings.db_path) == before
    assert report.summary().startswith("activities: 0 new, 0 changed, 0 deleted")


def test_incremental_sync_mirrors_adds_edits_and_deletions(fake_api: FakeIntervals,
                                                          settings) -> None:
    run_sync(settings)
    added = fake_api.add_activity(days_ago(0))
    edited = activity_on(fake_api, days_ago(6))
    fake_api.edit_activity(edited, name="Renamed after the fact", icu_rpe=8)
    deleted = activity_on(fake_api, days_ago(12))
    fake_api.delete_activity(deleted)
    wellness_day = max(d for d in fake_api.dataset.wellness if d <= days_ago(3).isoformat())
    fake_api.edit_wellness(wellness_day, hrv=99.5, CaffeineMg=400)
    gone_day = max(d for d in fake_api.dataset.wellness if d <= days_ago(9).isoformat())
    fake_api.delete_wellness(gone_day)
    new_event = fake_api.add_event(dt.date.today() + dt.timedelta(days=20), name="New race")
    future = sorted(e["id"] for e in fake_api.dataset.events.values()
                    if e["start_date_local"][:10] > dt.date.today().isoformat()
                    and e["id"] != new_event["id"])
    fake_api.edit_event(future[0], name="Moved workout")
    fake_api.delete_event(future[1])
    fake_api.reset_log()

    report = run_sync(settings)

    assert_store_equals_api(settings.db_path, fake_api.dataset)
    assert (report.counts["activities"].added, report.counts["activities"].updated,
            report.counts["activities"].deleted) == (1, 1, 1)
    assert report.counts["wellness"].deleted == 1 and report.counts["wellness"].updated == 1
    assert (report.counts["events"].added, report.counts["events"].updated,
            report.counts["events"].deleted) == (1, 1, 1)
    assert report.new_activity_ids == [added["id"]]
    # 5 listings plus one batch of intervals for exactly the new and the edited activity.
    batches = [r for r in fake_api.requests if r.query.get("intervals") == "true"]
    assert len(fake_api.requests) <= 6
    assert len(batches) == 1
    assert set(batches[0].path.rsplit("/", 1)[1].split(",")) == {added["id"], edited}


def test_custom_wellness_fields_are_queryable_without_json(fake_api: FakeIntervals,
                                                           settings) -> None:
    run_sync(settings)
    expected = {(day, key): value for day, record in fake_api.dataset.wellness.items()
                for key, value in record.items()
                if key in {"CaffeineMg", "Alcohol", "Travel"} and value is not None}
    conn = sqlite3.connect(settings.db_path)
    stored = {(d, f): v for d, f, v in conn.execute(
        "SELECT date, field, value FROM wellness_custom")}
    assert expected and {k: v for k, v in stored.items() if k in expected} == expected
    codes = {c for (c,) in conn.execute(
        "SELECT code FROM custom_fields WHERE item_type = 'INPUT_FIELD'")}
    assert {"CaffeineMg", "Alcohol"} <= codes


def test_strava_stubs_are_kept_flagged_and_never_asked_for_intervals(
        fake_api: FakeIntervals, settings) -> None:
    stubs = {a["id"] for a in fake_api.dataset.activities.values() if "_note" in a}
    assert stubs
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    flagged = {i for (i,) in conn.execute("SELECT id FROM activities WHERE is_stub = 1")}
    assert flagged == stubs
    requested = {part for r in fake_api.requests for part in r.path.replace("/", ",").split(",")}
    assert not stubs & requested


def test_deletion_outside_the_recent_window_is_found_by_a_full_sync(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    old = activity_on(fake_api, days_ago(200))
    fake_api.delete_activity(old)
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT count(*) FROM activities WHERE id = ?", (old,)).fetchone()[0]
    run_sync(settings, SyncOptions(full=True))
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def test_history_start_limits_the_backfill(fake_api: FakeIntervals, tmp_path: Path) -> None:
    start = days_ago(100)
    settings = settings_for(fake_api, tmp_path / "m.sqlite", history_start=start.isoformat())
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    oldest = conn.execute("SELECT min(date) FROM activities").fetchone()[0]
    assert oldest >= start.isoformat()
    assert conn.execute("SELECT count(*) FROM activities").fetchone()[0] > 10


def test_only_syncs_the_named_resources(fake_api: FakeIntervals, settings) -> None:
    run_sync(settings, SyncOptions(only=("wellness",)))
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM wellness").fetchone()[0] == len(
        fake_api.dataset.wellness)


def test_rate_limits_server_errors_and_dropped_connections_are_survived(
        fake_api: FakeIntervals, settings) -> None:
    fake_api.inject(path="/activities", status=429, retry_after=0.2, times=2)
    fake_api.inject(path="/wellness", status=503, times=2, body="<html>Bad gateway</html>")
    fake_api.inject(path="/events", drop=True, times=2)
    report = run_sync(settings)
    assert report.status == "ok"
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    statuses = [r.status for r in fake_api.requests]
    assert statuses.count(429) == 2 and statuses.count(503) == 2


def test_retry_after_is_honoured(fake_api: FakeIntervals, settings) -> None:
    fake_api.inject(path="/athlete/", status=429, retry_after=1.0, times=1)
    started = dt.datetime.now()
    run_sync(settings, SyncOptions(only=("events",)))
    assert (dt.datetime.now() - started).total_seconds() >= 1.0


def test_wrong_key_is_reported_clearly_and_store_untouched(fake_api: FakeIntervals,
                                                            tmp_path: Path) -> None:
    settings = settings_for(fake_api, tmp_path / "m.sqlite", api_key="wrong-key-777")
    with pytest.raises(AuthError) as info:
        run_sync(settings)
    assert "401" in str(info.value) and "INTERVALS_API_KEY" in str(info.value)
    assert "wrong-key-777" not in str(info.value)
    assert last_run(settings.db_path)["status"] == "error"
    assert fake_api.count() == 1  # failed fast: no retries


def test_athlete_not_accessible_is_reported_clearly(fake_api: FakeIntervals,
                                                    tmp_path: Path) -> None:
    settings = settings_for(fake_api, tmp_path / "m.sqlite", athlete_id="i999")
    with pytest.raises(AuthError, match="403.*INTERVALS_ATHLETE_ID"):
        run_sync(settings)


def test_a_failed_run_is_logged_and_the_next_one_completes(fake_api: FakeIntervals,
                                                           settings) -> None:
    fake_api.inject(path="/wellness", status=500, times=50)
    with pytest.raises(Exception, match="500"):
        run_sync(settings)
    assert last_run(settings.db_path)["status"] == "error"
    fake_api.clear_faults()
    run_sync(settings)
    assert_store_equals_api(settings.db_path, fake_api.dataset)
