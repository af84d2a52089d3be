"""The refresh and sync-status tools through a real MCP client session: what the mirror holds,
a refresh with progress, a refresh of some resources, and a refresh that cannot reach the API."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today

from conftest import API_KEY
from fake_api import FakeIntervals
from mirror_helpers import row_stamps
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    listed_activities,
    mirror_settings,
    text_of,
)
from write_helpers import demo_copy

pytestmark = pytest.mark.anyio


async def test_get_sync_status_reports_coverage_counts_and_the_last_sync(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_sync_status")
    data = template.dataset
    events = execute(offline.db_path, "SELECT count(*), min(date), max(date) FROM events")[0]
    intervals = sum(len(v["icu_intervals"]) for v in data.intervals.values())
    stubs = sum(1 for a in data.activities.values() if "_note" in a)
    lines = text.splitlines()
    assert lines[0].startswith("mirrored up to ")
    assert f"athlete {data.athlete_id} {data.athlete['name']}; store " in lines[1]
    days = sorted(a["start_date_local"][:10] for a in data.activities.values())
    assert f"activities: {len(data.activities):,} rows, {days[0]} to {days[-1]}; listed " in text
    assert f"wellness: {len(data.wellness):,} rows, {min(data.wellness)} to " \
           f"{max(data.wellness)}; listed " in text
    assert f"events: {events[0]:,} rows, {events[1]} to {events[2]}; listed " in text
    assert f"intervals: {intervals:,} rows; Strava stubs: {stubs:,}; custom field " in text
    assert "last good sync: run 1, " in text and "background sync: off (disabled)" in text
    assert API_KEY not in text


async def test_the_demos_status_says_why_it_never_syncs(template: SyncedStore,
                                                        tmp_path: Path) -> None:
    text = await ask_text(demo_copy(template, tmp_path), "get_sync_status", {})
    assert "background sync: off (the demo store has no account to sync from)" in text, text


async def test_refresh_brings_in_a_new_activity_and_reports_progress(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    added = fake.add_activity(athlete_today(), name="Lunch ride with Sam", type="Ride")
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with connected(settings) as client:
        result = await client.call_tool("refresh", {}, progress_callback=on_progress)
        assert not result.is_error, text_of(result)
        listed = await client.call_tool("get_activities", {"limit": 5})
    text = text_of(result)
    assert result.structured_content is None
    assert listed_activities(text) == [added["id"]]
    assert "activities 1 new, 0 changed, 0 deleted" in text and "Lunch ride with Sam" in text
    assert "intervals for 1 activity" in text
    assert text.splitlines()[-1].startswith("mirrored up to ")
    assert added["id"] in listed_activities(text_of(listed))
    assert len(progress) >= 3 and progress[0][2] == "contacting Intervals.icu"
    done, total, message = progress[-1]
    assert total is not None and done == total and message
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)


async def test_refresh_of_some_resources_only(live: tuple[FakeIntervals, Settings]) -> None:
    _, settings = live
    text = await ask_text(settings, "refresh", {"resources": "wellness,events"})
    assert "): wellness 0 new, 0 changed, 0 deleted; events 0 new, 0 changed, 0 deleted;" \
        in text.splitlines()[0]
    text = await ask_text(settings, "refresh", {"resources": ["Activities"]})
    assert "): activities 0 new, 0 changed, 0 deleted;" in text.splitlines()[0]


async def test_refresh_with_the_network_down_says_so_and_leaves_the_store_untouched(
        offline: Settings) -> None:
    before = row_stamps(offline.db_path)
    result = await ask(offline, "refresh", {})
    assert result.is_error
    text = text_of(result)
    assert text.startswith("refresh failed: cannot reach Intervals.icu")
    assert "answers still come from the mirror (mirrored up to " in text
    assert row_stamps(offline.db_path) == before


async def test_refresh_with_a_bad_key_says_so_and_leaves_the_store_untouched(
        live: tuple[FakeIntervals, Settings], tmp_path: Path) -> None:
    fake, settings = live
    wrong = mirror_settings(settings.db_path, fake.base_url, settings.athlete_id,
                            api_key="wrong-key-4242")
    before = row_stamps(settings.db_path)
    result = await ask(wrong, "refresh", {"full": True})
    assert result.is_error
    assert "refused the API key (401" in text_of(result)
    assert "wrong-key-4242" not in text_of(result)
    assert row_stamps(settings.db_path) == before


async def test_refreshing_events_leaves_the_activities_freshness_alone(
        live: tuple[FakeIntervals, Settings]) -> None:
    _, settings = live
    execute(settings.db_path, "UPDATE sync_state SET last_ok_at = '2026-01-02T03:04:05Z'")
    old = "mirrored up to 2026-01-02 03:04 UTC"
    async with connected(settings) as client:
        refreshed = await client.call_tool("refresh", {"resources": "events"})
        assert not refreshed.is_error, text_of(refreshed)
        activities = await client.call_tool("get_activities", {})
        events = await client.call_tool("get_events", {})
    fresh = text_of(refreshed).splitlines()[-1]
    assert fresh.startswith("mirrored up to ") and fresh != old
    assert text_of(activities).splitlines()[-1] == old
    assert text_of(events).splitlines()[-1] == fresh


async def test_status_and_answers_follow_the_store_as_it_changes_and_when_replaced(
        offline: Settings, template: SyncedStore, tmp_path: Path) -> None:
    """Connections stay open between calls and the status counts are remembered: a commit by
    another connection (a sync) and a replaced store file (a rebuilt demo) still show."""
    rows = len(template.dataset.activities)
    async with connected(offline) as client:
        first = text_of(await client.call_tool("get_sync_status", {}))
        assert f"activities: {rows:,} rows" in first
        assert text_of(await client.call_tool("get_sync_status", {})) == first
        newest = execute(offline.db_path, "SELECT id, date FROM activities "
                                          "ORDER BY start_date_local DESC LIMIT 1")[0]
        execute(offline.db_path, "DELETE FROM activities WHERE id = ?", newest[0])
        after = text_of(await client.call_tool("get_sync_status", {}))
        assert f"activities: {rows - 1:,} rows" in after
        day = {"start_date": newest[1], "end_date": newest[1]}
        assert newest[0] not in text_of(await client.call_tool("get_activities", day))

        other = tmp_path / "other"
        other.mkdir()
        replacement = template.copy_to(other)
        execute(replacement, "DELETE FROM activities WHERE date < ?", newest[1])
        left = execute(replacement, "SELECT count(*) FROM activities")[0][0]
        os.replace(replacement, offline.db_path)
        replaced = text_of(await client.call_tool("get_sync_status", {}))
        assert f"activities: {left:,} rows" in replaced and left < rows - 1
        assert newest[0] in text_of(await client.call_tool("get_activities", day))


def test_remembered_figures_are_computed_again_only_after_a_commit(offline: Settings) -> None:
    from intervals_mirror.tools.readers import Readers

    readers, computed = Readers(offline), []
    try:
        for _ in range(3):
            with readers() as store:
                readers.remember(store, "n", lambda: computed.append(1) or len(computed))
        assert len(computed) == 1
        execute(offline.db_path, "UPDATE athlete SET name = 'Renamed'")
        with readers() as store:
            assert readers.remember(store, "n", lambda: computed.append(1) or len(computed)) == 2
    finally:
        readers.close()
