"""[sync] streams_days: sync keeps the streams of the last days' activities, new and changed
ones only, so a sync with nothing new asks for none; a deleted activity takes them along,
and its comments too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from intervals_mirror.config import Settings
from intervals_mirror.on_demand import fetch_messages
from intervals_mirror.sync import run_sync
from intervals_mirror.validate import today_in

from fake_api import FakeIntervals
from server_helpers import SyncedStore, execute

DAYS = 10
STREAMS = re.compile(r"^/activity/[^/]+/streams$")


def recent_real_ids(settings: Settings, template: SyncedStore) -> set[str]:
    today = today_in(template.dataset.athlete.get("timezone"))
    first = (today - dt.timedelta(days=DAYS - 1)).isoformat()
    return {r[0] for r in execute(settings.db_path, "SELECT id FROM activities WHERE date >= ? "
                                  "AND is_stub = 0", first)}


def test_sync_keeps_the_streams_of_the_last_days(live: tuple[FakeIntervals, Settings],
                                                 template: SyncedStore) -> None:
    fake, settings = live
    keeping = dataclasses.replace(settings, streams_days=DAYS)
    fake.reset_log()
    report = run_sync(keeping)
    recent = recent_real_ids(settings, template)
    assert len(recent) >= 3
    asked = {r.api_path.split("/")[2] for r in fake.requests if STREAMS.match(r.api_path)}
    assert asked == recent and report.streams_fetched == len(recent)
    kept = {r[0] for r in execute(settings.db_path, "SELECT DISTINCT activity_id FROM streams")}
    recorded = [a for a in recent if template.dataset.activities[a].get("stream_types")]
    assert kept == set(recorded)
    assert execute(settings.db_path, "SELECT streams_fetched FROM sync_runs "
                   "ORDER BY id DESC LIMIT 1") == [(len(recent),)]

    fake.reset_log()
    again = run_sync(keeping)
    assert fake.count(STREAMS) == 0 and again.streams_fetched == 0
    assert again.requests == run_sync(settings).requests  # nothing new: no cost

    edited, gone = sorted(recorded)[:2]
    fake.add_message(gone, "Strong finish")
    assert fetch_messages(settings, gone).fetched
    assert execute(settings.db_path, "SELECT count(*) FROM activity_messages "
                   "WHERE activity_id = ?", gone) == [(1,)]
    fake.edit_activity(edited, name="Renamed")
    fake.delete_activity(gone)
    fake.reset_log()
    run_sync(keeping)
    assert [r.api_path for r in fake.requests if STREAMS.match(r.api_path)] == [
        f"/activity/{edited}/streams"]
    for table in ("streams", "activity_messages", "activity_fetches"):
        assert execute(settings.db_path, f"SELECT count(*) FROM {table} WHERE activity_id = ?",
                       gone) == [(0,)]


def test_streams_days_off_asks_for_no_streams(live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    fake.reset_log()
    report = run_sync(settings)
    assert fake.count(STREAMS) == 0 and report.streams_fetched == 0
    assert "streams for" not in report.summary()
