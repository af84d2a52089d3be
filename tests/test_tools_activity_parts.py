"""Streams and comments through a real MCP client session: fetched from the fake API the first
time, then kept (a second call makes no request) and answered offline; summaries checked
against the fake's own samples; every bad input a tool error naming the parameter."""

from __future__ import annotations

import datetime as dt
import math
import re
from itertools import pairwise
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest

from intervals_mirror.config import Settings, load_settings
from intervals_mirror.demo.build import DEMO_PARTS_DAYS, demo_settings, load_dataset
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.dataset import generate
from intervals_mirror.demo.physiology import POWER_ZONES
from intervals_mirror.store import Store

from fake_api import FakeIntervals
from server_helpers import SyncedStore, ask, ask_text, execute, half_up, real_activity, text_of

pytestmark = pytest.mark.anyio

DEFAULT_TYPES = ["time", "watts", "heartrate", "cadence", "altitude", "distance",
                 "velocity_smooth"]


def served(fake: FakeIntervals, activity_id: str, stream_type: str) -> list[Any]:
    return next(s["data"] for s in fake.streams_of(activity_id) if s["type"] == stream_type)


def clock_text(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def normalized_power(watts: list[int]) -> float:
    """NP the slow way: every 30-sample window summed anew."""
    rolled = [sum(watts[i - 29:i + 1]) / 30 for i in range(29, len(watts))]
    return float(fmean(r ** 4 for r in rolled) ** 0.25)


def line_of(text: str, prefix: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(prefix))


def series_after(line: str) -> list[str]:
    return line.split(": ", 1)[1].split()


async def test_streams_are_fetched_once_then_kept_and_answered_offline(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True, trainer=False)
    fake.reset_log()
    result = await ask(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert not result.is_error and result.structured_content is None  # text only
    text = text_of(result)
    (request,) = fake.requests
    assert request.api_path == f"/activity/{ride['id']}/streams"
    assert request.query["types"].split(",") == DEFAULT_TYPES
    assert "fetched from Intervals.icu just now, kept in the mirror" in text
    watts = served(fake, ride["id"], "watts")
    assert f"avg {half_up(fmean(watts))}," in line_of(text, "watts (W): ")
    assert f"max {max(watts)}" in text and f"NP {half_up(normalized_power(watts))} W" in text

    fake.reset_log()
    again = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert fake.requests == []
    assert again.splitlines()[1:] == text.splitlines()[1:]
    fake.stop()
    offline = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert offline.splitlines()[1:] == text.splitlines()[1:]
    assert re.search(r"fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC, kept", offline)


async def test_stream_summaries_match_the_samples(live: tuple[FakeIntervals, Settings],
                                                  template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True, trainer=False)
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": ride["id"], "stream_types": "watts,heartrate,distance"})
    watts = served(fake, ride["id"], "watts")
    ftp = ride["icu_ftp"]
    zones = line_of(text, f"  time in zones (FTP {ftp} W").split(": ", 1)[1].split(" · ")
    low = -1.0
    for number, percent in enumerate(POWER_ZONES, start=1):
        high = ftp * percent / 100 if percent < 999 else math.inf
        secs = sum(1 for w in watts if low < w <= high)
        assert zones[number - 1].startswith(f"Z{number} ")
        assert f" W {clock_text(secs)} " in zones[number - 1], zones[number - 1]
        low = high
    # bounds in whole watts, as get_athlete_profile and get_activity_details write them
    tops = [int(half_up(ftp * percent / 100)) for percent in POWER_ZONES[:-1]]
    bounds = [f"0-{tops[0]} W", *(f"{a + 1}-{b} W" for a, b in pairwise(tops)),
              f"{tops[-1] + 1}+ W"]
    assert [z.split(" W ")[0].rsplit(" ", 1)[1] + " W" for z in zones] == bounds
    hr = served(fake, ride["id"], "heartrate")
    readings = [h for h in hr if h]
    hr_line = line_of(text, "heartrate (bpm): ")
    assert f"min {min(readings)}, avg {half_up(fmean(readings))}, max {max(readings)}" in hr_line
    assert f"{len(hr) - len(readings)} zeros left out" in hr_line
    means = line_of(text, "  mean of each ")
    width = {"1 min": 60, "2 min": 120, "3 min": 180, "5 min": 300}[
        re.search(r"each (\d+ min)", means).group(1)]  # type: ignore[union-attr]
    points = series_after(means)
    time = served(fake, ride["id"], "time")  # seconds from the start: stops leave gaps
    assert len(points) == math.ceil((time[-1] + 1) / width) <= 120
    for k in (0, 1, len(points) // 2, len(points) - 1):
        bucket = [w for t, w in zip(time, watts, strict=True) if k * width <= t < (k + 1) * width]
        assert points[k] == (half_up(fmean(bucket)) if bucket else "-")
    distance = served(fake, ride["id"], "distance")
    assert f"0 to {distance[-1] / 1000:.2f} km" in text
    assert ride["distance"] == distance[-1]  # the demo's streams agree with the activity


def pace_text(metres_per_s: float, per: float) -> str:
    secs = round(per / metres_per_s)
    return f"{secs // 60}:{secs % 60:02d}"


async def test_a_runs_and_a_rides_speed_read_as_their_athletes_read_them(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    run = real_activity(template.dataset, type="Run")
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": run["id"], "stream_types": "velocity_smooth"})
    speeds = [v for v in served(fake, run["id"], "velocity_smooth") if v]
    line = line_of(text, "velocity_smooth (pace /km): ")
    assert (f"slowest {pace_text(min(speeds), 1000)}, avg {pace_text(fmean(speeds), 1000)}, "
            f"fastest {pace_text(max(speeds), 1000)}") in line, line
    series = series_after(line_of(text, "  mean of"))
    assert all(re.fullmatch(r"\d+:\d\d|-", p) for p in series), series  # -: a stop
    assert sum(p != "-" for p in series) > len(series) / 2, series
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True, trainer=False)
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": ride["id"], "stream_types": "velocity_smooth"})
    assert line_of(text, "velocity_smooth (km/h): ").count("avg") == 1


async def test_missing_streams_offline_are_a_tool_error_that_says_how_to_get_them(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    result = await ask(offline, "get_activity_streams", {"activity_id": ride["id"]})
    assert result.is_error
    message = text_of(result)
    assert f"the streams of activity {ride['id']} are not mirrored yet" in message
    assert "unreachable" in message and "streams_days under [sync]" in message


async def test_types_the_activity_lacks_are_said_and_not_asked_again(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    run = real_activity(template.dataset, type="Run")
    args = {"activity_id": run["id"], "stream_types": ["watts", "HeartRate"]}
    text = await ask_text(settings, "get_activity_streams", args)
    assert "Not recorded in this activity: watts." in text
    assert "heartrate (bpm): " in text and "watts (W)" not in text
    assert line_of(text, "heartrate").count("avg") == 1
    fake.reset_log()
    await ask_text(settings, "get_activity_streams", args)
    assert fake.requests == []


async def test_bad_parameters_are_tool_errors_naming_them(offline: Settings,
                                                          template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    cases = [
        ({"activity_id": ride["id"], "stream_types": "power,watts"},
         "stream_types: unknown stream type 'power'; this activity records time, watts"),
        ({"activity_id": ride["id"], "stream_types": ","}, "stream_types: expected stream"),
        ({"activity_id": ride["id"], "stream_types": ["x"] * 41}, "stream_types: expected"),
        ({"activity_id": "ride-1"}, "activity_id: expected an activity id"),
        ({"activity_id": "i1"}, "activity_id: i1 is not in the store"),
        ({"activity_id": ride["id"], "athlete_id": "i5"}, "athlete_id: this mirror holds"),
    ]
    for args, expected in cases:
        result = await ask(offline, "get_activity_streams", args)
        assert result.is_error and expected in text_of(result), (args, text_of(result))
        assert len(text_of(result)) < 1000
    for args, expected in cases[3:]:
        args = {k: v for k, v in args.items() if k != "stream_types"}
        result = await ask(offline, "get_activity_messages", args)
        assert result.is_error and expected in text_of(result), (args, text_of(result))


async def test_strava_imports_are_said_plainly(live: tuple[FakeIntervals, Settings],
                                              template: SyncedStore) -> None:
    fake, settings = live
    stub = next(a for a in template.dataset.activities.values() if "_note" in a)
    fake.reset_log()
    for tool in ("get_activity_streams", "get_activity_messages"):
        text = await ask_text(settings, tool, {"activity_id": stub["id"]})
        assert "does not share Strava-imported activities over its API" in text
    assert fake.requests == []  # known from the store: nothing asked
    ride = real_activity(template.dataset, type="Ride")
    fake.inject(path=f"/activity/{ride['id']}/streams", status=422,
                body='{"status":422,"error":"Cannot read Strava activities via the API"}')
    text = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert "is a Strava import" in text and "does not share" in text


async def test_a_changed_activity_has_its_streams_fetched_again(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    execute(settings.db_path, "UPDATE activities SET fingerprint = 'edited' WHERE id = ?",
            ride["id"])
    fake.reset_log()
    text = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert [r.api_path for r in fake.requests] == [f"/activity/{ride['id']}/streams"]
    assert "just now" in text
    execute(settings.db_path, "UPDATE activities SET fingerprint = 'edited again' WHERE id = ?",
            ride["id"])
    fake.stop()
    text = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    assert "The activity changed on Intervals.icu after these were fetched" in text
    assert "watts (W): " in text


async def test_comments_are_fetched_then_kept_and_refreshed_when_old(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    activity_id, thread = next(iter(template.dataset.messages.items()))
    fake.reset_log()
    text = await ask_text(settings, "get_activity_messages", {"activity_id": activity_id})
    assert [r.api_path for r in fake.requests] == [f"/activity/{activity_id}/messages"]
    assert "fetched from Intervals.icu just now" in text
    lines = text.splitlines()
    assert lines[0].startswith(f"{len(thread)} comment")
    for line, message in zip(lines[1:], thread, strict=True):
        created = message["created"][:16].replace("T", " ")
        assert line == f"{created} UTC · {message['name']}: {message['content']}"
    fake.reset_log()
    await ask_text(settings, "get_activity_messages", {"activity_id": activity_id})
    assert fake.requests == []  # fetched under 10 minutes ago
    fake.add_message(activity_id, "Well done!")
    execute(settings.db_path, "UPDATE activity_fetches SET fetched_at = '2026-01-01T08:00:00Z' "
            "WHERE id = ?", f"{activity_id}:messages")
    text = await ask_text(settings, "get_activity_messages", {"activity_id": activity_id})
    assert text.splitlines()[-1].endswith("· Sam Coach: Well done!")
    execute(settings.db_path, "UPDATE activity_fetches SET fetched_at = '2026-01-01T08:00:00Z' "
            "WHERE id = ?", f"{activity_id}:messages")
    fake.stop()
    text = await ask_text(settings, "get_activity_messages", {"activity_id": activity_id})
    assert "fetched 2026-01-01 08:00 UTC" in text and "not refreshed now" in text
    assert text.splitlines()[-1].endswith("· Sam Coach: Well done!")


async def test_comments_never_fetched_are_a_tool_error_offline(
        offline: Settings, template: SyncedStore) -> None:
    activity_id = next(iter(template.dataset.messages))
    result = await ask(offline, "get_activity_messages", {"activity_id": activity_id})
    assert result.is_error
    assert f"the comments on activity {activity_id} are not mirrored yet" in text_of(result)


async def test_an_activity_without_comments_says_so(live: tuple[FakeIntervals, Settings],
                                                    template: SyncedStore) -> None:
    _, settings = live
    quiet = next(a for a in sorted(template.dataset.activities.values(),
                                   key=lambda a: a["start_date_local"], reverse=True)
                 if "_note" not in a and a["id"] not in template.dataset.messages)
    text = await ask_text(settings, "get_activity_messages", {"activity_id": quiet["id"]})
    assert text.startswith("No comments on ")
    assert text.endswith("(fetched from Intervals.icu just now).")  # no list announced


async def test_the_tools_are_read_only_and_small(offline: Settings) -> None:
    from server_helpers import connected

    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name in ("get_activity_streams", "get_activity_messages"):
        tool = tools[name]
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert tool.output_schema is None
        assert len(tool.model_dump_json(exclude_none=True)) < 1400



async def test_every_sample_is_one_query_sql_away(live: tuple[FakeIntervals, Settings],
                                                  template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    text = await ask_text(settings, "get_activity_streams", {"activity_id": ride["id"]})
    sql = line_of(text, "Every sample: query_sql with ").split(" with ", 1)[1]
    watts = served(fake, ride["id"], "watts")
    fake.stop()
    result = await ask(settings, "query_sql", {
        "sql": f"SELECT count(*) AS n, sum(value) AS total FROM ({sql})"})
    assert not result.is_error, text_of(result)
    lines = text_of(result).splitlines()
    assert lines[0].split() == ["n", "|", "total"]
    assert [cell.strip() for cell in lines[2].split("|")] == [str(len(watts)), str(sum(watts))]


async def test_the_demo_store_shows_recent_streams_and_comments_without_an_account(
        tmp_path: Path) -> None:
    dataset = generate(years=0.15, seed=4, end=athlete_today())
    path = tmp_path / "demo.sqlite"
    with Store.open(path) as store:
        load_dataset(store, dataset, parts_days=DEMO_PARTS_DAYS)
    settings = demo_settings(load_settings(overrides={"db_path": tmp_path / "m.sqlite"},
                                           environ={}))
    assert settings.db_path == path and not settings.api_key
    first = (dataset.end - dt.timedelta(days=DEMO_PARTS_DAYS - 1)).isoformat()
    recent, thread = next((k, v) for k, v in dataset.messages.items()
                          if dataset.activities[k].get("stream_types")
                          and dataset.activities[k]["start_date_local"] >= first)
    text = await ask_text(settings, "get_activity_streams", {"activity_id": recent})
    assert "time: 0:00:00" in text and "kept in the mirror" in text
    text = await ask_text(settings, "get_activity_messages", {"activity_id": recent})
    assert thread[-1]["content"] in text
    old = min((a for a in dataset.activities.values() if "_note" not in a),
              key=lambda a: a["start_date_local"])
    result = await ask(settings, "get_activity_streams", {"activity_id": old["id"]})
    assert result.is_error and f"demo athlete's last {DEMO_PARTS_DAYS} days" in text_of(result)
    assert "reachable" not in text_of(result)


async def test_zones_come_from_the_sport_settings_when_the_activity_has_none(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    execute(settings.db_path, "UPDATE activities SET ftp = NULL, raw = json_remove(raw, "
            "'$.icu_power_zones') WHERE id = ?", ride["id"])
    ride_settings = next(s for s in template.dataset.athlete["sportSettings"]
                         if "Ride" in s["types"])
    ftp = ride_settings["ftp"]
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": ride["id"], "stream_types": "watts"})
    zones = line_of(text, f"  time in zones (FTP {ftp} W, the Ride sport settings' power "
                          "zones): ").split(": ", 1)[1].split(" · ")
    watts = served(fake, ride["id"], "watts")
    low = -1.0
    for number, (percent, name) in enumerate(zip(ride_settings["power_zones"],
                                                 ride_settings["power_zone_names"],
                                                 strict=True), start=1):
        high = ftp * percent / 100 if percent < 999 else math.inf
        secs = sum(1 for w in watts if low < w <= high)
        assert zones[number - 1].startswith(f"Z{number} {name} ")
        assert f" W {clock_text(secs)} " in zones[number - 1]
        low = high


async def test_pauses_and_dropouts_in_the_samples_are_said(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride", icu_average_watts=True)
    time = [*range(600), *range(900, 1500)]  # a 5-minute stop after 10 minutes
    watts = [200] * 300 + [None] * 10 + [250] * 890

    def stream(kind: str, data: list[Any]) -> dict[str, Any]:
        return {"type": kind, "name": None, "data": data, "data2": None,
                "valueTypeIsArray": False, "anomalies": None, "custom": False,
                "allNull": False}

    fake.set_streams(ride["id"], [stream("time", time), stream("watts", watts)])
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": ride["id"], "stream_types": "watts"})
    assert ("0:25:00 recorded, 1,200 samples, one every 1 s, 1 pause (gaps over 2 s)"
            in text)
    text = await ask_text(settings, "get_activity_streams", {
        "activity_id": ride["id"], "stream_types": "time,watts"})
    assert "time: 0:00:00 to 0:24:59, 1 pause (gaps over 2 s)" in text
    mean = half_up(fmean(w for w in watts if w is not None))
    assert f"watts (W): min 200, avg {mean}, max 250 (10 nulls left out" in text
    means = series_after(line_of(text, "  mean of each "))
    assert means[0] == "200" and "-" in means  # the stop: no samples in those points


async def test_a_long_thread_is_fetched_whole_and_answered_short(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride")
    for k in range(250):
        fake.add_message(ride["id"], f"comment {k}: " + "long words " * 30)
    fake.reset_log()
    text = await ask_text(settings, "get_activity_messages", {"activity_id": ride["id"]})
    pages = [r.query for r in fake.requests]
    assert len(pages) == 3 and "sinceId" not in pages[0] and pages[2].get("sinceId")
    assert execute(settings.db_path, "SELECT count(*) FROM activity_messages "
                   "WHERE activity_id = ?", ride["id"]) == [(250,)]
    assert len(text) <= 20_000
    assert text.startswith("250 comments on ")
    assert "older comments left out to keep this short; query_sql: SELECT" in text
    assert "comment 249: " in text.splitlines()[-1] and "comment 0: " not in text
