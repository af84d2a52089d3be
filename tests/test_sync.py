"""Sync against the fake Intervals.icu API: complete, incremental, cheap, and robust."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.errors import AuthError
from intervals_mirror.sync import SyncOptions, run_sync

from conftest import API_KEY, settings_for
from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api, last_run, row_stamps


def days_ago(n: int) -> dt.date:
    return athlete_today() - dt.timedelta(days=n)


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
    new_event = fake_api.add_event(athlete_today() + dt.timedelta(days=20), name="New race")
    future = sorted(e["id"] for e in fake_api.dataset.events.values()
                    if e["start_date_local"][:10] > athlete_today().isoformat()
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
    # Exactly what is needed: 6 listings (athlete, custom items, gear, and the three dated
    # resources), one batch of intervals for the new and the edited activity, one look-up
    # each for the activity and the event that vanished (they might only have moved to
    # another day), and one request per kind of curve for the days from the edited activity
    # to the new one.
    paths = [r.path.removeprefix("/api/v1") for r in fake_api.requests]
    assert len(paths) == 12
    curves = [r for r in fake_api.requests if r.path.endswith("-curves")]
    days = sorted(fake_api.dataset.activities[i]["start_date_local"][:10]
                  for i in (added["id"], edited))
    assert sorted((r.api_path.split("/")[-1], r.query["oldest"], r.query["newest"][:10])
                  for r in curves) == [(f"activity-{kind}-curves", *days)
                                       for kind in ("hr", "pace", "power")]
    batches = [r.path.rsplit("/", 1)[1] for r in fake_api.requests
               if r.query.get("intervals") == "true"]
    assert sorted(tuple(sorted(b.split(","))) for b in batches) == sorted(
        [tuple(sorted([added["id"], edited])), (deleted,)])
    assert paths.count(f"/athlete/i104233/events/{future[1]}") == 1


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


# -- edge cases found in review ------------------------------------------------------------


def test_an_activity_moved_to_an_old_day_is_kept_as_an_edit(fake_api: FakeIntervals,
                                                            settings) -> None:
    run_sync(settings)
    moved = activity_on(fake_api, days_ago(2))
    old_day = days_ago(100).isoformat()
    fake_api.edit_activity(moved, start_date_local=f"{old_day}T07:00:00")
    event = sorted(e["id"] for e in fake_api.dataset.events.values()
                   if e["start_date_local"][:10] > days_ago(0).isoformat())[0]
    fake_api.edit_event(event, start_date_local=f"{days_ago(400).isoformat()}T00:00:00")
    report = run_sync(settings)
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    assert (report.counts["activities"].updated, report.counts["activities"].deleted) == (1, 0)
    assert (report.counts["events"].updated, report.counts["events"].deleted) == (1, 0)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT date FROM activities WHERE id = ?", (moved,)).fetchone() == (
        old_day,)
    assert conn.execute("SELECT count(*) FROM intervals WHERE activity_id = ?",
                        (moved,)).fetchone()[0] == len(
        fake_api.dataset.intervals[moved]["icu_intervals"])


def test_an_old_activity_moved_into_the_recent_days_is_not_announced_as_new(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    moved = activity_on(fake_api, days_ago(300))
    fake_api.edit_activity(moved, start_date_local=f"{days_ago(1).isoformat()}T07:00:00")
    report = run_sync(settings)
    assert report.new_activity_ids == []
    assert report.counts["activities"].updated == 1
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def test_a_full_sync_finds_the_oldest_objects_deleted(fake_api: FakeIntervals,
                                                     settings) -> None:
    run_sync(settings)
    oldest = min(fake_api.dataset.activities.values(), key=lambda a: a["start_date_local"])
    fake_api.delete_activity(oldest["id"])
    fake_api.delete_wellness(min(fake_api.dataset.wellness))
    report = run_sync(settings, SyncOptions(full=True))
    assert report.counts["activities"].deleted == 1 and report.counts["wellness"].deleted == 1
    assert_store_equals_api(settings.db_path, fake_api.dataset)


def test_a_periodic_full_sync_is_logged_as_full(fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    with conn:
        conn.execute("UPDATE sync_state SET last_full_at = '2000-01-01T00:00:00Z'")
    report = run_sync(settings)
    assert report.mode == "full" and last_run(settings.db_path)["mode"] == "full"


def test_the_first_sync_mirrors_the_whole_history_and_is_logged_as_full(
        fake_api: FakeIntervals, settings) -> None:
    first = run_sync(settings)
    assert first.mode == "full" and last_run(settings.db_path)["mode"] == "full"
    again = run_sync(settings)
    assert again.mode == "incremental" and last_run(settings.db_path)["mode"] == "incremental"


def test_a_run_after_one_that_stopped_early_relists_what_that_one_covered(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    with conn:  # as if the last run stopped 60 days ago, before its recent days were listed
        conn.execute("UPDATE sync_state SET last_ok_at = NULL, covered_to = ?",
                     (days_ago(60).isoformat(),))
    late = fake_api.add_activity(days_ago(45))
    run_sync(settings)
    assert conn.execute("SELECT count(*) FROM activities WHERE id = ?",
                        (late["id"],)).fetchone()[0] == 1


def test_fewer_future_days_drop_the_events_beyond_them(fake_api: FakeIntervals,
                                                      tmp_path: Path) -> None:
    run_sync(settings_for(fake_api, tmp_path / "m.sqlite"))
    shorter = settings_for(fake_api, tmp_path / "m.sqlite", future_days=30)
    run_sync(shorter)
    conn = sqlite3.connect(shorter.db_path)
    horizon = (athlete_today() + dt.timedelta(days=30)).isoformat()
    assert conn.execute("SELECT count(*) FROM events WHERE date > ?", (horizon,)).fetchone()[0] \
        == 0
    assert_store_equals_api(shorter.db_path, fake_api.dataset, future_days=30)


def test_history_imported_into_an_empty_account_is_found_by_the_next_sync(
        tmp_path: Path) -> None:
    from intervals_mirror.demo.dataset import generate

    empty = generate(years=1, seed=11, end=athlete_today())
    for name in ("activities", "intervals", "wellness", "events"):
        getattr(empty, name).clear()
    with FakeIntervals(empty, api_key=API_KEY) as fake:
        settings = settings_for(fake, tmp_path / "m.sqlite")
        run_sync(settings)
        fake.reset_log()
        run_sync(settings)
        assert len(fake.requests) <= 7  # an empty account stays cheap (+1: the history probe)
        for n in (300, 200, 90):  # an old archive imported afterwards
            fake.add_activity(days_ago(n))
            fake.add_wellness(days_ago(n))
        run_sync(settings)
        assert_store_equals_api(settings.db_path, fake.dataset)


def test_events_older_than_any_activity_are_mirrored(fake_api: FakeIntervals,
                                                    settings) -> None:
    first = min(a["start_date_local"][:10] for a in fake_api.dataset.activities.values())
    note = fake_api.add_event(dt.date.fromisoformat(first) - dt.timedelta(days=20),
                              category="NOTE", name="Training diary starts")
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT name FROM events WHERE id = ?", (str(note["id"]),)
                        ).fetchone() == ("Training diary starts",)


def test_an_activity_dated_tomorrow_is_mirrored(fake_api: FakeIntervals, settings) -> None:
    ahead = fake_api.add_activity(athlete_today() + dt.timedelta(days=1))
    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT count(*) FROM activities WHERE id = ?",
                        (ahead["id"],)).fetchone()[0] == 1


def test_a_store_refuses_a_second_athlete(fake_api: FakeIntervals, settings) -> None:
    from intervals_mirror.errors import StoreError

    run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    with conn:
        conn.execute("UPDATE athlete SET id = 'i999', athlete_id = 'i999'")
    with pytest.raises(StoreError, match="mirrors athlete i999, not i104233"):
        run_sync(settings)


def test_recent_days_of_every_resource_are_listed_before_the_backfill(
        fake_api: FakeIntervals, settings) -> None:
    run_sync(settings)
    listings = [(r.path.rsplit("/", 1)[1], r.query["newest"][:10]) for r in fake_api.requests
                if r.path.endswith(("/activities", "/wellness", "/events"))
                and "fields" not in r.query and r.query.get("oldest") != "1970-01-01"]
    first_old = next(i for i, (_, newest) in enumerate(listings)
                     if newest < days_ago(31).isoformat())
    assert {kind for kind, _ in listings[:first_old]} == {"activities", "wellness", "events"}


def test_an_unreadable_retry_after_falls_back_to_backoff(fake_api: FakeIntervals,
                                                         settings) -> None:
    fake_api.inject(path="/athlete/", status=429, times=1, body='{"status":429}')
    fake_api.inject(path="/custom-item", status=503, times=1)
    from intervals_mirror import api

    original = api._retry_after
    api._retry_after = lambda response: original(
        type("R", (), {"headers": {"Retry-After": "soon"}})())  # type: ignore[assignment]
    try:
        assert run_sync(settings, SyncOptions(only=("events",))).status == "ok"
    finally:
        api._retry_after = original


def test_a_long_retry_after_fails_fast_with_the_wait(fake_api: FakeIntervals,
                                                     settings) -> None:
    from intervals_mirror.errors import RateLimitedError

    fake_api.inject(path="/athlete/", status=429, retry_after=3600, times=5)
    started = dt.datetime.now()
    with pytest.raises(RateLimitedError, match="wait 3600s"):
        run_sync(settings)
    assert (dt.datetime.now() - started).total_seconds() < 5


def test_intervals_that_never_arrived_are_fetched_by_the_next_sync(fake_api: FakeIntervals,
                                                                   settings) -> None:
    run_sync(settings)
    activity = activity_on(fake_api, days_ago(3))
    conn = sqlite3.connect(settings.db_path)
    with conn:  # as if a run had stored the activity but died before its intervals
        conn.execute("DELETE FROM intervals WHERE activity_id = ?", (activity,))
        conn.execute("UPDATE activities SET intervals_fingerprint = NULL WHERE id = ?",
                     (activity,))
    fake_api.reset_log()
    report = run_sync(settings)
    assert report.intervals_fetched == 1
    batches = [r.path.rsplit("/", 1)[1] for r in fake_api.requests
               if r.query.get("intervals") == "true"]
    assert batches == [activity]
    assert_store_equals_api(settings.db_path, fake_api.dataset)
