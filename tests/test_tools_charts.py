"""get_chart through a real MCP client session: a PNG of about 1000x500 pixels and one line
saying what it shows, whose figures are computed here from the dataset the fake serves; bad
input is a tool error naming the parameter; drawing is loaded only when a chart is drawn."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import sys
import zoneinfo
from typing import Any

import pytest

from intervals_mirror.config import Settings

import png_helpers
from mirror_helpers import holders, seasons
from server_helpers import SyncedStore, ask, connected, execute, half_up, text_of

pytestmark = pytest.mark.anyio

# The form zones as Intervals.icu shows them (form = CTL - ATL).
ZONES = (("transition", 25), ("fresh", 5), ("grey zone", -10), ("optimal", -30),
         ("high risk", float("-inf")))


def zone_of(form: float) -> str:
    return next(name for name, low in ZONES if form >= low)


def athlete_today(template: SyncedStore) -> dt.date:
    zone = zoneinfo.ZoneInfo(template.dataset.athlete["timezone"])
    return dt.datetime.now(zone).date()


def picture(result: Any) -> tuple[str, bytes]:
    """The caption and the PNG of a chart result (exactly one of each, text first)."""
    assert not result.is_error, text_of(result)
    text, image = result.content
    assert text.type == "text" and image.type == "image"
    assert image.mime_type == "image/png"
    assert result.structured_content is None
    return text.text, base64.b64decode(image.data)


async def test_get_chart_is_listed_read_only_with_a_small_schema(offline: Settings) -> None:
    async with connected(offline) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == "get_chart")
    assert set(tool.input_schema["properties"]) == {
        "kind", "start_date", "end_date", "activity_type", "fields", "athlete_id"}
    assert tool.input_schema["required"] == ["kind"]
    assert tool.annotations and tool.annotations.read_only_hint is True
    assert tool.output_schema is None
    for kind in ("fitness", "load", "power_curve", "wellness"):
        assert kind in tool.input_schema["properties"]["kind"]["description"]


async def test_the_fitness_chart_shows_ctl_atl_and_form_over_the_zones(
        offline: Settings, template: SyncedStore) -> None:
    today = athlete_today(template)
    start, end = (today - dt.timedelta(days=60)).isoformat(), max(template.dataset.wellness)
    days = sorted(d for d, w in template.dataset.wellness.items()
                  if start <= d <= end and w.get("ctl") is not None)
    done = [d for d in days if d <= today.isoformat()]
    assert len(done) < len(days), "the dataset projects fitness after today"
    first, now = template.dataset.wellness[days[0]], template.dataset.wellness[done[-1]]
    form = now["ctl"] - now["atl"]

    caption, png = picture(await ask(offline, "get_chart", {
        "kind": "fitness", "start_date": start, "end_date": end}))

    width, height = png_helpers.size(png)
    assert 900 <= width <= 1100 and 400 <= height <= 600, (width, height)
    assert caption.startswith(f"Fitness chart {start}..{end}: ")
    assert f"CTL {half_up(first['ctl'], 1)} on {days[0]} -> " \
           f"{half_up(now['ctl'], 1)} on {done[-1]}" in caption
    assert f"ATL {half_up(now['atl'], 1)}" in caption
    sign = "+" if round(form, 1) >= 0 else ""
    assert f"form {sign}{half_up(form, 1)} ({zone_of(form)})" in caption
    assert f"{len(days) - len(done)} projected days after {today} dashed" in caption
    assert "mirrored up to" in caption and "\n" not in caption


async def test_the_fitness_png_shows_each_form_zone_band(offline: Settings) -> None:
    from intervals_mirror.charts.fitness import FORM_ZONES

    _, png = picture(await ask(offline, "get_chart", {"kind": "fitness"}))
    colours = png_helpers.read(png).colours()
    for name, _, _, colour in FORM_ZONES:  # drawn at 55 % over white
        rgb = tuple(round(255 * 0.45 + int(colour[i:i + 2], 16) * 0.55) for i in (1, 3, 5))
        near = sum(n for c, n in colours.items()
                   if all(abs(a - b) <= 2 for a, b in zip(c, rgb, strict=True)))
        assert near > 2000, (name, rgb, near)


async def test_the_load_chart_sums_each_sport(offline: Settings, template: SyncedStore
                                              ) -> None:
    end = athlete_today(template)
    start = end - dt.timedelta(days=83)
    picked = [a for a in template.dataset.activities.values()
              if start.isoformat() <= a["start_date_local"][:10] <= end.isoformat()]
    loads: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for a in picked:
        if "_note" not in a:
            loads[a["type"]] = loads.get(a["type"], 0) + (a.get("icu_training_load") or 0)
            seconds[a["type"]] = seconds.get(a["type"], 0) + (a.get("moving_time") or 0)
    top = sorted(loads, key=lambda s: (-loads[s], -seconds[s], s))[:4]

    caption, png = picture(await ask(offline, "get_chart", {
        "kind": "load", "start_date": start.isoformat(), "end_date": end.isoformat()}))

    assert png_helpers.size(png)[0] >= 900
    assert caption.startswith(f"Weekly training load and hours by sport {start}..{end}: "
                              f"{len(picked)} activities, load {sum(loads.values()):,.0f}, "
                              f"{sum(seconds.values()) / 3600:,.1f} h; ")
    # hours as get_training_summary shows them
    assert ", ".join(f"{s} {loads[s]:,.0f} ({seconds[s] / 3600:.1f} h)" for s in top) in caption


async def test_the_load_chart_of_one_sport_family(offline: Settings, template: SyncedStore
                                                  ) -> None:
    end = athlete_today(template)
    start = end - dt.timedelta(days=90)  # the aggregates' default: today and 90 days back
    runs = [a for a in template.dataset.activities.values()
            if a.get("type") in ("Run", "VirtualRun", "TrailRun") and "_note" not in a
            and start.isoformat() <= a["start_date_local"][:10] <= end.isoformat()]
    caption, _ = picture(await ask(offline, "get_chart", {"kind": "load",
                                                          "activity_type": "run"}))
    held = {a["type"] for a in template.dataset.activities.values()
            if a.get("type") in ("Run", "VirtualRun", "TrailRun")}
    # the generated athlete varies with the day: a family of one type is named by it alone
    assert "by sport" in caption and (" (Run family (" if len(held) > 1 else " (Run): ") in caption
    assert f"): {len(runs)} activities, load " in caption
    assert "Ride" not in caption


def colour_pixels(png: bytes, colour: str) -> int:
    """Pixels of exactly this colour (a line's, drawn opaque)."""
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return png_helpers.read(png).colours()[rgb]  # type: ignore[index]


async def test_the_power_curve_compares_this_season_with_the_last(
        offline: Settings, template: SyncedStore) -> None:
    from intervals_mirror.charts.power_curve import COLOURS

    rides = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}
    periods = seasons(template.dataset, athlete_today(template))
    caption, png = picture(await ask(offline, "get_chart", {"kind": "power_curve"}))

    width, height = png_helpers.size(png)
    assert 900 <= width <= 1100 and 400 <= height <= 600, (width, height)
    assert caption.startswith("Power curve, Ride family (")
    for label, (start, end) in zip(("This season", "Last season"), periods, strict=True):
        figures = []
        for secs, name in ((5, "5s"), (60, "1m"), (300, "5m"), (1200, "20m"), (3600, "1h")):
            best, _ = holders(template.dataset, "power", float(secs), start, end, types=rides)
            if best is not None:
                figures.append(f"{name} {half_up(best)} W")
        assert len(figures) >= 4
        assert f"{label}, {start} to {end}: {', '.join(figures)}" in caption
    assert "mirrored up to" in caption and "\n" not in caption
    for colour in COLOURS:  # both periods' lines are drawn
        assert colour_pixels(png, colour) > 500, colour


async def test_the_power_curve_of_all_sports_takes_the_empty_sport_as_other_tools_do(
        offline: Settings, template: SyncedStore) -> None:
    """activity_type "" is every sport, as in get_athlete_power_curves (unnamed stays Ride):
    another sport's 5 s power above every ride's shows in the all-sports curve only."""
    rides = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}
    # the generated athlete varies with the day: give one run a 5 s power, whether it had one
    row = max((a for a in template.dataset.activities.values()
               if a.get("type") == "Run" and "_note" not in a), key=lambda a: a["id"])
    execute(offline.db_path, "INSERT OR REPLACE INTO curve_points (activity_id, athlete_id, "
            "kind, date, secs_or_distance, value) VALUES (?, ?, 'power', ?, 5, 1500)",
            row["id"], template.athlete_id, row["start_date_local"][:10])
    day = row["start_date_local"][:10]
    label, (start, end) = next(
        (label, period) for label, period in zip(
            ("This season", "Last season"), seasons(template.dataset, athlete_today(template)),
            strict=True) if period[0] <= day <= period[1])
    all_sports, _ = picture(await ask(offline, "get_chart", {"kind": "power_curve",
                                                             "activity_type": ""}))
    assert all_sports.startswith("Power curve, all sports, best watts by duration: ")
    assert f"{label}, {start} to {end}: 5s 1,500 W" in all_sports
    ride_best, _ = holders(template.dataset, "power", 5.0, start, end, types=rides)
    unnamed, _ = picture(await ask(offline, "get_chart", {"kind": "power_curve"}))
    assert f"{label}, {start} to {end}: 5s {half_up(ride_best)} W" in unnamed


async def test_the_wellness_chart_shows_custom_fields_by_name(
        offline: Settings, template: SyncedStore) -> None:
    end = athlete_today(template)
    start = end - dt.timedelta(days=40)
    days = [w for d, w in sorted(template.dataset.wellness.items())
            if start.isoformat() <= d <= end.isoformat()]
    hrv = [w["hrv"] for w in days if w.get("hrv") is not None]
    caffeine = [w["CaffeineMg"] for w in days if w.get("CaffeineMg") is not None]
    sleep = [w["sleepSecs"] / 3600 for w in days if w.get("sleepSecs") is not None]

    caption, png = picture(await ask(offline, "get_chart", {
        "kind": "wellness", "start_date": start.isoformat(), "end_date": end.isoformat(),
        "fields": ["hrv", "Caffeine (mg)", "sleep"]}))

    assert png_helpers.size(png)[1] >= 400
    assert caption.startswith(f"Wellness chart {start}..{end}, daily: ")
    assert f"HRV (ms) average {half_up(sum(hrv) / len(hrv), 1)} over {len(hrv)} days" \
        in caption
    assert f"Caffeine (mg) average {half_up(sum(caffeine) / len(caffeine), 1)} over " \
           f"{len(caffeine)} days" in caption
    assert f"Sleep (h) average {half_up(sum(sleep) / len(sleep), 1)}" in caption


@pytest.mark.parametrize(("args", "expected"), [
    ({"kind": "pie"}, "kind: expected one of fitness, load, power_curve, wellness, got 'pie'"),
    ({"kind": "power_curve", "fields": "hrv"}, "fields: only the wellness chart"),
    ({"kind": "power_curve", "activity_type": "Curling"},
     "activity_type: no 'Curling' activities"),
    ({"kind": "fitness", "activity_type": "Ride"},
     "activity_type: only the load and power_curve charts take it"),
    ({"kind": "load", "fields": "hrv"}, "fields: only the wellness chart"),
    ({"kind": "load", "activity_type": "Curling"}, "activity_type: no 'Curling' activities"),
    ({"kind": "wellness", "fields": "hrv,mood,stress,weight,steps"},
     "fields: at most 4 fields in one chart, got 5"),
    ({"kind": "wellness", "fields": "hrv,wingspan"}, "fields: unknown wellness field 'wingspan'"),
    ({"kind": "fitness", "start_date": "2026-02-30"}, "start_date: expected a date YYYY-MM-DD"),
    ({"kind": "fitness", "start_date": "2026-03-01", "end_date": "2026-02-01"},
     "end_date: expected a date on or after start_date"),
    ({"kind": "fitness", "athlete_id": "i999"}, "athlete_id"),
])
async def test_bad_input_is_a_tool_error_naming_the_parameter(
        offline: Settings, args: dict[str, Any], expected: str) -> None:
    result = await ask(offline, "get_chart", args)
    assert result.is_error
    assert text_of(result).startswith(expected) or expected in text_of(result)


def test_the_server_answers_initialize_without_loading_the_charts_library(
        offline: Settings) -> None:
    """Starting the server and listing tools must not pay for vl-convert; a chart does."""
    code = f"""
import asyncio, sys
from mcp import Client
from intervals_mirror.config import load_settings
from intervals_mirror.server import create_server

async def main():
    settings = load_settings(overrides={{"db_path": {str(offline.db_path)!r}}}, environ={{}})
    async with Client(create_server(settings, scheduler=False)) as client:
        await client.list_tools()
        print("vl_convert" in sys.modules)
        result = await client.call_tool("get_chart", {{"kind": "fitness"}})
        print(not result.is_error, "vl_convert" in sys.modules)

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.split() == ["False", "True", "True"], out.stderr[-2000:]
