"""What the charts draw (their Vega-Lite data) against the dataset the fake serves: every day's
fitness with projected days dashed, each week's load and hours per sport, each period's best
watts per duration on a log time axis, each day's wellness value in the unit its axis names;
and that a chart draws offline, as PNG and SVG."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from intervals_mirror.analytics.aggregates import Analytics
from intervals_mirror.charts import chart
from intervals_mirror.config import Settings
from intervals_mirror.resources import CURVE_SECS

import png_helpers
from mirror_helpers import first_holder, holders, seasons
from server_helpers import SyncedStore

RIDES = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}  # the Ride family's types


@pytest.fixture
def analytics(offline: Settings) -> Iterator[Analytics]:
    with Analytics(offline.db_path) as found:
        yield found


def today_of(template: SyncedStore) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(template.dataset.athlete["timezone"])).date()


def views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every view with inline data, in order (concatenated and layered ones flattened)."""
    found = []
    for view in spec.get("vconcat", [spec]):
        for layer in view.get("layer", [view]):
            found.append({**layer, "data": layer.get("data") or spec.get("data")})
    return found


def test_fitness_draws_every_day_and_dashes_the_projected_ones(
        analytics: Analytics, template: SyncedStore) -> None:
    today = today_of(template).isoformat()
    start, end = (today_of(template) - dt.timedelta(days=30)).isoformat(), "2099-01-01"
    drawn = chart(analytics, "fitness", start, end)
    top, zones, form = views(drawn.spec)
    expected = {d: w for d, w in template.dataset.wellness.items()
                if start <= d and w.get("ctl") is not None}
    lines: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for row in top["data"]["values"] + form["data"]["values"]:
        lines[(row["series"], row["part"])][row["date"]] = row["value"]
    done = [d for d in sorted(expected) if d <= today]
    after = [d for d in sorted(expected) if d > today]
    assert after, "the dataset projects fitness after today"
    assert lines[("Fitness (CTL)", "done")] == {d: expected[d]["ctl"] for d in done}
    # the dashed part starts at the last day done, so it continues the solid line
    assert lines[("Fitness (CTL)", "projected")] == {
        d: expected[d]["ctl"] for d in [done[-1], *after]}
    assert lines[("Fatigue (ATL)", "projected")].keys() == {done[-1], *after}
    for day in done:
        assert lines[("Form", "done")][day] == pytest.approx(
            expected[day]["ctl"] - expected[day]["atl"], abs=0.01)
    dash = top["encoding"]["strokeDash"]["scale"]
    assert dict(zip(dash["domain"], dash["range"], strict=True))["projected"] != [1, 0]
    bands = {z["zone"]: (z["low"], z["high"]) for z in zones["data"]["values"]}
    low, high = bands["high risk"][0], bands["transition"][1]
    assert bands == {"transition": (25, high), "fresh": (5, 25), "grey zone": (-10, 5),
                     "optimal": (-30, -10), "high risk": (low, -30)}
    assert low < -30 and high > 25


def test_load_draws_each_week_and_sport(analytics: Analytics, template: SyncedStore) -> None:
    end = today_of(template)
    start = end - dt.timedelta(days=120)
    load: dict[tuple[str, str], float] = defaultdict(float)
    hours: dict[tuple[str, str], float] = defaultdict(float)
    for a in template.dataset.activities.values():
        day = dt.date.fromisoformat(a["start_date_local"][:10])
        if start <= day <= end and "_note" not in a:
            monday = (day - dt.timedelta(days=day.weekday())).isoformat()
            load[(monday, a["type"])] += a.get("icu_training_load") or 0
            hours[(monday, a["type"])] += (a.get("moving_time") or 0) / 3600
    drawn = chart(analytics, "load", start.isoformat(), end.isoformat())
    rows = views(drawn.spec)[0]["data"]["values"]
    assert {(r["first_day"], r["sport"]): r["load"] for r in rows} == pytest.approx(dict(load))
    assert {(r["first_day"], r["sport"]): r["hours"] for r in rows} == pytest.approx(
        dict(hours), abs=0.01)
    first_monday = start - dt.timedelta(days=start.weekday())
    assert drawn.spec["vconcat"][1]["encoding"]["x"]["scale"]["domain"][0].startswith(
        first_monday.isoformat())  # whole weeks, so the first bar is not cut


def test_long_ranges_draw_months(analytics: Analytics, template: SyncedStore) -> None:
    drawn = chart(analytics, "load", "2020-01-01", today_of(template).isoformat())
    assert drawn.caption.startswith("Monthly training load")
    assert all(r["first_day"].endswith("-01") for r in views(drawn.spec)[0]["data"]["values"])


def best_watts(template: SyncedStore, start: str, end: str, types: set[str]
               ) -> tuple[dict[float, float], dict[float, set[str]]]:
    """Per duration, the best watts the fake serves in [start, end] and who holds it."""
    values, ids = {}, {}
    for secs in CURVE_SECS:
        best, holding = holders(template.dataset, "power", float(secs), start, end, types=types)
        if best is not None:
            values[float(secs)], ids[float(secs)] = best, holding
    return values, ids


def drawn_curves(spec: dict[str, Any]) -> dict[str, dict[float, float]]:
    lines: dict[str, dict[float, float]] = defaultdict(dict)
    for row in spec["data"]["values"]:
        assert row["secs"] not in lines[row["period"]], row
        lines[row["period"]][row["secs"]] = row["watts"]
    return dict(lines)


def test_the_power_curve_draws_this_and_last_seasons_best_watts_on_a_log_axis(
        analytics: Analytics, template: SyncedStore) -> None:
    (this_start, today), (last_start, last_end) = seasons(template.dataset,
                                                          today_of(template))
    this, holding = best_watts(template, this_start, today, RIDES)
    last, _ = best_watts(template, last_start, last_end, RIDES)
    assert len(this) >= 10 and len(last) >= 20, "the dataset has rides with power"
    drawn = chart(analytics, "power_curve")
    assert drawn_curves(drawn.spec) == {
        f"This season, {this_start} to {today}": this,
        f"Last season, {last_start} to {last_end}": last}
    for row in drawn.spec["data"]["values"][:len(this)]:  # each point names its activity
        assert row["activity"].rsplit("(", 1)[1].rstrip(")") == first_holder(
            template.dataset, holding[row["secs"]])
    line = drawn.spec["layer"][0]["encoding"]
    assert line["x"]["scale"]["type"] == "log" and line["x"]["field"] == "secs"
    assert line["y"]["field"] == "watts" and line["y"]["title"] == "Power (W)"
    assert drawn.spec["title"]["text"].startswith("Power curve: Ride family (")


def test_the_power_curve_of_a_date_range_against_as_many_days_before(
        analytics: Analytics, template: SyncedStore) -> None:
    def periods(back: int) -> tuple[dt.date, dt.date, tuple[dt.date, dt.date]]:
        end = today_of(template) - dt.timedelta(days=back)
        start = end - dt.timedelta(days=59)
        return start, end, (start - dt.timedelta(days=60), start - dt.timedelta(days=1))

    def rides_in(first: dt.date, last: dt.date) -> bool:
        return bool(best_watts(template, first.isoformat(), last.isoformat(),
                               {"VirtualRide"})[0])

    # the newest 60 days that have Zwift rides, and so do the 60 days before them
    start, end, before = next(p for p in map(periods, range(10, 400, 5))
                              if rides_in(p[0], p[1]) and rides_in(*p[2]))
    drawn = chart(analytics, "power_curve", start.isoformat(), end.isoformat(),
                  activity_type="VirtualRide")
    assert drawn_curves(drawn.spec) == {
        f"This period, {start} to {end}":
            best_watts(template, start.isoformat(), end.isoformat(), {"VirtualRide"})[0],
        f"Period before, {before[0]} to {before[1]}":
            best_watts(template, *(d.isoformat() for d in before), {"VirtualRide"})[0]}
    assert drawn.caption.startswith("Power curve, VirtualRide, best watts by duration: ")


def test_wellness_draws_each_day_in_the_unit_its_axis_names(
        analytics: Analytics, template: SyncedStore) -> None:
    end = today_of(template)
    start = end - dt.timedelta(days=20)
    drawn = chart(analytics, "wellness", start.isoformat(), end.isoformat(),
                  fields="sleep,CaffeineMg")
    sleep, caffeine = views(drawn.spec)
    days = {d: w for d, w in template.dataset.wellness.items()
            if start.isoformat() <= d <= end.isoformat()}
    assert sleep["encoding"]["y"]["title"] == "Sleep (h)"
    assert {r["date"]: r["value"] for r in sleep["data"]["values"]} == pytest.approx(
        {d: w["sleepSecs"] / 3600 for d, w in days.items() if w.get("sleepSecs")}, abs=0.001)
    assert caffeine["encoding"]["y"]["title"] == "Caffeine (mg)"
    assert {r["date"]: r["value"] for r in caffeine["data"]["values"]} == {
        d: w["CaffeineMg"] for d, w in days.items() if w.get("CaffeineMg") is not None}


def test_a_chart_draws_offline_as_png_and_svg(analytics: Analytics) -> None:
    """No spec names a URL, and drawing may fetch none (vl-convert is told so)."""
    drawn = chart(analytics, "load")
    assert "url" not in str(drawn.spec["data"])
    width, height = png_helpers.size(drawn.png())
    assert 900 <= width <= 1100 and 400 <= height <= 600
    svg = drawn.svg()
    assert svg.startswith("<svg") and "Training load" in svg and "Hours" in svg
