"""What each tool hands the model, in characters, with a bound: every answer is compact text
in every client's channel.

A text-reading client (Claude Desktop) passes the text content; a structured-reading client
(Claude Code, VS Code) passes JSON.stringify(structuredContent) when a result has any, else
the text. Our answers carry no structured content, so both read the same compact text; these
tests measure both channels anyway, so structured content creeping back in fails them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.resources import CURVE_SECS, PACE_DISTANCES

from server_helpers import (
    SyncedStore,
    connected,
    listed_activities,
    mirrored_event_id,
    real_activity,
    table_rows,
    text_of,
)

pytestmark = pytest.mark.anyio

BUDGET = 20_000  # characters in any one answer (about 5,000 tokens)
PER_ACTIVITY = 200  # get_activities, header and freshness line included
PER_WELLNESS_DAY = 250  # get_wellness_data, likewise
PER_INTERVAL = 120  # get_activity_intervals: a table row each,
INTERVALS_HEAD = 600  # plus the title, the column names, the groups and the freshness line


def channels(result: Any) -> tuple[int, int]:
    """(characters a text-reading client hands the model, those a structured-reading one)."""
    text = "\n".join(block.text for block in result.content if block.type == "text")
    structured = result.structured_content
    return len(text), len(json.dumps(structured)) if structured is not None else len(text)


def calls(template: SyncedStore) -> list[tuple[str, dict[str, Any]]]:
    """Every tool, asked for about the most it answers."""
    end = max(template.dataset.wellness)
    year_ago = (dt.date.fromisoformat(end) - dt.timedelta(days=364)).isoformat()
    ride = real_activity(template.dataset, type="Ride")
    busiest = max(template.dataset.intervals, key=lambda k: len(
        template.dataset.intervals[k]["icu_intervals"]))
    return [
        ("get_activities", {"start_date": year_ago, "end_date": end, "limit": 100}),
        ("get_activity_details", {"activity_id": ride["id"]}),
        ("get_activity_intervals", {"activity_id": busiest}),
        ("get_wellness_data", {"start_date": year_ago, "end_date": end}),
        ("get_events", {"start_date": year_ago, "end_date": end}),
        ("get_event_by_id", {"event_id": mirrored_event_id(template.dataset)}),
        ("get_sync_status", {}),
        ("get_training_summary", {"start_date": year_ago, "end_date": end,
                                  "group_by": "month"}),
        ("get_fitness_trend", {"start_date": year_ago, "end_date": end}),
        ("get_wellness_trends", {"start_date": year_ago, "end_date": end, "group_by": "month"}),
        ("get_interval_stats", {"start_date": year_ago, "end_date": end}),
        ("compare_periods", {"a_start": year_ago, "a_end": end, "b_start": year_ago,
                             "b_end": end}),
        ("get_athlete_profile", {}),
        ("get_gear_list", {}),
        ("get_custom_items", {}),
        ("get_custom_item_by_id", {"item_id": template.dataset.custom_items[0]["id"]}),
        ("describe_schema", {}),
        ("query_sql", {"sql": "SELECT id, date, type, name FROM activities", "limit": 200}),
        # every mirrored duration (distance), for both seasons and all of history
        ("get_athlete_power_curves", {"durations": [int(s) for s in CURVE_SECS],
                                      "start_date": "2000-01-01"}),
        ("get_athlete_hr_curves", {"durations": [int(s) for s in CURVE_SECS],
                                   "start_date": "2000-01-01"}),
        ("get_athlete_pace_curves", {"distances": list(PACE_DISTANCES),
                                     "start_date": "2000-01-01"}),
        ("get_zone_distribution", {"start_date": year_ago, "end_date": end, "kind": "hr"}),
        ("get_plan_compliance", {"start_date": year_ago, "end_date": end}),
        ("get_fitness_markers", {"start_date": year_ago, "end_date": end, "group_by": "week"}),
        ("get_chart", {"kind": "load", "start_date": year_ago, "end_date": end}),
    ]


async def test_every_tool_answers_compact_text_in_both_channels(
        offline: Settings, template: SyncedStore) -> None:
    sizes = {}
    async with connected(offline) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
        for tool, args in calls(template):
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert result.structured_content is None, tool
            sizes[tool] = channels(result)
    # refresh and the fetch-on-demand tools: their own tests below; the writes change
    # Intervals.icu: theirs in tests/test_tools_*writes.py
    writes = {"add_or_update_event", "add_or_update_note", "delete_event",
              "delete_events_by_date_range", "add_activity_message", "create_custom_item",
              "update_custom_item", "delete_custom_item"}
    assert listed - set(sizes) == {"refresh", "get_activity_streams",
                                   "get_activity_messages"} | writes
    for tool, (text, structured) in sizes.items():
        assert text == structured, tool
        assert 0 < text <= BUDGET, (tool, text)


async def test_refresh_answers_text_only(live: tuple[Any, Settings]) -> None:
    _, settings = live
    async with connected(settings) as client:
        result = await client.call_tool("refresh", {"resources": "events"})
    assert not result.is_error and result.structured_content is None
    assert channels(result)[0] < 2_000


async def test_streams_and_comments_answer_text_only_within_the_budget(
        live: tuple[Any, Settings], template: SyncedStore) -> None:
    """Every stream the longest ride records, all at once, and its comments: fetched once."""
    fake, settings = live
    rides = [a for a in template.dataset.activities.values()
             if a.get("type") == "Ride" and a.get("icu_average_watts")]
    longest = max(rides, key=lambda a: a.get("moving_time") or 0)
    types = ",".join(s["type"] for s in fake.streams_of(longest["id"]))  # all it records
    async with connected(settings) as client:
        for tool, args in (("get_activity_streams", {"activity_id": longest["id"],
                                                     "stream_types": types}),
                           ("get_activity_messages", {"activity_id": longest["id"]})):
            result = await client.call_tool(tool, args)
            assert not result.is_error, (tool, text_of(result))
            assert result.structured_content is None, tool
            assert 0 < channels(result)[0] <= BUDGET, tool


@pytest.mark.parametrize("limit", [10, 100])
async def test_get_activities_costs_at_most_200_characters_an_activity(
        offline: Settings, template: SyncedStore, limit: int) -> None:
    end = max(template.dataset.wellness)
    async with connected(offline) as client:
        result = await client.call_tool("get_activities", {
            "start_date": "2000-01-01", "end_date": end, "limit": limit})
    shown = len(listed_activities(text_of(result)))
    assert shown == limit
    text, structured = channels(result)
    assert max(text, structured) / shown <= PER_ACTIVITY, (text, structured)


@pytest.mark.parametrize("days", [31, 120])
async def test_get_wellness_data_costs_at_most_250_characters_a_day(
        offline: Settings, template: SyncedStore, days: int) -> None:
    end = dt.date.fromisoformat(max(template.dataset.wellness))
    start = (end - dt.timedelta(days=days - 1)).isoformat()
    async with connected(offline) as client:
        result = await client.call_tool("get_wellness_data", {
            "start_date": start, "end_date": end.isoformat()})
    shown = len(table_rows(text_of(result), "date"))
    assert shown == sum(1 for d in template.dataset.wellness if start <= d <= end.isoformat())
    text, structured = channels(result)
    assert max(text, structured) / shown <= PER_WELLNESS_DAY, (text, structured)


async def test_get_activity_intervals_costs_about_a_table_row_an_interval(
        offline: Settings, template: SyncedStore) -> None:
    rides = [k for k, v in template.dataset.intervals.items()
             if template.dataset.activities[k]["type"] == "Ride" and len(v["icu_intervals"]) > 3]
    async with connected(offline) as client:
        for activity_id in sorted(rides)[-5:]:
            result = await client.call_tool("get_activity_intervals",
                                            {"activity_id": activity_id})
            shown = len(table_rows(text_of(result), "#"))
            assert shown == len(template.dataset.intervals[activity_id]["icu_intervals"])
            assert max(channels(result)) <= INTERVALS_HEAD + PER_INTERVAL * shown, activity_id


async def test_tools_list_costs_at_most_700_characters_a_tool(offline: Settings) -> None:
    """tools/list is in every conversation: name, description and input schema per tool."""
    async with connected(offline) as client:
        tools = (await client.list_tools()).tools
    sizes = [len(json.dumps(t.model_dump(mode="json", by_alias=True, exclude_none=True)))
             for t in tools]
    assert sum(sizes) / len(sizes) <= 700, sizes
    assert all(t.output_schema is None for t in tools)
