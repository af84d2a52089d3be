"""The on-demand fetches under get_activity_intervals, get_activity_streams and
get_activity_messages, called as plain functions against the fake API (no MCP): they keep
what they fetched, and say why when they cannot fetch."""

from __future__ import annotations

import dataclasses
import sqlite3

from intervals_mirror.config import Settings
from intervals_mirror.on_demand import fetch_messages, fetch_missing_intervals, fetch_streams
from intervals_mirror.sync import writer_lock

from fake_api import FakeIntervals
from server_helpers import SyncedStore, strip_intervals


def newest_with_intervals(template: SyncedStore) -> str:
    return next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                if v["icu_intervals"])


def stored_intervals(settings: Settings, activity_id: str) -> int:
    conn = sqlite3.connect(settings.db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM intervals WHERE activity_id = ?",
                                (activity_id,)).fetchone()[0])
    finally:
        conn.close()


def test_fetched_intervals_are_kept_in_the_store(live: tuple[FakeIntervals, Settings],
                                                 template: SyncedStore) -> None:
    fake, settings = live
    activity_id = newest_with_intervals(template)
    strip_intervals(settings.db_path, activity_id)
    fake.reset_log()
    outcome = fetch_missing_intervals(settings, activity_id)
    assert outcome.fetched and outcome.why_not is None
    assert [r.api_path for r in fake.requests] == [f"/activity/{activity_id}/intervals"]
    expected = len(template.dataset.intervals[activity_id]["icu_intervals"])
    assert stored_intervals(settings, activity_id) == expected


def test_with_the_api_down_it_says_so_instead_of_raising(offline: Settings,
                                                         template: SyncedStore) -> None:
    activity_id = newest_with_intervals(template)
    strip_intervals(offline.db_path, activity_id)
    outcome = fetch_missing_intervals(offline, activity_id)
    assert not outcome.fetched
    assert outcome.why_not and "unreachable or refused" in outcome.why_not
    assert stored_intervals(offline, activity_id) == 0


def test_without_an_api_key_nothing_is_asked(live: tuple[FakeIntervals, Settings],
                                             template: SyncedStore) -> None:
    fake, settings = live
    fake.reset_log()
    outcome = fetch_missing_intervals(dataclasses.replace(settings, api_key=""),
                                      newest_with_intervals(template))
    assert not outcome.fetched and "no API key is configured" in str(outcome.why_not)
    assert fake.requests == []


def test_while_a_sync_writes_it_says_to_ask_again(live: tuple[FakeIntervals, Settings],
                                                  template: SyncedStore) -> None:
    fake, settings = live
    settings = dataclasses.replace(settings, lock_timeout=0.2)
    fake.reset_log()
    with writer_lock(settings):
        outcome = fetch_missing_intervals(settings, newest_with_intervals(template))
    assert not outcome.fetched and "a sync is running now" in str(outcome.why_not)
    assert fake.requests == []


def newest_ride(template: SyncedStore) -> str:
    return max((a for a in template.dataset.activities.values()
                if a.get("type") == "Ride" and a.get("icu_average_watts")),
               key=lambda a: a["start_date_local"])["id"]


def test_streams_are_fetched_once_with_the_clock(live: tuple[FakeIntervals, Settings],
                                                 template: SyncedStore) -> None:
    fake, settings = live
    ride = newest_ride(template)
    fake.reset_log()
    assert fetch_streams(settings, ride, ("watts",)).fetched
    assert [(r.api_path, r.query["types"]) for r in fake.requests] == [
        (f"/activity/{ride}/streams", "time,watts")]
    fake.reset_log()
    assert fetch_streams(settings, ride, ("watts", "heartrate")).fetched
    assert [r.query["types"] for r in fake.requests] == ["heartrate"]  # only what is missing
    fake.reset_log()
    assert fetch_streams(settings, ride, ("heartrate",)).fetched and fake.requests == []


def test_a_strava_refusal_and_a_vanished_activity_are_told_apart(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = newest_ride(template)
    fake.inject(path="/streams", status=422,
                body='{"status":422,"error":"Cannot read Strava activities via the API"}')
    refused = fetch_streams(settings, ride, ("watts",))
    assert refused.strava and not refused.fetched
    fake.delete_activity(ride)
    gone = fetch_messages(settings, ride)
    assert not gone.fetched and not gone.strava and "no longer has this activity" in str(
        gone.why_not)


def test_parts_are_not_fetched_offline_without_a_key_or_in_the_demo(
        offline: Settings, template: SyncedStore) -> None:
    ride = newest_ride(template)
    down = fetch_messages(offline, ride)
    assert not down.fetched and "unreachable or refused" in str(down.why_not)
    keyless = fetch_streams(dataclasses.replace(offline, api_key=""), ride, ("watts",))
    assert "no API key is configured" in str(keyless.why_not)
    demo = fetch_streams(dataclasses.replace(offline, demo=True), ride, ("watts",))
    assert "demo store" in str(demo.why_not)
