"""The activity tools through a real MCP client session, on a store synced from the fake
API: the list, one activity in full, its intervals (from the store and fetched on demand)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    duration_of,
    execute,
    half_up,
    listed_activities,
    newest_first,
    real_activity,
    span_of,
    strip_intervals,
    table_rows,
    text_of,
)

pytestmark = pytest.mark.anyio


async def test_get_activities_defaults_to_the_last_30_days_newest_first(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_activities")
    start, end = span_of(text)
    assert abs((dt.date.fromisoformat(end) - athlete_today()).days) <= 1
    assert start == (dt.date.fromisoformat(end) - dt.timedelta(days=30)).isoformat()
    expected = newest_first(template.dataset, start, end)
    assert listed_activities(text) == expected[:10]
    lines = text.splitlines()
    assert lines[0] == f"{len(expected)} activities from {start} to {end}, newest 10 shown:"
    first = template.dataset.activities[expected[0]]
    assert first["id"] in lines[1] and first["name"] in lines[1]
    assert "None" not in text and "N/A" not in text and "null" not in text
    assert lines[-1].startswith("mirrored up to ") and lines[-1].endswith(" UTC")


async def test_an_activity_line_shows_each_figure_with_its_unit(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True,
                         icu_weighted_avg_watts=True, average_heartrate=True, name=True)
    run = real_activity(template.dataset, type="Run", average_speed=True, name=True)
    for activity in (ride, run):
        day = activity["start_date_local"][:10]
        text = await ask_text(offline, "get_activities", {"start_date": day, "end_date": day})
        line = next(x for x in text.splitlines() if f"({activity['id']})" in x)
        assert line.startswith(f"- {activity['start_date_local'][:16].replace('T', ' ')} ")
        assert f'{activity["type"]} "{activity["name"]}" ({activity["id"]}): ' in line
        hours, rest = divmod(activity["moving_time"], 3600)
        assert f": {hours}:{rest // 60:02d}:{rest % 60:02d}, " in line
        assert f", {activity['distance'] / 1000:,.2f} km, " in line
        assert f"load {half_up(activity['icu_training_load'])}" in line
        assert f"intensity {half_up(activity['icu_intensity'])}%" in line
        if activity.get("average_heartrate"):
            assert f"avg HR {half_up(activity['average_heartrate'])} bpm" in line
    pace = 1000 / run["average_speed"]
    assert f", {int(round(pace) // 60)}:{int(round(pace) % 60):02d} /km, " in line
    ride_line = next(x for x in (await ask_text(offline, "get_activities", {
        "start_date": ride["start_date_local"][:10], "end_date": ride["start_date_local"][:10]})
    ).splitlines() if f"({ride['id']})" in x)
    assert f"{ride['average_speed'] * 3.6:.1f} km/h" in ride_line
    assert f"avg {half_up(ride['icu_average_watts'])} W" in ride_line
    assert f"NP {half_up(ride['icu_weighted_avg_watts'])} W" in ride_line


async def test_get_activities_filters_by_sport_and_range_and_caps_the_limit(
        offline: Settings, template: SyncedStore) -> None:
    start, end = "2026-01-01", "2026-12-31"
    text = await ask_text(offline, "get_activities", {
        "start_date": start, "end_date": end, "limit": 1000})
    assert "limit capped at 100" in text and ", newest 100 shown" in text.splitlines()[0]
    assert listed_activities(text) == newest_first(template.dataset, start, end)[:100]
    runs = await ask_text(offline, "get_activities", {
        "start_date": start, "end_date": end, "activity_type": "run", "limit": 50})
    expected_runs = [i for i in newest_first(template.dataset, start, end)  # the Run family
                     if template.dataset.activities[i]["type"] in ("Run", "TrailRun",
                                                                   "VirtualRun")]
    assert expected_runs and listed_activities(runs) == expected_runs[:50]
    result = await ask(offline, "get_activities", {"activity_type": "Curling"})
    assert result.is_error and "activity_type: no 'Curling' activities" in text_of(result)
    assert "Ride" in text_of(result)  # names the sports the store does have


async def test_strava_stubs_are_left_out_by_default_and_explained(
        offline: Settings, template: SyncedStore) -> None:
    stub = next(a for a in template.dataset.activities.values() if "_note" in a)
    day = stub["start_date_local"][:10]
    args = {"start_date": day, "end_date": day}
    text = await ask_text(offline, "get_activities", args)
    assert stub["id"] not in listed_activities(text)
    assert "1 Strava-imported activity left out" in text
    assert "does not share Strava-imported activities over its API" in text
    text = await ask_text(offline, "get_activities", {**args, "include_unnamed": True})
    assert stub["id"] in listed_activities(text)
    assert f"Strava import ({stub['id']}): no data" in text and "does not share" in text
    text = await ask_text(offline, "get_activity_details", {"activity_id": stub["id"]})
    assert "does not share Strava-imported activities over its API" in text
    text = await ask_text(offline, "get_activity_intervals", {"activity_id": stub["id"]})
    assert text.startswith(f"Strava-imported activity {stub['id']} on {day}: no intervals")
    assert "does not share Strava-imported activities" in text


async def test_get_activity_details_groups_every_field_with_units(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True, feel=True,
                         icu_rpe=True, BikeWeight=True)
    text = await ask_text(offline, "get_activity_details", {"activity_id": ride["id"]})
    assert text.startswith(f'Ride "{ride["name"]}" ({ride["id"]}) on '
                           f'{ride["start_date_local"][:10]}')
    assert f"avg {round(ride['icu_average_watts'])} W" in text
    assert f"avg {round(ride['average_heartrate'])} bpm" in text
    assert f"distance {ride['distance'] / 1000:,.2f} km" in text
    assert f"RPE {ride['icu_rpe']}/10" in text
    assert f"feel {ride['feel']}/5 (1 strong … 5 weak)" in text
    assert "intensity" in text and "%" in text and "km/h" in text
    for group in ("Time and distance:", "Heart rate:", "Power:", "Load and fitness:",
                  "How it felt:"):
        assert group in text
    assert f"Custom fields: Bike weight {half_up(ride['BikeWeight'], 1)}" in text
    assert f"max {half_up(ride['max_heartrate'])} bpm" in text
    assert f"moving {duration_of(ride['moving_time'])}" in text
    assert f"elapsed {duration_of(ride['elapsed_time'])}" in text
    assert "None" not in text and "N/A" not in text


def interval_cells(interval: dict[str, Any]) -> dict[str, str]:
    """A ride's interval as the table shows it, worked out from the API's object."""

    def shown(key: str, fmt: Any = lambda v: half_up(v)) -> str:
        value = interval.get(key)
        return "" if value is None or value == "" else fmt(value)

    metres = interval.get("distance")
    return {
        "type": shown("type", str), "label": shown("label", str),
        "time": shown("moving_time", duration_of),
        "distance": "" if metres is None else f"{metres / 1000:,.2f} km" if metres >= 1000
        else f"{half_up(metres)} m",
        "avg W": shown("average_watts"), "max W": shown("max_watts"),
        "NP W": shown("weighted_average_watts"), "intensity %": shown("intensity"),
        "avg HR bpm": shown("average_heartrate"), "max HR bpm": shown("max_heartrate"),
        "cadence rpm": shown("average_cadence"),
        "speed km/h": shown("average_speed", lambda v: f"{v * 3.6:.1f}"),
        "load": shown("training_load", lambda v: half_up(v, 1)),
        "zone": shown("zone", lambda v: f"Z{v}"),
    }


async def test_get_activity_intervals_answers_from_the_store(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if len(v["icu_intervals"]) >= 3 and v["icu_groups"]
                       and v["icu_groups"][0]["count"] > 1  # a repeated set, labelled
                       and template.dataset.activities[k]["type"] == "Ride"
                       and v["icu_intervals"][0].get("average_watts") is not None)
    dto = template.dataset.intervals[activity_id]
    text = await ask_text(offline, "get_activity_intervals", {"activity_id": activity_id})
    lines = text.splitlines()
    work = sum(1 for i in dto["icu_intervals"] if i["type"] == "WORK")
    assert lines[0].endswith(f": {len(dto['icu_intervals'])} intervals ({work} work, "
                             f"{len(dto['icu_intervals']) - work} other):")
    assert "(fetched now)" not in lines[0]
    rows = table_rows(text, "#")
    assert [r["#"] for r in rows] == [str(n + 1) for n in range(len(dto["icu_intervals"]))]
    for row, interval in zip(rows, dto["icu_intervals"], strict=True):
        assert row == {"#": row["#"], **interval_cells(interval)}
    assert {"avg W", "avg HR bpm", "speed km/h", "cadence rpm"} <= set(rows[0])
    groups = next(line for line in lines if line.startswith("Groups: ")).split("; ")
    assert len(groups) == len(dto["icu_groups"])
    for shown, group in zip(groups, dto["icu_groups"], strict=True):
        assert shown.removeprefix("Groups: ").startswith(
            f"{group['count']}x {duration_of(group['elapsed_time'])}")
        assert f"avg {half_up(group['average_watts'])} W" in shown
    settings = next(s for s in template.dataset.athlete["sportSettings"] if "Ride" in s["types"])
    bounds = {i["zone"]: (i["zone_min_watts"], i["zone_max_watts"])
              for i in dto["icu_intervals"] if i.get("zone_min_watts") is not None}
    assert len(bounds) >= 2
    assert "Power zones (names: the Ride settings): " + ", ".join(
        f"Z{n} {settings['power_zone_names'][n - 1]} {low}-{high} W"
        for n, (low, high) in sorted(bounds.items())) in lines
    assert lines[-1].startswith("mirrored up to ")


async def test_an_interval_group_with_only_a_count_says_so(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if v["icu_groups"])
    conn = sqlite3.connect(offline.db_path)
    with conn:
        conn.execute("UPDATE interval_groups SET count = 8, raw = json_object('count', 8) "
                     "WHERE activity_id = ?", (activity_id,))
    conn.close()
    text = await ask_text(offline, "get_activity_intervals", {"activity_id": activity_id})
    groups = next(line for line in text.splitlines() if line.startswith("Groups: "))
    assert groups.startswith("Groups: 8 repeats") and "8x" not in groups


async def test_missing_intervals_are_fetched_on_demand_through_sync(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if v["icu_intervals"])
    strip_intervals(settings.db_path, activity_id)
    fake.reset_log()
    text = await ask_text(settings, "get_activity_intervals", {"activity_id": activity_id})
    expected = len(template.dataset.intervals[activity_id]["icu_intervals"])
    assert f"{expected} interval" in text.splitlines()[0] and "(fetched now)" in text
    assert len(table_rows(text, "#")) == expected
    assert [r.api_path for r in fake.requests] == [f"/activity/{activity_id}/intervals"]
    conn = sqlite3.connect(settings.db_path)
    stored = conn.execute("SELECT count(*) FROM intervals WHERE activity_id = ?",
                          (activity_id,)).fetchone()[0]
    conn.close()
    assert stored == expected


async def test_missing_intervals_with_the_api_down_say_so(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(k for k, v in sorted(template.dataset.intervals.items(), reverse=True)
                       if v["icu_intervals"])
    strip_intervals(offline.db_path, activity_id)
    started = time.monotonic()
    text = await ask_text(offline, "get_activity_intervals", {"activity_id": activity_id})
    assert time.monotonic() - started < 5
    assert "#" not in text and "Groups:" not in text
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
    text = await ask_text(offline, "get_activities", {
        "start_date": day, "end_date": day, "activity_type": unnamed["type"]})
    assert unnamed["id"] in listed_activities(text)
    assert "No " not in text
    stub = next(a for a in template.dataset.activities.values() if "_note" in a)
    day = stub["start_date_local"][:10]
    execute(offline.db_path, "DELETE FROM activities WHERE date = ? AND is_stub = 0", day)
    text = await ask_text(offline, "get_activities", {"start_date": day, "end_date": day})
    assert listed_activities(text) == []
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
            assert f"({ride['id']}) on " in text_of(result).splitlines()[0]
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
    rows = table_rows(shown, "#")
    assert len(rows) == len(intervals)
    for row, interval in zip(rows, intervals, strict=True):
        assert interval["average_speed"] is None
        speed = interval["distance"] / interval["moving_time"]
        assert row["pace /100 m"] == pace(speed, 100)
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
    assert table_rows(shown, "#")[0]["pace /km"] == pace(first["average_speed"], 1000)
    assert table_rows(shown, "#")[0]["cadence spm"] == half_up(first["average_cadence"] * 2)


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
