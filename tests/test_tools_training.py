"""Time in zones, planned vs done, fitness markers, zone times in an activity's details and the
sport families, through a real MCP client session on a store synced from the fake API. Every
expected figure is worked out here from the dataset the fake serves."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import pytest

from intervals_mirror.answers.units import minutes
from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.validate import today_in

from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    real_activity,
    text_of,
)

pytestmark = pytest.mark.anyio

RIDES = ("Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "EBikeRide",
         "EMountainBikeRide", "TrackRide", "Velomobile", "Handcycle")
NEW_TOOLS = {
    "get_zone_distribution": {"start_date", "end_date", "activity_type", "kind", "group_by",
                              "exact_type"},
    "get_plan_compliance": {"start_date", "end_date"},
    "get_fitness_markers": {"start_date", "end_date", "activity_type", "group_by",
                            "exact_type"},
}


def today(template: SyncedStore) -> dt.date:
    return today_in(template.dataset.athlete.get("timezone"))


def real(template: SyncedStore, start: str, end: str, types: tuple[str, ...] | None = None
         ) -> list[dict[str, Any]]:
    acts = [a for a in template.dataset.activities.values()
            if "_note" not in a and start <= a["start_date_local"][:10] <= end
            and (types is None or a["type"] in types)]
    return sorted(acts, key=lambda a: (a["start_date_local"], a["id"]))


async def test_the_new_tools_are_read_only_text_with_small_schemas(offline: Settings) -> None:
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        for name, params in NEW_TOOLS.items():
            tool = tools[name]
            assert set(tool.input_schema["properties"]) == params, name
            assert tool.annotations and tool.annotations.read_only_hint is True
            assert tool.output_schema is None
            assert len(tool.description or "") <= 200
            result = await client.call_tool(name, {})
            assert not result.is_error, text_of(result)
            assert result.structured_content is None and len(text_of(result)) <= 20_000


async def test_zone_distribution_adds_up_the_activities_zone_times(
        offline: Settings, template: SyncedStore) -> None:
    end = today(template)
    start = end - dt.timedelta(days=89)
    while start.weekday() != 2:   # a Wednesday: its week has 5 days in the range
        start += dt.timedelta(days=1)
    text = await ask_text(offline, "get_zone_distribution", {
        "start_date": start.isoformat(), "end_date": end.isoformat(), "activity_type": "ride"})
    rides = real(template, start.isoformat(), end.isoformat(), RIDES)
    secs: dict[str, float] = defaultdict(float)
    for a in rides:
        for z in a.get("icu_zone_times") or []:
            secs[z["id"]] += z["secs"]
    numbered = sum(v for k, v in secs.items() if k != "SS")
    assert f"{numbered / 3600:,.1f} h in zones over " in text
    for zone in ("Z1", "Z2", "Z3", "Z4"):
        assert f" {secs[zone] / 3600:,.1f} h ({int(100 * secs[zone] / numbered + 0.5)}%)" \
            in text, zone
    assert f"SS sweet spot {secs['SS'] / 3600:,.1f} h (inside Z3-Z4" in text
    without = sum(1 for a in rides if not a.get("icu_zone_times"))
    if without:
        assert f"{without} activit" in text and "without power zone times" in text
    assert "Ride family (Ride, VirtualRide" in text
    monday = start - dt.timedelta(days=start.weekday())
    assert f"week of {monday.isoformat()} (5 of 7 days): " in text
    below = 100 * (secs["Z1"] + secs["Z2"]) / numbered
    assert "Z1-Z2 (up to " in text and f") {int(below + 0.5)}%, between: Z3-Z4" in text


async def test_an_activitys_details_show_its_time_in_each_kind_of_zone(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_zone_times=True,
                         icu_hr_zone_times=True)
    text = await ask_text(offline, "get_activity_details", {"activity_id": ride["id"]})
    power = next(line for line in text.splitlines() if line.startswith("Power zones"))
    assert f"FTP {ride['icu_ftp']} W" in power
    for z in ride["icu_zone_times"]:
        if z["secs"] and z["id"] != "SS":
            shown = minutes(z["secs"]) if z["secs"] < 3600 else None
            assert f" {z['id']} " in f" {power}" and (shown is None or f" {shown}" in power)
    hr = next(line for line in text.splitlines() if line.startswith("HR zones"))
    top = ride["icu_hr_zones"][0]
    assert f"Z1 Recovery (0-{top} bpm)" in hr
    run = real_activity(template.dataset, type="Run", pace_zone_times=True)
    text = await ask_text(offline, "get_activity_details", {"activity_id": run["id"]})
    assert any(line.startswith("Pace zones") and " /km)" in line for line in text.splitlines())
    gym = real_activity(template.dataset, type="WeightTraining", icu_hr_zone_times=None)
    text = await ask_text(offline, "get_activity_details", {"activity_id": gym["id"]})
    assert " zones" not in text   # no zone times: no zone lines


def plan_status(template: SyncedStore, event: dict[str, Any], day: str) -> str:
    done = [a for a in template.dataset.activities.values()
            if a.get("paired_event_id") == event["id"]]
    if not done:
        return "missed" if event["start_date_local"][:10] < day else "ahead"
    load = sum(a["icu_training_load"] or 0 for a in done)
    return "partly done" if load < 0.7 * event["icu_training_load"] else "done"


async def test_plan_compliance_judges_each_planned_workout(offline: Settings,
                                                           template: SyncedStore) -> None:
    day = today(template).isoformat()
    workouts = sorted((e for e in template.dataset.events.values()
                       if e["category"] == "WORKOUT" and e["start_date_local"][:10] < day),
                      key=lambda e: e["start_date_local"])
    missed = next(e for e in workouts if plan_status(template, e, day) == "missed")
    partly = next(e for e in workouts if plan_status(template, e, day) == "partly done")
    for event in (missed, partly):
        first = dt.date.fromisoformat(event["start_date_local"][:10]) - dt.timedelta(days=10)
        last = first + dt.timedelta(days=20)
        text = await ask_text(offline, "get_plan_compliance", {
            "start_date": first.isoformat(), "end_date": last.isoformat()})
        for e in workouts:
            if first.isoformat() <= e["start_date_local"][:10] <= last.isoformat():
                line = next(x for x in text.splitlines() if f"(event {e['id']})" in x)
                assert f": {plan_status(template, e, day)}" in line, line
        line = next(x for x in text.splitlines() if f"(event {event['id']})" in x)
        if event is partly:
            done = next(a for a in template.dataset.activities.values()
                        if a.get("paired_event_id") == event["id"])
            assert (f"as {done['id']}" in line and f"load {done['icu_training_load']} of "
                    f"{event['icu_training_load']} (" in line)
        else:
            assert f"missed (planned load {event['icu_training_load']}" in line
    default = await ask_text(offline, "get_plan_compliance")
    assert f"(today {day})" in default and "ahead" in default


async def test_get_events_marks_past_workouts_and_shows_targets(
        offline: Settings, template: SyncedStore) -> None:
    day = today(template)
    start, end = day - dt.timedelta(days=20), day + dt.timedelta(days=6)
    ride_target = next(e for e in sorted(template.dataset.events.values(),
                                         key=lambda e: e["start_date_local"])
                       if e["category"] == "TARGET" and e["type"] == "Ride"
                       and start.isoformat() <= e["start_date_local"][:10])
    execute(offline.db_path, "UPDATE events SET raw = json_set(raw, '$.distance_target', "
            "250000) WHERE id = ?", str(ride_target["id"]))  # the generator sets none
    assert ride_target["start_date_local"][:10] <= end.isoformat()
    text = await ask_text(offline, "get_events", {
        "start_date": start.isoformat(), "end_date": end.isoformat(),
        "category": "WORKOUT,TARGET"})
    for e in template.dataset.events.values():
        if (e["category"] not in ("WORKOUT", "TARGET")
                or not start.isoformat() <= e["start_date_local"][:10] <= end.isoformat()):
            continue
        line = next(x for x in text.splitlines() if f"(id {e['id']})" in x)
        if e["category"] == "TARGET":
            h, rest = divmod(e["time_target"], 3600)
            assert f"target load {e['load_target']}, target time {h}:{rest // 60:02d}:" \
                f"{rest % 60:02d}" in line, line
            assert ("target distance 250.00 km" in line) is (e["id"] == ride_target["id"])
        elif e["start_date_local"][:10] < day.isoformat():
            status = plan_status(template, e, day.isoformat())
            assert line.endswith(f" - {status} ({e['paired_activity_id']})"
                                 if status != "missed" else " - missed"), line
        else:
            assert not line.endswith(" - missed")
    # a plan done at under 70% of its load reads as get_plan_compliance calls it
    partly = next(e for e in sorted(template.dataset.events.values(),
                                    key=lambda e: e["start_date_local"], reverse=True)
                  if e["category"] == "WORKOUT" and e["start_date_local"][:10] < day.isoformat()
                  and plan_status(template, e, day.isoformat()) == "partly done")
    text = await ask_text(offline, "get_events", {"start_date": partly["start_date_local"][:10],
                                                  "end_date": partly["start_date_local"][:10]})
    line = next(x for x in text.splitlines() if f"(id {partly['id']})" in x)
    assert line.endswith(f" - partly done ({partly['paired_activity_id']})"), line


def shift_day(stamp: str, days: int) -> str:
    moved = dt.datetime.fromisoformat(stamp) + dt.timedelta(days=days)
    return moved.isoformat(timespec="seconds")


def status_in_events(text: str, event_id: int) -> tuple[str, str]:
    """(status, activities) of a planned workout in get_events: 'done (i1)' -> done, i1."""
    line = next(x for x in text.splitlines() if f"(id {event_id})" in x)
    found = re.search(r" - (done|partly done|missed)(?: \((.*)\))?$", line)
    assert found, line
    return found.group(1), found.group(2) or ""


def status_in_compliance(text: str, event_id: int) -> tuple[str, str]:
    """(status, activities) of a planned workout in get_plan_compliance."""
    line = next(x for x in text.splitlines() if f"(event {event_id}): " in x)
    found = re.search(r"\): (done|partly done|missed)(?: as ([^\s:]+))?", line)
    assert found, line
    return found.group(1), found.group(2) or ""


async def test_both_tools_pair_plans_and_activities_by_id_on_any_day(
        offline: Settings, template: SyncedStore) -> None:
    """One pairing rule in get_events and get_plan_compliance: an activity done two days
    after its plan (only the activity names the plan), one done three days before it (only
    the plan names the activity), and a Strava import the plan names (no data to judge: done)."""
    data = template.dataset
    cutoff = (today(template) - dt.timedelta(days=40)).isoformat()
    paired = [e for e in sorted(data.events.values(), key=lambda e: e["start_date_local"])
              if e["category"] == "WORKOUT" and e.get("paired_activity_id")
              and e["start_date_local"][:10] < cutoff and e.get("icu_training_load")]
    late, early, stubbed = paired[-1], paired[-5], paired[-9]
    stub = next(a for a in data.activities.values() if "_note" in a)
    db = offline.db_path
    for event, days in ((late, 2), (early, -3)):
        act = data.activities[event["paired_activity_id"]]
        start = shift_day(act["start_date_local"], days)
        execute(db, "UPDATE activities SET date = ?, start_date_local = ?, raw = json_set(raw, "
                "'$.start_date_local', ?) WHERE id = ?", start[:10], start, start, act["id"])
    execute(db, "UPDATE events SET raw = json_remove(raw, '$.paired_activity_id') WHERE id = ?",
            str(late["id"]))
    for act_id in (early["paired_activity_id"], stubbed["paired_activity_id"]):
        execute(db, "UPDATE activities SET paired_event_id = NULL, raw = json_remove(raw, "
                "'$.paired_event_id') WHERE id = ?", act_id)
    execute(db, "UPDATE events SET raw = json_set(raw, '$.paired_activity_id', ?) WHERE id = ?",
            stub["id"], str(stubbed["id"]))

    def expected(event: dict[str, Any], act: dict[str, Any]) -> str:
        share = (act.get("icu_training_load") or 0) / event["icu_training_load"]
        return "partly done" if share < 0.7 else "done"

    want = {late["id"]: (expected(late, data.activities[late["paired_activity_id"]]),
                         late["paired_activity_id"]),
            early["id"]: (expected(early, data.activities[early["paired_activity_id"]]),
                          early["paired_activity_id"]),
            stubbed["id"]: ("done", stub["id"])}
    first, last = stubbed["start_date_local"][:10], late["start_date_local"][:10]
    compliance = await ask_text(offline, "get_plan_compliance", {"start_date": first,
                                                                 "end_date": last})
    for event in (late, early, stubbed):
        day = event["start_date_local"][:10]
        listed = await ask_text(offline, "get_events", {
            "start_date": day, "end_date": day, "category": "WORKOUT"})
        assert status_in_events(listed, event["id"]) == want[event["id"]], listed
        assert status_in_compliance(compliance, event["id"]) == want[event["id"]], compliance
    assert f"done as {stub['id']} (a Strava import: no data): nothing to compare" in compliance


async def test_plan_compliance_shows_weekly_distance_targets_per_sport(
        offline: Settings, template: SyncedStore) -> None:
    """A week's targets name their distance per sport, in each sport's units (a swim's in m),
    and a month adds up its weeks' distance targets sport by sport."""
    cutoff = (today(template) - dt.timedelta(days=60)).isoformat()
    weekly = sorted((e for e in template.dataset.events.values()
                     if e["category"] == "TARGET" and e["start_date_local"][:10] < cutoff),
                    key=lambda e: e["start_date_local"])
    first, second = next((a, b) for a, b in zip(weekly, weekly[1:], strict=False)
                         if a["start_date_local"][:7] == b["start_date_local"][:7]
                         and a["start_date_local"][8:10] <= "14")
    db = offline.db_path
    for event, metres in ((first, 250_000), (second, 200_000)):
        execute(db, "UPDATE events SET raw = json_set(raw, '$.distance_target', ?) WHERE id = ?",
                metres, str(event["id"]))
    for new_id, sport, metres in ((1, "Run", 42_000), (2, "Swim", 3_000)):
        execute(db, "INSERT INTO events (id, athlete_id, date, start_date_local, end_date_local, "
                "category, type, name, raw, fingerprint, synced_at, end_date) SELECT ?, "
                "athlete_id, date, start_date_local, end_date_local, category, ?, name, "
                "json_set(raw, '$.id', ?, '$.type', ?, '$.distance_target', ?, "
                "'$.load_target', NULL, '$.time_target', NULL), fingerprint, synced_at, "
                "end_date FROM events WHERE id = ?",
                str(new_id), sport, new_id, sport, metres, str(first["id"]))
    monday = dt.date.fromisoformat(first["start_date_local"][:10])
    monday -= dt.timedelta(days=monday.weekday())
    week = await ask_text(offline, "get_plan_compliance", {
        "start_date": monday.isoformat(),
        "end_date": (monday + dt.timedelta(days=6)).isoformat()})
    line = next(x for x in week.splitlines() if x.startswith(f"week of {monday}"))
    hours = f"{first['time_target'] / 3600:.1f} h"
    assert line.endswith(f"target load {first['load_target']:,}, {hours}, Ride 250.00 km, "
                         "Run 42.00 km, Swim 3,000 m"), line
    year = await ask_text(offline, "get_plan_compliance", {
        "start_date": (monday - dt.timedelta(days=360)).isoformat(),
        "end_date": (monday + dt.timedelta(days=27)).isoformat()})
    assert "Per month:" in year
    month = next(x for x in year.splitlines() if x.startswith(first["start_date_local"][:7]))
    assert month.endswith("Ride 450.00 km, Run 42.00 km, Swim 3,000 m"), month


async def test_fitness_markers_follow_the_rides_estimates(offline: Settings,
                                                          template: SyncedStore) -> None:
    end = today(template)
    start = end - dt.timedelta(days=364)
    text = await ask_text(offline, "get_fitness_markers", {"start_date": start.isoformat(),
                                                           "end_date": end.isoformat()})
    rides = [a for a in real(template, start.isoformat(), end.isoformat(), RIDES)
             if a.get("icu_rolling_ftp") is not None]
    first, last = rides[0]["icu_rolling_ftp"], rides[-1]["icu_rolling_ftp"]
    assert f"eFTP {last:.0f} W ({last - first:+.0f} W since {first:.0f} W)" in text
    # which eFTP: each activity's rolling one, not wellness's day value (the profile's)
    assert "estimated them with each activity (its rolling values; wellness's per-sport day " \
        "values, which can differ a little, only when no activity has them)" in text
    highs, best = [], first
    for a in rides[1:]:
        if a["icu_rolling_ftp"] > best:
            highs.append(a)
        best = max(best, a["icu_rolling_ftp"])
    assert f"New eFTP highs ({len(highs)})" in text
    assert f"{highs[-1]['icu_rolling_ftp']:.0f} W on {highs[-1]['start_date_local'][:10]} " \
        f"by {highs[-1]['id']}" in text
    assert "Last value per month (eFTP W, CP W, W' kJ, Pmax W, weight kg, W/kg" in text


async def test_interval_stats_of_runs_show_pace_and_gap(offline: Settings) -> None:
    text = await ask_text(offline, "get_interval_stats", {"activity_type": "run"})
    assert "Run family (Run" in text or "(Run)" in text
    assert " /km (i" in text and "avg pace " in text and "GAP best " in text


TOOLS_WITH_A_SPORT = ["get_activities", "get_training_summary", "get_interval_stats",
                      "compare_periods", "get_zone_distribution", "get_fitness_markers",
                      "get_athlete_power_curves", "get_athlete_hr_curves"]
LATELY = athlete_today() - dt.timedelta(days=40)
PERIODS = {"a_start": (LATELY - dt.timedelta(days=60)).isoformat(),
           "a_end": LATELY.isoformat(), "b_start": (LATELY - dt.timedelta(days=120)).isoformat(),
           "b_end": (LATELY - dt.timedelta(days=61)).isoformat()}


@pytest.mark.parametrize("tool", TOOLS_WITH_A_SPORT)
async def test_every_tool_treats_sports_the_same_way(offline: Settings, tool: str) -> None:
    extra = PERIODS if tool == "compare_periods" else {}
    result = await ask(offline, tool, {"activity_type": "Cycling", **extra})
    assert result.is_error
    assert text_of(result).startswith("activity_type: no 'Cycling' activities in the store; "
                                      "it holds ")
    assert "Ride" in text_of(result) and "Run" in text_of(result)
    family = await ask_text(offline, tool, {"activity_type": "RIDE", **extra})
    alone = await ask_text(offline, tool, {"activity_type": "ride", "exact_type": True,
                                           **extra})
    assert "Ride family (Ride, VirtualRide)" in family.splitlines()[0]
    assert "Ride family" not in alone and "Ride" in alone.splitlines()[0]
    if tool == "get_activities":
        assert "VirtualRide" not in alone and "VirtualRide" in family
