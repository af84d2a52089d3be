"""The calendar tools through a real MCP client session, on a store synced from the fake API:
events by date and category, and one event with its workout."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from intervals_mirror.config import Settings

from server_helpers import (
    SyncedStore,
    answer,
)

pytestmark = pytest.mark.anyio


async def test_get_events_defaults_to_the_next_week_and_filters_by_category(
        offline: Settings, template: SyncedStore) -> None:
    text, data = await answer(offline, "get_events")
    start = dt.date.fromisoformat(data["start_date"])
    assert data["end_date"] == (start + dt.timedelta(days=7)).isoformat()
    in_week = sorted(
        (e["start_date_local"], str(e["id"])) for e in template.dataset.events.values()
        if e["start_date_local"][:10] <= data["end_date"]
        and (e.get("end_date_local") or e["start_date_local"])[:10] >= data["start_date"])
    assert [e["id"] for e in data["events"]] == [i for _, i in in_week]
    assert all(f"(id {i})" in text for _, i in in_week)
    _, workouts = await answer(offline, "get_events", {
        "start_date": "2026-01-01", "end_date": "2027-12-31", "category": "workout"})
    assert workouts["events"] and {e["category"] for e in workouts["events"]} == {"WORKOUT"}
    _, races = await answer(offline, "get_events", {
        "start_date": "2025-01-01", "end_date": "2027-12-31", "category": "RACE"})
    assert {e["category"] for e in races["events"]} <= {"RACE_A", "RACE_B", "RACE_C"}
    conn = sqlite3.connect(offline.db_path)
    stored = conn.execute("SELECT count(*) FROM events WHERE category LIKE 'RACE%'").fetchone()
    conn.close()
    assert len(races["events"]) == stored[0] > 0


async def test_get_event_by_id_gives_the_workout_in_full(
        offline: Settings, template: SyncedStore) -> None:
    event = next(e for e in sorted(template.dataset.events.values(), key=lambda e: e["id"])
                 if e["category"] == "WORKOUT" and e.get("description") and e.get("workout_doc"))
    text, data = await answer(offline, "get_event_by_id", {"event_id": event["id"],
                                                           "athlete_id": 0})
    assert data["event"]["id"] == str(event["id"])
    assert data["fields"]["workout_doc"] == event["workout_doc"]
    assert event["description"] in text and "Workout steps: " in text
    assert text.startswith(f"{event['start_date_local'][:10]} WORKOUT")
    assert text.splitlines()[-1].startswith("mirrored up to ")


async def test_event_categories_take_plan_and_lists(offline: Settings) -> None:
    args = {"start_date": "2025-01-01", "end_date": "2027-12-31"}
    _, listed = await answer(offline, "get_events", {**args, "category": ["race", "NOTE"]})
    _, joined = await answer(offline, "get_events", {**args, "category": "RACE,note"})
    assert listed["events"] == joined["events"] and listed["events"]
    assert set(listed["categories"]) == {"RACE_A", "RACE_B", "RACE_C", "NOTE"}
    _, plans = await answer(offline, "get_events", {**args, "category": "PLAN"})
    assert plans["categories"] == ["PLAN"]
