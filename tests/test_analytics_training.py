"""Time in zones, planned vs done and fitness markers against the same figures worked out in
plain Python from the stored JSON (never from ``analytics``), on two generated years with edge
cases: an activity without zone times, a plan done as two activities, activities with no plan,
and weeks cut by the range."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.analytics.aggregates import Analytics
from intervals_mirror.answers.compliance import most_buckets
from intervals_mirror.errors import QueryError

from analytics_helpers import END

RIDES = ("Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "EBikeRide",
         "EMountainBikeRide", "TrackRide", "Velomobile", "Handcycle")
RUNS = ("Run", "VirtualRun", "TrailRun")
START = "2024-10-02"  # a Wednesday: its week has 5 days in the range
LAST = "2025-01-31"


@pytest.fixture(scope="module")
def mirror(analytics_template: Path) -> Iterator[Analytics]:
    with Analytics(analytics_template) as a:
        yield a


def activities(path: Path, start: str, end: str, types: tuple[str, ...] | None = None
               ) -> list[dict[str, Any]]:
    """The real activities with a local day in [start, end]: their API JSON, parsed here."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT raw FROM activities WHERE is_stub = 0 AND date BETWEEN ? "
                            "AND ? ORDER BY start_date_local, id", (start, end)).fetchall()
    finally:
        conn.close()
    found = [json.loads(raw) for (raw,) in rows]
    return [a for a in found if types is None or a["type"] in types]


def monday(day: str) -> str:
    d = dt.date.fromisoformat(day[:10])
    return (d - dt.timedelta(days=d.weekday())).isoformat()


def seconds_by_zone(acts: list[dict[str, Any]], key: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for a in acts:
        for n, item in enumerate(a.get(key) or [], start=1):
            zone, secs = (item["id"], item["secs"]) if isinstance(item, dict) else (f"Z{n}",
                                                                                     item)
            totals[zone] += secs
    return dict(totals)


# -- time in zones ----------------------------------------------------------------------------


def test_power_zones_of_the_ride_family_match_the_activities(
        mirror: Analytics, analytics_template: Path) -> None:
    data = mirror.zone_distribution(START, LAST, kind="power", group_by="none",
                                    activity_type="ride").data
    acts = activities(analytics_template, START, LAST, RIDES)
    want = seconds_by_zone(acts, "icu_zone_times")
    assert {z["zone"]: z["secs"] for z in data["zones"]} == want
    assert data["totals"]["activities"] == len(acts)
    assert data["totals"]["with_times"] == sum(1 for a in acts if a.get("icu_zone_times"))
    assert data["totals"]["with_times"] < len(acts)   # rides without a power meter
    # Intervals.icu's default 7 zones: below Z1-Z2, between Z3-Z4, above Z5-Z7; SS in none
    assert data["split"]["low"] == 2 and data["split"]["high"] == 5
    assert data["totals"]["below_s"] == want["Z1"] + want["Z2"]
    assert data["totals"]["between_s"] == want["Z3"] + want["Z4"]
    assert data["totals"]["above_s"] == want["Z5"] + want["Z6"] + want["Z7"]
    assert data["sport"] == "Ride family (Ride, VirtualRide)"
    text = mirror.zone_distribution(START, LAST, activity_type="ride").text
    share = 100 * (want["Z1"] + want["Z2"]) / sum(v for k, v in want.items() if k != "SS")
    conn = sqlite3.connect(analytics_template)
    ftp = conn.execute("SELECT ftp FROM sport_settings WHERE types LIKE 'Ride,%'").fetchone()[0]
    conn.close()
    top_of_z2 = int(ftp * 0.75 + 0.5)   # the demo's Z2 tops at 75% of FTP
    assert f"below: Z1-Z2 (up to {top_of_z2} W) {int(share + 0.5)}%, between: Z3-Z4 " in text


def test_weekly_zones_flag_the_week_the_range_cuts(mirror: Analytics,
                                                   analytics_template: Path) -> None:
    data = mirror.zone_distribution(START, LAST, kind="hr", group_by="week").data
    acts = activities(analytics_template, START, LAST)
    weeks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in acts:
        weeks[monday(a["start_date_local"])].append(a)
    assert [b["bucket"] for b in data["buckets"]] == sorted(weeks)
    for b in data["buckets"]:
        assert b["zones"] == seconds_by_zone(weeks[b["bucket"]], "icu_hr_zone_times")
        assert b["activities"] == len(weeks[b["bucket"]])
    first = data["buckets"][0]
    assert first["bucket"] == "2024-09-30" and first["partial"] == {"days": 5, "of": 7}
    assert all(b["partial"] is None for b in data["buckets"][1:-1])
    assert "week of 2024-09-30 (5 of 7 days): " in mirror.zone_distribution(
        START, LAST, kind="hr").text


def test_an_activity_without_zone_times_counts_but_adds_no_zone_time(store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    with conn:
        stripped = conn.execute(
            "SELECT id FROM activities WHERE date BETWEEN ? AND ? AND type = 'Ride' AND "
            "json_extract(raw, '$.icu_zone_times') IS NOT NULL LIMIT 1",
            (START, LAST)).fetchone()[0]
        conn.execute("UPDATE activities SET raw = json_remove(raw, '$.icu_zone_times') "
                     "WHERE id = ?", (stripped,))
    conn.close()
    with Analytics(store_path) as mirror:
        data = mirror.zone_distribution(START, LAST, group_by="none",
                                        activity_type="Ride", exact_type=True).data
    acts = activities(store_path, START, LAST, ("Ride",))
    assert stripped in {a["id"] for a in acts}
    assert {z["zone"]: z["secs"] for z in data["zones"]} == seconds_by_zone(
        acts, "icu_zone_times")
    assert data["totals"]["activities"] == len(acts)
    assert data["totals"]["with_times"] == sum(1 for a in acts if a.get("icu_zone_times"))


def test_without_sport_settings_the_newest_activitys_own_zones_are_read(
        store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    with conn:
        conn.execute("DELETE FROM sport_settings")
    conn.close()
    newest = activities(store_path, START, LAST, RIDES)
    ride = next(a for a in reversed(newest) if a.get("icu_power_zones") and a.get("icu_ftp"))
    with Analytics(store_path) as mirror:
        answer = mirror.zone_distribution(START, LAST, activity_type="Ride", group_by="none")
    ftp, tops = ride["icu_ftp"], ride["icu_power_zones"]
    assert answer.data["model"]["source"] == (
        f"the zones of {ride['id']} ({ride['start_date_local'][:10]})")
    assert f"bounds: the zones of {ride['id']} " in answer.text and f"FTP {ftp} W" in answer.text
    z2_top = int(ftp * tops[1] / 100 + 0.5)   # the zones' tops are % of that ride's FTP
    assert f"below: Z1-Z2 (up to {z2_top} W) " in answer.text


def test_without_any_zone_model_the_thresholds_are_named_for_the_kind_asked(
        store_path: Path) -> None:
    """No sport settings and no activity's own zones: the defaults are assumed, and the
    second threshold of heart rate is LTHR (of pace, threshold pace), not FTP."""
    conn = sqlite3.connect(store_path)
    with conn:
        conn.execute("DELETE FROM sport_settings")
        conn.execute("UPDATE activities SET raw = json_remove(raw, '$.icu_power_zones', "
                     "'$.icu_hr_zones', '$.pace_zones')")
    conn.close()
    with Analytics(store_path) as mirror:
        answers = {kind: mirror.zone_distribution(START, LAST, kind=kind, group_by="none")
                   for kind in ("hr", "pace", "power")}
    for kind, threshold in (("hr", "LTHR"), ("pace", "threshold pace"), ("power", "FTP")):
        assert answers[kind].data["model"] is None, kind
        assert f"where the zones at or above {threshold} begin" in answers[kind].text, kind
        assert "Intervals.icu's default 7 zones are assumed" in answers[kind].text


def test_pace_zones_of_runs_read_with_the_run_settings(mirror: Analytics,
                                                       analytics_template: Path) -> None:
    answer = mirror.zone_distribution(START, LAST, kind="pace", group_by="month",
                                      activity_type="Run")
    acts = activities(analytics_template, START, LAST, RUNS)
    want = seconds_by_zone(acts, "pace_zone_times")
    assert {z["zone"]: z["secs"] for z in answer.data["zones"]} == want
    assert answer.data["model"]["source"] == "the Run settings"
    assert " /km)" in answer.text and "threshold pace 4:13 /km" in answer.text
    # a faster pace is a smaller number: the thresholds read "slower than", "faster than"
    z2, z4 = (re.search(rf" Z{n} [^(]*\(\d+:\d+-(\d+:\d+) /km\)", answer.text)
              for n in (2, 4))
    assert z2 and z4, answer.text
    assert f"below: Z1-Z2 (slower than {z2[1]} /km) " in answer.text
    assert f"above: Z5+ (faster than {z4[1]} /km) " in answer.text
    gap = mirror.zone_distribution(START, LAST, kind="gap", activity_type="Run").data
    assert {z["zone"]: z["secs"] for z in gap["zones"]} == seconds_by_zone(
        acts, "gap_zone_times")


def test_a_sport_without_such_zone_times_says_so(mirror: Analytics) -> None:
    answer = mirror.zone_distribution(START, LAST, kind="power", activity_type="Run")
    assert "no power zone times" in answer.text and "Try kind=hr or pace" in answer.text


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "watts"}, "kind: expected one of power, hr, pace, gap, got 'watts'"),
    ({"group_by": "year"}, "group_by: expected one of week, month, none, got 'year'"),
    ({"activity_type": "Cycling"}, "activity_type: no 'Cycling' activities in the store"),
])
def test_bad_zone_parameters_are_refused(mirror: Analytics, kwargs: dict[str, Any],
                                         message: str) -> None:
    with pytest.raises(QueryError, match=message):
        mirror.zone_distribution(START, LAST, **kwargs)


# -- planned vs done --------------------------------------------------------------------------


def expected_plans(path: Path, start: str, end: str, today: str) -> dict[str, dict[str, Any]]:
    """Each WORKOUT in the range with its paired activities and status, worked out here."""
    conn = sqlite3.connect(path)
    try:
        events = [json.loads(r) for (r,) in conn.execute(
            "SELECT raw FROM events WHERE category = 'WORKOUT'")]
        acts = {i: (p, load, secs) for i, p, load, secs in conn.execute(
            "SELECT id, paired_event_id, training_load, moving_time FROM activities "
            "WHERE is_stub = 0")}
    finally:
        conn.close()
    plans = {}
    for e in events:
        day = e["start_date_local"][:10]
        if not start <= day <= end:
            continue
        done = sorted({i for i, (p, _, _) in acts.items() if p == str(e["id"])}
                      | ({e["paired_activity_id"]} if e.get("paired_activity_id") in acts
                         else set()))
        load = sum(acts[i][1] or 0 for i in done)
        secs = sum(acts[i][2] or 0 for i in done)
        share = (load / e["icu_training_load"] if e.get("icu_training_load")
                 else secs / e["moving_time"] if e.get("moving_time") else None)
        status = ("missed" if not done and day < today else "ahead" if not done
                  else "partly done" if share is not None and share < 0.7 else "done")
        plans[str(e["id"])] = {"done": done, "load": load, "status": status, "day": day,
                               "planned_load": e.get("icu_training_load"), "secs": secs,
                               "planned_time": e.get("moving_time")}
    return plans


def unplanned(path: Path, start: str, end: str) -> int:
    """Activities in the range that no planned workout is paired with, either way."""
    conn = sqlite3.connect(path)
    try:
        workouts = [json.loads(r) for (r,) in conn.execute(
            "SELECT raw FROM events WHERE category = 'WORKOUT'")]
        acts = conn.execute("SELECT id, paired_event_id FROM activities WHERE is_stub = 0 "
                            "AND date BETWEEN ? AND ?", (start, end)).fetchall()
    finally:
        conn.close()
    plans = {str(w["id"]) for w in workouts}
    named = {w["paired_activity_id"] for w in workouts if w.get("paired_activity_id")}
    return sum(1 for i, p in acts if p not in plans and i not in named)


def check_compliance(path: Path, start: str, end: str) -> dict[str, Any]:
    with Analytics(path) as mirror:
        answer = mirror.plan_compliance(start, end)
    data = answer.data
    want = expected_plans(path, start, end, data["today"])
    got = {p["id"]: p for p in data["plans"]}
    assert set(got) == set(want)
    for pid, plan in want.items():
        assert got[pid]["status"] == plan["status"], pid
        assert sorted(a["id"] for a in got[pid]["done_as"]) == plan["done"]
        assert (got[pid]["done_load"] or 0) == plan["load"]
    t = data["totals"]
    for status, key in (("done", "done"), ("partly done", "partly"), ("missed", "missed"),
                        ("ahead", "ahead")):
        assert t[key] == sum(1 for p in want.values() if p["status"] == status)
    assert t["planned_load"] == sum(p["planned_load"] or 0 for p in want.values())
    assert t["unplanned"] == unplanned(path, start, end)
    if data["group_by"] == "week":   # planned against done, week by week
        for b in data["buckets"]:
            week = [p for p in want.values() if monday(p["day"]) == b["bucket"]]
            assert b["plans"] == len(week)
            assert (b["planned_load"] or 0) == sum(p["planned_load"] or 0 for p in week)
            assert (b["planned_time_s"] or 0) == sum(p["planned_time"] or 0 for p in week)
            assert (b["done_load"] or 0) == sum(p["load"] for p in week)
            assert (b["done_time_s"] or 0) == sum(p["secs"] for p in week)
    return {**data, "text": answer.text, "want": want}


def test_plans_are_done_partly_done_or_missed_as_worked_out_here(
        analytics_template: Path) -> None:
    data = check_compliance(analytics_template, "2023-10-01", END.isoformat())
    statuses = {p["status"] for p in data["want"].values()}
    assert {"done", "partly done", "missed"} <= statuses
    assert data["totals"]["unplanned"] > 0   # activities with no plan
    partly = next(p for p in reversed(data["plans"]) if p["status"] == "partly done")
    assert f"- {partly['date']} {partly['type']}" in data["text"]
    assert "partly done as " in data["text"] and len(data["text"]) <= 20_000
    assert "earlier planned workouts left out" in data["text"]  # 18 months do not all fit
    assert "under 70% of the planned load" in data["text"]


def test_a_plan_done_as_two_activities_sums_them(store_path: Path) -> None:
    start, end = "2024-11-04", "2024-12-29"
    conn = sqlite3.connect(store_path)
    with conn:
        plan, first, day = conn.execute(
            "SELECT e.id, a.id, a.date FROM events AS e JOIN activities AS a "
            "ON a.paired_event_id = e.id WHERE e.category = 'WORKOUT' AND e.date BETWEEN ? "
            "AND ? ORDER BY e.date LIMIT 1", (start, end)).fetchone()
        second = conn.execute(
            "SELECT id FROM activities WHERE paired_event_id IS NULL AND is_stub = 0 AND "
            "date BETWEEN ? AND ? ORDER BY date LIMIT 1", (day, end)).fetchone()[0]
        conn.execute("UPDATE activities SET paired_event_id = ? WHERE id = ?", (plan, second))
    conn.close()
    data = check_compliance(store_path, start, end)
    both = next(p for p in data["plans"] if p["id"] == plan)
    assert {a["id"] for a in both["done_as"]} == {first, second}
    assert f"as {first}" in data["text"] and f" + {second}" in data["text"]


def test_weeks_of_plans_cut_by_the_range_are_flagged(analytics_template: Path) -> None:
    data = check_compliance(analytics_template, START, LAST)
    first = data["buckets"][0]
    assert first["bucket"] == "2024-09-30" and first["partial"] == {"days": 5, "of": 7}
    plans = data["want"]
    in_week = [p for p in plans.values() if monday(p["day"]) == "2024-09-30"]
    assert first["plans"] == len(in_week)
    assert "week of 2024-09-30 (5 of 7 days): " in data["text"]


# -- fitness markers --------------------------------------------------------------------------


def test_fitness_markers_are_the_last_value_per_month_and_the_new_highs(
        mirror: Analytics, analytics_template: Path) -> None:
    data = mirror.fitness_markers("2024-01-01", END.isoformat()).data
    rides = [a for a in activities(analytics_template, "2024-01-01", END.isoformat(), RIDES)
             if a.get("icu_rolling_ftp") is not None]
    last: dict[str, Any] = {}
    highs, best = [], None
    for a in rides:
        last[a["start_date_local"][:7]] = a
        value = a["icu_rolling_ftp"]
        if best is not None and value > best:
            highs.append((a["id"], value))
        best = value if best is None else max(best, value)
    got = {b["bucket"]: b for b in data["buckets"]}
    for month, a in last.items():
        assert got[month]["eftp"] == a["icu_rolling_ftp"]
        assert got[month]["cp"] == a["icu_rolling_cp"]
        assert got[month]["w_prime"] == a["icu_rolling_w_prime"]
        assert got[month]["p_max"] == a["icu_rolling_p_max"] is not None
    assert [(h["activity_id"], h["value"]) for h in data["highs"]["eftp"]] == highs
    assert data["range"]["last"]["eftp"] == rides[-1]["icu_rolling_ftp"]
    assert data["range"]["change"]["eftp"] == (rides[-1]["icu_rolling_ftp"]
                                               - rides[0]["icu_rolling_ftp"])
    conn = sqlite3.connect(analytics_template)
    weights = dict(conn.execute(
        "SELECT substr(id, 1, 7), weight FROM wellness WHERE weight IS NOT NULL AND id "
        "BETWEEN '2024-01-01' AND ? ORDER BY id", (END.isoformat(),)).fetchall())
    vo2 = conn.execute("SELECT vo2max FROM wellness WHERE vo2max IS NOT NULL AND id <= ? "
                       "ORDER BY id DESC LIMIT 1", (END.isoformat(),)).fetchone()[0]
    conn.close()
    for month, weight in weights.items():
        assert got[month]["weight"] == weight
        if got[month]["eftp"] is not None:
            assert got[month]["wkg"] == pytest.approx(got[month]["eftp"] / weight)
    assert data["range"]["last"]["vo2max"] == vo2
    text = mirror.fitness_markers("2024-01-01", END.isoformat()).text
    last_high = data["highs"]["eftp"][-1]
    assert f"{last_high['value']:.0f} W on {last_high['date']} by {last_high['activity_id']}" \
        in text


# -- ten years in one answer ------------------------------------------------------------------


@pytest.mark.parametrize(("tool", "kwargs", "coarser"), [
    ("zone_distribution", {"kind": "hr", "group_by": "week"}, "so this is per month"),
    ("plan_compliance", {}, "Per quarter:"),
    ("fitness_markers", {"group_by": "week"}, "so this is per month"),
])
def test_ten_years_fit_in_one_answer(ten_years: Path, tool: str, kwargs: dict[str, Any],
                                     coarser: str) -> None:
    with Analytics(ten_years) as mirror:
        text = getattr(mirror, tool)("2015-01-01", "2025-03-31", **kwargs).text
    assert len(text) <= 19_700 and coarser in text


def test_weekly_distance_targets_for_three_sports_fit_the_most_weeks_shown(
        store_path: Path) -> None:
    """The longest bucket lines: every week a distance target for rides, runs and swims, over
    the most weeks one answer shows one per line."""
    conn = sqlite3.connect(store_path)
    with conn:
        conn.execute("UPDATE events SET raw = json_set(raw, '$.distance_target', 252500) "
                     "WHERE category = 'TARGET'")
        for n, (sport, metres) in enumerate((("Run", 42500), ("Swim", 12500)), start=1):
            conn.execute(
                "INSERT INTO events (id, athlete_id, date, start_date_local, category, type, "
                "raw, fingerprint, synced_at) SELECT id || '-' || ?, athlete_id, date, "
                "start_date_local, category, ?, json_set(raw, '$.distance_target', ?, "
                "'$.load_target', NULL, '$.time_target', NULL), fingerprint, synced_at "
                "FROM events WHERE category = 'TARGET' AND type = 'Ride'",
                (n, sport, metres))
    conn.close()
    first = END - dt.timedelta(weeks=most_buckets() - 1, days=END.weekday())
    with Analytics(store_path) as mirror:
        text = mirror.plan_compliance(first.isoformat(), END.isoformat()).text
    assert f"Per week:\nweek of {first}: " in text and len(text) <= 19_700
    weeks = [line for line in text.splitlines() if line.startswith("week of ")]
    assert len(weeks) == most_buckets()
    assert sum("Ride 252.50 km, Run 42.50 km, Swim 12,500 m" in w for w in weeks) >= 40
