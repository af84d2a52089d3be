"""The fake Intervals.icu API and the synthetic athlete behave like the real thing.

Other tests trust both to be faithful, so the behaviours clients depend on (auth answers,
required parameters, ordering, ``fields=``, Strava stubs, bulk intervals, faults, keep-alive)
are pinned here, over real HTTP with the standard library only.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.demo.shapes import ACTIVITY_KEYS, STRAVA_NOTE
from intervals_mirror.demo.wellness import recompute_fitness

from fake_api import FakeIntervals

END = dt.date(2026, 6, 14)
KEY = "test-key-123"
BASIC = "Basic " + base64.b64encode(f"API_KEY:{KEY}".encode()).decode()


@pytest.fixture
def ds() -> Dataset:
    return generate(years=1, end=END, seed=3)


@pytest.fixture
def fake(ds: Dataset) -> Iterator[FakeIntervals]:
    with FakeIntervals(ds, api_key=KEY) as f:
        yield f


def get(
    fake: FakeIntervals,
    path: str,
    *,
    auth: str | None = BASIC,
    ua: str | None = "intervals-mirror-tests/1",
    method: str = "GET",
) -> tuple[int, dict[str, str], Any]:
    """One request on a fresh connection; the body parsed as JSON when it is JSON."""
    url = urlsplit(fake.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        headers = {}
        if auth is not None:
            headers["Authorization"] = auth
        if ua is not None:
            headers["User-Agent"] = ua
        conn.putrequest(method, url.path + path, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        raw = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        body: Any = json.loads(raw) if "json" in hdrs.get("content-type", "") else raw.decode()
        return resp.status, hdrs, body
    finally:
        conn.close()


def real_ids(ds: Dataset) -> list[str]:
    return [k for k, a in ds.activities.items() if "_note" not in a]


def stub_ids(ds: Dataset) -> list[str]:
    return [k for k, a in ds.activities.items() if "_note" in a]


# ----------------------------------------------------------------- the synthetic athlete


def test_generate_is_deterministic_for_years_end_and_seed() -> None:
    assert generate(years=0.5, end=END, seed=5) == generate(years=0.5, end=END, seed=5)
    assert generate(years=0.5, end=END, seed=5) != generate(years=0.5, end=END, seed=6)


def test_activities_carry_the_full_key_set_and_stubs_exactly_five_keys(ds: Dataset) -> None:
    for a in ds.activities.values():
        if "_note" in a:
            assert list(a) == ["id", "icu_athlete_id", "start_date_local", "source", "_note"]
            assert a["_note"] == STRAVA_NOTE and a["id"].isdigit()
            assert a["id"] not in ds.intervals
        else:
            assert tuple(a)[: len(ACTIVITY_KEYS)] == ACTIVITY_KEYS
            assert set(a) - set(ACTIVITY_KEYS) <= {"BikeWeight", "SWOLF"}  # custom fields
            assert a["start_date"].endswith("Z") and len(a["start_date_local"]) == 19
    per_year = len(ds.activities)
    assert 380 <= per_year <= 500
    assert stub_ids(ds)


def test_interval_groups_link_and_ids_are_unique(ds: Dataset) -> None:
    seen: set[int] = set()
    for dto in ds.intervals.values():
        groups = {g["id"] for g in dto["icu_groups"]}
        for iv in dto["icu_intervals"]:
            assert iv["id"] not in seen
            seen.add(iv["id"])
            assert iv["group_id"] is None or iv["group_id"] in groups
            assert iv["type"] in ("WORK", "RECOVERY") and isinstance(iv["intensity"], int)
    assert len(seen) > len(ds.intervals)


def test_wellness_ctl_atl_follow_the_42_7_day_model(ds: Dataset) -> None:
    days = sorted(ds.wellness)
    pairs = [
        (a, b)
        for a, b in zip(days, days[1:], strict=False)
        if dt.date.fromisoformat(b) - dt.date.fromisoformat(a) == dt.timedelta(days=1)
    ]
    for a, b in pairs[-60:]:
        prev, cur = ds.wellness[a], ds.wellness[b]
        expect = prev["ctl"] + (cur["ctlLoad"] - prev["ctl"]) * (1 - math.exp(-1 / 42))
        assert cur["ctl"] == pytest.approx(expect, abs=0.02)
    future = [d for d in days if d > END.isoformat()]
    assert len(future) == 7 and ds.wellness[future[0]]["hrv"] is None
    before = {k: dict(v) for k, v in ds.wellness.items()}
    recompute_fitness(ds)  # the generator and the server model agree
    assert ds.wellness == before


# ----------------------------------------------------------------- auth and errors


def test_auth_answers_like_the_real_api(fake: FakeIntervals) -> None:
    assert get(fake, "/athlete/0")[0] == 200
    status, _, body = get(fake, "/athlete/0", auth=None)
    assert (status, body) == (401, {"status": 401, "error": "Unauthorized"})
    wrong = "Basic " + base64.b64encode(b"API_KEY:nope").decode()
    assert get(fake, "/athlete/0", auth=wrong)[0] == 401
    status, _, body = get(fake, "/athlete/0", auth=f"Bearer {KEY}")
    assert (status, body) == (403, {"status": 403, "error": "Access denied"})
    assert get(fake, "/athlete/0", ua=None)[0] == 403
    assert get(fake, "/athlete/i999/activities?oldest=2026-01-01")[0] == 403
    log = fake.requests
    assert all("authorization" not in r.headers for r in log)
    assert [r.has_auth for r in log][:2] == [True, False]


def test_unknown_paths_singular_event_and_writes(fake: FakeIntervals) -> None:
    status, _, body = get(fake, "/athlete/0/fitness")
    assert status == 404 and body["error"] == "Not Found"
    assert body["path"] == "/api/v1/athlete/0/fitness"
    any_event = next(iter(fake.dataset.events))
    assert get(fake, f"/athlete/0/event/{any_event}")[0] == 404
    assert get(fake, f"/athlete/0/events/{any_event}")[0] == 200
    assert get(fake, "/athlete/0/events/999")[0] == 404
    assert get(fake, "/athlete/0/wellness/2026-06-14", method="PUT")[0] == 405


# ----------------------------------------------------------------- activities


def test_activities_need_oldest_and_valid_dates(fake: FakeIntervals) -> None:
    status, _, body = get(fake, "/athlete/0/activities")
    assert status == 422 and "'oldest'" in body["error"]
    assert get(fake, "/athlete/0/activities?oldest=2026-13-01")[0] == 422
    assert get(fake, "/athlete/0/activities?oldest=2026-06-01T07:00:00")[0] == 200


def test_activities_are_newest_first_and_limit_keeps_the_newest(fake: FakeIntervals) -> None:
    _, _, rows = get(fake, "/athlete/0/activities?oldest=2026-05-01&newest=2026-05-31")
    starts = [r["start_date_local"] for r in rows]
    assert starts == sorted(starts, reverse=True)
    expected = {
        k
        for k, a in fake.dataset.activities.items()
        if "2026-05-01" <= a["start_date_local"][:10] <= "2026-05-31"
    }
    assert {r["id"] for r in rows} == expected  # a date-only newest includes that whole day
    _, _, top = get(fake, "/athlete/0/activities?oldest=2026-05-01&newest=2026-05-31&limit=3")
    assert [r["id"] for r in top] == [r["id"] for r in rows[:3]]


def test_fields_returns_only_those_keys_and_drops_nulls(fake: FakeIntervals) -> None:
    _, _, rows = get(
        fake, "/athlete/0/activities?oldest=2025-06-14&fields=id,type,icu_average_watts,name"
    )
    assert rows and all(set(r) <= {"id", "type", "icu_average_watts", "name"} for r in rows)
    assert any("icu_average_watts" not in r for r in rows)  # runs have no power: key dropped
    stubs = [r for r in rows if r["id"] in stub_ids(fake.dataset)]
    assert stubs and all(set(s) == {"id"} for s in stubs)


def test_several_activities_with_intervals_in_one_request(fake: FakeIntervals) -> None:
    ids = real_ids(fake.dataset)[-3:] + stub_ids(fake.dataset)[:1] + ["i1"]
    _, _, rows = get(fake, f"/athlete/0/activities/{','.join(ids)}?intervals=true")
    assert [r["id"] for r in rows] == ids[:4]  # unknown ids are skipped
    for r in rows[:3]:
        assert r["icu_intervals"] == fake.dataset.intervals[r["id"]]["icu_intervals"]
        assert "icu_groups" in r
    assert rows[3] == fake.dataset.activities[ids[3]]  # the stub stays a stub
    _, _, plain = get(fake, f"/athlete/0/activities/{ids[0]}%2C{ids[1]}")
    assert len(plain) == 2 and "icu_intervals" not in plain[0]


def test_single_activity_and_its_intervals(fake: FakeIntervals) -> None:
    aid, stub = real_ids(fake.dataset)[-1], stub_ids(fake.dataset)[0]
    status, _, act = get(fake, f"/activity/{aid}")
    assert status == 200 and act == fake.dataset.activities[aid]
    _, _, dto = get(fake, f"/activity/{aid}/intervals")
    assert set(dto) == {"id", "analyzed", "icu_intervals", "icu_groups"}
    assert get(fake, f"/activity/{stub}")[2]["_note"] == STRAVA_NOTE
    status, _, body = get(fake, f"/activity/{stub}/intervals")
    assert status == 422 and "Strava" in body["error"]
    assert get(fake, "/activity/i1")[0:3:2] == (404, {"status": 404, "error": "Activity not found"})


# ----------------------------------------------------------------- wellness and events


def test_wellness_is_ascending_and_fields_drop_the_date_unless_asked(fake: FakeIntervals) -> None:
    _, _, rows = get(fake, "/athlete/0/wellness?oldest=2026-06-01&newest=2026-06-21")
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids) and ids[-1] == "2026-06-21"  # projected days included
    _, _, slim = get(fake, "/athlete/0/wellness?oldest=2026-06-01&newest=2026-06-10&fields=ctl,atl")
    assert slim and all("id" not in r and set(r) <= {"ctl", "atl"} for r in slim)
    missing = next(
        d.isoformat()
        for d in (END - dt.timedelta(days=n) for n in range(365))
        if d.isoformat() not in fake.dataset.wellness
    )
    assert get(fake, f"/athlete/0/wellness/{missing}")[0] == 404
    assert get(fake, "/athlete/0/wellness/2026-06-14")[2]["id"] == "2026-06-14"


def test_events_default_to_the_coming_week_and_filter_by_category(fake: FakeIntervals) -> None:
    _, _, week = get(fake, "/athlete/0/events")
    days = {e["start_date_local"][:10] for e in week}
    assert days and min(days) >= END.isoformat()
    assert max(days) <= (END + dt.timedelta(days=6)).isoformat()
    _, _, year = get(fake, "/athlete/0/events?oldest=2025-06-14&newest=2026-10-12")
    assert len(year) == len(fake.dataset.events)  # history and 120 days ahead
    assert [e["id"] for e in year] != sorted(e["id"] for e in year)  # order: sort locally
    _, _, races = get(
        fake, "/athlete/0/events?oldest=2025-06-14&newest=2026-10-12&category=RACE_A,RACE_B"
    )
    assert races and {e["category"] for e in races} <= {"RACE_A", "RACE_B"}


# ----------------------------------------------------------------- faults, keep-alive, edits


def test_injected_faults_then_normal_answers(fake: FakeIntervals) -> None:
    fake.inject(path="/wellness", status=503, body="<html>Bad gateway</html>", retry_after=2)
    status, headers, body = get(fake, "/athlete/0/wellness?oldest=2026-06-01")
    assert (status, headers["retry-after"], body) == (503, "2", "<html>Bad gateway</html>")
    assert get(fake, "/athlete/0/wellness?oldest=2026-06-01")[0] == 200
    fake.inject(path="/athlete/0$", status=429, times=2)
    assert [get(fake, "/athlete/0")[0] for _ in range(3)] == [429, 429, 200]
    fake.inject(path="/events", drop=True)
    with pytest.raises(http.client.RemoteDisconnected):
        get(fake, "/athlete/0/events")
    assert fake.requests[-1].status == 0 and fake.count("/athlete/0/events") == 1


def test_connections_are_kept_alive_and_reused(fake: FakeIntervals) -> None:
    url = urlsplit(fake.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        socks = set()
        for path in ("/athlete/0", "/athlete/0/custom-item", "/activity/nope"):
            conn.request(
                "GET", url.path + path, headers={"Authorization": BASIC, "User-Agent": "t/1"}
            )
            resp = conn.getresponse()
            resp.read()
            socks.add(id(conn.sock))
        assert len(socks) == 1 and resp.status == 404
    finally:
        conn.close()


def test_edits_show_up_like_the_real_api(fake: FakeIntervals) -> None:
    old_max = max(int(k[1:]) for k in real_ids(fake.dataset))
    added = fake.add_activity(END, type="Run")
    assert int(added["id"][1:]) > old_max and added["type"] == "Run"
    _, _, rows = get(fake, f"/athlete/0/activities?oldest={END}")
    assert added["id"] in {r["id"] for r in rows}
    target = real_ids(fake.dataset)[-5]
    before = fake.dataset.activities[target]["icu_sync_date"]
    edited = fake.edit_activity(target, name="Renamed")
    assert edited["name"] == "Renamed" and edited["icu_sync_date"] > before
    fake.delete_activity(target)
    assert get(fake, f"/activity/{target}/intervals")[0] == 404
    ev = fake.add_event(END + dt.timedelta(days=3), name="New race")
    assert get(fake, f"/athlete/0/events/{ev['id']}")[2]["name"] == "New race"
    fake.edit_wellness("2026-06-14", CaffeineMg=400)
    assert get(fake, "/athlete/0/wellness/2026-06-14")[2]["CaffeineMg"] == 400


def raw_get(fake: FakeIntervals, path: str) -> tuple[dict[str, str], bytes]:
    """Headers and the bytes that arrived before the server closed, whatever their length."""
    import socket

    url = urlsplit(fake.base_url)
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=10) as sock:
        sock.sendall(f"GET {url.path}{path} HTTP/1.1\r\nHost: x\r\nAuthorization: {BASIC}\r\n"
                     "User-Agent: t/1\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")[1:]
    return {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}, body


@pytest.mark.parametrize("how", ["short", "eof", "cut", "gzip"])
def test_truncated_answers_send_half_the_real_body(fake: FakeIntervals, how: str) -> None:
    import gzip

    path = "/athlete/0/wellness?oldest=2026-01-01"
    _, _, whole = get(fake, path)
    full = json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode()
    fake.inject(path="/wellness", truncate=how)
    headers, body = raw_get(fake, path)
    sent = gzip.compress(full, mtime=0) if how == "gzip" else full
    assert body == sent[: len(sent) // 2]
    length = headers.get("content-length")
    assert length == {"short": str(len(sent)), "eof": None}.get(how, str(len(body)))
    assert (headers.get("content-encoding") == "gzip") == (how == "gzip")
    assert fake.requests[-1].fault and get(fake, path)[2] == whole  # then normal again


def test_a_200_fault_with_a_body_sends_that_body(fake: FakeIntervals) -> None:
    fake.inject(path="/athlete/0$", status=200, body="<html>Sign in</html>")
    assert get(fake, "/athlete/0")[::2] == (200, "<html>Sign in</html>")


# ----------------------------------------------------------------- gear, sport settings, items


def test_gear_is_totalled_from_the_activities_in_the_spec_shape(fake: FakeIntervals,
                                                                ds: Dataset) -> None:
    status, _, gear = get(fake, "/athlete/0/gear")
    assert status == 200 and gear == ds.gear
    spec = ["id", "athlete_id", "type", "name", "purchased", "notes", "distance", "time",
            "activities", "use_elapsed_time", "retired", "component_ids", "reminders",
            "activity_filters", "component"]
    assert all(list(item) == spec for item in gear)
    for item in gear:
        used = [a for a in ds.activities.values() if (a.get("gear") or {}).get("id") == item["id"]]
        if not item["component"]:
            assert item["activities"] == len(used), item["id"]
    assert any(item["retired"] for item in gear) and any(item["reminders"] for item in gear)
    assert get(fake, "/athlete/i1/gear")[2] == {"status": 403, "error": "Access denied"}


def test_sport_settings_and_custom_items_one_by_one(fake: FakeIntervals, ds: Dataset) -> None:
    listed = get(fake, "/athlete/0/sport-settings")[2]
    assert listed == ds.athlete["sportSettings"]
    run = next(s for s in listed if "Run" in s["types"])
    assert get(fake, "/athlete/0/sport-settings/Run")[2] == run
    assert get(fake, f"/athlete/0/sport-settings/{run['id']}")[2] == run
    assert get(fake, "/athlete/0/sport-settings/Kayaking")[:3:2] == (
        404, {"status": 404, "error": "Sport settings not found"})
    item = ds.custom_items[1]
    assert get(fake, f"/athlete/0/custom-item/{item['id']}")[2] == item
    assert get(fake, "/athlete/0/custom-item/7")[0] == 404
    status, _, body = get(fake, "/athlete/0/custom-item/abc")
    assert status == 422 and "Failed to convert value" in body["error"]


def test_list_edits_keep_the_athlete_object_in_step(fake: FakeIntervals) -> None:
    fake.add_custom_item("FITNESS_TABLE", "Yearly totals")
    fake.edit_custom_item(fake.dataset.custom_items[0]["id"], name="Renamed")
    fake.delete_custom_item(fake.dataset.custom_items[1]["id"])
    fake.add_sport_settings(["Kayaking"], ftp=150)
    fake.delete_sport_settings(fake.dataset.athlete["sportSettings"][0]["id"])
    athlete = get(fake, "/athlete/0")[2]
    assert athlete["custom_items"] == get(fake, "/athlete/0/custom-item")[2]
    assert athlete["custom_items"][0]["name"] == "Renamed"
    assert athlete["custom_items"][-1]["type"] == "FITNESS_TABLE"
    assert athlete["sportSettings"] == get(fake, "/athlete/0/sport-settings")[2]
    assert athlete["sportSettings"][-1]["types"] == ["Kayaking"]
