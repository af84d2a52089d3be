"""The activity tools through a real MCP client session, on a store synced from the fake
API: the list, one activity in full, its intervals (from the store and fetched on demand)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest

from intervals_mirror.config import Settings

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    answer,
    ask,
    ask_text,
    execute,
    half_up,
    newest_first,
    real_activity,
    strip_intervals,
    text_of,
)

pytestmark = pytest.mark.anyio


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


async def test_unknown_activity_says_whether_it_is_newer_than_the_mirror(
        offline: Settings) -> None:
    newer = await ask(offline, "get_activity_details", {"activity_id": "i99999999999"})
    assert newer.is_error
    assert "is not in the mirrored date range" in text_of(newer)
    assert "newer than every mirrored activity; call refresh" in text_of(newer)
    missing = await ask(offline, "get_activity_details", {"activity_id": "i1"})
    assert "is not in the store (it covers the mirrored date range 20" in text_of(missing)


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


def pace(metres_per_s: float, per: int) -> str:
    """m:ss per ``per`` metres, as a swimmer (100 m) or runner (1000 m) reads it."""
    secs = round(per / metres_per_s)
    return f"{secs // 60}:{secs % 60:02d}"


async def test_swims_show_pace_per_100_m_from_the_speed_the_api_gives_in_pace(
        offline: Settings, template: SyncedStore) -> None:
    """Real swims have average_speed null and their speed (m/s) in pace."""
    swim = real_activity(template.dataset, type="Swim", pace=True, average_speed=None)
    day = swim["start_date_local"][:10]
    listed = await ask_text(offline, "get_activities", {"start_date": day, "end_date": day,
                                                    "activity_type": "Swim"})
    line = next(x for x in listed.splitlines() if f"({swim['id']})" in x)
    assert f"{pace(swim['pace'], 100)} /100 m" in line
    details = await ask_text(offline, "get_activity_details", {"activity_id": swim["id"]})
    assert f"avg pace {pace(swim['pace'], 100)} /100 m" in details
    intervals = template.dataset.intervals[swim["id"]]["icu_intervals"]
    shown = await ask_text(offline, "get_activity_intervals", {"activity_id": swim["id"]})
    for position, interval in enumerate(intervals, start=1):
        assert interval["average_speed"] is None
        speed = interval["distance"] / interval["moving_time"]
        row = next(x for x in shown.splitlines() if x.startswith(f"{position}. "))
        assert f"{pace(speed, 100)} /100 m" in row
    stored = execute(offline.db_path, "SELECT average_speed FROM activities WHERE id = ?",
                     swim["id"])
    assert stored == [(swim["pace"],)]


async def test_runs_show_pace_per_km_in_the_list_details_and_intervals(
        offline: Settings, template: SyncedStore) -> None:
    run = next(a for a in sorted(template.dataset.activities.values(),
                                 key=lambda a: a["start_date_local"], reverse=True)
               if a.get("type") == "Run" and template.dataset.intervals[a["id"]]
               ["icu_intervals"])
    day = run["start_date_local"][:10]
    listed = await ask_text(offline, "get_activities", {"start_date": day, "end_date": day})
    assert f"{pace(run['average_speed'], 1000)} /km" in listed
    details = await ask_text(offline, "get_activity_details", {"activity_id": run["id"]})
    assert f"avg pace {pace(run['average_speed'], 1000)} /km" in details
    first = template.dataset.intervals[run["id"]]["icu_intervals"][0]
    shown = await ask_text(offline, "get_activity_intervals", {"activity_id": run["id"]})
    assert f"{pace(first['average_speed'], 1000)} /km" in shown.splitlines()[1]


async def test_a_custom_field_the_api_could_not_compute_is_not_shown(
        offline: Settings, template: SyncedStore) -> None:
    """SWOLF comes as a number, or as the string "Infinity" (no length swum)."""
    lost = real_activity(template.dataset, type="Swim", SWOLF="Infinity")
    counted = next(a for a in template.dataset.activities.values()
                   if a.get("type") == "Swim" and isinstance(a.get("SWOLF"), float))
    shown = await ask_text(offline, "get_activity_details", {"activity_id": lost["id"]})
    assert "SWOLF" not in shown and "Infinity" not in shown and "inf" not in shown.lower()
    shown = await ask_text(offline, "get_activity_details", {"activity_id": counted["id"]})
    assert f"Custom fields: SWOLF {half_up(counted['SWOLF'], 1)}" in shown
