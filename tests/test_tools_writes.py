"""The calendar write tools through a real MCP client session, against the fake API: plan,
change, list, preview a range deletion, delete, find it in the deleted table and re-create
it; bad input as a tool error naming the parameter; [server] writes decides which exist;
--demo answers without any network."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today

from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api, row_stamps
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    text_of,
)
from write_helpers import assert_refused, demo_copy

pytestmark = pytest.mark.anyio

DAY = (athlete_today() + dt.timedelta(days=12)).isoformat()
STEPS = {"steps": [
    {"duration": 900, "warmup": True, "ramp": True,
     "power": {"start": 50, "end": 70, "units": "%ftp"}},
    {"reps": 3, "steps": [{"duration": 600, "power": {"start": 95, "end": 100, "units": "%ftp"},
                           "cadence": {"value": 90, "units": "rpm"}},
                          {"duration": 300, "power": {"value": 1, "units": "power_zone"}}]},
    {"duration": 600, "cooldown": True, "power": {"value": 50, "units": "%ftp"}}]}
WRITE_TOOLS = {"add_or_update_event", "add_or_update_note", "delete_event",
               "delete_events_by_date_range"}


def new_id(text: str) -> int:
    found = re.search(r"^(?:Created|Updated) \w+ (\d+) on Intervals.icu", text)
    assert found, text
    return int(found.group(1))


async def test_plan_change_list_delete_and_recover_a_workout(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    created = await ask_text(settings, "add_or_update_event", {
        "workout_type": "Ride", "name": "Threshold 3x10", "start_date": DAY,
        "workout_doc": STEPS})
    event_id = new_id(created)
    upstream = fake.dataset.events[event_id]
    assert upstream["category"] == "WORKOUT" and upstream["type"] == "Ride"
    assert (f'{DAY} WORKOUT Ride "Threshold 3x10" (id {event_id}): 1:10:00' in created)
    assert ("Steps as Intervals.icu read them: warmup 15m ramp 50-70% FTP; 3x (10m 95-100% "
            "FTP 90 rpm, 5m Z1 power); cooldown 10m 50% FTP") in created
    assert_store_equals_api(settings.db_path, fake.dataset)

    changed = await ask_text(settings, "add_or_update_event", {
        "workout_type": "", "name": "Threshold 3x10, moved", "event_id": str(event_id),
        "start_date": (dt.date.fromisoformat(DAY) + dt.timedelta(days=1)).isoformat()})
    assert changed.startswith(f"Updated workout {event_id} ")
    assert fake.dataset.events[event_id]["workout_doc"] == upstream["workout_doc"]
    later = (dt.date.fromisoformat(DAY) + dt.timedelta(days=1)).isoformat()
    listed = await ask_text(settings, "get_events", {"start_date": later, "end_date": later})
    assert f'WORKOUT Ride "Threshold 3x10, moved" (id {event_id})' in listed

    preview = await ask_text(settings, "delete_events_by_date_range", {
        "start_date": later, "end_date": later})
    assert "would be deleted" in preview and f"(id {event_id})" in preview
    assert event_id in fake.dataset.events

    deleted = await ask_text(settings, "delete_events_by_date_range", {
        "start_date": later, "end_date": later, "confirm": True})
    assert deleted.startswith("Deleted ") and f"(id {event_id})" in deleted
    assert event_id not in fake.dataset.events
    assert_store_equals_api(settings.db_path, fake.dataset)

    kept = await ask_text(settings, "query_sql", {"sql": (
        "SELECT id, how, json_extract(raw, '$.name') AS name, json_extract(raw, "
        "'$.description') AS text FROM deleted WHERE resource = 'events'")})
    assert str(event_id) in kept and "Threshold 3x10, moved" in kept and "tool" in kept
    raw = json.loads(execute(settings.db_path, "SELECT raw FROM deleted WHERE id = ?",
                             str(event_id))[0][0])
    again = await ask_text(settings, "add_or_update_event", {
        "workout_type": raw["type"], "name": raw["name"],
        "start_date": raw["start_date_local"][:10], "workout_doc": raw["workout_doc"]})
    restored = fake.dataset.events[new_id(again)]
    assert restored["workout_doc"]["steps"] == raw["workout_doc"]["steps"]
    assert restored["description"] == raw["description"]


async def test_notes_and_single_deletes(live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    note = new_id(await ask_text(settings, "add_or_update_note", {
        "name": "Physio", "description": "Left knee, 17:30", "start_date": DAY}))
    assert fake.dataset.events[note]["color"] == "green"
    await ask_text(settings, "add_or_update_note", {
        "name": "Physio (moved)", "description": "18:00", "event_id": note})
    assert fake.dataset.events[note]["color"] == "green"  # not given: not blanked
    assert fake.dataset.events[note]["start_date_local"] == f"{DAY}T00:00:00"
    wrong = await ask(settings, "add_or_update_event", {
        "workout_type": "Run", "name": "x", "event_id": note})
    assert wrong.is_error and text_of(wrong).startswith(
        f"event_id: {note} is a NOTE, not a WORKOUT; add_or_update_note changes it")
    gone = await ask_text(settings, "delete_event", {"event_id": note})
    assert gone.startswith("Deleted 1 event") and "deleted table" in gone
    assert note not in fake.dataset.events
    missing = await ask(settings, "delete_event", {"event_id": note})
    assert missing.is_error
    assert execute(settings.db_path, "SELECT how FROM deleted WHERE id = ?", str(note)) == \
        [("tool",)]


@pytest.mark.parametrize(("tool", "args", "error"), [
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "start_date": "2026-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2026-13-01'"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "event_id": "abc"},
     "event_id: expected a numeric event id"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "workout_doc": {
        "steps": [{"duration": 60}, {"duration": 60, "power": {"value": 1, "units": "%"}}]}},
     "workout_doc.steps[1].power.units: expected one of %ftp, w, %mmp, power_zone"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "moving_time": -60},
     "moving_time: expected seconds"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "distance": 0},
     "distance: expected metres"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x" * 81},
     "name: expected at most 80 characters"),
    ("add_or_update_event", {"workout_type": "Ride", "name": " "}, "name: expected a name"),
    ("add_or_update_event", {"workout_type": "Ride", "name": "x", "athlete_id": "i999"},
     "athlete_id: this mirror holds"),
    ("add_or_update_note", {"name": "x", "description": "y", "color": "c" * 41},
     "color: expected at most 40 characters"),
    ("delete_event", {"event_id": "41-2"}, "event_id: expected a numeric event id"),
    ("delete_events_by_date_range", {"start_date": "2026-03-01", "end_date": "2026-02-01"},
     "end_date: expected a date on or after start_date (2026-03-01)"),
    ("delete_events_by_date_range", {"start_date": "March", "end_date": "2026-02-01"},
     "start_date: expected a date YYYY-MM-DD"),
    ("delete_events_by_date_range", {"start_date": "2026-01-01"}, "end_date:"),
])
async def test_bad_input_is_a_tool_error_naming_the_parameter(
        live: tuple[FakeIntervals, Settings], tool: str, args: dict[str, Any],
        error: str) -> None:
    await assert_refused(*live, tool, args, error)


async def test_what_the_api_refuses_is_one_line_and_nothing_changes(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    before = row_stamps(settings.db_path)
    fake.inject(path="/events", status=422, body='{"status":422,"error":"Invalid workout"}')
    result = await ask(settings, "add_or_update_event", {"workout_type": "Ride", "name": "x"})
    assert result.is_error and text_of(result) == (
        "Intervals.icu refused the workout (422: Invalid workout); nothing was changed")
    assert row_stamps(settings.db_path) == before


async def test_offline_a_write_is_refused_in_one_line(offline: Settings) -> None:
    result = await ask(offline, "add_or_update_note", {"name": "x", "description": "y"})
    assert result.is_error
    assert text_of(result) == "Intervals.icu is unreachable; nothing was changed"


async def test_a_range_preview_changes_nothing_and_says_what_is_not_mirrored(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    start = athlete_today().isoformat()
    end = (athlete_today() + dt.timedelta(days=400)).isoformat()
    before = row_stamps(settings.db_path)
    fake.reset_log()
    text = await ask_text(settings, "delete_events_by_date_range", {
        "start_date": start, "end_date": end})
    expected = sorted((e["start_date_local"], e["id"]) for e in fake.dataset.events.values()
                      if start <= e["start_date_local"][:10] <= end
                      and e["start_date_local"][:10] <= (athlete_today() + dt.timedelta(
                          days=90)).isoformat())
    assert text.startswith(f"{len(expected)} events from {start} to {end} would be deleted")
    shown = [int(i) for i in re.findall(r"\(id (\d+)\)", text)]
    assert shown == [i for _, i in expected][:100]
    assert "The mirror lists events up to " in text
    assert fake.requests == [] and row_stamps(settings.db_path) == before


@pytest.mark.parametrize(("writes", "listed"), [
    ("all", WRITE_TOOLS),
    ("no-delete", {"add_or_update_event", "add_or_update_note"}),
    ("none", set()),
])
async def test_the_writes_setting_decides_which_write_tools_are_listed(
        offline: Settings, writes: str, listed: set[str]) -> None:
    async with connected(dataclasses.replace(offline, writes=writes)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) & WRITE_TOOLS == listed
    assert "get_events" in tools
    for name in listed:
        hints = tools[name].annotations
        assert hints.read_only_hint is False and hints.destructive_hint is True
        assert hints.open_world_hint is True
        assert hints.idempotent_hint is name.startswith("delete")
        assert tools[name].output_schema is None


async def test_the_demo_answers_writes_without_a_network(template: SyncedStore,
                                                         tmp_path: Path) -> None:
    settings = demo_copy(template, tmp_path)
    largest = max(int(i) for (i,) in execute(settings.db_path, "SELECT id FROM events"))
    text = await ask_text(settings, "add_or_update_event", {
        "workout_type": "Run", "name": "Demo intervals", "start_date": DAY,
        "workout_doc": STEPS})
    assert text.startswith(f"Created workout {largest + 1} in the demo mirror:")
    assert "demo store" in text and "on Intervals.icu and" not in text
    assert execute(settings.db_path, "SELECT name, date FROM events WHERE id = ?",
                   str(largest + 1)) == [("Demo intervals", DAY)]
    gone = await ask_text(settings, "delete_event", {"event_id": largest + 1})
    assert gone.startswith("Deleted 1 event in the demo mirror:") and "demo store" in gone
    again = await ask(settings, "delete_event", {"event_id": largest + 1})
    assert again.is_error and text_of(again) == (
        f"event_id: the demo mirror has no event {largest + 1}; nothing was changed")


def test_the_writes_setting_comes_from_the_file_or_the_environment(tmp_path: Path) -> None:
    from intervals_mirror.config import load_settings
    from intervals_mirror.errors import ConfigError

    assert load_settings(environ={}).writes == "all"
    assert load_settings(environ={"INTERVALS_MIRROR_WRITES": " No-Delete "}).writes == \
        "no-delete"
    config = tmp_path / "c.toml"
    config.write_text('[server]\nwrites = "none"\n', encoding="utf-8")
    assert load_settings(config_path=config, environ={}).writes == "none"
    with pytest.raises(ConfigError, match=r"^\[server\] writes \(or INTERVALS_MIRROR_WRITES\)"
                                          r": expected one of all, no-delete, none, got 'some'"):
        load_settings(environ={"INTERVALS_MIRROR_WRITES": "some"})


def test_a_long_deletion_answer_stays_within_the_budget() -> None:
    from intervals_mirror.answers.budget import ANSWER_CHARS
    from intervals_mirror.answers.writes import deleted_text

    rows = [{"id": str(40_000_000 + i), "date": "2026-12-01", "category": "WORKOUT",
             "type": "Ride", "name": "Sweet spot " * 5} for i in range(200)]
    why = "Intervals.icu refused the deletion (500: Internal Server Error); nothing was changed"
    text = deleted_text({"deleted": rows[:100], "already_gone": [],
                         "failed": [(r["id"], why) for r in rows[100:]]})
    assert len(text) <= ANSWER_CHARS
    assert text.startswith("Deleted 100 events") and "more line" in text
    assert text.endswith("re-creates one from its fields.")
