"""The fake API's streams and messages are shaped like the real ones, and the demo athlete's
streams agree with its activities (mean power, heart rate, cadence, distance)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest

from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.demo.edits import make_strava_stub
from intervals_mirror.demo.messages import MESSAGE_KEYS
from intervals_mirror.demo.streams import HR_DROPOUTS, STREAM_KEYS

from fake_api import FakeIntervals
from test_fake_api import KEY, get, real_ids, stub_ids

END = dt.date(2026, 6, 14)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    ds = generate(years=0.3, end=END, seed=3)
    make_strava_stub(ds, END - dt.timedelta(days=3))  # a short span may have drawn none
    return ds


@pytest.fixture
def fake(ds: Dataset) -> Iterator[FakeIntervals]:
    with FakeIntervals(ds, api_key=KEY) as f:
        yield f


def newest_ride(ds: Dataset) -> dict:
    return max((a for a in ds.activities.values() if a.get("type") == "Ride"
                and a.get("icu_average_watts") and not a.get("trainer")),
               key=lambda a: a["start_date_local"])


def test_streams_of_the_types_asked_in_the_api_shape(fake: FakeIntervals, ds: Dataset) -> None:
    ride = newest_ride(ds)
    status, _, body = get(fake, f"/activity/{ride['id']}/streams?types=latlng,watts,time")
    assert status == 200
    assert [s["type"] for s in body] == [t for t in ride["stream_types"]
                                         if t in ("latlng", "watts", "time")]
    for stream in body:
        assert tuple(stream) == STREAM_KEYS
        assert len(stream["data"]) == ride["moving_time"]
        assert (stream["data2"] is not None) == (stream["type"] == "latlng")
    status, _, body = get(fake, f"/activity/{ride['id']}/streams")
    assert "raw_watts" in [s["type"] for s in body] and "watts" not in [s["type"] for s in body]


def test_stream_errors_are_the_real_ones(fake: FakeIntervals, ds: Dataset) -> None:
    ride = newest_ride(ds)
    assert get(fake, f"/activity/{ride['id']}/streams?types=watts,gap")[::2] == (
        422, {"status": 422, "error": "Invalid stream type"})
    stub = stub_ids(ds)[0]
    assert get(fake, f"/activity/{stub}/streams?types=watts")[::2] == (
        422, {"status": 422, "error": "Cannot read Strava activities via the API"})
    assert get(fake, "/activity/i1/streams?types=watts")[0] == 404
    # POST is add_activity_message (fake_api_writes.py); PUT is no route of the API
    assert get(fake, f"/activity/{ride['id']}/messages", method="PUT")[0] == 405


def test_demo_streams_agree_with_their_activities(ds: Dataset, fake: FakeIntervals) -> None:
    recent = [ds.activities[i] for i in real_ids(ds)
              if ds.activities[i]["start_date_local"] >= "2026-05-15"]
    assert len(recent) > 10
    for activity in recent:
        streams = {s["type"]: s["data"] for s in fake.streams_of(activity["id"])}
        assert list(streams) == [t for t in activity["stream_types"] or []], activity["id"]
        if not streams:
            continue
        n = activity["moving_time"]
        # one sample per moving second; the clock jumps at the recording stops, by the time
        # stood still in all (elapsed - moving)
        times = streams["time"]
        jumps = {k: later - earlier - 1 for k, (earlier, later)
                 in enumerate(itertools.pairwise(times), start=1) if later - earlier != 1}
        assert len(times) == n and times[0] == 0 and min(jumps.values(), default=1) > 0
        assert set(jumps) == set(activity["recording_stops"] or [])
        assert sum(jumps.values()) == activity["elapsed_time"] - n
        # means exact to the last whole unit of the sum (samples are whole numbers)
        if "watts" in streams:
            assert abs(sum(streams["watts"]) - activity["icu_average_watts"] * n) <= 0.5
        if "heartrate" in streams:
            readings = [h for h in streams["heartrate"] if h]
            assert abs(sum(readings) - activity["average_heartrate"] * len(readings)) <= 0.5
            assert len(streams["heartrate"]) - len(readings) in (0, HR_DROPOUTS)
        if "cadence" in streams:
            turning = [c for c in streams["cadence"] if c]
            assert abs(sum(turning) - activity["average_cadence"] * len(turning)) <= 0.5
        if "distance" in streams:
            assert streams["distance"][0] == 0 and streams["distance"][-1] == activity["distance"]
            assert streams["distance"] == sorted(streams["distance"])


def test_messages_of_an_activity(fake: FakeIntervals, ds: Dataset) -> None:
    activity_id, thread = next((k, v) for k, v in ds.messages.items() if len(v) > 1)
    status, _, body = get(fake, f"/activity/{activity_id}/messages")
    assert status == 200 and body == thread
    assert get(fake, f"/activity/{activity_id}/messages?limit=1")[2] == thread[:1]
    since = thread[0]["id"]
    assert get(fake, f"/activity/{activity_id}/messages?sinceId={since}")[2] == thread[1:]
    quiet = next(i for i in real_ids(ds) if i not in ds.messages)
    assert get(fake, f"/activity/{quiet}/messages")[::2] == (200, [])
    assert get(fake, "/activity/i1/messages")[0] == 404
    assert get(fake, f"/activity/{stub_ids(ds)[0]}/messages")[0] == 422
    assert all(tuple(m) == MESSAGE_KEYS for m in thread)
    assert thread[0]["athlete_id"] == ds.athlete_id and thread[1]["athlete_id"] != ds.athlete_id
