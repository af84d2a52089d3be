"""The aggregates against the same computation done directly in SQLite, on a generated store.

Every expected number here comes from a plain SQLite query over ``activities``, ``intervals``
or ``wellness`` (never from ``analytics``), on two years of generated data plus edge cases:
a leap day holding a ride without power or heart rate, a run without heart rate and a Strava
stub, another stub in the week after, empty ranges and single days.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from intervals_mirror.analytics import duck, export, schema, shaping
from intervals_mirror.analytics.aggregates import DEFAULT_DAYS, Analytics
from intervals_mirror.answers import units
from intervals_mirror.cli import main
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.errors import QueryError
from intervals_mirror.store import Store

from analytics_helpers import FULL, LEAP_DAY, copy_store


@pytest.fixture(scope="session")
def store_path(analytics_template: Path) -> Path:
    """The session's analytics store, not a second build of it: the tests here only read it."""
    return analytics_template


@pytest.fixture(scope="module")
def mirror(store_path: Path) -> Iterator[Analytics]:
    with Analytics(store_path) as a:
        yield a


@pytest.fixture(scope="module")
def db(store_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


# -- expected numbers, straight from SQLite ---------------------------------------------------

BUCKET_SQL = {
    "week": "date(date, '-6 days', 'weekday 1')",   # the Monday on or before the day
    "month": "substr(date, 1, 7)",
    "year": "substr(date, 1, 4)",
    "sport": "coalesce(type, 'Unknown')",
}
MEASURES_SQL = ("count(*) AS activities, sum(is_stub) AS stubs, sum(moving_time) AS moving, "
                "sum(distance) AS distance, sum(elevation_gain) AS elevation, "
                "sum(training_load) AS load, avg(intensity) AS intensity")


# Intervals.icu's sport families, written out here (not read from intervals_mirror.sports).
FAMILIES = {
    "Ride": ("Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "EBikeRide",
             "EMountainBikeRide", "TrackRide", "Velomobile", "Handcycle"),
    "Run": ("Run", "VirtualRun", "TrailRun"),
    "Swim": ("Swim", "OpenWaterSwim"),
}


def sport_where(sport: str | None, column: str = "type", exact: bool = False) -> str:
    """The SQL condition for a sport: its family's types, or the type alone."""
    if not sport:
        return ""
    types = (sport,) if exact else FAMILIES.get(sport, (sport,))
    return f" AND {column} IN ({', '.join(repr(t) for t in types)})"


def expected_summary(db: sqlite3.Connection, start: str, end: str, group_by: str,
                     sport: str | None = None, exact: bool = False) -> dict[str, Any]:
    where = "date BETWEEN :start AND :end" + sport_where(sport, exact=exact)
    args = {"start": start, "end": end}
    bucket = BUCKET_SQL[group_by]
    cells = {(r["bucket"], r["sport"]): r for r in db.execute(
        f"SELECT {bucket} AS bucket, coalesce(type, 'Unknown') AS sport, {MEASURES_SQL} "
        f"FROM activities WHERE {where} GROUP BY 1, 2", args)}
    buckets = {r["bucket"]: r for r in db.execute(
        f"SELECT {bucket} AS bucket, {MEASURES_SQL} FROM activities WHERE {where} GROUP BY 1",
        args)}
    sports = {r["sport"]: r for r in db.execute(
        f"SELECT coalesce(type, 'Unknown') AS sport, {MEASURES_SQL} FROM activities "
        f"WHERE {where} GROUP BY 1", args)}
    total = db.execute(f"SELECT {MEASURES_SQL} FROM activities WHERE {where}", args).fetchone()
    return {"cells": cells, "buckets": buckets, "sports": sports, "total": total}


def close(actual: float | None, expected: float | None, digits: int) -> bool:
    """``actual`` is ``expected`` rounded to ``digits`` (allowing for summation order)."""
    if expected is None or actual is None:
        return actual is None and expected is None
    return abs(actual - expected) <= 0.5 * 10 ** -digits + 1e-9 * max(1.0, abs(expected))


def assert_measures(ours: dict[str, Any], row: sqlite3.Row | None) -> None:
    if row is None or row["activities"] == 0:
        assert ours["activities"] == 0 and ours["moving_time_s"] == 0
        assert ours["avg_intensity"] is None
        return
    assert ours["activities"] == row["activities"]
    assert ours["stubs"] == (row["stubs"] or 0)
    assert ours["moving_time_s"] == (row["moving"] or 0)
    assert close(ours["distance_km"], (row["distance"] or 0) / 1000, 3)
    assert close(ours["elevation_m"], row["elevation"] or 0, 1)
    assert close(ours["training_load"], row["load"] or 0, 1)
    assert close(ours["avg_intensity"], row["intensity"], 2)


def check_summary(mirror: Analytics, db: sqlite3.Connection, start: str, end: str,
                  group_by: str, sport: str | None = None, exact: bool = False
                  ) -> dict[str, Any]:
    data = mirror.training_summary(start, end, group_by=group_by, activity_type=sport,
                                   exact_type=exact).data
    want = expected_summary(db, start, end, group_by, sport, exact)
    assert_measures(data["totals"], want["total"])
    assert {b["bucket"] for b in data["buckets"]} == set(want["buckets"])
    for bucket in data["buckets"]:
        assert_measures(bucket, want["buckets"][bucket["bucket"]])
        for cell in bucket.get("sports", []):
            assert_measures(cell, want["cells"][(bucket["bucket"], cell["sport"])])
    if group_by != "sport":
        assert {s["sport"] for s in data["by_sport"]} == set(want["sports"])
        for s in data["by_sport"]:
            assert_measures(s, want["sports"][s["sport"]])
    return data


# -- training summary ---------------------------------------------------------------------------


@pytest.mark.parametrize("group_by", ["week", "month", "year", "sport"])
def test_training_summary_matches_sqlite_over_two_years(
        mirror: Analytics, db: sqlite3.Connection, group_by: str) -> None:
    data = check_summary(mirror, db, *FULL, group_by)
    assert data["totals"]["activities"] > 500
    assert data["totals"]["stubs"] >= 2


def test_training_summary_of_a_sport_covers_its_family(mirror: Analytics,
                                                        db: sqlite3.Connection) -> None:
    data = check_summary(mirror, db, *FULL, "month", "Ride")
    assert {s["sport"] for s in data["by_sport"]} == {"Ride", "VirtualRide"}
    assert data["totals"]["stubs"] == 0  # stubs have no sport
    assert data["activity_type"] == "Ride family (Ride, VirtualRide)"
    assert "(Ride family (Ride, VirtualRide))" in mirror.training_summary(
        *FULL, activity_type="ride").text


def test_training_summary_of_one_type_alone(mirror: Analytics, db: sqlite3.Connection) -> None:
    data = check_summary(mirror, db, *FULL, "month", "Ride", exact=True)
    assert {s["sport"] for s in data["by_sport"]} == {"Ride"}
    assert data["activity_type"] == "Ride"
    data = check_summary(mirror, db, *FULL, "month", "VirtualRide")
    assert {s["sport"] for s in data["by_sport"]} == {"VirtualRide"}


def test_training_summary_sport_names_are_case_insensitive(mirror: Analytics) -> None:
    data = mirror.training_summary(*FULL, activity_type="virtualride").data
    assert data["activity_type"] == "VirtualRide"


def test_training_summary_on_the_leap_day_counts_stubs_without_their_missing_fields(
        mirror: Analytics, db: sqlite3.Connection) -> None:
    data = check_summary(mirror, db, LEAP_DAY, LEAP_DAY, "week")
    assert [b["bucket"] for b in data["buckets"]] == ["2024-02-26"]
    stub = next(s for s in data["by_sport"] if s["sport"] == "Unknown")
    assert stub == {"sport": "Unknown", "activities": 1, "stubs": 1, "moving_time_s": 0,
                    "distance_km": 0.0, "elevation_m": 0.0, "training_load": 0.0,
                    "avg_intensity": None, "pace_s_per_m": None}
    assert data["totals"]["stubs"] == 1
    assert "Strava stub" in mirror.training_summary(LEAP_DAY, LEAP_DAY).text


def test_training_summary_of_a_week_across_the_leap_day(mirror: Analytics,
                                                        db: sqlite3.Connection) -> None:
    data = check_summary(mirror, db, "2024-02-26", "2024-03-04", "week")
    assert [b["bucket"] for b in data["buckets"]] == ["2024-02-26", "2024-03-04"]
    check_summary(mirror, db, "2024-02-01", "2024-03-31", "month")


def rest_day(db: sqlite3.Connection) -> str:
    """A day inside the generated range with no activity at all."""
    days = {r[0] for r in db.execute("SELECT DISTINCT date FROM activities")}
    day = dt.date(2024, 1, 1)
    while day.isoformat() in days:
        day += dt.timedelta(days=1)
    return day.isoformat()


@pytest.mark.parametrize("where", ["long ago", "rest day"])
def test_training_summary_of_an_empty_range_is_zero(mirror: Analytics, db: sqlite3.Connection,
                                                    where: str) -> None:
    span = ("2010-01-01", "2010-12-31") if where == "long ago" else (rest_day(db),) * 2
    answer = mirror.training_summary(*span)
    assert answer.data["totals"]["activities"] == 0
    assert answer.data["buckets"] == [] and answer.data["by_sport"] == []
    assert "no activities" in answer.text
    check_summary(mirror, db, *span, "month")


def test_training_summary_of_a_single_day_matches_sqlite(mirror: Analytics,
                                                         db: sqlite3.Connection) -> None:
    day = db.execute("SELECT date FROM activities WHERE is_stub = 0 GROUP BY date "
                     "HAVING count(*) > 1 ORDER BY date LIMIT 1").fetchone()[0]
    check_summary(mirror, db, day, day, "sport")
    check_summary(mirror, db, day, day, "year")


def test_training_summary_text_has_units(mirror: Analytics) -> None:
    text = mirror.training_summary("2024-01-01", "2024-03-31", group_by="month").text
    assert text.startswith("Training 2024-01-01..2024-03-31 (all sports): ")
    for unit in (" h", " km", " m up", "load ", "%"):
        assert unit in text
    assert "2024-02:" in text


def test_weeks_and_months_the_range_cuts_are_flagged(mirror: Analytics,
                                                    db: sqlite3.Connection) -> None:
    """2024-01-10 is a Wednesday: its week has 5 days in the range, January 22 of 31."""
    weeks = check_summary(mirror, db, "2024-01-10", "2024-02-06", "week")
    assert [b["partial"] for b in weeks["buckets"]] == [
        {"days": 5, "of": 7}, None, None, None, {"days": 2, "of": 7}]
    text = mirror.training_summary("2024-01-10", "2024-02-06", group_by="week").text
    assert "\nweek of 2024-01-08 (5 of 7 days): " in text
    assert "\nweek of 2024-01-15: " in text and "\nweek of 2024-02-05 (2 of 7 days): " in text
    months = mirror.training_summary("2024-01-10", "2024-03-31", group_by="month")
    assert [b["partial"] for b in months.data["buckets"]] == [{"days": 22, "of": 31}, None,
                                                             None]
    assert "\n2024-01 (22 of 31 days): " in months.text and "\n2024-02: " in months.text


@pytest.mark.parametrize(("sport", "per"), [("Run", 1000), ("Swim", 100)])
def test_runs_and_swims_show_their_average_pace(mirror: Analytics, db: sqlite3.Connection,
                                                 sport: str, per: int) -> None:
    """Time over distance of the activities that have both (a treadmill run without a
    distance adds no time), per km for runs, per 100 m for swims: of the family in the
    totals, of each type on its own line."""

    def pace(exact: bool) -> float:
        secs, metres = db.execute(
            "SELECT sum(moving_time), sum(distance) FROM activities WHERE date BETWEEN ? "
            "AND ? AND distance > 0 AND moving_time > 0" + sport_where(sport, exact=exact),
            FULL).fetchone()
        return float(secs / metres)

    data = mirror.training_summary(*FULL, activity_type=sport, group_by="sport").data
    assert close(data["totals"]["pace_s_per_m"], pace(exact=False), 3)
    mins, rest = divmod(int(pace(exact=True) * per + 0.5), 60)  # whole seconds, half up
    line = f"avg pace {mins}:{rest:02d} /{'km' if per == 1000 else '100 m'}"
    assert line in mirror.training_summary(*FULL, group_by="sport").text.split(
        f"\n{sport}: ")[1].splitlines()[0]


# -- compare periods ----------------------------------------------------------------------------


def test_compare_periods_matches_sqlite_with_differences(mirror: Analytics,
                                                         db: sqlite3.Connection) -> None:
    a, b = ("2024-01-01", "2024-03-31"), ("2023-04-01", "2023-06-30")
    data = mirror.compare_periods(*a, *b).data
    want_a = expected_summary(db, *a, "sport")
    want_b = expected_summary(db, *b, "sport")
    rows = {r["sport"]: r for r in data["rows"]}
    assert set(rows) == {"all", *want_a["sports"], *want_b["sports"]}
    assert_measures(rows["all"]["a"], want_a["total"])
    assert_measures(rows["all"]["b"], want_b["total"])
    for sport, row in rows.items():
        if sport == "all":
            continue
        assert_measures(row["a"], want_a["sports"].get(sport))
        assert_measures(row["b"], want_b["sports"].get(sport))
    total = rows["all"]
    assert total["diff"]["activities"] == total["a"]["activities"] - total["b"]["activities"]
    assert total["diff"]["moving_time_s"] == (total["a"]["moving_time_s"]
                                              - total["b"]["moving_time_s"])
    assert total["pct"]["training_load"] == pytest.approx(
        100 * (total["a"]["training_load"] - total["b"]["training_load"])
        / total["b"]["training_load"], abs=0.06)
    assert data["a"]["days"] == 91 and data["b"]["days"] == 91


def test_compare_periods_may_overlap_and_filter_a_sport(mirror: Analytics,
                                                        db: sqlite3.Connection) -> None:
    a, b = ("2024-02-01", "2024-02-29"), ("2024-02-15", "2024-03-15")
    data = mirror.compare_periods(*a, *b, activity_type="Run").data
    assert_measures(data["rows"][0]["a"], expected_summary(db, *a, "sport", "Run")["total"])
    assert_measures(data["rows"][0]["b"], expected_summary(db, *b, "sport", "Run")["total"])
    assert [r["sport"] for r in data["rows"]] == ["all", "Run"]


def test_compare_periods_compares_the_average_pace_of_runs(mirror: Analytics,
                                                            db: sqlite3.Connection) -> None:
    a, b = ("2024-01-01", "2024-03-31"), ("2023-04-01", "2023-06-30")

    def per_km(start: str, end: str) -> int:
        secs, metres = db.execute(
            "SELECT sum(moving_time), sum(distance) FROM activities WHERE date BETWEEN ? AND ? "
            "AND distance > 0 AND moving_time > 0" + sport_where("Run"), (start, end)).fetchone()
        return int(secs / metres * 1000 + 0.5)

    one, other = per_km(*a), per_km(*b)
    change = ("same" if one == other else
              f"{abs(one - other)} s /km {'faster' if one < other else 'slower'}")
    want = (f"avg pace {one // 60}:{one % 60:02d} /km vs {other // 60}:{other % 60:02d} /km "
            f"({change})")
    text = mirror.compare_periods(*a, *b, activity_type="Run").text
    assert text.splitlines()[1].startswith("Total: ") and want in text.splitlines()[1]
    assert "avg pace" not in mirror.compare_periods(*a, *b, activity_type="Ride").text


def test_compare_periods_with_an_empty_period(mirror: Analytics) -> None:
    data = mirror.compare_periods("2024-01-01", "2024-01-31", "2010-01-01", "2010-01-31").data
    total = data["rows"][0]
    assert total["b"]["activities"] == 0
    assert total["pct"]["activities"] is None   # no percentage of nothing
    assert total["diff"]["activities"] == total["a"]["activities"]


# -- fitness ---------------------------------------------------------------------------------


def test_fitness_trend_per_day_matches_wellness(mirror: Analytics,
                                                db: sqlite3.Connection) -> None:
    data = mirror.fitness_trend("2024-02-01", "2024-03-31").data
    assert data["group_by"] == "day"
    rows = db.execute("SELECT id, ctl, atl, form, ramp_rate FROM wellness "
                      "WHERE id BETWEEN '2024-02-01' AND '2024-03-31' AND ctl IS NOT NULL "
                      "ORDER BY id").fetchall()
    assert [p["date"] for p in data["points"]] == [r["id"] for r in rows]
    assert LEAP_DAY in [p["date"] for p in data["points"]]
    for point, row in zip(data["points"], rows, strict=True):
        for key in ("ctl", "atl", "form", "ramp_rate"):
            assert close(point[key], row[key], 2)
    s = data["summary"]
    assert s["days"] == len(rows)
    assert s["negative_form_days"] == sum(1 for r in rows if r["form"] < 0)
    assert close(s["min_form"], min(r["form"] for r in rows), 2)
    assert close(s["ctl_change"], rows[-1]["ctl"] - rows[0]["ctl"], 2)


def test_fitness_trend_per_week_shows_each_weeks_last_day(mirror: Analytics,
                                                          db: sqlite3.Connection) -> None:
    data = mirror.fitness_trend(*FULL).data
    assert data["group_by"] == "week"        # long ranges come weekly
    weeks = db.execute(
        "SELECT date(id, '-6 days', 'weekday 1') AS week, max(id) AS last_day, "
        "count(*) AS days, min(form) AS min_form, max(ctl) AS max_ctl, "
        "sum(form < 0) AS negative FROM wellness WHERE id BETWEEN ? AND ? "
        "AND ctl IS NOT NULL GROUP BY 1 ORDER BY 1", FULL).fetchall()
    assert [p["week"] for p in data["points"]] == [w["week"] for w in weeks]
    for point, week in zip(data["points"], weeks, strict=True):
        last = db.execute("SELECT ctl, atl, form, ramp_rate FROM wellness WHERE id = ?",
                          (week["last_day"],)).fetchone()
        assert point["last_day"] == week["last_day"] and point["days"] == week["days"]
        for key in ("ctl", "atl", "form", "ramp_rate"):
            assert close(point[key], last[key], 2)
        assert close(point["min_form"], week["min_form"], 2)
        assert point["negative_form_days"] == week["negative"]
    assert data["summary"]["negative_form_days"] == sum(w["negative"] for w in weeks)


def test_fitness_trend_of_one_day_and_of_no_data(mirror: Analytics,
                                                 db: sqlite3.Connection) -> None:
    day = mirror.fitness_trend(LEAP_DAY, LEAP_DAY, group_by="week").data
    row = db.execute("SELECT ctl FROM wellness WHERE id = ?", (LEAP_DAY,)).fetchone()
    assert [p["week"] for p in day["points"]] == ["2024-02-26"]
    assert close(day["points"][0]["ctl"], row["ctl"], 2)
    empty = mirror.fitness_trend("2010-01-01", "2010-02-01")
    assert empty.data["points"] == [] and empty.data["summary"] == {"days": 0}
    assert "no wellness data" in empty.text


# -- wellness -------------------------------------------------------------------------------


def expected_field(db: sqlite3.Connection, name: str, start: str, end: str,
                   month: str | None = None) -> sqlite3.Row:
    """count/avg/min/max and the least-squares slope per week, in SQLite."""
    if name in duck.WELLNESS_NUMERIC:
        source = f"SELECT id AS day, {name} AS y FROM wellness WHERE {name} IS NOT NULL"
    else:
        source = (f"SELECT date AS day, value AS y FROM wellness_custom WHERE field = '{name}' "
                  "AND typeof(value) IN ('integer', 'real')")
    month_filter = f" AND substr(day, 1, 7) = '{month}'" if month else ""
    return db.execute(
        f"WITH p AS (SELECT julianday(day) - julianday(:start) AS x, y FROM ({source}) "
        f"WHERE day BETWEEN :start AND :end{month_filter}) "
        "SELECT count(y) AS n, avg(y) AS avg, min(y) AS min, max(y) AS max, "
        "(count(*) * sum(x * y) - sum(x) * sum(y)) / (count(*) * sum(x * x) - sum(x) * sum(x)) "
        "* 7 AS slope FROM p", {"start": start, "end": end}).fetchone()


def test_wellness_trends_match_sqlite(mirror: Analytics, db: sqlite3.Connection) -> None:
    start, end = "2024-01-01", "2024-06-30"
    fields = ["hrv", "resting_hr", "sleep_secs", "weight", "soreness", "CaffeineMg", "form"]
    data = mirror.wellness_trends(start, end, fields=fields, group_by="month").data
    assert [f["field"] for f in data["fields"]] == fields
    for f in data["fields"]:
        want = expected_field(db, f["field"], start, end)
        assert f["n"] == want["n"] > 0
        assert close(f["avg"], want["avg"], 3)
        assert close(f["min"], want["min"], 3) and close(f["max"], want["max"], 3)
        assert f["slope_per_week"] == pytest.approx(want["slope"], rel=1e-6, abs=1e-4)
        assert [b["bucket"] for b in f["buckets"]] == [f"2024-0{m}" for m in range(1, 7)]
        for bucket in f["buckets"]:
            month = expected_field(db, f["field"], start, end, bucket["bucket"])
            assert bucket["n"] == month["n"]
            assert close(bucket["avg"], month["avg"], 3)
    assert data["fields"][5]["custom"] is True


def test_wellness_trends_default_fields_and_text(mirror: Analytics) -> None:
    answer = mirror.wellness_trends("2024-02-26", "2024-03-10")
    names = [f["field"] for f in answer.data["fields"]]
    assert names[:4] == ["hrv", "resting_hr", "sleep_secs", "sleep_score"]
    assert "CaffeineMg" in names and "Travel" not in names   # text custom fields left out
    assert [b["bucket"] for b in answer.data["fields"][0]["buckets"]] == [
        "2024-02-26", "2024-03-04"]
    assert "hrv: avg " in answer.text and " ms" in answer.text and "/week" in answer.text
    assert "sleep: avg " in answer.text and " h " in answer.text


def test_wellness_trends_of_a_single_day_have_no_trend(mirror: Analytics,
                                                       db: sqlite3.Connection) -> None:
    data = mirror.wellness_trends(LEAP_DAY, LEAP_DAY, fields="hrv, ctl").data
    hrv = data["fields"][0]
    want = expected_field(db, "hrv", LEAP_DAY, LEAP_DAY)
    assert hrv["n"] == want["n"]
    assert hrv["slope_per_week"] is None
    empty = mirror.wellness_trends("2010-01-01", "2010-01-31", fields=["hrv"])
    assert empty.data["fields"][0]["n"] == 0
    assert "no data in this range: hrv" in empty.text


# -- intervals ------------------------------------------------------------------------------

BAND_SQL = """CASE WHEN i.elapsed_time < 60 THEN 'under 1 min'
    WHEN i.elapsed_time < 300 THEN '1-5 min' WHEN i.elapsed_time < 600 THEN '5-10 min'
    WHEN i.elapsed_time < 1200 THEN '10-20 min' WHEN i.elapsed_time < 2400 THEN '20-40 min'
    ELSE '40 min or more' END"""


def expected_bands(db: sqlite3.Connection, start: str, end: str, sport: str | None
                   ) -> dict[str, sqlite3.Row]:
    where = ("i.type = 'WORK' AND a.date BETWEEN :start AND :end"
             + sport_where(sport, "a.type"))
    paced = "i.distance > 0 AND i.moving_time > 0"
    gap = "json_extract(i.raw, '$.gap')"
    select = ("count(*) AS n, count(DISTINCT i.activity_id) AS activities, "
              "sum(i.elapsed_time) AS time, max(i.average_watts) AS best_w, "
              "avg(i.average_watts) AS avg_w, max(i.average_heartrate) AS best_hr, "
              "avg(i.average_heartrate) AS avg_hr, count(i.average_watts) AS with_power, "
              f"sum(CASE WHEN {paced} THEN i.distance END) / "
              f"sum(CASE WHEN {paced} THEN i.moving_time END) AS avg_speed, "
              "max(i.average_speed) AS best_speed, "
              f"max({gap}) AS best_gap, sum({gap} * i.moving_time) / "
              f"sum(CASE WHEN {gap} > 0 THEN i.moving_time END) AS avg_gap")
    args = {"start": start, "end": end}
    sql = f"FROM intervals AS i JOIN activities AS a ON a.id = i.activity_id WHERE {where}"
    bands = {r["band"]: r for r in db.execute(
        f"SELECT {BAND_SQL} AS band, {select} {sql} GROUP BY 1", args)}
    bands["all"] = db.execute(f"SELECT {select} {sql}", args).fetchone()
    return bands


@pytest.mark.parametrize("sport", [None, "Ride", "Run", "Swim"])
def test_interval_stats_match_sqlite(mirror: Analytics, db: sqlite3.Connection,
                                     sport: str | None) -> None:
    data = mirror.interval_stats(*FULL, activity_type=sport).data
    want = expected_bands(db, *FULL, sport)
    assert {b["band"] for b in data["bands"]} == set(want) - {"all"}
    for band in [*data["bands"], {"band": "all", **data["totals"]}]:
        row = want[band["band"]]
        assert band["intervals"] == row["n"] and band["activities"] == row["activities"]
        assert band["time_s"] == row["time"]
        assert band["with_power"] == row["with_power"]
        # whole watts and bpm, rounded once (the text shows the same figures)
        assert close(band["best_watts"], row["best_w"], 0)
        assert close(band["avg_watts"], row["avg_w"], 0)
        assert close(band["best_hr"], row["best_hr"], 0)
        assert close(band["avg_hr"], row["avg_hr"], 0)
        assert close(band["avg_speed"], row["avg_speed"], 6)
        assert close(band["best_speed"], row["best_speed"], 6)
        if sport in ("Run", "Swim"):   # only runs have a grade-adjusted pace
            assert close(band["best_gap"], row["best_gap"] if sport == "Run" else None, 6)
            assert close(band["avg_gap"], row["avg_gap"] if sport == "Run" else None, 6)
        if band["best_watts"] is not None:   # the named activity holds that band's best
            best = db.execute(
                "SELECT max(i.average_watts) FROM intervals AS i WHERE i.activity_id = :id "
                f"AND i.type = 'WORK' AND (:band = 'all' OR {BAND_SQL} = :band)",
                {"id": band["best_watts_activity_id"], "band": band["band"]}).fetchone()[0]
            assert close(band["best_watts"], best, 0)
    if sport == "Run":   # runs have no power here: counted, but no power figures
        assert data["totals"]["with_power"] == 0 and data["totals"]["best_watts"] is None
        assert " W" not in mirror.interval_stats(*FULL, activity_type="Run").text


def test_interval_stats_of_an_empty_range(mirror: Analytics) -> None:
    answer = mirror.interval_stats("2010-01-01", "2010-12-31")
    assert answer.data["bands"] == [] and answer.data["totals"]["intervals"] == 0
    assert answer.text.splitlines()[0].endswith(": none.")


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda a: a.training_summary("2024-13-01", "2024-12-31"),
     "start_date: expected a date YYYY-MM-DD, got '2024-13-01'"),
    (lambda a: a.training_summary("2024-03-01", "2024-02-01"),
     "end_date: expected a date on or after start_date (2024-03-01)"),
    (lambda a: a.training_summary("2023-02-29", "2024-01-01"), "start_date: expected a date"),
    (lambda a: a.training_summary(*FULL, group_by="day"),
     "group_by: expected one of week, month, year, sport, got 'day'"),
    (lambda a: a.training_summary(*FULL, activity_type="Bike"),
     "activity_type: no 'Bike' activities in the store; it holds Ride, Run"),
    (lambda a: a.fitness_trend(*FULL, group_by="month"),
     "group_by: expected one of day, week, got 'month'"),
    (lambda a: a.fitness_trend("yesterday"), "start_date: expected a date YYYY-MM-DD"),
    (lambda a: a.wellness_trends(*FULL, fields=["hrv", "mojo"]),
     "fields: unknown wellness field 'mojo'; expected some of"),
    (lambda a: a.wellness_trends(*FULL, fields=" , "), "fields: expected one or more of"),
    (lambda a: a.wellness_trends(*FULL, group_by="year"),
     "group_by: expected one of week, month, got 'year'"),
    (lambda a: a.interval_stats(*FULL, activity_type="Curling"), "activity_type: no 'Curling'"),
    (lambda a: a.interval_stats("2024-01-01", "20240301"), "end_date: expected a date"),
    (lambda a: a.compare_periods("2024-01-01", "2024-01-31", "2023-01-01", None),
     "b_end: required"),
    (lambda a: a.compare_periods("2024-01-01", "2023-01-31", "2023-01-01", "2023-01-31"),
     "a_end: expected a date on or after a_start"),
    (lambda a: a.compare_periods("2024-01-01", "2024-01-31", "2023-02-30", "2023-03-31"),
     "b_start: expected a date YYYY-MM-DD, got '2023-02-30'"),
    (lambda a: a.report("trend"), "report: expected one of summary, fitness, wellness"),
])
def test_bad_input_is_refused_naming_the_parameter(mirror: Analytics, call: Any,
                                                   message: str) -> None:
    with pytest.raises(QueryError) as caught:
        call(mirror)
    assert str(caught.value).startswith(message)


def test_dates_default_to_the_last_90_days(mirror: Analytics) -> None:
    data = mirror.training_summary().data
    start, end = dt.date.fromisoformat(data["start_date"]), dt.date.fromisoformat(
        data["end_date"])
    assert (end - start).days == DEFAULT_DAYS
    assert abs((end - athlete_today()).days) <= 1


# -- the in-memory copy -----------------------------------------------------------------------


def test_the_copy_follows_changes_to_the_store(tmp_path: Path, store_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    copy_store(store_path, path)
    with Analytics(path) as mirror:
        before = mirror.training_summary(LEAP_DAY, LEAP_DAY, group_by="sport").data
        assert mirror.training_summary(LEAP_DAY, LEAP_DAY).data == mirror.training_summary(
            LEAP_DAY, LEAP_DAY).data                       # second call from the cache
        with Store.open(path) as store, store.transaction():
            store.db.conn.execute("UPDATE activities SET moving_time = moving_time + 60 "
                                  "WHERE date = ? AND is_stub = 0", (LEAP_DAY,))
        after = mirror.training_summary(LEAP_DAY, LEAP_DAY, group_by="sport").data
        moved = 60 * (before["totals"]["activities"] - before["totals"]["stubs"])
        assert after["totals"]["moving_time_s"] == before["totals"]["moving_time_s"] + moved


def test_after_a_change_only_changed_rows_are_copied_again_and_answers_match_a_fresh_copy(
        tmp_path: Path, store_path: Path) -> None:
    """A sync moves the store's version: the aggregates then read their tables again, leave an
    unchanged table as it is, replace only the rows that changed when few did, and copy the
    whole table when many did. Either way they answer as a fresh copy of the store would."""
    path = tmp_path / "store.sqlite"
    copy_store(store_path, path)
    questions = [lambda a: a.fitness_trend(LEAP_DAY, LEAP_DAY),   # answers as read (sums
                 lambda a: a.training_summary(*FULL, group_by="month"),  # of floats in
                 lambda a: a.wellness_trends(*FULL, fields=["ctl", "CaffeineMg"]),  # another
                 lambda a: a.interval_stats(*FULL)]                      # order differ a bit)
    with Analytics(path) as mirror:
        mirror.warm()
        loads = dict(mirror.loads)
        with Store.open(path) as store, store.transaction():
            conn = store.db.conn
            conn.execute("UPDATE events SET name = 'moved' WHERE id IN "
                         "(SELECT id FROM events LIMIT 1)")
            conn.execute("UPDATE wellness SET ctl = 123.45 WHERE id = ?", (LEAP_DAY,))
            conn.execute("DELETE FROM wellness_custom WHERE date = ?", (LEAP_DAY,))
            conn.execute("UPDATE wellness_custom SET value = value + 1 WHERE date = '2024-03-01' "
                         "AND typeof(value) IN ('integer', 'real')")
            (gone,) = conn.execute("SELECT id FROM activities WHERE date = ? AND is_stub = 0 "
                                   "AND id IN (SELECT activity_id FROM intervals) LIMIT 1",
                                   (LEAP_DAY,)).fetchone()
            conn.execute("DELETE FROM intervals WHERE activity_id = ?", (gone,))
            conn.execute("DELETE FROM activities WHERE id = ?", (gone,))
            conn.execute("UPDATE intervals SET average_watts = 2000 WHERE id IN "
                         "(SELECT id FROM intervals WHERE type = 'WORK' LIMIT 1)")
        patched = [ask(mirror).text for ask in questions]
        with Analytics(path) as fresh:
            assert patched == [ask(fresh).text for ask in questions]
        assert f"{LEAP_DAY}: CTL 123.5," in patched[0]                   # the new value
        assert "2,000 W" in patched[3]
        assert mirror.loads == loads                                 # nothing copied whole
        assert set(mirror.patches) == {"activities", "intervals", "fitness", "wellness",
                                       "wellness_custom"}
        with Store.open(path) as store, store.transaction():     # most rows change
            store.db.conn.execute("UPDATE activities SET moving_time = moving_time + 60")
        whole = mirror.training_summary(*FULL, group_by="month").text
        with Analytics(path) as fresh:
            assert whole == fresh.training_summary(*FULL, group_by="month").text
        assert mirror.loads["activities"] == loads["activities"] + 1


def test_the_copy_follows_a_replaced_store_file(tmp_path: Path, store_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    copy_store(store_path, path)
    with Analytics(path) as mirror:
        assert mirror.training_summary(*FULL).data["totals"]["activities"] > 0
        path.unlink()
        with Store.open(path):
            pass                                        # an empty store in its place
        assert mirror.training_summary(*FULL).data["totals"]["activities"] == 0


def test_warm_copies_every_table_once(store_path: Path) -> None:
    with Analytics(store_path) as mirror:
        first = mirror.warm()
        assert set(first) == {"activities", "intervals", "fitness", "wellness",
                              "wellness_custom", "activity_extras", "plans", "sport_info",
                              "workout_activities", "workout_progress"}
        assert mirror.warm() == first                 # unchanged store: nothing copied again
        assert mirror.warm(again=True) != first


def test_the_duckdb_connection_cannot_reach_files_or_change_its_settings() -> None:
    con = duck.connect(external_access=False)
    try:
        for sql in ("SELECT * FROM read_csv('/etc/passwd')",
                    "COPY (SELECT 1) TO '/tmp/intervals-mirror-x.csv'",
                    "ATTACH '/tmp/intervals-mirror-x.duckdb'",
                    "SET enable_external_access = true", "INSTALL sqlite"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
    finally:
        con.close()


def test_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with Analytics(tmp_path / "none.sqlite") as mirror, pytest.raises(Exception) as caught:
        mirror.training_summary()
    assert "run `intervals-mirror sync` first" in str(caught.value)


# -- schema description and export -------------------------------------------------------------


def test_describe_schema_lists_every_table_and_column_of_a_store(db: sqlite3.Connection) -> None:
    answer = schema.describe_schema()
    described = {t["name"]: t for t in answer.data["tables"]}
    objects = db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                         "AND name NOT LIKE 'sqlite_%'").fetchall()
    for (name,) in objects:
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        assert [c["name"] for c in described[name]["columns"]] == columns
        assert described[name]["description"]
    moving = next(c for c in described["activities"]["columns"] if c["name"] == "moving_time")
    assert moving == {"name": "moving_time", "type": "INTEGER", "primary_key": False,
                      "description": "s"}
    assert "json_extract" in answer.text and "view work_intervals" in answer.text


def test_export_refuses_an_unknown_format(tmp_path: Path, store_path: Path) -> None:
    with pytest.raises(QueryError, match="format: expected one of parquet, csv"):
        export.export_store(store_path, tmp_path, "xlsx")


# -- the command line -------------------------------------------------------------------------


def test_cli_sql_prints_a_table_csv_or_json(store_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT type, count(*) AS n FROM activities WHERE type = 'Ride' GROUP BY type"
    assert main(["--db", str(store_path), "sql", sql]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["type", "|", "n"] and "(1 row)" in table
    assert main(["--db", str(store_path), "sql", sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "type,n"
    assert main(["--db", str(store_path), "sql", sql, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["columns"] == ["type", "n"] and data["rows"][0][0] == "Ride"


def test_cli_sql_refuses_writes(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(store_path), "sql", "DELETE FROM activities"]) == 1
    assert "refused, the store is read-only" in capsys.readouterr().err


def test_cli_report_prints_each_kind(store_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(store_path), "report"]
    assert main([*base, "summary", "--from", "2024-01-01", "--to", "2024-03-31",
                 "--by", "month"]) == 0
    assert "2024-02:" in capsys.readouterr().out
    assert main([*base, "fitness", "--from", "2024-01-01", "--to", "2024-03-31",
                 "--by", "week"]) == 0
    assert "week of 2024-02-26" in capsys.readouterr().out
    assert main([*base, "wellness", "--from", "2024-01-01", "--to", "2024-03-31"]) == 0
    assert "hrv: avg" in capsys.readouterr().out
    assert main([*base, "summary", "--from", "2024-01-01", "--to", "2023-01-01"]) == 1
    assert "--to: expected a date on or after --from" in capsys.readouterr().err


def test_numbers_are_rounded_once_half_up() -> None:
    assert units.number_or_dash(142.5) == "143" and units.number(142.5) == "143"
    assert units.number(2.675, 2) == "2.68" and shaping.value(2.675) == 2.675  # once, in text
    assert units.number(13, 1) == "13.0" and units.number(-0.04, 1) == "0.0"  # fixed, no -0
    assert units.signed(-0.04, 1) == "+0.0" and units.signed(-1.25, 1, " h") == "-1.3 h"
    assert units.number(1234.5) == "1,235" and units.number_or_dash(-0.5) == "-1"
    assert units.count(1, "day") == "1 day" and units.count(1204, "day") == "1,204 days"
