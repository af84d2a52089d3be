"""An empty mirror never reads as "you did not train": until a sync has listed a resource,
every tool about it is a tool error with the cause of the last failed sync and what to do,
and `status` says the first sync failed (exit 1)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.cli import main
from intervals_mirror.config import Settings
from intervals_mirror.demo.build import demo_settings
from intervals_mirror.errors import ApiError
from intervals_mirror.sync import SyncOptions, run_sync

from fake_api import FakeIntervals
from server_helpers import ask, connected, dead_base_url, mirror_settings, text_of

DATA_TOOLS: list[tuple[str, dict[str, Any]]] = [
    ("get_activities", {}), ("get_activity_details", {"activity_id": "i1"}),
    ("get_activity_intervals", {"activity_id": "i1"}), ("get_wellness_data", {}),
    ("get_events", {}), ("get_event_by_id", {"event_id": 1}), ("get_training_summary", {}),
    ("get_fitness_trend", {}), ("get_wellness_trends", {}), ("get_interval_stats", {}),
    ("compare_periods", {"a_start": "2026-01-01", "a_end": "2026-01-31",
                         "b_start": "2025-01-01", "b_end": "2025-01-31"}),
    ("query_sql", {"sql": "SELECT count(*) FROM activities"}),
    ("get_athlete_power_curves", {}), ("get_athlete_hr_curves", {}),
    ("get_athlete_pace_curves", {}), ("get_zone_distribution", {}),
    ("get_plan_compliance", {}), ("get_fitness_markers", {}),
]


def failed_first_sync(settings: Settings) -> str:
    """Run the first sync, which fails; returns the error it recorded in the store."""
    with pytest.raises(ApiError):
        run_sync(settings)
    conn = sqlite3.connect(settings.db_path)
    try:
        (error,) = conn.execute("SELECT error FROM sync_runs ORDER BY id DESC").fetchone()
    finally:
        conn.close()
    return str(error)


@pytest.fixture
def unreachable(tmp_path: Path) -> tuple[Settings, str]:
    """A store whose first sync could not reach the API: created, with no data."""
    settings = mirror_settings(tmp_path / "mirror.sqlite", dead_base_url(), "i104233",
                               max_retries=0)
    return settings, failed_first_sync(settings)


@pytest.mark.anyio
async def test_every_data_tool_gives_the_cause_of_the_failed_first_sync(
        unreachable: tuple[Settings, str]) -> None:
    settings, error = unreachable
    assert "cannot reach Intervals.icu" in error
    async with connected(settings) as client:
        for tool, args in DATA_TOOLS:
            result = await client.call_tool(tool, args)
            text = text_of(result)
            assert result.is_error, (tool, text)
            assert text.startswith("nothing is mirrored yet: the last sync ("), (tool, text)
            assert f"failed: {error}" in text, tool
            assert "call refresh" in text, tool
        status = await client.call_tool("get_sync_status", {})
    assert not status.is_error  # the status is how to see what happened


@pytest.mark.anyio
async def test_a_refused_key_on_the_first_sync_is_what_the_tools_say(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    settings = mirror_settings(tmp_path / "mirror.sqlite", fake_api.base_url,
                               str(fake_api.dataset.athlete["id"]), api_key="wrong-key-1234")
    error = failed_first_sync(settings)
    result = await ask(settings, "get_wellness_data")
    assert result.is_error
    assert "refused the API key (401 Unauthorized)" in error and error in text_of(result)
    assert "wrong-key-1234" not in text_of(result)


@pytest.mark.anyio
async def test_a_resource_no_sync_listed_is_refused_while_the_others_answer(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    settings = mirror_settings(tmp_path / "mirror.sqlite", fake_api.base_url,
                               str(fake_api.dataset.athlete["id"]))
    run_sync(settings, SyncOptions(only=("events",)))
    async with connected(settings) as client:
        events = await client.call_tool("get_events", {})
        activities = await client.call_tool("get_activities", {})
        summary = await client.call_tool("get_training_summary", {})
    assert not events.is_error, text_of(events)
    for result in (activities, summary):
        assert result.is_error
        assert text_of(result).startswith("no activities mirrored yet: the last sync (")
        assert "did not include them" in text_of(result)


@pytest.mark.anyio
async def test_without_a_key_or_a_store_the_tools_say_what_to_configure(tmp_path: Path
                                                                         ) -> None:
    settings = mirror_settings(tmp_path / "mirror.sqlite", dead_base_url(), "i104233",
                               api_key="")
    result = await ask(settings, "get_activities")
    text = text_of(result)
    assert result.is_error
    assert "No API key: set INTERVALS_API_KEY (or API_KEY)" in text
    assert "claude_desktop_config.json" in text
    assert "refresh" not in text  # refresh would fail for the same reason


@pytest.mark.anyio
async def test_without_a_demo_store_the_demo_server_says_to_build_it(tmp_path: Path) -> None:
    settings = demo_settings(mirror_settings(tmp_path / "mirror.sqlite", dead_base_url(),
                                             "i104233"))
    result = await ask(settings, "get_activities")
    assert result.is_error
    assert "build it with `intervals-mirror demo`" in text_of(result)
    assert "refresh" not in text_of(result) and "intervals-mirror sync" not in text_of(result)


def test_status_says_the_first_sync_failed_and_exits_1(
        unreachable: tuple[Settings, str], capsys: pytest.CaptureFixture[str]) -> None:
    settings, error = unreachable
    assert main(["--db", str(settings.db_path), "status"]) == 1
    out = capsys.readouterr().out
    assert "nothing is mirrored yet: the last sync (" in out
    assert f"failed: {error}. Fix that, then run `intervals-mirror sync`" in out
    assert "athlete:" not in out and "freshness:" not in out
    assert main(["--db", str(settings.db_path), "status", "--json"]) == 1
    assert error in capsys.readouterr().out
