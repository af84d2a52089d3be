"""The MCP tools through a real MCP client session (in-memory), on a store synced from the fake
API: every tool's answer, offline answers, refresh, progress, and every bad input."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from intervals_mirror.config import Settings
from intervals_mirror.server import create_server

from conftest import API_KEY
from fake_api import FakeIntervals
from mirror_helpers import row_stamps
from server_helpers import (
    SyncedStore,
    dead_base_url,
    half_up,
    make_dataset,
    mirror_settings,
    newest_first,
    text_of,
)

pytestmark = pytest.mark.anyio

TOOLS = {
    "get_activities": {"start_date", "end_date", "limit", "include_unnamed", "activity_type",
                       "athlete_id"},
    "get_activity_details": {"activity_id", "athlete_id"},
    "get_activity_intervals": {"activity_id", "athlete_id"},
    "get_wellness_data": {"start_date", "end_date", "include_custom_fields", "athlete_id"},
    "get_events": {"start_date", "end_date", "category", "athlete_id"},
    "get_event_by_id": {"event_id", "athlete_id"},
    "refresh": {"resources", "full"},
    "get_sync_status": set(),
}


@pytest.fixture
def offline(template: SyncedStore, tmp_path: Path) -> Settings:
    """A private copy of the synced store; the API address answers nothing."""
    return mirror_settings(template.copy_to(tmp_path), dead_base_url(), template.athlete_id)


@pytest.fixture
def live(template: SyncedStore, tmp_path: Path) -> Iterator[tuple[FakeIntervals, Settings]]:
    """A running fake with the data the store was synced from, and settings pointing at it."""
    with FakeIntervals(make_dataset(), api_key=API_KEY) as fake:
        yield fake, mirror_settings(template.copy_to(tmp_path), fake.base_url,
                                    template.athlete_id)


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings, scheduler=False)) as client:
        yield client


async def ask(settings: Settings, tool: str, args: dict[str, Any] | None = None) -> Any:
    async with connected(settings) as client:
        return await client.call_tool(tool, args or {})


async def answer(settings: Settings, tool: str, args: dict[str, Any] | None = None
                 ) -> tuple[str, dict[str, Any]]:
    result = await ask(settings, tool, args)
    assert not result.is_error, text_of(result)
    return text_of(result), result.structured_content


def real_activity(dataset: Any, **wanted: Any) -> dict[str, Any]:
    """The newest real activity that has every key in ``wanted`` (value True: any value)."""
    for activity in sorted(dataset.activities.values(), key=lambda a: a["start_date_local"],
                           reverse=True):
        if "_note" in activity:
            continue
        if all(activity.get(k) is not None if v is True else activity.get(k) == v
               for k, v in wanted.items()):
            return activity
    raise AssertionError(f"no activity with {wanted}")


def mirrored_event_id(dataset: Any) -> int:
    """An event within the mirrored future (sync lists events up to future_days ahead)."""
    horizon = (dataset.end + dt.timedelta(days=60)).isoformat()
    return max(e["id"] for e in dataset.events.values() if e["start_date_local"] <= horizon)


def strip_intervals(db: Path, activity_id: str) -> None:
    """Make the store look as if sync had not fetched this activity's intervals yet."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM intervals WHERE activity_id = ?", (activity_id,))
        conn.execute("DELETE FROM interval_groups WHERE activity_id = ?", (activity_id,))
        conn.execute("UPDATE activities SET intervals_fingerprint = NULL WHERE id = ?",
                     (activity_id,))
    conn.close()


# -- the tool list --------------------------------------------------------------------------


async def test_lists_the_live_api_tools_with_schemas_and_annotations(offline: Settings
                                                                      ) -> None:
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(TOOLS) <= set(tools)  # the analytics group adds more
    for name, params in TOOLS.items():
        tool = tools[name]
        assert set(tool.input_schema.get("properties", {})) == params, name
        assert tool.description and tool.output_schema is not None
        assert "freshness" in tool.output_schema["properties"]
        assert tool.annotations is not None
        # get_activity_intervals fills in missing intervals from the API (a write)
        writes = name in ("refresh", "get_activity_intervals")
        assert tool.annotations.read_only_hint is not writes, name
        assert tool.annotations.idempotent_hint is True, name
    assert "api_key" not in str([tools[name].input_schema for name in TOOLS])
    assert tools["get_activity_details"].input_schema["required"] == ["activity_id"]
    assert tools["get_activities"].input_schema["properties"]["limit"]["default"] == 10
    assert tools["refresh"].annotations.destructive_hint is False


# -- answers from the store -----------------------------------------------------------------


async def test_get_activities_defaults_to_the_last_30_days_newest_first(
        offline: Settings, template: SyncedStore) -> None:
    text, data = await answer(offline, "get_activities")
    end = dt.date.fromisoformat(data["end_date"])
    assert abs((end - dt.date.today()).days) <= 1
    assert data["start_date"] == (end - dt.timedelta(days=30)).isoformat()
    expected = newest_first(template.dataset, data["start_date"], data["end_date"])
    assert [a["id"] for a in data["activities"]] == expected[:10]
    assert data["total"] == len(expected) and data["limit"] == 10
    lines = text.splitlines()
    assert lines[0].startswith(f"{len(expected)} activities from {data['start_date']}")
    first = data["activities"][0]
    assert first["id"] in lines[1] and first["name"] in lines[1]
    assert "None" not in text and "N/A" not in text and "null" not in text
    assert any(" km" in line or " m," in line for line in lines[1:11])
    assert any(" bpm" in line for line in lines[1:11])
    assert lines[-1].startswith("mirrored up to ") and lines[-1].endswith(" UTC")


async def test_get_activities_filters_by_sport_and_range_and_caps_the_limit(
        offline: Settings, template: SyncedStore) -> None:
    start, end = "2026-01-01", "2026-12-31"
    text, data = await answer(offline, "get_activities", {
        "start_date": start, "end_date": end, "limit": 1000})
    assert data["capped"] and data["limit"] == 100 and data["count"] == 100
    assert "limit capped at 100" in text
    assert [a["id"] for a in data["activities"]] == newest_first(template.dataset, start,
                                                                  end)[:100]
    _, runs = await answer(offline, "get_activities", {
        "start_date": start, "end_date": end, "activity_type": "run", "limit": 50})
    assert runs["activities"] and {a["type"] for a in runs["activities"]} == {"Run"}
    text, none = await answer(offline, "get_activities", {"activity_type": "Curling"})
    assert none["activities"] == [] and "No Curling activities" in text
    assert "Ride" in text  # names the sports the store does have


async def test_strava_stubs_are_left_out_by_default_and_explained(
        offline: Settings, template: SyncedStore) -> None:
    stub = next(a for a in template.dataset.activities.values() if "_note" in a)
    day = stub["start_date_local"][:10]
    args = {"start_date": day, "end_date": day}
    text, data = await answer(offline, "get_activities", args)
    assert stub["id"] not in [a["id"] for a in data["activities"]]
    assert data["hidden_strava_stubs"] == 1
    assert "does not share Strava-imported activities over its API" in text
    text, data = await answer(offline, "get_activities", {**args, "include_unnamed": True})
    listed = {a["id"]: a for a in data["activities"]}
    assert listed[stub["id"]]["is_stub"] == 1
    assert f"Strava import ({stub['id']})" in text and "does not share" in text
    text, details = await answer(offline, "get_activity_details", {"activity_id": stub["id"]})
    assert "does not share Strava-imported activities over its API" in text
    assert details["note"] and "Strava" in details["note"]
    text, ivs = await answer(offline, "get_activity_intervals", {"activity_id": stub["id"]})
    assert ivs["intervals"] == [] and "does not share Strava-imported activities" in text


async def test_get_activity_details_groups_every_field_with_units(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True, feel=True,
                         icu_rpe=True, BikeWeight=True)
    text, data = await answer(offline, "get_activity_details", {"activity_id": ride["id"]})
    assert data["fields"] == {k: v for k, v in ride.items()
                              if v is not None and v != [] and v != {}}
    assert data["activity"]["average_watts"] == ride["icu_average_watts"]
    assert data["custom_fields"] == {"Bike weight": ride["BikeWeight"]}
    assert text.startswith(f'Ride "{ride["name"]}" ({ride["id"]}) on '
                           f'{ride["start_date_local"][:10]}')
    assert f"avg {round(ride['icu_average_watts'])} W" in text
    assert f"avg {round(ride['average_heartrate'])} bpm" in text
    assert f"distance {ride['distance'] / 1000:,.2f} km" in text
    assert f"RPE {ride['icu_rpe']}/10" in text
    assert f"feel {ride['feel']}/5 (1 strong … 5 weak)" in text
    assert "intensity" in text and "%" in text and "km/h" in text
    for group in ("Time and distance:", "Heart rate:", "Power:", "Load and fitness:",
                  "How it felt:", "Custom fields: Bike weight"):
        assert group in text
    assert "None" not in text and "N/A" not in text


async def test_get_activity_intervals_answers_from_the_store(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if len(v["icu_intervals"]) >= 3 and v["icu_groups"])
    dto = template.dataset.intervals[activity_id]
    text, data = await answer(offline, "get_activity_intervals", {"activity_id": activity_id})
    assert data["mirrored"] and not data["fetched_now"]
    assert [i["type"] for i in data["intervals"]] == [i["type"] for i in dto["icu_intervals"]]
    assert [i["moving_time"] for i in data["intervals"]] == [
        i["moving_time"] for i in dto["icu_intervals"]]
    assert len(data["groups"]) == len(dto["icu_groups"])
    lines = text.splitlines()
    assert f"{len(dto['icu_intervals'])} intervals" in lines[0]
    assert lines[1].startswith(f"1. {dto['icu_intervals'][0]['type']}")
    assert any("Groups: " in line for line in lines)
    assert lines[-1].startswith("mirrored up to ")


async def test_missing_intervals_are_fetched_on_demand_through_sync(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if v["icu_intervals"])
    strip_intervals(settings.db_path, activity_id)
    fake.reset_log()
    text, data = await answer(settings, "get_activity_intervals", {"activity_id": activity_id})
    assert data["fetched_now"] and data["mirrored"]
    assert len(data["intervals"]) == len(template.dataset.intervals[activity_id]
                                         ["icu_intervals"])
    assert "(fetched now)" in text
    assert [r.api_path for r in fake.requests] == [f"/activity/{activity_id}/intervals"]
    conn = sqlite3.connect(settings.db_path)
    stored = conn.execute("SELECT count(*) FROM intervals WHERE activity_id = ?",
                          (activity_id,)).fetchone()[0]
    conn.close()
    assert stored == len(data["intervals"])


async def test_missing_intervals_with_the_api_down_say_so(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if v["icu_intervals"])
    strip_intervals(offline.db_path, activity_id)
    started = time.monotonic()
    text, data = await answer(offline, "get_activity_intervals", {"activity_id": activity_id})
    assert time.monotonic() - started < 5
    assert not data["mirrored"] and data["intervals"] == []
    assert "not mirrored yet" in text and "unreachable" in text
    assert text.splitlines()[-1].startswith("mirrored up to ")


async def test_get_wellness_data_shows_each_day_with_custom_fields_by_name(
        offline: Settings, template: SyncedStore) -> None:
    wellness = template.dataset.wellness
    days = sorted(d for d, r in wellness.items() if r.get("CaffeineMg") is not None)[-5:]
    start, end = days[0], days[-1]
    text, data = await answer(offline, "get_wellness_data", {"start_date": start,
                                                             "end_date": end})
    expected = sorted(d for d in wellness if start <= d <= end)
    assert [d["date"] for d in data["days"]] == expected
    assert data["custom_fields"]["CaffeineMg"] == "Caffeine (mg)"
    last = data["days"][-1]
    record = wellness[end]
    assert last["custom"]["Caffeine (mg)"] == record["CaffeineMg"]
    assert last["ctl"] == record["ctl"] and last["hrv"] == record["hrv"]
    assert last["form"] == pytest.approx(record["ctl"] - record["atl"])
    line = next(x for x in text.splitlines() if x.startswith(f"{end}:"))
    assert f"Caffeine (mg) {record['CaffeineMg']}" in line
    assert f"CTL {half_up(record['ctl'], 1)}" in line and "form " in line
    if record.get("sleepSecs"):
        assert f"sleep {record['sleepSecs'] / 3600:.1f} h" in line
    if record.get("restingHR"):
        assert f"resting HR {record['restingHR']} bpm" in line
    assert "form = CTL - ATL" in text.splitlines()[0]
    text, bare = await answer(offline, "get_wellness_data", {
        "start_date": start, "end_date": end, "include_custom_fields": False})
    assert "Caffeine" not in text and "custom" not in bare["days"][-1]


async def test_get_events_defaults_to_the_next_week_and_filters_by_category(
        offline: Settings, template: SyncedStore) -> None:
    text, data = await answer(offline, "get_events")
    start = dt.date.fromisoformat(data["start_date"])
    assert data["end_date"] == (start + dt.timedelta(days=7)).isoformat()
    in_week = sorted(
        (e["start_date_local"], str(e["id"])) for e in template.dataset.events.values()
        if e["start_date_local"][:10] <= data["end_date"]
        and (e.get("end_date_local") or e["start_date_local"])[:10] >= data["start_date"])
    assert [e["id"] for e in data["events"]] == [i for _, i in in_week]
    assert all(f"(id {i})" in text for _, i in in_week)
    _, workouts = await answer(offline, "get_events", {
        "start_date": "2026-01-01", "end_date": "2027-12-31", "category": "workout"})
    assert workouts["events"] and {e["category"] for e in workouts["events"]} == {"WORKOUT"}
    _, races = await answer(offline, "get_events", {
        "start_date": "2025-01-01", "end_date": "2027-12-31", "category": "RACE"})
    assert {e["category"] for e in races["events"]} <= {"RACE_A", "RACE_B", "RACE_C"}
    conn = sqlite3.connect(offline.db_path)
    stored = conn.execute("SELECT count(*) FROM events WHERE category LIKE 'RACE%'").fetchone()
    conn.close()
    assert len(races["events"]) == stored[0] > 0


async def test_get_event_by_id_gives_the_workout_in_full(
        offline: Settings, template: SyncedStore) -> None:
    event = next(e for e in sorted(template.dataset.events.values(), key=lambda e: e["id"])
                 if e["category"] == "WORKOUT" and e.get("description") and e.get("workout_doc"))
    text, data = await answer(offline, "get_event_by_id", {"event_id": event["id"],
                                                           "athlete_id": 0})
    assert data["event"]["id"] == str(event["id"])
    assert data["fields"]["workout_doc"] == event["workout_doc"]
    assert event["description"] in text and "Workout steps: " in text
    assert text.startswith(f"{event['start_date_local'][:10]} WORKOUT")
    assert text.splitlines()[-1].startswith("mirrored up to ")


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


async def test_every_answer_says_how_fresh_the_data_is(offline: Settings,
                                                       template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride")
    event_id = mirrored_event_id(template.dataset)
    conn = sqlite3.connect(offline.db_path)
    listed = conn.execute("SELECT min(last_ok_at), max(last_ok_at) FROM sync_state").fetchone()
    conn.close()
    assert listed[0] == listed[1]   # one full sync listed every resource
    line = f"mirrored up to {listed[0][:16].replace('T', ' ')} UTC"
    async with connected(offline) as client:
        for tool, args in [("get_activities", {}), ("get_activity_details", {"activity_id":
                                                                           ride["id"]}),
                           ("get_activity_intervals", {"activity_id": ride["id"]}),
                           ("get_wellness_data", {}), ("get_events", {}),
                           ("get_event_by_id", {"event_id": event_id}),
                           ("get_sync_status", {})]:
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert line in text_of(result), tool
            assert result.structured_content["freshness"] == line, tool


async def test_answers_come_from_the_store_with_the_api_stopped(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride")
    calls = [("get_activities", {"limit": 20}),
             ("get_activity_details", {"activity_id": ride["id"]}),
             ("get_activity_intervals", {"activity_id": ride["id"]}),
             ("get_wellness_data", {}), ("get_events", {}),
             ("get_event_by_id", {"event_id": mirrored_event_id(template.dataset)}),
             ("get_sync_status", {})]
    async with connected(settings) as client:
        online = [text_of(await client.call_tool(t, a)) for t, a in calls]
    fake.stop()
    fake.reset_log()
    async with connected(settings) as client:
        for (tool, args), before in zip(calls, online, strict=True):
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert text_of(result) == before, tool
        refused = await client.call_tool("refresh", {})
    assert fake.requests == []
    assert refused.is_error and "refresh failed" in text_of(refused)
    assert "cannot reach Intervals.icu" in text_of(refused)


# -- refresh --------------------------------------------------------------------------------


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


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("tool", "args", "expected"), [
    ("get_activities", {"start_date": "2026-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2026-13-01'"),
    ("get_activities", {"start_date": "2026-02-30"},
     "start_date: expected a date YYYY-MM-DD, got '2026-02-30'"),
    ("get_activities", {"end_date": "yesterday"},
     "end_date: expected a date YYYY-MM-DD, got 'yesterday'"),
    ("get_wellness_data", {"start_date": "2026/01/01"},
     "start_date: expected a date YYYY-MM-DD, got '2026/01/01'"),
    ("get_events", {"start_date": "2026-05-10", "end_date": "2026-05-01"},
     "end_date: expected a date on or after start_date (2026-05-10), got '2026-05-01'"),
    ("get_activities", {"start_date": "2026-05-10", "end_date": "2026-05-01"},
     "end_date: expected a date on or after start_date"),
    ("get_activities", {"limit": -5}, "limit: Input should be greater than or equal to 1 "
                                      "(got -5)"),
    ("get_activities", {"limit": "many"}, "limit: Input should be a valid integer"),
    ("get_activities", {"include_unnamed": "maybe"}, "include_unnamed: Input should be a "
                                                     "valid boolean"),
    ("get_events", {"category": "RACE_D"},
     "category: unknown value 'RACE_D'; expected one or more of WORKOUT, RACE_A"),
    ("get_activity_details", {}, "activity_id: Field required"),
    ("get_activity_details", {"activity_id": "abc"},
     "activity_id: expected an activity id like i12345678"),
    ("get_activity_details", {"activity_id": "i1"}, "activity_id: i1 is not in the store"),
    ("get_activity_intervals", {"activity_id": "i2"}, "activity_id: i2 is not in the store"),
    ("get_event_by_id", {"event_id": "next"}, "event_id: expected a numeric event id"),
    ("get_event_by_id", {"event_id": 1}, "event_id: 1 is not in the store"),
    ("refresh", {"resources": ["gear"]},
     "resources: unknown value 'gear'; expected one or more of activities, wellness, events"),
    ("get_activities", {"athlete_id": "i999"}, "athlete_id: this mirror holds i"),
    ("get_wellness_data", {"athlete_id": "someone"}, "athlete_id: this mirror holds i"),
    ("get_activity_details", {"activity_id": "i1", "athlete_id": "i7"},
     "athlete_id: this mirror holds i"),
    ("get_activity_intervals", {"activity_id": "i1", "athlete_id": "i7"},
     "athlete_id: this mirror holds i"),
])
async def test_bad_input_is_a_tool_error_naming_the_parameter(
        offline: Settings, tool: str, args: dict[str, Any], expected: str) -> None:
    result = await ask(offline, tool, args)
    assert result.is_error
    assert text_of(result).startswith(expected), text_of(result)
    assert "Error executing tool" not in text_of(result)


async def test_unknown_activity_says_whether_it_is_newer_than_the_mirror(
        offline: Settings) -> None:
    newer = await ask(offline, "get_activity_details", {"activity_id": "i99999999999"})
    assert newer.is_error
    assert "is not in the mirrored date range" in text_of(newer)
    assert "newer than every mirrored activity; call refresh" in text_of(newer)
    missing = await ask(offline, "get_activity_details", {"activity_id": "i1"})
    assert "is not in the store (it covers the mirrored date range 20" in text_of(missing)


async def test_athlete_id_of_the_mirrored_athlete_is_accepted(
        offline: Settings, template: SyncedStore) -> None:
    for athlete_id in (template.athlete_id, template.athlete_id.lstrip("i"), "0", 0):
        result = await ask(offline, "get_activities", {"athlete_id": athlete_id})
        assert not result.is_error, text_of(result)


async def test_without_a_store_the_tools_say_to_refresh(tmp_path: Path) -> None:
    settings = mirror_settings(tmp_path / "none.sqlite", dead_base_url(), "i1")
    result = await ask(settings, "get_activities")
    assert result.is_error
    assert text_of(result).startswith("nothing is mirrored yet") and "refresh" in text_of(result)


async def test_a_sync_writing_never_blocks_a_tool_call(offline: Settings) -> None:
    writer = sqlite3.connect(offline.db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE activities SET name = 'being rewritten'")
        started = time.monotonic()
        text, _ = await answer(offline, "get_activities")
        assert time.monotonic() - started < 1.0
        assert "being rewritten" not in text
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# -- review fixes ---------------------------------------------------------------------------


def execute(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def test_unnamed_activities_are_listed_and_hidden_stubs_are_counted(
        offline: Settings, template: SyncedStore) -> None:
    unnamed = real_activity(template.dataset, name=None)
    day = unnamed["start_date_local"][:10]
    text, data = await answer(offline, "get_activities", {
        "start_date": day, "end_date": day, "activity_type": unnamed["type"]})
    assert unnamed["id"] in [a["id"] for a in data["activities"]]
    assert "No " not in text and f"({unnamed['id']})" in text
    stub = next(a for a in template.dataset.activities.values() if "_note" in a)
    day = stub["start_date_local"][:10]
    execute(offline.db_path, "DELETE FROM activities WHERE date = ? AND is_stub = 0", day)
    text, data = await answer(offline, "get_activities", {"start_date": day, "end_date": day})
    assert data["activities"] == [] and data["hidden_strava_stubs"] == 1
    assert text.startswith(f"No activities with data from {day} to {day}: 1 Strava-imported "
                           "activity left out: Intervals.icu does not share")
    assert "include_unnamed=true lists their dates" in text
    assert f"No activities from {day}" not in text and "sports in the store" not in text


@pytest.mark.parametrize(("tool", "args"), [
    ("get_activities", {"start_date": "9999-12-31"}),
    ("get_activities", {"end_date": "0001-01-01"}),
    ("get_wellness_data", {"start_date": "9999-12-31"}),
    ("get_wellness_data", {"end_date": "0001-01-05"}),
    ("get_events", {"start_date": "9999-12-30"}),
    ("get_events", {"end_date": "0001-01-01"}),
    ("get_training_summary", {"end_date": "0001-01-05"}),
])
async def test_dates_at_the_ends_of_the_calendar_are_answered(
        offline: Settings, tool: str, args: dict[str, Any]) -> None:
    result = await ask(offline, tool, args)
    assert not result.is_error, text_of(result)
    data = result.structured_content
    data = data.get("result", data)
    assert "0001-01-01" <= data["start_date"] <= data["end_date"] <= "9999-12-31"


async def test_a_start_date_alone_covers_the_default_span_from_it(offline: Settings) -> None:
    start = dt.date(2026, 3, 2)
    for tool, days in (("get_events", 7), ("get_activities", 30), ("get_wellness_data", 30),
                       ("get_training_summary", 90)):
        _, data = await answer(offline, tool, {"start_date": start.isoformat()})
        data = data.get("result", data)
        assert data["end_date"] == (start + dt.timedelta(days=days)).isoformat(), tool
    _, data = await answer(offline, "get_events", {"end_date": "2026-03-09"})
    assert data["start_date"] == "2026-03-02"


async def test_freshness_is_per_resource(offline: Settings) -> None:
    """A sync of some resources (refresh of events) does not make the others look fresh."""
    stamps = {"activities": "2026-01-02T03:04:05Z", "wellness": "2026-02-03T04:05:06Z",
              "events": "2026-03-04T05:06:07Z"}
    for resource, stamp in stamps.items():
        execute(offline.db_path, "UPDATE sync_state SET last_ok_at = ? WHERE resource = ?",
                stamp, resource)
    line = {r: f"mirrored up to {s[:10]} {s[11:16]} UTC" for r, s in stamps.items()}
    expected = {"get_activities": "activities", "get_training_summary": "activities",
                "get_interval_stats": "activities", "get_wellness_data": "wellness",
                "get_fitness_trend": "wellness", "get_wellness_trends": "wellness",
                "get_events": "events", "get_sync_status": "activities",
                "query_sql": "activities"}   # the last two: the oldest of the three
    async with connected(offline) as client:
        for tool, resource in expected.items():
            args = {"sql": "SELECT 1"} if tool == "query_sql" else {}
            result = await client.call_tool(tool, args)
            assert line[resource] in text_of(result), tool
            assert result.structured_content["freshness"] == line[resource], tool


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


async def test_projected_days_are_marked(offline: Settings) -> None:
    _, trend = await answer(offline, "get_fitness_trend", {})
    today = dt.date.fromisoformat(trend["result"]["today"])
    ahead = (today + dt.timedelta(days=7)).isoformat()
    text, data = await answer(offline, "get_wellness_data", {
        "start_date": (today - dt.timedelta(days=2)).isoformat(), "end_date": ahead})
    future = [d for d in data["days"] if d["date"] > today.isoformat()]
    assert future and all(d["projected"] for d in future)
    assert not any(d["projected"] for d in data["days"] if d["date"] <= today.isoformat())
    assert data["projected_days"] == len(future)
    assert f"\n{future[0]['date']} (projected): CTL " in text
    assert f"\n{today.isoformat()}: " in text and "days marked projected lie ahead" in text
    text, trend = await answer(offline, "get_fitness_trend", {"end_date": ahead})
    points = trend["result"]["points"]
    assert [p["date"] > today.isoformat() for p in points] == [p["projected"] for p in points]
    assert trend["result"]["summary"]["projected"] is True
    assert f"\non {points[-1]['date']} (projected): CTL" in text
    assert f"values after today ({today.isoformat()}) are projected" in text


async def test_event_categories_take_plan_and_lists(offline: Settings) -> None:
    args = {"start_date": "2025-01-01", "end_date": "2027-12-31"}
    _, listed = await answer(offline, "get_events", {**args, "category": ["race", "NOTE"]})
    _, joined = await answer(offline, "get_events", {**args, "category": "RACE,note"})
    assert listed["events"] == joined["events"] and listed["events"]
    assert set(listed["categories"]) == {"RACE_A", "RACE_B", "RACE_C", "NOTE"}
    _, plans = await answer(offline, "get_events", {**args, "category": "PLAN"})
    assert plans["categories"] == ["PLAN"]


async def test_ids_typed_with_a_capital_i_or_without_the_i_are_found(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride")
    for typed in (ride["id"].upper(), ride["id"][1:], int(ride["id"][1:])):
        for tool in ("get_activity_details", "get_activity_intervals"):
            result = await ask(offline, tool, {"activity_id": typed})
            assert not result.is_error, (tool, typed, text_of(result))
            assert result.structured_content["activity"]["id"] == ride["id"]
    result = await ask(offline, "get_activities", {"athlete_id": template.athlete_id.upper()})
    assert not result.is_error, text_of(result)


async def test_wellness_numbers_with_units_and_decimals(offline: Settings,
                                                        template: SyncedStore) -> None:
    day = max(d for d, r in template.dataset.wellness.items()
              if r.get("bodyFat") and not float(r["bodyFat"]).is_integer())
    text, _ = await answer(offline, "get_wellness_data", {"start_date": day, "end_date": day})
    assert f"body fat {half_up(template.dataset.wellness[day]['bodyFat'], 1)}%" in text
    assert "1 day with data" in text


async def test_no_tool_answers_the_bare_sdk_error(offline: Settings) -> None:
    odd: list[Any] = ["0000-01-01", "9999-12-31", "0001-01-01", "", " ", "I", "i", "-1",
                      "99999999999999999999", 10**30, -1, None, [], {}, "\x00"]
    async with connected(offline) as client:
        tools = (await client.list_tools()).tools
        for tool in tools:
            if tool.name == "refresh":
                continue
            for name in tool.input_schema.get("properties", {}):
                for value in odd:
                    result = await client.call_tool(tool.name, {name: value})
                    assert "Error executing tool" not in text_of(result), (tool.name, name,
                                                                           value)


async def test_while_the_first_sync_runs_tools_say_so(tmp_path: Path) -> None:
    from intervals_mirror.sync import writer_lock

    settings = mirror_settings(tmp_path / "none-yet.sqlite", dead_base_url(), "i104233")
    with writer_lock(settings):  # as if the server's first sync were running
        result = await ask(settings, "get_activities", {})
    assert result.is_error and "first sync is mirroring the history" in text_of(result)
