"""The fake API's per-activity best-effort curves behave like the real endpoints, and the demo
athlete's curves agree with its activities (the tools' tests trust both)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from intervals_mirror.demo.dataset import Dataset, generate

from fake_api import FakeIntervals
from test_fake_api import get

END = dt.date(2026, 6, 14)
KEY = "test-key-123"
RANGE = "oldest=2025-06-15&newest=2026-06-14"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeIntervals]:
    with FakeIntervals(generate(years=1, end=END, seed=3), api_key=KEY) as f:
        yield f


def curves(fake: FakeIntervals, kind: str, query: str = RANGE) -> dict[str, Any]:
    status, _, body = get(fake, f"/athlete/{fake.athlete_id}/activity-{kind}-curves?{query}")
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def real(ds: Dataset) -> list[dict[str, Any]]:
    return [a for a in ds.activities.values() if a.get("source") != "STRAVA"]


@pytest.mark.parametrize("kind", ["power", "hr", "pace"])
def test_oldest_and_newest_are_required_and_the_0_alias_is_refused(
        fake: FakeIntervals, kind: str) -> None:
    path = f"/athlete/{fake.athlete_id}/activity-{kind}-curves"
    for query, missing in (("", "oldest"), ("?oldest=2026-01-01", "newest"),
                           ("?newest=2026-01-01", "oldest")):
        status, _, body = get(fake, path + query)
        assert (status, body) == (422, {"status": 422, "error": (
            f"Required request parameter '{missing}' for method parameter type String is "
            "not present")})
    status, _, body = get(fake, f"/athlete/0/activity-{kind}-curves?{RANGE}")
    assert (status, body) == (403, {"status": 403, "error": "Access denied"})
    assert get(fake, f"{path}.json?{RANGE}")[0] == 200


def test_payloads_and_elements_have_the_real_keys_in_order(fake: FakeIntervals) -> None:
    power, hr, pace = (curves(fake, k) for k in ("power", "hr", "pace"))
    assert list(power) == ["after_kj", "secs", "curves"]
    assert list(power["curves"][0]) == ["id", "start_date_local", "weight", "watts"]
    assert list(hr) == ["secs", "curves"]
    assert list(hr["curves"][0]) == ["id", "start_date_local", "weight", "bpm"]
    assert list(pace) == ["distances", "gap", "curves"] and pace["gap"] is False
    assert list(pace["curves"][0]) == ["id", "start_date_local", "secs"]


def test_stubs_are_absent_and_each_kind_lists_the_activities_with_that_data(
        fake: FakeIntervals) -> None:
    ds = fake.dataset
    listed = {k: {c["id"] for c in curves(fake, k)["curves"]} for k in ("power", "hr", "pace")}
    stubs = {a["id"] for a in ds.activities.values() if a.get("source") == "STRAVA"}
    assert stubs and not stubs & set().union(*listed.values())
    assert listed["power"] == {a["id"] for a in real(ds) if a.get("icu_average_watts")}
    assert listed["hr"] == {a["id"] for a in real(ds) if a.get("average_heartrate")}
    assert listed["pace"] == {a["id"] for a in real(ds) if a.get("distance")}
    assert {ds.activities[i]["type"] for i in listed["power"]} >= {"Ride", "VirtualRide"}
    assert "Run" not in {ds.activities[i]["type"] for i in listed["power"]}


def test_the_date_range_is_inclusive_of_the_newest_day(fake: FakeIntervals) -> None:
    day = max(a["start_date_local"][:10] for a in real(fake.dataset))
    got = {c["id"] for c in curves(fake, "hr", f"oldest={day}&newest={day}")["curves"]}
    assert got == {a["id"] for a in real(fake.dataset)
                   if a["start_date_local"][:10] == day and a.get("average_heartrate")}


def test_secs_and_distances_are_honoured_and_distances_snap_up(fake: FakeIntervals) -> None:
    power = curves(fake, "power", f"{RANGE}&secs=5,60,1200")
    assert power["secs"] == [5, 60, 1200]
    assert all(1 <= len(c["watts"]) <= 3 for c in power["curves"])
    repeated = curves(fake, "power", f"{RANGE}&secs=5&secs=60&secs=1200")
    assert repeated == power  # repeated keys bind like the comma list
    pace = curves(fake, "pace", f"{RANGE}&distances=400,1609,21097")
    assert pace["distances"] == [400.0, 1609.34, 21097.5]
    status, _, body = get(fake, f"/athlete/{fake.athlete_id}/activity-power-curves?{RANGE}"
                                "&secs=5,abc")
    assert status == 422 and '"abc"' in body["error"]


def test_type_picks_the_sport_of_its_settings(fake: FakeIntervals) -> None:
    ds = fake.dataset
    rides = {c["id"] for c in curves(fake, "hr", f"{RANGE}&type=Ride")["curves"]}
    family = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}
    assert rides == {a["id"] for a in real(ds) if a["type"] in family
                     and a.get("average_heartrate")}
    assert "VirtualRide" in {ds.activities[i]["type"] for i in rides}
    runs = {ds.activities[c["id"]]["type"]
            for c in curves(fake, "hr", f"{RANGE}&type=TrailRun")["curves"]}
    assert "Run" in runs and not runs & family


def test_curves_agree_with_their_activities(fake: FakeIntervals) -> None:
    ds = fake.dataset
    secs = [1, 5, 30, 60, 300, 1200, 3600, 7200, 18000]
    power = curves(fake, "power", f"{RANGE}&secs={','.join(map(str, secs))}")["curves"]
    hr = curves(fake, "hr", f"{RANGE}&secs={','.join(map(str, secs))}")["curves"]
    for curve in power:
        act = ds.activities[curve["id"]]
        watts = curve["watts"]
        assert len(watts) == sum(1 for s in secs if s <= act["moving_time"])
        assert watts == sorted(watts, reverse=True)  # a shorter best is never lower
        assert min(watts) >= act["icu_average_watts"]  # the whole ride is one effort
        assert curve["weight"] == act["icu_weight"]
    for curve in hr:
        act = ds.activities[curve["id"]]
        assert curve["bpm"] == sorted(curve["bpm"], reverse=True)
        assert act["average_heartrate"] <= min(curve["bpm"])
        assert max(curve["bpm"]) <= act["max_heartrate"]
    pace = curves(fake, "pace", f"{RANGE}&distances=400,1000,5000,10000")
    for curve in pace["curves"]:
        act = ds.activities[curve["id"]]
        assert len(curve["secs"]) == sum(1 for d in pace["distances"] if d <= act["distance"])
        for metres, secs_taken in zip(pace["distances"], curve["secs"], strict=False):
            # the best stretch is at least as fast as the whole activity's average
            assert secs_taken <= metres / act["distance"] * act["moving_time"] + 0.5
        assert curve["secs"] == sorted(curve["secs"])


def test_an_edited_or_deleted_activity_changes_its_curves(ds_fake: FakeIntervals) -> None:
    fake = ds_fake
    ride = next(a for a in real(fake.dataset) if a.get("icu_average_watts"))
    before = next(c for c in curves(fake, "power")["curves"] if c["id"] == ride["id"])
    fake.edit_activity(ride["id"], icu_average_watts=ride["icu_average_watts"] + 40,
                       icu_weighted_avg_watts=(ride["icu_weighted_avg_watts"] or 0) + 40)
    after = next(c for c in curves(fake, "power")["curves"] if c["id"] == ride["id"])
    assert min(after["watts"]) > min(before["watts"])
    fake.delete_activity(ride["id"])
    assert ride["id"] not in {c["id"] for c in curves(fake, "power")["curves"]}


@pytest.fixture
def ds_fake() -> Iterator[FakeIntervals]:
    """A private fake, free to be edited."""
    with FakeIntervals(generate(years=1, end=END, seed=3), api_key=KEY) as f:
        yield f
