"""The calendar tools through a real MCP client session, on a store synced from the fake API:
events by date and category, and one event with its workout."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.events import PLAN_NAME
from intervals_mirror.sync import run_sync
from intervals_mirror.validate import today_in

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    ask_text,
    listed_events,
    span_of,
)

pytestmark = pytest.mark.anyio


def last_day(event: dict[str, Any]) -> str:
    """The last day an event covers, read as the API means its end: the midnight after it."""
    first, end = event["start_date_local"][:10], event.get("end_date_local")
    if not end:
        return first
    last = dt.date.fromisoformat(end[:10])
    if end[10:] == "T00:00:00":
        last -= dt.timedelta(days=1)
    return max(first, last.isoformat())


async def test_get_events_defaults_to_the_next_week_and_filters_by_category(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_events")
    first, last = span_of(text)
    assert last == (dt.date.fromisoformat(first) + dt.timedelta(days=7)).isoformat()
    in_week = sorted(
        (e["start_date_local"], str(e["id"])) for e in template.dataset.events.values()
        if e["start_date_local"][:10] <= last
        and last_day(e) >= first)
    assert listed_events(text) == [i for _, i in in_week]
    categories = {str(e["id"]): e["category"] for e in template.dataset.events.values()}
    workouts = await ask_text(offline, "get_events", {
        "start_date": "2026-01-01", "end_date": "2027-12-31", "category": "workout"})
    assert listed_events(workouts)
    assert {categories[i] for i in listed_events(workouts)} == {"WORKOUT"}
    races = await ask_text(offline, "get_events", {
        "start_date": "2025-01-01", "end_date": "2027-12-31", "category": "RACE"})
    conn = sqlite3.connect(offline.db_path)
    stored = [i for (i,) in conn.execute(
        "SELECT id FROM events WHERE category LIKE 'RACE%' ORDER BY start_date_local, id")]
    conn.close()
    assert stored and sorted(listed_events(races)) == sorted(stored)
    assert "(RACE_A, RACE_B, RACE_C)" in races.splitlines()[0]


async def test_get_event_by_id_gives_the_workout_in_full(
        offline: Settings, template: SyncedStore) -> None:
    event = next(e for e in sorted(template.dataset.events.values(), key=lambda e: e["id"])
                 if e["category"] == "WORKOUT" and e.get("description")
                 and (e.get("workout_doc") or {}).get("steps"))
    text = await ask_text(offline, "get_event_by_id", {"event_id": event["id"], "athlete_id": 0})
    assert f"(id {event['id']})" in text.splitlines()[0]
    assert event["description"] in text and "Workout steps: " in text
    assert text.startswith(f"{event['start_date_local'][:10]} WORKOUT")
    assert text.splitlines()[-1].startswith("mirrored up to ")


async def test_event_categories_take_plan_and_lists(offline: Settings) -> None:
    args = {"start_date": "2025-01-01", "end_date": "2027-12-31"}
    listed = await ask_text(offline, "get_events", {**args, "category": ["race", "NOTE"]})
    joined = await ask_text(offline, "get_events", {**args, "category": "RACE,note"})
    assert listed == joined and listed_events(listed)
    assert "(RACE_A, RACE_B, RACE_C, NOTE) from " in listed.splitlines()[0]
    plans = await ask_text(offline, "get_events", {**args, "category": "PLAN"})
    assert " (PLAN) from " in plans.splitlines()[0]


async def test_event_ends_are_exclusive_as_the_api_sends_them(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    """A one-day event ends at the next midnight: it is one day, and yesterday's workout is
    not in this week's calendar; a holiday lasts until the day before its end."""
    fake, settings = live
    today = today_in(template.dataset.athlete["timezone"])
    yesterday = today - dt.timedelta(days=1)
    done = fake.add_event(yesterday, "WORKOUT", name="Yesterday's intervals")
    note = fake.add_event(today, "NOTE", name="Physio today")
    holiday = fake.add_event(today + dt.timedelta(days=2), "HOLIDAY", name="Short break")
    assert done["end_date_local"] == f"{today}T00:00:00"   # the real shape
    assert run_sync(settings).status == "ok"
    week = await ask_text(settings, "get_events")
    assert f"(id {done['id']})" not in week
    assert f'\n- {today} NOTE "Physio today" (id {note["id"]})' in week
    first, last = holiday["start_date_local"][:10], last_day(holiday)
    assert last == (today + dt.timedelta(days=6)).isoformat() < holiday["end_date_local"]
    assert f'\n- {first}..{last} HOLIDAY "Short break" (id {holiday["id"]})' in week
    on_last = await ask_text(settings, "get_events", {"start_date": last, "end_date": last})
    assert f"(id {holiday['id']})" in on_last
    after = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
    day_after = await ask_text(settings, "get_events", {"start_date": after, "end_date": after})
    assert f"(id {holiday['id']})" not in day_after
    one = await ask_text(settings, "get_event_by_id", {"event_id": done["id"]})
    assert one.startswith(f"{yesterday} WORKOUT ") and "Yesterday's intervals" in one
    assert f"{yesterday}.." not in one
    conn = sqlite3.connect(settings.db_path)
    stored = conn.execute("SELECT date, end_date, end_date_local FROM events WHERE id = ?",
                          (str(holiday["id"]),)).fetchone()
    conn.close()
    assert stored == (first, last, holiday["end_date_local"])


async def test_an_event_names_its_plan_and_the_activity_it_was_done_as(
        offline: Settings, template: SyncedStore) -> None:
    events = sorted(template.dataset.events.values(), key=lambda e: e["id"])
    target = next(e for e in events if e.get("plan_name"))
    done = next(e for e in events if e.get("paired_activity_id"))
    planned = await ask_text(offline, "get_event_by_id", {"event_id": target["id"]})
    assert f"from plan {PLAN_NAME}" in planned and target["plan_name"] == PLAN_NAME
    paired = await ask_text(offline, "get_event_by_id", {"event_id": done["id"]})
    assert f"done as activity {done['paired_activity_id']}" in paired
    assert template.dataset.activities[done["paired_activity_id"]]["paired_event_id"] == \
        done["id"]


def _workout(template: SyncedStore, sport: str, unit: str = "", **flags: Any) -> dict[str, Any]:
    """The newest mirrored planned workout of a sport whose steps use ``unit`` somewhere."""
    horizon = (athlete_today() + dt.timedelta(days=60)).isoformat()
    for event in sorted(template.dataset.events.values(), key=lambda e: e["start_date_local"],
                        reverse=True):
        doc = event.get("workout_doc") or {}
        if (event["category"] == "WORKOUT" and event["type"] == sport
                and event["start_date_local"] <= horizon and unit in json.dumps(doc)
                and all(str(v) in json.dumps(doc) for v in flags.values())):
            return event
    raise AssertionError(f"no {sport} workout with {unit}")


def _flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for step in steps for s in step.get("steps", [step])]


async def test_planned_steps_read_as_a_coach_writes_them(
        offline: Settings, template: SyncedStore) -> None:
    """Real workout_doc targets: power in w, %ftp or power_zone, hr in hr_zone or %hr,
    cadence in rpm, ranges, ramps, warmup/cooldown, repeat blocks, distance steps, lap press."""
    ride = _workout(template, "Ride", "\"w\"", ramp="ramp", reps="reps")
    steps = ride["workout_doc"]["steps"]
    shown = await ask_text(offline, "get_event_by_id", {"event_id": ride["id"]})
    line = next(x for x in shown.splitlines() if x.startswith("Workout steps: "))
    warm = steps[0]
    assert line.startswith(f"Workout steps: warmup {warm['duration'] // 60}m ramp "
                           f"{warm['power']['start']}-{warm['power']['end']} W; ")
    block = next(s for s in steps if "reps" in s)
    work, rest = block["steps"]
    assert f"; {block['reps']}x ({work['duration'] // 60}m " in line
    assert f"{work['power']['start']}-{work['power']['end']}" in line
    assert "85-95 rpm" in line or "100 rpm" in line
    assert f", {rest['duration'] // 60}m Z{rest['power']['value']} power)" in line
    assert line.endswith(f"; cooldown {steps[-1]['duration'] // 60}m Z1 power")
    assert "power_zone" not in shown and "%ftp" not in shown and "Main set" not in line
    vo2 = _workout(template, "Ride", "%ftp")
    shown = await ask_text(offline, "get_event_by_id", {"event_id": vo2["id"]})
    work = next(s for s in _flat(vo2["workout_doc"]["steps"]) if "cadence" in s)
    assert f"{work['power']['start']}-{work['power']['end']}% FTP 100 rpm" in shown
    run = _workout(template, "Run", "%hr")
    shown = await ask_text(offline, "get_event_by_id", {"event_id": run["id"]})
    assert "warmup 10m Z2 HR; " in shown and "70-80% HR" in shown and "hr_zone" not in shown
    swim = _workout(template, "Swim", "until_lap_press")
    shown = await ask_text(offline, "get_event_by_id", {"event_id": swim["id"]})
    sets = next(s for s in _flat(swim["workout_doc"]["steps"]) if s.get("distance"))
    assert f"({int(sets['distance'])} m {sets['pace']['value']}% pace, 30s rest)" in shown
    assert "cooldown easy until lap press" in shown
    assert f"{sets['duration'] // 60}m {sets['pace']['value']}%" not in shown  # no estimate


async def test_a_workout_with_nothing_planned_shows_no_distance_or_steps(
        offline: Settings, template: SyncedStore) -> None:
    """Real WORKOUTs with nothing planned have distance 0.0 and workout_doc steps []."""
    empty = next(e for e in sorted(template.dataset.events.values(), key=lambda e: e["id"])
                 if e["category"] == "WORKOUT" and e["workout_doc"]["steps"] == [])
    assert empty["distance"] == 0.0 and empty["workout_doc"]["distance"] == 0.0
    shown = await ask_text(offline, "get_event_by_id", {"event_id": empty["id"]})
    first = shown.splitlines()[0]
    assert first.startswith(f"{empty['start_date_local'][:10]} WORKOUT {empty['type']}")
    assert " m," not in first and not first.rstrip().endswith(" m") and "0 m" not in shown
    assert "Workout steps" not in shown and empty["description"] in shown
    day = empty["start_date_local"][:10]
    listed = await ask_text(offline, "get_events", {"start_date": day, "end_date": day})
    line = next(x for x in listed.splitlines() if f"(id {empty['id']})" in x)
    assert "0 m" not in line and " m," not in line
