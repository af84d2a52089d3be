"""The demo athlete never contradicts itself: each activity's intervals tile it and add up to it,
intensities are normalized power over FTP, names fit the time of day, and a planned workout's
text says what its steps say.

Checked over a generated dataset and over a demo store as ``intervals-mirror demo`` builds it
(the raw objects users' SQL reads). The meanings are the real API's (intervals-api.md):
``icu_intensity`` and interval ``intensity`` are percents; ``start_index``/``end_index`` are
sample indices (end-exclusive) of the 1 Hz streams, one sample per moving second;
``start_time``/``end_time`` are seconds from the start on the clock that includes the stops.
Each check lists every contradiction, so a failure shows how many there are.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.demo.build import build_demo_store
from intervals_mirror.demo.dataset import generate
from intervals_mirror.demo.edits import make_activity, make_wellness
from intervals_mirror.demo.physiology import RIDE_TYPES
from intervals_mirror.stream_codec import decode

from fake_workout_text import parse_workout_text

Obj = dict[str, Any]
END = dt.date(2026, 6, 30)
# Hours (local, start inclusive, end exclusive) a name's time of day may start in; generous on
# purpose: "Lunch" overlaps "Morning" and "Afternoon", "Night" wraps past midnight.
DAY_PARTS = {"Morning": [(4, 12)], "Lunch": [(11, 14)], "Afternoon": [(12, 18)],
             "Evening": [(17, 23)], "Night": [(21, 24), (0, 5)]}
SPORTS_WITHOUT_INTERVALS = {"WeightTraining"}  # a gym session may have nothing to split


class Athlete:
    """Activities with their intervals (in order), the planned workouts and wellness."""

    def __init__(self, activities: list[Obj], intervals: dict[str, list[Obj]],
                 events: list[Obj], wellness: list[Obj]) -> None:
        self.activities = [a for a in activities if a.get("source") != "STRAVA"]
        self.intervals = intervals
        self.events = events
        self.wellness = wellness

    def with_intervals(self) -> Iterator[tuple[Obj, list[Obj]]]:
        for a in self.activities:
            ivs = self.intervals.get(a["id"]) or []
            if ivs:
                yield a, ivs


@pytest.fixture(scope="module")
def generated() -> Athlete:
    ds = generate(years=2, seed=7, end=END)
    return Athlete(list(ds.activities.values()),
                   {aid: dto["icu_intervals"] for aid, dto in ds.intervals.items()},
                   list(ds.events.values()), list(ds.wellness.values()))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo_store(path, years=1, seed=11)
    return path


@pytest.fixture(scope="module")
def stored(demo_store: Path) -> Athlete:
    conn = sqlite3.connect(demo_store)
    try:
        activities = [json.loads(raw) for (raw,) in
                      conn.execute("SELECT raw FROM activities ORDER BY start_date_local")]
        intervals: dict[str, list[Obj]] = {}
        for aid, raw in conn.execute("SELECT activity_id, raw FROM intervals "
                                     "ORDER BY activity_id, position"):
            intervals.setdefault(aid, []).append(json.loads(raw))
        events = [json.loads(raw) for (raw,) in conn.execute("SELECT raw FROM events")]
        wellness = [json.loads(raw) for (raw,) in conn.execute("SELECT raw FROM wellness")]
    finally:
        conn.close()
    return Athlete(activities, intervals, events, wellness)


@pytest.fixture(params=["generated", "stored"])
def athlete(request: pytest.FixtureRequest) -> Athlete:
    return request.getfixturevalue(request.param)


def _none(found: list[str]) -> None:
    assert not found, f"{len(found)} contradictions, e.g. " + "; ".join(found[:5])


def test_every_activity_but_a_gym_session_has_intervals(athlete: Athlete) -> None:
    without = [f"{a['id']} {a['type']}" for a in athlete.activities
               if not athlete.intervals.get(a["id"])]
    assert len(athlete.activities) > 300
    _none([w for w in without if w.split()[1] not in SPORTS_WITHOUT_INTERVALS])


def test_intervals_tile_each_activity_on_both_clocks(athlete: Athlete) -> None:
    """Samples: back to back from 0 to the moving time; seconds: from 0 to the elapsed time."""
    found = []
    for a, ivs in athlete.with_intervals():
        for first, last, length, total in (("start_index", "end_index", "moving_time",
                                            "moving_time"),
                                           ("start_time", "end_time", "elapsed_time",
                                            "elapsed_time")):
            at = 0
            for iv in ivs:
                if iv[first] != at or iv[last] - iv[first] != iv[length] or iv[length] <= 0:
                    found.append(f"{a['id']} {first} {iv[first]} (expected {at}), "
                                 f"{length} {iv[length]}")
                    break
                at = iv[last]
            if at != a[total] or sum(iv[length] for iv in ivs) != a[total]:
                found.append(f"{a['id']} intervals end at {at} and sum to "
                             f"{sum(iv[length] for iv in ivs)} {length}, activity {a[total]}")
    _none(found)


# (interval key, activity key, how far the sums may differ by rounding alone: n intervals)
SUMS: list[tuple[str, str, Callable[[Obj, int], float]]] = [
    # the activity's load is whole, each interval's to 0.1
    ("training_load", "icu_training_load", lambda a, n: 0.5 + 0.05 * n),
    # joules: each side whole watts x seconds (the activity's: its average watts)
    ("joules", "icu_joules", lambda a, n: a["moving_time"]),
    ("distance", "distance", lambda a, n: 0.05 * n + 0.05),
    ("total_elevation_gain", "total_elevation_gain", lambda a, n: 0.05 * n + 0.05),
]


@pytest.mark.parametrize(("iv_key", "a_key", "slack"), SUMS, ids=[s[0] for s in SUMS])
def test_interval_totals_add_up_to_the_activitys(athlete: Athlete, iv_key: str, a_key: str,
                                                 slack: Callable[[Obj, int], float]) -> None:
    found, checked = [], 0
    for a, ivs in athlete.with_intervals():
        if not a[a_key]:
            continue
        checked += 1
        total = sum(iv[iv_key] or 0 for iv in ivs)
        if abs(total - a[a_key]) > slack(a, len(ivs)):
            found.append(f"{a['id']} {a['type']}: intervals {total:.1f}, activity {a[a_key]}")
    assert checked > 50
    _none(found)


def test_interval_intensity_is_its_normalized_power_over_ftp(athlete: Athlete) -> None:
    found, checked = [], 0
    for a, ivs in athlete.with_intervals():
        ftp = a["icu_ftp"]
        for iv in ivs:
            if iv["weighted_average_watts"] is None:
                continue
            checked += 1
            exact = iv["weighted_average_watts"] / ftp * 100
            if abs(iv["intensity"] - exact) > 0.5 + 50 / ftp or (
                    iv["average_watts"] > iv["weighted_average_watts"]):
                found.append(f"{a['id']} interval {iv['id']}: intensity {iv['intensity']}%, "
                             f"NP {iv['weighted_average_watts']} W, avg {iv['average_watts']} W,"
                             f" FTP {ftp} W")
    assert checked > 100
    _none(found)


def test_activity_intensity_is_np_over_ftp_and_its_load_follows(athlete: Athlete) -> None:
    found, checked = [], 0
    for a in athlete.activities:
        np_w, ftp = a["icu_weighted_avg_watts"], a["icu_ftp"]
        if not np_w:
            continue
        checked += 1
        if abs(a["icu_intensity"] - np_w / ftp * 100) > 50 / ftp + 0.005:
            found.append(f"{a['id']} {a['type']}: intensity {a['icu_intensity']}%, "
                         f"NP {np_w} W, FTP {ftp} W")
        # power load is TSS: hours x IF squared x 100
        tss = a["moving_time"] / 3600 * (a["icu_intensity"] / 100) ** 2 * 100
        if abs(a["icu_training_load"] - tss) > 0.5 + 0.01 * tss:
            found.append(f"{a['id']} load {a['icu_training_load']}, TSS {tss:.1f}")
    assert checked > 100
    _none(found)


def test_interval_averages_add_up_to_the_activitys(athlete: Athlete) -> None:
    """Time-weighted, the intervals' power and heart rate are the activity's; no interval's
    maximum is above the activity's."""
    found = []
    for a, ivs in athlete.with_intervals():
        secs = a["moving_time"]
        for iv_key, a_key in (("average_watts", "icu_average_watts"),
                              ("average_heartrate", "average_heartrate")):
            if a[a_key] is None:
                continue
            mean = sum(iv[iv_key] * iv["moving_time"] for iv in ivs) / secs
            if abs(mean - a[a_key]) > 1.0:
                found.append(f"{a['id']} {a['type']} {iv_key} {mean:.1f} vs {a[a_key]}")
        for key in ("max_heartrate", "max_speed"):
            top = max((iv[key] for iv in ivs if iv[key] is not None), default=None)
            if top is not None and a[key] is not None and top > a[key]:
                found.append(f"{a['id']} interval {key} {top} above the activity's {a[key]}")
    _none(found)


def _ride_eftp_contradictions(activities: list[Obj], wellness: list[Obj]) -> tuple[int, list[str]]:
    """A day's wellness Ride eFTP against the rolling eFTP of that day's last ride with power
    (Intervals.icu updates eFTP ride by ride; wellness holds the day's value)."""
    last: dict[str, Obj] = {}
    for a in sorted(activities, key=lambda a: a["start_date_local"]):
        if a.get("type") in RIDE_TYPES and a.get("icu_rolling_ftp") is not None:
            last[a["start_date_local"][:10]] = a
    checked, found = 0, []
    for w in wellness:
        for info in w.get("sportInfo") or []:
            ride = last.get(w["id"])
            if info["type"] == "Ride" and ride is not None:
                checked += 1
                if info["eftp"] != ride["icu_rolling_ftp"]:
                    found.append(f"{w['id']}: wellness eFTP {info['eftp']} W, "
                                 f"{ride['id']} {ride['icu_rolling_ftp']} W")
    return checked, found


def test_a_days_wellness_eftp_is_its_last_rides(athlete: Athlete) -> None:
    checked, found = _ride_eftp_contradictions(athlete.activities, athlete.wellness)
    assert checked > 50
    _none(found)


def test_the_fake_apis_new_wellness_day_takes_its_new_rides_eftp() -> None:
    ds = generate(years=1, seed=11, end=END)
    day = END + dt.timedelta(days=1)
    make_activity(ds, day, sport="Ride")
    make_activity(ds, day, sport="VirtualRide")
    make_wellness(ds, day)
    checked, found = _ride_eftp_contradictions(list(ds.activities.values()),
                                               [ds.wellness[day.isoformat()]])
    assert checked == 1
    _none(found)


def _whole_watts(ftp: int, pct: float) -> int:
    """The profile's rounding of a zone top: % of FTP in W, half up."""
    exact = Decimal(repr(float(ftp) * float(pct) / 100))
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def test_an_intervals_power_zone_bounds_are_the_profiles(athlete: Athlete) -> None:
    """Bounds in whole W as the profile and the streams write the zones (Z2 from a watt above
    Z1's rounded top to its own rounded top), and the interval's average inside them."""
    found, checked = [], 0
    for a, ivs in athlete.with_intervals():
        ftp, tops = a["icu_ftp"], a["icu_power_zones"]
        for iv in ivs:
            if iv["zone_min_watts"] is None:
                continue
            checked += 1
            zone = iv["zone"]
            low = 0 if zone == 1 else _whole_watts(ftp, tops[zone - 2]) + 1
            high = None if tops[zone - 1] >= 999 else _whole_watts(ftp, tops[zone - 1])
            if (iv["zone_min_watts"], iv["zone_max_watts"]) != (low, high) or not (
                    low <= iv["average_watts"] <= (high or math.inf)):
                found.append(f"{a['id']} interval {iv['id']} Z{zone} "
                             f"{iv['zone_min_watts']}-{iv['zone_max_watts']} W "
                             f"(avg {iv['average_watts']} W), profile {low}-{high} W")
    assert checked > 100
    _none(found)


def _day_part_fits(name: str, hour: int) -> bool:
    part = name.split()[0]
    return any(lo <= hour < hi for lo, hi in DAY_PARTS[part])


def test_names_with_a_time_of_day_fit_the_local_start(athlete: Athlete) -> None:
    named = [(a["id"], a["name"], int(a["start_date_local"][11:13])) for a in athlete.activities
             if a["name"] and a["name"].split()[0] in DAY_PARTS]
    assert len(named) > 20
    _none([f"{aid} {name!r} at {hour}:xx" for aid, name, hour in named
           if not _day_part_fits(name, hour)])


def test_day_parts_are_checked_as_meant() -> None:
    assert _day_part_fits("Morning Ride", 9) and _day_part_fits("Night Run", 23)
    assert not _day_part_fits("Evening Ride", 9) and not _day_part_fits("Morning Run", 18)


def _said(steps: list[Obj]) -> list[Obj]:
    """What workout text can say of steps: the server's estimates (a repeat's total time, the
    time beside a distance) left out."""
    out = []
    for step in steps:
        step = {k: v for k, v in step.items()
                if not (k == "duration" and ("reps" in step or "distance" in step))}
        if "steps" in step:
            step["steps"] = _said(step["steps"])
        out.append(step)
    return out


def test_a_planned_workouts_text_says_what_its_steps_say(athlete: Athlete) -> None:
    planned = [e for e in athlete.events
               if e["category"] == "WORKOUT" and e["workout_doc"] and e["workout_doc"]["steps"]]
    assert len(planned) > 20
    found = []
    for e in planned:
        read = parse_workout_text(e["description"])
        if "description" in read or _said(read["steps"]) != _said(e["workout_doc"]["steps"]):
            found.append(f"event {e['id']} {e['name']!r}: {e['description']!r}")
    _none(found)


def test_stored_streams_run_on_the_intervals_clock(demo_store: Path, stored: Athlete) -> None:
    """Each interval's first sample is at its start_time; the stream's samples, as many as
    the moving seconds, end before the elapsed time."""
    conn = sqlite3.connect(demo_store)
    try:
        times = {aid: decode(data) for aid, data in conn.execute(
            "SELECT activity_id, data FROM streams WHERE type = 'time'")}
    finally:
        conn.close()
    assert len(times) > 10
    by_id = {a["id"]: a for a in stored.activities}
    found = []
    for aid, time in times.items():
        a, ivs = by_id[aid], stored.intervals.get(aid) or []
        if len(time) != a["moving_time"] or not time[-1] < a["elapsed_time"]:
            found.append(f"{aid}: {len(time)} samples to {time[-1]} s, activity "
                         f"{a['moving_time']} s moving, {a['elapsed_time']} s elapsed")
        found += [f"{aid} interval {iv['id']}: sample {iv['start_index']} at "
                  f"{time[iv['start_index']]} s, start_time {iv['start_time']}"
                  for iv in ivs if time[iv["start_index"]] != iv["start_time"]]
    _none(found)


def _seconds_in_zones(samples: list[float], tops: list[float]) -> list[int]:
    """One sample a second; a sample on a zone's top is in that zone, above the last in it."""
    counts = [0] * len(tops)
    for v in samples:
        counts[next((k for k, top in enumerate(tops) if v <= top), len(tops) - 1)] += 1
    return counts


def test_stored_streams_spend_the_activitys_time_in_each_zone(demo_store: Path,
                                                             stored: Athlete) -> None:
    """Time in zones from the streams (power against the activity's FTP and zones; heart
    rate without its dropouts) is the activity's icu_zone_times / icu_hr_zone_times."""
    conn = sqlite3.connect(demo_store)
    try:
        streams = {(aid, kind): decode(data) for aid, kind, data in conn.execute(
            "SELECT activity_id, type, data FROM streams WHERE type IN ('watts', 'heartrate')")}
    finally:
        conn.close()
    by_id = {a["id"]: a for a in stored.activities}
    found, checked = [], set()
    for (aid, kind), samples in streams.items():
        a = by_id[aid]
        if kind == "watts" and a["icu_zone_times"]:
            tops = [a["icu_ftp"] * pct / 100 for pct in a["icu_power_zones"]]
            want = [z["secs"] for z in a["icu_zone_times"] if z["id"] != "SS"]
        elif kind == "heartrate" and a["icu_hr_zone_times"]:
            tops, want = a["icu_hr_zones"], a["icu_hr_zone_times"]
            samples = [v for v in samples if v]
        else:
            continue
        checked.add(kind)
        got = _seconds_in_zones(samples, tops)
        if any(abs(g - w) > 1 for g, w in zip(got, want, strict=True)):
            found.append(f"{aid} {kind}: streams {got} s, activity {want} s")
    assert checked == {"watts", "heartrate"}
    _none(found)


@pytest.mark.parametrize("years", [1, 3])
def test_the_gear_the_profile_names_is_in_the_gear_list_and_in_use(years: int) -> None:
    """Before the road bike changes (about 2.2 years in) the older bike is the default."""
    ds = generate(years=years, seed=7, end=END)
    in_use = {g["id"] for g in ds.gear if not g["retired"]}
    named = [s["default_gear_id"] for s in ds.athlete["sportSettings"] if s["default_gear_id"]]
    primary = [b["id"] for b in ds.athlete["bikes"] + ds.athlete["shoes"] if b["primary"]]
    assert named and primary
    _none([f"{gid} is not in use" for gid in named + primary if gid not in in_use])
