"""The curve tools through a real MCP client session, on a store synced from the fake API:
each period's best per duration (distance) with the activity holding it, the sport and
indoor filters, seasons from SEASON_START events, offline and online, bad input named.

Expected bests come from what the fake serves (its curves of the dataset), filtered and
ranked here, independently of the store and its queries."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.build import build_demo_store
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.dataset import Dataset

from fake_api import FakeIntervals
from mirror_helpers import api_curves, first_holder, holders, seasons
from server_helpers import (
    SyncedStore,
    ask,
    connected,
    dead_base_url,
    execute,
    half_up,
    mirror_settings,
    text_of,
)

pytestmark = pytest.mark.anyio

RIDES = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}
LABELS = {5: "5s", 15: "15s", 30: "30s", 60: "1m", 120: "2m", 300: "5m", 600: "10m",
          1200: "20m", 3600: "1h", 90: "1m30s", 5400: "1h30m"}


def block(text: str, title: str) -> list[str]:
    """The lines of one period's block (after the line starting with ``title``)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        out.append(line)
    return out


def check_line(line: str, dataset: Dataset, value_text: str, ids: set[str]) -> str:
    """The line shows the value and the earliest of the activities holding it (date, name,
    sport, id); returns that activity's id."""
    shown = line.rsplit(" ", 1)[1]
    assert shown == first_holder(dataset, ids), (line, ids)
    act = dataset.activities[shown]
    name = f' "{act["name"]}"' if act.get("name") else ""
    assert line.endswith(f": {value_text} - {act['start_date_local'][:10]}{name} "
                         f"{act['type']} {shown}"), line
    return shown


def held(ds: Any, family: set[str]) -> str:
    """The family's types the dataset has activities of, most activities first."""
    counts = Counter(a["type"] for a in ds.activities.values() if a.get("type") in family)
    return ", ".join(t for t, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0])))


async def test_power_curves_show_each_seasons_best_with_its_activity_and_w_per_kg(
        offline: Settings, template: SyncedStore) -> None:
    ds = template.dataset
    result = await ask(offline, "get_athlete_power_curves", {})
    assert not result.is_error, text_of(result)
    assert result.structured_content is None  # text only
    text = text_of(result)
    assert text.startswith(f"Best power, Ride family ({held(ds, RIDES)}), indoor and outdoor:")
    this, last = seasons(ds, athlete_today())
    assert f"This season, {this[0]} to {this[1]} (from the SEASON_START of {this[0]}):" in text
    checked = 0
    for title, (start, end) in (("This season", this), ("Last season", last)):
        lines = block(text, title)
        assert [line.split(":")[0].strip() for line in lines] == [
            LABELS[d] for d in (5, 15, 30, 60, 120, 300, 600, 1200, 3600)]
        for secs, line in zip((5, 15, 30, 60, 120, 300, 600, 1200, 3600), lines, strict=True):
            best, ids = holders(ds, "power", float(secs), start, end, types=RIDES)
            if best is None:
                assert line == f"  {LABELS[secs]}: none that long"
                continue
            shown = line.rsplit(" ", 1)[1]
            weight = ds.activities[shown]["icu_weight"]
            check_line(line, ds, f"{best:.0f} W, {half_up(best / weight, 2)} W/kg", ids)
            checked += 1
    assert checked >= 9
    assert "mirrored up to " in text.splitlines()[-1]
    bare = text_of(await ask(offline, "get_athlete_power_curves", {
        "include_normalised": False, "last_season": False}))
    assert "W/kg" not in bare and "Last season" not in bare and " W - " in bare


async def test_any_date_range_with_exact_sport_and_indoor_filters_offline(
        offline: Settings, template: SyncedStore) -> None:
    ds = template.dataset
    start = (athlete_today() - dt.timedelta(days=200)).isoformat()
    end = (athlete_today() - dt.timedelta(days=20)).isoformat()
    args = {"this_season": False, "last_season": False, "start_date": start, "end_date": end,
            "durations": [60, 1200, 90], "include_normalised": False}
    cases: list[tuple[dict[str, Any], set[str], bool | None, str]] = [
        ({"indoor_outdoor": "indoor"}, RIDES, True, "indoor only"),
        ({"indoor_outdoor": "Outdoor"}, RIDES, False, "outdoor only"),
        ({"activity_type": "virtualride", "exact_type": True}, {"VirtualRide"}, None,
         "VirtualRide only"),
    ]
    async with connected(offline) as client:
        for extra, types, indoor, heading in cases:
            result = await client.call_tool("get_athlete_power_curves", {**args, **extra})
            text = text_of(result)
            assert not result.is_error, text
            assert heading in text.splitlines()[0]
            lines = block(text, "Date range")
            assert text.count(f"Date range, {start} to {end}:") == 1
            for secs, line in zip((60, 1200, 90), lines, strict=True):
                best, ids = holders(ds, "power", float(secs), start, end, types=types,
                                    indoor=indoor)
                assert best is not None, (extra, secs)
                assert line.startswith(f"  {LABELS[secs]}: ")
                check_line(line, ds, f"{best:.0f} W", ids)


async def test_heart_rate_and_pace_curves(offline: Settings, template: SyncedStore) -> None:
    ds = template.dataset
    start, end = "2000-01-01", athlete_today().isoformat()
    period = {"this_season": False, "last_season": False, "start_date": start}
    async with connected(offline) as client:
        hr = text_of(await client.call_tool("get_athlete_hr_curves", {**period,
                                                                      "durations": [5, 1200]}))
        runs = text_of(await client.call_tool("get_athlete_pace_curves", period))
        swims = text_of(await client.call_tool("get_athlete_pace_curves", {
            **period, "activity_type": "Swim", "distances": [100, 400]}))
    assert hr.startswith("Best heart rate, all sports, indoor and outdoor:")
    for secs, line in zip((5, 1200), block(hr, "Date range"), strict=True):
        best, ids = holders(ds, "hr", float(secs), start, end)
        check_line(line, ds, f"{best:.0f} bpm", ids)
    run_types = held(ds, {"Run", "TrailRun", "VirtualRun"})
    family = f"Run family ({run_types})" if "," in run_types else f"{run_types}, indoor"
    assert runs.startswith(f"Best times, {family}")  # a family of one type: named by it
    lines = block(runs, "Date range")
    assert [line.split(":")[0].strip() for line in lines] == [
        "400 m", "1 km", "1 mile", "5 km", "10 km", "half marathon", "marathon"]
    for metres, line in zip((400, 1000, 1609.34, 5000, 10000), lines, strict=False):
        best, ids = holders(ds, "pace", metres, start, end, types={"Run", "TrailRun"})
        minutes, seconds = divmod(int(best), 60)
        per_km = round(best / metres * 1000)
        check_line(line, ds, f"{minutes}:{seconds:02d} ({per_km // 60}:{per_km % 60:02d} /km)",
                   ids)
    for metres, line in zip((100, 400), block(swims, "Date range"), strict=True):
        best, ids = holders(ds, "pace", float(metres), start, end, types={"Swim"})
        per_100 = round(best / metres * 100)
        minutes, seconds = divmod(int(best), 60)
        check_line(line, ds, f"{minutes}:{seconds:02d} ({per_100 // 60}:{per_100 % 60:02d} "
                             "/100 m)", ids)


async def test_a_rides_best_times_read_as_speed(offline: Settings, template: SyncedStore
                                               ) -> None:
    """Cyclists read speed, not minutes per km: a ride's best 10 km shows km/h."""
    ds = template.dataset
    start, end = "2000-01-01", athlete_today().isoformat()
    text = text_of(await ask(offline, "get_athlete_pace_curves", {
        "activity_type": "Ride", "distances": [10000], "this_season": False,
        "last_season": False, "start_date": start}))
    best, ids = holders(ds, "pace", 10000.0, start, end, types=RIDES)
    assert best is not None
    minutes, seconds = divmod(int(best), 60)
    kmh = f"{10000 / best * 3.6:.1f}"
    check_line(block(text, "Date range")[0], ds, f"{minutes}:{seconds:02d} ({kmh} km/h)", ids)


def add_activity(db: Path, athlete_id: str, activity_id: str, start: str, sport: str,
                 points: dict[tuple[str, float], float]) -> None:
    """An activity with the given curve points, stored after everything synced (so it comes
    first in no scan but its own)."""
    raw = json.dumps({"id": activity_id, "start_date_local": start, "type": sport})
    execute(db, "INSERT INTO activities (id, athlete_id, date, start_date_local, type, name, "
            "raw, fingerprint, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'f', 't')",
            activity_id, athlete_id, start[:10], start, sport, f"Tie {activity_id}", raw)
    for (kind, point), value in points.items():
        execute(db, "INSERT INTO curve_points (activity_id, athlete_id, kind, date, "
                "secs_or_distance, value) VALUES (?, ?, ?, ?, ?, ?)",
                activity_id, athlete_id, kind, start[:10], point, value)


async def test_on_a_tie_the_earliest_activity_to_set_the_best_holds_it(
        offline: Settings, template: SyncedStore) -> None:
    """Two rides on one day share the best 5 s power and two runs the best 1 km: the morning
    one is named, though the evening one was stored first and sorts first by id (what SQLite
    reads first); a tie across days goes to the earlier day. Values above any real best."""
    day = athlete_today() - dt.timedelta(days=100)
    later = (day + dt.timedelta(days=2)).isoformat()
    evening, morning, after = "i1000000001", "i999999999", "i1000000000"
    run_evening, run_morning = "i1000000002", "i999999998"
    for activity_id, start, sport, points in (
            (after, f"{later}T08:00:00", "Ride", {("power", 60.0): 4000.0}),
            (evening, f"{day}T19:00:00", "Ride", {("power", 5.0): 5000.0,
                                                  ("power", 60.0): 4000.0}),
            (morning, f"{day}T07:00:00", "Ride", {("power", 5.0): 5000.0}),
            (run_evening, f"{day}T18:00:00", "Run", {("pace", 1000.0): 100.0}),
            (run_morning, f"{day}T06:00:00", "Run", {("pace", 1000.0): 100.0})):
        add_activity(offline.db_path, template.athlete_id, activity_id, start, sport, points)
    period = {"this_season": False, "last_season": False, "start_date": day.isoformat(),
              "end_date": later}
    async with connected(offline) as client:
        power = text_of(await client.call_tool("get_athlete_power_curves", {
            **period, "durations": [5, 60], "include_normalised": False}))
        pace = text_of(await client.call_tool("get_athlete_pace_curves", {
            **period, "distances": [1000]}))
    five, minute = block(power, "Date range")
    assert five == f'  5s: 5,000 W - {day} "Tie {morning}" Ride {morning}', power
    assert minute == f'  1m: 4,000 W - {day} "Tie {evening}" Ride {evening}', power
    (km,) = block(pace, "Date range")
    assert km.endswith(f' - {day} "Tie {run_morning}" Run {run_morning}'), pace


async def test_a_sport_without_curves_names_the_sports_that_have_them(
        offline: Settings) -> None:
    text = text_of(await ask(offline, "get_athlete_power_curves",
                             {"activity_type": "WeightTraining"}))
    assert text.startswith("Best power, WeightTraining, indoor and outdoor:")
    assert "  no activity with power in this period" in text
    assert re.search(r"Sports with these curves: .*Ride", text)
    unknown = await ask(offline, "get_athlete_power_curves", {"activity_type": "Kayaking"})
    assert unknown.is_error and text_of(unknown).startswith(
        "activity_type: no 'Kayaking' activities in the store; it holds Ride")


async def test_activities_whose_curves_are_not_fetched_yet_are_counted(
        offline: Settings) -> None:
    execute(offline.db_path, "UPDATE activities SET curves_fingerprint = NULL WHERE id IN "
            "(SELECT id FROM activities WHERE is_stub = 0 LIMIT 3)")
    text = text_of(await ask(offline, "get_athlete_hr_curves", {}))
    assert "The curves of 3 activities are not mirrored yet: the next sync" in text


async def test_the_status_counts_the_curves_and_those_due(offline: Settings,
                                                         template: SyncedStore) -> None:
    served = len(api_curves(template.dataset)["activity_curves"])
    text = text_of(await ask(offline, "get_sync_status", {}))
    assert f"\nbest-effort curves: {served:,} (power, hr, pace)\n" in text
    execute(offline.db_path, "UPDATE activities SET curves_fingerprint = NULL WHERE id IN "
            "(SELECT id FROM activities WHERE is_stub = 0 LIMIT 2)")
    text = text_of(await ask(offline, "get_sync_status", {}))
    assert f"\nbest-effort curves: {served:,} (power, hr, pace), 2 activities due\n" in text


async def test_without_season_starts_seasons_are_calendar_years(offline: Settings) -> None:
    execute(offline.db_path, "DELETE FROM events WHERE category = 'SEASON_START'")
    text = text_of(await ask(offline, "get_athlete_hr_curves", {}))
    year = athlete_today().year
    assert (f"This season, {year}-01-01 to {athlete_today()} (no SEASON_START in the "
            "calendar: calendar years):") in text
    assert f"Last season, {year - 1}-01-01 to {year - 1}-12-31 (" in text


async def test_a_new_activity_counts_once_synced_online(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    today = athlete_today()
    new = fake.add_activity(today, type="VirtualRide", icu_average_watts=640,
                            icu_weighted_avg_watts=650, moving_time=1500)
    async with connected(settings) as client:
        refreshed = await client.call_tool("refresh", {"resources": ["activities"]})
        assert not refreshed.is_error, text_of(refreshed)
        same_day = sum(1 for a in fake.dataset.activities.values() if "_note" not in a
                       and a["start_date_local"][:10] == today.isoformat())
        # the request covers the new activity's day: every activity of that day is stored
        curves = f"{same_day} activit{'y' if same_day == 1 else 'ies'}"
        assert f"; best-effort curves for {curves}." in text_of(refreshed)
        text = text_of(await client.call_tool("get_athlete_power_curves", {
            "durations": [1200], "start_date": today.isoformat(), "this_season": False,
            "last_season": False}))
    asked = sorted((r.api_path.rsplit("/", 1)[1], r.query["oldest"])
                   for r in fake.requests if r.path.endswith("-curves"))
    assert asked == [(f"activity-{kind}-curves", today.isoformat())
                     for kind in ("hr", "pace", "power")]
    line = block(text, "Date range")[0]
    assert line.endswith(f" {new['id']}") and re.match(r"  20m: (\d+) W", line)
    assert int(re.match(r"  20m: (\d+) W", line).group(1)) >= 640  # type: ignore[union-attr]


async def test_the_same_answers_with_the_api_stopped(live: tuple[FakeIntervals, Settings]
                                                    ) -> None:
    fake, settings = live
    calls = [("get_athlete_power_curves", {"start_date": "2000-01-01"}),
             ("get_athlete_hr_curves", {}), ("get_athlete_pace_curves", {})]
    async with connected(settings) as client:
        online = [text_of(await client.call_tool(t, a)) for t, a in calls]
    fake.stop()
    fake.reset_log()
    async with connected(settings) as client:
        offline = [text_of(await client.call_tool(t, a)) for t, a in calls]
    assert offline == online and fake.requests == []
    assert " W, " in online[0] and " bpm - " in online[1] and " /km) - " in online[2]


@pytest.mark.parametrize(("tool", "args", "expected"), [
    ("get_athlete_power_curves", {"durations": [7]},
     "durations: 7 s is not among the mirrored durations; choose from 1s, 2s"),
    ("get_athlete_power_curves", {"durations": []},
     "durations: expected at least one duration in seconds"),
    ("get_athlete_hr_curves", {"durations": ["soon"]},
     "durations: expected a whole number, got 'soon'"),
    ("get_athlete_power_curves", {"indoor_outdoor": "inside"},
     "indoor_outdoor: expected indoor or outdoor, got 'inside'"),
    ("get_athlete_power_curves", {"start_date": "2026-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2026-13-01'"),
    ("get_athlete_hr_curves", {"start_date": "2026-05-10", "end_date": "2026-05-01"},
     "end_date: expected a date on or after start_date (2026-05-10), got '2026-05-01'"),
    ("get_athlete_power_curves", {"start_date": "2999-01-01"},
     "start_date: expected a date on or before today ("),
    ("get_athlete_pace_curves", {"this_season": False, "last_season": False},
     "this_season: no period chosen; set this_season or last_season to true"),
    ("get_athlete_pace_curves", {"distances": [1234]},
     "distances: 1234 m is not among the mirrored distances; choose from 50, 100"),
    ("get_athlete_pace_curves", {"distances": []},
     "distances: expected at least one distance in metres"),
    ("get_athlete_power_curves", {"activity_type": "R" * 101},
     "activity_type: expected at most 100 characters"),
    ("get_athlete_power_curves", {"athlete_id": "i999"}, "athlete_id: this mirror holds i"),
    ("get_athlete_power_curves", {"include_normalised": "maybe"},
     "include_normalised: expected true or false, got 'maybe'"),
])
async def test_bad_input_is_a_tool_error_naming_the_parameter(
        offline: Settings, tool: str, args: dict[str, Any], expected: str) -> None:
    result = await ask(offline, tool, args)
    assert result.is_error
    assert text_of(result).startswith(expected), text_of(result)


async def test_an_end_before_the_first_mirrored_day_is_an_empty_range(
        offline: Settings) -> None:
    """Only an end runs from the first mirrored day: an end before it has nothing, which is
    an answer, not an error about a start_date nobody gave."""
    result = await ask(offline, "get_athlete_power_curves", {
        "end_date": "1990-01-01", "this_season": False, "last_season": False})
    assert not result.is_error, text_of(result)
    assert "Date range, 1990-01-01 to 1990-01-01:\n  no activity with power" in text_of(result)


async def test_the_mile_and_the_half_marathon_are_found_as_people_type_them(
        offline: Settings) -> None:
    text = text_of(await ask(offline, "get_athlete_pace_curves", {
        "distances": [1609, 21097], "this_season": False, "start_date": "2000-01-01"}))
    assert [line.split(":")[0].strip() for line in block(text, "Date range")] == [
        "1 mile", "half marathon"]


async def test_a_swim_of_the_athletes_swim_settings_gets_swim_distances(
        offline: Settings) -> None:
    """Any type in the Swim family (here one the athlete's settings add) asks the short
    distances, not the runner's: the family comes from the one sport mapping."""
    execute(offline.db_path, "UPDATE sport_settings SET types = types || ',Aquathlon' "
            "WHERE types LIKE 'Swim,%'")
    execute(offline.db_path, "UPDATE activities SET type = 'Aquathlon' WHERE type = 'Swim'")
    args = {"this_season": False, "last_season": False, "start_date": "2000-01-01"}
    swim = text_of(await ask(offline, "get_athlete_pace_curves",
                             {**args, "activity_type": "Aquathlon"}))
    run = text_of(await ask(offline, "get_athlete_pace_curves", args))
    assert [line.split(":")[0].strip() for line in block(swim, "Date range")] == [
        "100 m", "200 m", "400 m", "1.5 km"], swim
    assert [line.split(":")[0].strip() for line in block(run, "Date range")][-1] == "marathon"


async def test_the_tools_are_read_only_text_only_with_small_schemas(offline: Settings) -> None:
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    live_params = ["activity_type", "durations", "indoor_outdoor", "start_date", "end_date",
                   "this_season", "last_season", "include_normalised", "athlete_id"]
    power = tools["get_athlete_power_curves"]
    assert list(power.input_schema["properties"])[:9] == live_params
    assert power.input_schema["properties"]["activity_type"]["default"] == "Ride"
    for name in ("get_athlete_power_curves", "get_athlete_hr_curves",
                 "get_athlete_pace_curves"):
        tool = tools[name]
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert tool.output_schema is None
        assert "required" not in tool.input_schema
        # tools/list reaches every conversation: the words we write stay short
        words = len(tool.description or "") + sum(
            len(p.get("description", "")) for p in tool.input_schema["properties"].values())
        assert words <= 700, (name, words)


async def test_the_demo_store_has_curves(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    build_demo_store(db, years=1, seed=11)
    athlete = sqlite3.connect(db).execute("SELECT id FROM athlete").fetchone()[0]
    settings = mirror_settings(db, dead_base_url(), athlete)
    text = text_of(await ask(settings, "get_athlete_power_curves", {"last_season": False}))
    assert re.search(r"\n  5m: \d+ W, \d+\.\d\d W/kg - \d{4}-\d\d-\d\d ", text), text
