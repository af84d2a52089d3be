"""The fake API's write side answers as the real API does (the write tools' tests rely on it):
events, custom items and comments, their errors, and later listings showing the changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from intervals_mirror.demo.dataset import generate
from intervals_mirror.demo.edits import make_strava_stub

from fake_api import FakeIntervals
from test_fake_api import KEY, real_ids

END = dt.date(2026, 6, 14)
DAY = "2026-12-20"  # after the generated calendar


@pytest.fixture
def fake() -> Iterator[FakeIntervals]:
    with FakeIntervals(generate(years=0.3, end=END, seed=3), api_key=KEY) as f:
        yield f


def send(fake: FakeIntervals, method: str, path: str, body: Any = None,
         *, raw: bytes | None = None) -> tuple[int, Any]:
    with httpx.Client(base_url=fake.base_url, auth=("API_KEY", KEY),
                      headers={"User-Agent": "tests"}) as client:
        response = client.request(method, path, json=body, content=raw)
    return response.status_code, response.json() if response.content else None


def listed_events(fake: FakeIntervals, day: str) -> list[dict[str, Any]]:
    return send(fake, "GET", f"/athlete/0/events?oldest={day}&newest={day}")[1]


def test_a_created_workout_has_its_id_end_and_parsed_steps_and_is_listed(
        fake: FakeIntervals) -> None:
    status, event = send(fake, "POST", "/athlete/0/events", {
        "category": "WORKOUT", "name": "Tempo", "type": "Ride",
        "start_date_local": f"{DAY}T00:00:00", "description": "- 20m 85%\n- 10m Z1",
        "workout_doc": {"steps": [{"duration": 1}]}})
    assert status == 200
    assert event["id"] > max(i for i in fake.dataset.events if i != event["id"])
    assert event["end_date_local"] == "2026-12-21T00:00:00"
    assert event["workout_doc"]["steps"] == [
        {"duration": 1200, "power": {"value": 85, "units": "%ftp"}},
        {"duration": 600, "power": {"value": 1, "units": "power_zone"}}]
    assert event["moving_time"] == 1800
    assert listed_events(fake, DAY) == [event]


def test_an_update_changes_only_what_it_carries_and_a_delete_answers_empty(
        fake: FakeIntervals) -> None:
    _, made = send(fake, "POST", "/athlete/0/events", {
        "category": "NOTE", "name": "Physio", "description": "17:30", "color": "red",
        "start_date_local": f"{DAY}T00:00:00"})
    status, changed = send(fake, "PUT", f"/athlete/0/events/{made['id']}", {"name": "Dentist"})
    assert status == 200 and changed["name"] == "Dentist"
    assert {k: v for k, v in changed.items() if k not in ("name", "updated")} == \
        {k: v for k, v in made.items() if k not in ("name", "updated")}
    assert changed["updated"] > made["updated"]
    assert send(fake, "DELETE", f"/athlete/0/events/{made['id']}") == (200, {})
    assert send(fake, "DELETE", f"/athlete/0/events/{made['id']}") == (
        404, {"status": 404, "error": "Event not found"})
    assert listed_events(fake, DAY) == []


@pytest.mark.parametrize(("method", "path", "body", "answer"), [
    ("POST", "/athlete/0/events", {"category": "WORKOUT", "name": "x" * 81,
                                   "start_date_local": f"{DAY}T00:00:00"},
     (422, {"status": 422, "error": "Name is too long"})),
    ("POST", "/athlete/0/events", None, (400, {"status": 400,
                                               "error": "Required request body is missing"})),
    ("PUT", "/athlete/0/events/1", {"name": "x"}, (404, {"status": 404,
                                                         "error": "Event not found"})),
    ("POST", "/athlete/i9/events", {"category": "NOTE"}, (403, {"status": 403,
                                                               "error": "Access denied"})),
    ("PUT", "/athlete/0/custom-item/1", {"name": "x"},
     (404, {"status": 404, "error": "Custom item not found"})),
])
def test_write_errors_have_the_real_shapes(fake: FakeIntervals, method: str, path: str,
                                           body: Any, answer: tuple[int, Any]) -> None:
    before = dict(fake.dataset.events)
    assert send(fake, method, path, body) == answer
    assert fake.dataset.events == before


def test_a_custom_item_is_created_as_a_new_custom_item_and_listed(fake: FakeIntervals) -> None:
    status, item = send(fake, "POST", "/athlete/0/custom-item", {
        "name": "Caffeine", "type": "INPUT_FIELD",
        "content": {"code": "CaffeineMg", "type": "numeric"}})
    assert status == 200 and item.pop("required_items_created") == []
    assert send(fake, "GET", "/athlete/0/custom-item")[1][-1] == item
    assert fake.dataset.athlete["custom_items"][-1] == item
    status, changed = send(fake, "PUT", f"/athlete/0/custom-item/{item['id']}",
                           {"content": {"code": "CaffeineMg"}})
    assert changed["content"] == {"code": "CaffeineMg"} and changed["name"] == "Caffeine"
    assert send(fake, "DELETE", f"/athlete/0/custom-item/{item['id']}") == (200, None)
    assert item["id"] not in [i["id"] for i in send(fake, "GET", "/athlete/0/custom-item")[1]]


def test_a_comment_answers_its_id_and_the_listing_shows_it(fake: FakeIntervals) -> None:
    activity = real_ids(fake.dataset)[0]
    status, posted = send(fake, "POST", f"/activity/{activity}/messages", {"content": "Nice"})
    assert status == 200 and set(posted) == {"id", "new_chat"}
    listed = send(fake, "GET", f"/activity/{activity}/messages")[1]
    assert [(m["id"], m["content"], m["athlete_id"]) for m in listed][-1] == (
        posted["id"], "Nice", fake.athlete_id)
    stub = make_strava_stub(fake.dataset, END)["id"]  # a short span may have drawn none
    assert send(fake, "POST", f"/activity/{stub}/messages", {"content": "x"}) == (
        422, {"status": 422, "error": "Cannot read Strava activities via the API"})
