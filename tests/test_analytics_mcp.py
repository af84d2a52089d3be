"""The analytics tools and the schema resource through a real MCP client session (in-memory):
each tool's answer, bad input for each, and query_sql's read-only guarantees end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from intervals_mirror.analytics import Analytics, describe_schema
from intervals_mirror.config import load_settings
from intervals_mirror.server import create_server

from analytics_helpers import ATTEMPTS, FULL, LEAP_DAY, snapshot

pytestmark = pytest.mark.anyio

TOOLS = {
    "get_training_summary": {"start_date", "end_date", "group_by", "activity_type"},
    "get_fitness_trend": {"start_date", "end_date", "group_by"},
    "get_wellness_trends": {"start_date", "end_date", "fields", "group_by"},
    "get_interval_stats": {"start_date", "end_date", "activity_type"},
    "compare_periods": {"a_start", "a_end", "b_start", "b_end", "activity_type"},
    "query_sql": {"sql", "limit"},
    "describe_schema": set(),
}


@asynccontextmanager
async def connect(db_path: Path) -> AsyncIterator[Client]:
    settings = load_settings(overrides={"db_path": db_path}, environ={})
    async with Client(create_server(settings, scheduler=False)) as client:
        yield client


def text_of(result: Any) -> str:
    (block,) = result.content
    return str(block.text)


async def test_the_analytics_tools_are_listed_read_only_with_their_parameters(
        store_path: Path) -> None:
    async with connect(store_path) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name, params in TOOLS.items():
        tool = tools[name]
        assert set(tool.input_schema["properties"]) == params, name
        assert tool.annotations and tool.annotations.read_only_hint is True
        assert tool.description and tool.output_schema
    assert tools["get_training_summary"].input_schema["properties"]["group_by"]["enum"] == [
        "week", "month", "year", "sport"]


CALLS: dict[str, tuple[dict[str, Any], Any]] = {
    "get_training_summary": (
        {"start_date": FULL[0], "end_date": FULL[1], "group_by": "month",
         "activity_type": "Ride"},
        lambda a: a.training_summary(*FULL, group_by="month", activity_type="Ride")),
    "get_fitness_trend": (
        {"start_date": "2024-02-01", "end_date": "2024-03-31"},
        lambda a: a.fitness_trend("2024-02-01", "2024-03-31")),
    "get_wellness_trends": (
        {"start_date": "2024-01-01", "end_date": "2024-03-31", "fields": ["hrv", "CaffeineMg"],
         "group_by": "month"},
        lambda a: a.wellness_trends("2024-01-01", "2024-03-31", fields=["hrv", "CaffeineMg"],
                                    group_by="month")),
    "get_interval_stats": (
        {"start_date": FULL[0], "end_date": FULL[1]},
        lambda a: a.interval_stats(*FULL)),
    "compare_periods": (
        {"a_start": "2024-01-01", "a_end": "2024-03-31", "b_start": "2023-04-01",
         "b_end": "2023-06-30"},
        lambda a: a.compare_periods("2024-01-01", "2024-03-31", "2023-04-01", "2023-06-30")),
}


@pytest.mark.parametrize("tool", list(CALLS))
async def test_each_aggregate_tool_answers_what_analytics_computes(store_path: Path,
                                                                   tool: str) -> None:
    arguments, direct = CALLS[tool]
    with Analytics(store_path) as mirror:
        expected = direct(mirror)
    async with connect(store_path) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error is False
    assert result.structured_content["result"] == expected.data
    assert result.structured_content["freshness"].startswith("mirrored up to")
    text = text_of(result)
    assert text.startswith(expected.text.splitlines()[0])
    assert text.endswith(result.structured_content["freshness"])


async def test_query_sql_answers_a_compact_table(store_path: Path) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool("query_sql", {
            "sql": "SELECT type, count(*) AS n FROM activities WHERE date = ? GROUP BY type"
                   .replace("?", f"'{LEAP_DAY}'"), "limit": 10})
    assert result.is_error is False
    data = result.structured_content["result"]
    assert data["columns"] == ["type", "n"] and data["truncated"] is False
    conn = sqlite3.connect(store_path)
    try:
        expected = conn.execute("SELECT type, count(*) FROM activities WHERE date = ? "
                                "GROUP BY type", (LEAP_DAY,)).fetchall()
    finally:
        conn.close()
    assert [tuple(r) for r in data["rows"]] == expected
    assert text_of(result).splitlines()[0].split() == ["type", "|", "n"]


async def test_query_sql_says_when_rows_were_cut(store_path: Path) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool("query_sql", {"sql": "SELECT id FROM activities"})
    assert result.structured_content["result"]["row_count"] == 200
    assert result.structured_content["result"]["truncated"] is True
    assert "cut at the limit of 200" in text_of(result)


@pytest.mark.parametrize("name", ["insert", "drop", "attach", "copy to", "read_csv",
                                  "two statements", "pragma query_only", "pragma journal_mode",
                                  "vacuum into", "load_extension", "create temp"])
async def test_query_sql_refuses_changes_and_leaves_the_store_unchanged(
        store_path: Path, name: str) -> None:
    before = snapshot(store_path)
    async with connect(store_path) as client:
        result = await client.call_tool(
            "query_sql", {"sql": ATTEMPTS[name].replace("{dir}", str(store_path.parent))})
    assert result.is_error is True
    assert text_of(result).startswith("sql: ")
    assert snapshot(store_path) == before
    assert [p.name for p in store_path.parent.iterdir()
            if not p.name.startswith("mirror.sqlite")] == []


async def test_describe_schema_tool_and_resource(store_path: Path) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool("describe_schema", {})
        resources = (await client.list_resources()).resources
        read = await client.read_resource("intervals-mirror://schema")
    assert result.is_error is False
    assert text_of(result) == describe_schema().text
    assert {t["name"] for t in result.structured_content["tables"]} >= {
        "activities", "intervals", "wellness", "wellness_custom", "events", "work_intervals"}
    assert "intervals-mirror://schema" in [str(r.uri) for r in resources]
    assert read.contents[0].text == describe_schema().text


BAD_INPUT = [
    ("get_training_summary", {"start_date": "2024-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2024-13-01'"),
    ("get_training_summary", {"start_date": "2024-03-01", "end_date": "2024-02-01"},
     "end_date: expected a date on or after start_date (2024-03-01), got '2024-02-01'"),
    ("get_training_summary", {"group_by": "day"}, "group_by: Input should be 'week', 'month'"),
    ("get_training_summary", {"activity_type": "Bike"},
     "activity_type: no 'Bike' activities in the store"),
    ("get_fitness_trend", {"end_date": "tomorrow"}, "end_date: expected a date YYYY-MM-DD"),
    ("get_fitness_trend", {"group_by": "month"}, "group_by: Input should be 'day' or 'week'"),
    ("get_wellness_trends", {"fields": ["hrv", "mojo"]},
     "fields: unknown wellness field 'mojo'"),
    ("get_wellness_trends", {"group_by": "year"}, "group_by: Input should be 'week' or 'month'"),
    ("get_interval_stats", {"start_date": "2024-02-30"}, "start_date: expected a date"),
    ("get_interval_stats", {"activity_type": "Curling"}, "activity_type: no 'Curling'"),
    ("compare_periods", {"a_start": "2024-01-01", "a_end": "2024-01-31",
                         "b_start": "2023-01-01"}, "b_end: Field required"),
    ("compare_periods", {"a_start": "2024-01-01", "a_end": "2023-01-31",
                         "b_start": "2023-01-01", "b_end": "2023-01-31"},
     "a_end: expected a date on or after a_start"),
    ("query_sql", {"sql": "SELECT 1", "limit": 0},
     "limit: Input should be greater than or equal to 1 (got 0)"),
    ("query_sql", {}, "sql: Field required"),
    ("query_sql", {"sql": "   "}, "sql: expected one SELECT statement, got nothing"),
    ("query_sql", {"sql": "SELECT nope FROM activities"}, "sql: no such column: nope"),
]


@pytest.mark.parametrize(("tool", "arguments", "message"), BAD_INPUT)
async def test_bad_input_gets_an_error_naming_the_parameter(
        store_path: Path, tool: str, arguments: dict[str, Any], message: str) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error is True
    assert text_of(result).startswith(message)


async def test_every_analytics_tool_has_a_bad_input_case() -> None:
    assert {tool for tool, _, _ in BAD_INPUT} == set(TOOLS) - {"describe_schema"}


async def test_a_missing_store_is_a_tool_error(tmp_path: Path) -> None:
    async with connect(tmp_path / "none.sqlite") as client:
        result = await client.call_tool("get_training_summary", {})
        schema = await client.call_tool("describe_schema", {})
    assert result.is_error is True
    assert "intervals-mirror sync" in text_of(result)
    assert schema.is_error is False     # the schema needs no store
