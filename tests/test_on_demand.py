"""The on-demand fetch under get_activity_intervals, called as a plain function against the
fake API (no MCP): it keeps what it fetched, and says why when it cannot fetch."""

from __future__ import annotations

import dataclasses
import sqlite3

from intervals_mirror.config import Settings
from intervals_mirror.on_demand import fetch_missing_intervals
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
