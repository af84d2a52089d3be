"""The refresh and sync-status tools through a real MCP client session: what the mirror holds,
a refresh with progress, a refresh of some resources, and a refresh that cannot reach the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intervals_mirror.config import Settings

from conftest import API_KEY
from fake_api import FakeIntervals
from mirror_helpers import row_stamps
from server_helpers import (
    SyncedStore,
    answer,
    ask,
    connected,
    execute,
    mirror_settings,
    text_of,
)

pytestmark = pytest.mark.anyio


async def test_get_sync_status_reports_coverage_counts_and_the_last_sync(
        offline: Settings, template: SyncedStore) -> None:
    text, data = await answer(offline, "get_sync_status")
    status = data["status"]
    assert status["resources"]["activities"]["rows"] == len(template.dataset.activities)
    assert status["resources"]["wellness"]["rows"] == len(template.dataset.wellness)
    assert status["row_counts"]["events"] == status["resources"]["events"]["rows"] > 0
    assert status["last_ok_sync"]["status"] == "ok"
    assert data["background_sync"]["running"] is False
    assert f"activities: {len(template.dataset.activities):,} rows" in text
    assert text.splitlines()[0] == data["freshness"]
    assert "last good sync: run" in text and API_KEY not in text


async def test_refresh_brings_in_a_new_activity_and_reports_progress(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    added = fake.add_activity(dt.date.today(), name="Lunch ride with Sam", type="Ride")
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with connected(settings) as client:
        result = await client.call_tool("refresh", {}, progress_callback=on_progress)
        assert not result.is_error, text_of(result)
        listed = await client.call_tool("get_activities", {"limit": 5})
    data, text = result.structured_content, text_of(result)
    assert [a["id"] for a in data["new_activities"]] == [added["id"]]
    assert data["counts"]["activities"]["added"] == 1
    assert data["intervals_fetched"] >= 1
    assert "activities 1 new" in text and "Lunch ride with Sam" in text
    assert text.splitlines()[-1] == data["freshness"]
    assert added["id"] in [a["id"] for a in listed.structured_content["activities"]]
    assert len(progress) >= 3 and progress[0][2] == "contacting Intervals.icu"
    done, total, message = progress[-1]
    assert total is not None and done == total and message
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)


async def test_refresh_of_some_resources_only(live: tuple[FakeIntervals, Settings]) -> None:
    _, settings = live
    _, data = await answer(settings, "refresh", {"resources": "wellness,events"})
    assert set(data["counts"]) == {"wellness", "events"}
    assert data["resources"] == ["wellness", "events"]
    _, data = await answer(settings, "refresh", {"resources": ["Activities"]})
    assert set(data["counts"]) == {"activities"}


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
    assert refreshed.structured_content["freshness"] != old
    assert activities.structured_content["freshness"] == old
    assert events.structured_content["freshness"] == refreshed.structured_content["freshness"]
