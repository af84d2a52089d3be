"""What every tool does, through a real MCP client session on a store synced from the fake
API: the tool list, freshness on every answer, offline answers, every bad input as a plain
tool error, and tools without a store or while a sync writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from mcp import Client
from pydantic import Field

from intervals_mirror.config import Settings
from intervals_mirror.server import MirrorServer

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    dead_base_url,
    execute,
    mirror_settings,
    mirrored_event_id,
    real_activity,
    span_of,
    text_of,
)

pytestmark = pytest.mark.anyio

TOOLS = {
    "get_activities": {"start_date", "end_date", "limit", "include_unnamed", "activity_type",
                       "athlete_id", "exact_type"},
    "get_activity_details": {"activity_id", "athlete_id"},
    "get_activity_intervals": {"activity_id", "athlete_id"},
    "get_wellness_data": {"start_date", "end_date", "include_custom_fields", "athlete_id"},
    "get_events": {"start_date", "end_date", "category", "athlete_id"},
    "get_event_by_id": {"event_id", "athlete_id"},
    "refresh": {"resources", "full"},
    "get_sync_status": set(),
}


async def test_lists_the_live_api_tools_with_schemas_and_annotations(offline: Settings
                                                                      ) -> None:
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(TOOLS) <= set(tools)  # the analytics group adds more
    for name, params in TOOLS.items():
        tool = tools[name]
        assert set(tool.input_schema.get("properties", {})) == params, name
        assert tool.description and tool.output_schema is None, name
        assert tool.annotations is not None
        # Only refresh changes the mirror on request; get_activity_intervals may fill in
        # missing intervals, which changes nothing on Intervals.icu: read-only for the user.
        assert tool.annotations.read_only_hint is (name != "refresh"), name
        # idempotentHint means something only for tools that are not read-only
        assert tool.annotations.idempotent_hint is (True if name == "refresh" else None), name
    assert "api_key" not in str([tools[name].input_schema for name in TOOLS])
    assert tools["get_activity_details"].input_schema["required"] == ["activity_id"]
    assert tools["get_activities"].input_schema["properties"]["limit"]["default"] == 10
    assert tools["refresh"].annotations.destructive_hint is False


@pytest.mark.parametrize(("groups", "listed"), [
    ("lookups", {"get_activities", "get_activity_details", "get_activity_intervals",
                 "get_wellness_data", "get_events", "get_event_by_id", "get_athlete_profile",
                 "get_gear_list", "get_custom_items", "get_custom_item_by_id",
                 "get_activity_streams", "get_activity_messages", "get_athlete_power_curves",
                 "get_athlete_hr_curves", "get_athlete_pace_curves"}),
    ("sync,writes", {"refresh", "get_sync_status", "add_or_update_event",
                     "add_or_update_note", "delete_event", "delete_events_by_date_range",
                     "add_activity_message", "create_custom_item", "update_custom_item",
                     "delete_custom_item"}),
    ("analytics", {"get_training_summary", "get_fitness_trend", "get_wellness_trends",
                   "get_interval_stats", "compare_periods", "query_sql", "describe_schema",
                   "get_zone_distribution", "get_plan_compliance", "get_fitness_markers",
                   "get_chart"}),
])
async def test_server_tools_lists_only_the_groups_asked_for(
        offline: Settings, groups: str, listed: set[str]) -> None:
    settings = dataclasses.replace(offline, tool_groups=tuple(groups.split(",")))
    async with connected(settings) as client:
        assert {t.name for t in (await client.list_tools()).tools} == listed
        hidden = await client.call_tool("get_activities" if "lookups" not in groups
                                        else "refresh", {})
    assert hidden.is_error


async def test_every_answer_says_how_fresh_the_data_is(offline: Settings,
                                                       template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride")
    event_id = mirrored_event_id(template.dataset)
    conn = sqlite3.connect(offline.db_path)
    listed = conn.execute("SELECT min(last_ok_at), max(last_ok_at) FROM sync_state").fetchone()
    conn.close()
    assert listed[0] == listed[1]   # one full sync listed every resource
    line = f"mirrored up to {listed[0][:16].replace('T', ' ')} UTC"
    async with connected(offline) as client:
        for tool, args in [("get_activities", {}), ("get_activity_details", {"activity_id":
                                                                           ride["id"]}),
                           ("get_activity_intervals", {"activity_id": ride["id"]}),
                           ("get_wellness_data", {}), ("get_events", {}),
                           ("get_event_by_id", {"event_id": event_id}),
                           ("get_sync_status", {})]:
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert text_of(result).splitlines()[
                0 if tool == "get_sync_status" else -1] == line, tool
            assert result.structured_content is None, tool


async def test_answers_come_from_the_store_with_the_api_stopped(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(template.dataset, type="Ride")
    calls = [("get_activities", {"limit": 20}),
             ("get_activity_details", {"activity_id": ride["id"]}),
             ("get_activity_intervals", {"activity_id": ride["id"]}),
             ("get_wellness_data", {}), ("get_events", {}),
             ("get_event_by_id", {"event_id": mirrored_event_id(template.dataset)}),
             ("get_sync_status", {})]
    async with connected(settings) as client:
        online = [text_of(await client.call_tool(t, a)) for t, a in calls]
    fake.stop()
    fake.reset_log()
    async with connected(settings) as client:
        for (tool, args), before in zip(calls, online, strict=True):
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert text_of(result) == before, tool
        refused = await client.call_tool("refresh", {})
    assert fake.requests == []
    assert refused.is_error and "refresh failed" in text_of(refused)
    assert "cannot reach Intervals.icu" in text_of(refused)


@pytest.mark.parametrize(("tool", "args", "expected"), [
    ("get_activities", {"start_date": "2026-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2026-13-01'"),
    ("get_activities", {"start_date": "2026-02-30"},
     "start_date: expected a date YYYY-MM-DD, got '2026-02-30'"),
    ("get_activities", {"end_date": "yesterday"},
     "end_date: expected a date YYYY-MM-DD, got 'yesterday'"),
    ("get_wellness_data", {"start_date": "2026/01/01"},
     "start_date: expected a date YYYY-MM-DD, got '2026/01/01'"),
    ("get_events", {"start_date": "2026-05-10", "end_date": "2026-05-01"},
     "end_date: expected a date on or after start_date (2026-05-10), got '2026-05-01'"),
    ("get_activities", {"start_date": "2026-05-10", "end_date": "2026-05-01"},
     "end_date: expected a date on or after start_date"),
    ("get_activities", {"limit": -5}, "limit: expected 1 or more, got -5"),
    ("get_activities", {"limit": "many"}, "limit: expected a whole number, got 'many'"),
    ("get_activities", {"include_unnamed": "maybe"},
     "include_unnamed: expected true or false, got 'maybe'"),
    ("get_events", {"category": "RACE_D"},
     "category: unknown value 'RACE_D'; expected one or more of WORKOUT, RACE_A"),
    ("get_activity_details", {}, "activity_id: expected a value (it is required), got none"),
    ("get_activity_details", {"activity_id": "abc"},
     "activity_id: expected an activity id like i12345678"),
    ("get_activity_details", {"activity_id": "i1"}, "activity_id: i1 is not in the store"),
    ("get_activity_intervals", {"activity_id": "i2"}, "activity_id: i2 is not in the store"),
    ("get_event_by_id", {"event_id": "next"}, "event_id: expected a numeric event id"),
    ("get_event_by_id", {"event_id": 1}, "event_id: 1 is not in the store"),
    ("refresh", {"resources": ["gear"]},
     "resources: unknown value 'gear'; expected one or more of activities, wellness, events"),
    ("get_activities", {"athlete_id": "i999"}, "athlete_id: this mirror holds i"),
    ("get_wellness_data", {"athlete_id": "someone"}, "athlete_id: this mirror holds i"),
    ("get_activity_details", {"activity_id": "i1", "athlete_id": "i7"},
     "athlete_id: this mirror holds i"),
    ("get_activity_intervals", {"activity_id": "i1", "athlete_id": "i7"},
     "athlete_id: this mirror holds i"),
])
async def test_bad_input_is_a_tool_error_naming_the_parameter(
        offline: Settings, tool: str, args: dict[str, Any], expected: str) -> None:
    result = await ask(offline, tool, args)
    assert result.is_error
    assert text_of(result).startswith(expected), text_of(result)
    assert "Error executing tool" not in text_of(result)


def _toy_server() -> MirrorServer:
    """The server class every tool runs in, with one tool of each kind of schema check the
    tools may use (bounds, a choice, a length, a union)."""
    server = MirrorServer("toy")

    @server.tool()
    def toy(pick: Literal["week", "month"], share: Annotated[float, Field(gt=0, lt=1)] = 0.5,
            most: Annotated[int, Field(le=10)] = 1, name: Annotated[str, Field(max_length=3)]
            = "a", either: int | bool = 0) -> str:
        return "ok"

    return server


@pytest.mark.parametrize(("args", "expected"), [
    ({}, "pick: expected a value (it is required), got none"),
    ({"pick": "year"}, "pick: expected one of 'week' or 'month', got 'year'"),
    ({"pick": "week", "share": 0}, "share: expected more than 0, got 0"),
    ({"pick": "week", "share": 1.5}, "share: expected less than 1, got 1.5"),
    ({"pick": "week", "most": 11}, "most: expected 10 or less, got 11"),
    ({"pick": "week", "name": "abcd"}, "name: expected at most 3 characters, got 'abcd'"),
    ({"pick": "week", "either": "x" * 200},
     "either: expected a whole number or true or false, got 'xxxx"),
    ({"pick": "day", "most": "many"},
     "pick: expected one of 'week' or 'month', got 'day'; most: expected a whole number, "
     "got 'many'"),
])
async def test_schema_refusals_read_as_our_own_checks(args: dict[str, Any], expected: str
                                                      ) -> None:
    """Parameter, what was expected, what was got (cut to ~80 characters): the words of
    validate.py's checks, not pydantic's "Input should be ..."."""
    async with Client(_toy_server()) as client:
        result = await client.call_tool("toy", args)
    assert result.is_error
    said = text_of(result)
    assert said.startswith(expected), said
    assert "Input should" not in said and "Field required" not in said and len(said) < 200


@pytest.mark.parametrize(("tool", "resource", "nothing"), [
    ("get_activities", "activities", "No activities"),
    ("get_wellness_data", "wellness", "No wellness records"),
])
async def test_a_lookup_past_the_mirror_says_so_as_the_aggregates_do(
        offline: Settings, tool: str, resource: str, nothing: str) -> None:
    """Not a bare "No activities": the mirror ends before the range, so it says where."""
    ((first, last),) = execute(offline.db_path, "SELECT covered_from, covered_to FROM "
                                                "sync_state WHERE resource = ?", resource)
    text = await ask_text(offline, tool, {"start_date": "2031-01-01", "end_date": "2031-01-31"})
    assert text.startswith(f"{nothing} from 2031-01-01 to 2031-01-31.\n")
    assert (f"\nNote: 2031-01-01..2031-01-31 is after the mirrored range ({first}..{last}); "
            "nothing is mirrored there\n") in text
    inside = await ask_text(offline, tool, {"start_date": first, "end_date": first})
    assert "Note: " not in inside and "mirrored range" not in inside


async def test_athlete_id_of_the_mirrored_athlete_is_accepted(
        offline: Settings, template: SyncedStore) -> None:
    for athlete_id in (template.athlete_id, template.athlete_id.lstrip("i"), "0", 0):
        result = await ask(offline, "get_activities", {"athlete_id": athlete_id})
        assert not result.is_error, text_of(result)


ATHLETE_ID_TOOLS = {  # every tool that takes athlete_id, with what else it needs
    "get_activities": {}, "get_activity_details": {"activity_id": "i1"},
    "get_activity_intervals": {"activity_id": "i1"}, "get_wellness_data": {},
    "get_events": {}, "get_event_by_id": {"event_id": 1},
}


async def test_another_athletes_id_is_refused_though_the_config_names_it(
        offline: Settings, template: SyncedStore) -> None:
    """The store mirrors one athlete: the configured id does not open it to another."""
    assert set(ATHLETE_ID_TOOLS) == {name for name, params in TOOLS.items()
                                     if "athlete_id" in params}
    other = "i111111" if template.athlete_id != "i111111" else "i222222"
    settings = mirror_settings(offline.db_path, dead_base_url(), other)
    async with connected(settings) as client:
        for tool, args in ATHLETE_ID_TOOLS.items():
            result = await client.call_tool(tool, {**args, "athlete_id": other})
            assert result.is_error, tool
            assert text_of(result) == (f"athlete_id: this mirror holds {template.athlete_id}; "
                                       f"expected that id (or 0), got '{other}'"), tool


async def test_an_over_long_sport_names_the_parameter_and_its_limit(offline: Settings) -> None:
    period = {"a_start": "2024-01-01", "a_end": "2024-01-31", "b_start": "2023-01-01",
              "b_end": "2023-01-31"}
    sport = "Ride" * 25_000
    async with connected(offline) as client:
        for tool, args in (("get_activities", {}), ("get_training_summary", {}),
                           ("get_interval_stats", {}), ("compare_periods", period)):
            result = await client.call_tool(tool, {**args, "activity_type": sport})
            assert result.is_error, tool
            message = text_of(result)
            assert message.startswith("activity_type: expected at most 100 characters, got "
                                      "'RideRide"), (tool, message[:200])
            assert len(message) < 200, tool


async def test_without_a_store_the_tools_say_to_refresh(tmp_path: Path) -> None:
    settings = mirror_settings(tmp_path / "none.sqlite", dead_base_url(), "i1")
    result = await ask(settings, "get_activities")
    assert result.is_error
    assert text_of(result).startswith("nothing is mirrored yet") and "refresh" in text_of(result)


async def test_a_sync_writing_never_blocks_a_tool_call(offline: Settings) -> None:
    writer = sqlite3.connect(offline.db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE activities SET name = 'being rewritten'")
        started = time.monotonic()
        text = await ask_text(offline, "get_activities")
        assert time.monotonic() - started < 1.0
        assert "being rewritten" not in text
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize(("tool", "args"), [
    ("get_activities", {"start_date": "9999-12-31"}),
    ("get_activities", {"end_date": "0001-01-01"}),
    ("get_wellness_data", {"start_date": "9999-12-31"}),
    ("get_wellness_data", {"end_date": "0001-01-05"}),
    ("get_events", {"start_date": "9999-12-30"}),
    ("get_events", {"end_date": "0001-01-01"}),
    ("get_training_summary", {"end_date": "0001-01-05"}),
])
async def test_dates_at_the_ends_of_the_calendar_are_answered(
        offline: Settings, tool: str, args: dict[str, Any]) -> None:
    start, end = span_of(await ask_text(offline, tool, args))
    assert "0001-01-01" <= start <= end <= "9999-12-31"


async def test_a_start_date_alone_covers_the_default_span_from_it(offline: Settings) -> None:
    start = dt.date(2026, 3, 2)
    for tool, days in (("get_events", 7), ("get_activities", 30), ("get_wellness_data", 30),
                       ("get_training_summary", 90)):
        text = await ask_text(offline, tool, {"start_date": start.isoformat()})
        assert span_of(text) == (start.isoformat(),
                                 (start + dt.timedelta(days=days)).isoformat()), tool
    text = await ask_text(offline, "get_events", {"end_date": "2026-03-09"})
    assert span_of(text) == ("2026-03-02", "2026-03-09")


async def test_freshness_is_per_resource(offline: Settings) -> None:
    """A sync of some resources (refresh of events) does not make the others look fresh."""
    stamps = {"activities": "2026-01-02T03:04:05Z", "wellness": "2026-02-03T04:05:06Z",
              "events": "2026-03-04T05:06:07Z"}
    for resource, stamp in stamps.items():
        execute(offline.db_path, "UPDATE sync_state SET last_ok_at = ? WHERE resource = ?",
                stamp, resource)
    line = {r: f"mirrored up to {s[:10]} {s[11:16]} UTC" for r, s in stamps.items()}
    expected = {"get_activities": "activities", "get_training_summary": "activities",
                "get_interval_stats": "activities", "get_wellness_data": "wellness",
                "get_fitness_trend": "wellness", "get_wellness_trends": "wellness",
                "get_events": "events", "get_sync_status": "activities",
                "query_sql": "activities"}   # the last two: the oldest of the three
    async with connected(offline) as client:
        for tool, resource in expected.items():
            args = {"sql": "SELECT 1"} if tool == "query_sql" else {}
            result = await client.call_tool(tool, args)
            assert line[resource] in text_of(result).splitlines(), tool


async def test_no_tool_answers_the_bare_sdk_error(offline: Settings) -> None:
    odd: list[Any] = ["0000-01-01", "9999-12-31", "0001-01-01", "", " ", "I", "i", "-1",
                      "99999999999999999999", 10**30, -1, None, [], {}, "\x00"]
    async with connected(offline) as client:
        tools = (await client.list_tools()).tools
        for tool in tools:
            if tool.name == "refresh":
                continue
            for name in tool.input_schema.get("properties", {}):
                for value in odd:
                    result = await client.call_tool(tool.name, {name: value})
                    assert "Error executing tool" not in text_of(result), (tool.name, name,
                                                                           value)


async def test_while_the_first_sync_runs_tools_say_so(tmp_path: Path) -> None:
    from intervals_mirror.sync import writer_lock

    settings = mirror_settings(tmp_path / "none-yet.sqlite", dead_base_url(), "i104233")
    with writer_lock(settings):  # as if the server's first sync were running
        result = await ask(settings, "get_activities", {})
    assert result.is_error and "first sync is mirroring the history" in text_of(result)


async def test_a_store_an_older_release_wrote_is_upgraded_before_the_first_answer(
        offline: Settings, template: SyncedStore) -> None:
    """Upgrading intervals-mirror and starting serve before any sync: the tools read this
    release's schema (events.end_date came with a migration), not an error about a column."""
    from test_store import _as_version_1

    from intervals_mirror.store import schema_version

    _as_version_1(offline.db_path)
    day = next(e["start_date_local"][:10] for e in template.dataset.events.values()
               if e["category"] == "WORKOUT")
    async with connected(offline) as client:
        result = await client.call_tool("get_events", {"start_date": day, "end_date": day})
    assert not result.is_error, text_of(result)
    assert "WORKOUT" in text_of(result)
    with sqlite3.connect(offline.db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
