"""The analytics tools and the schema resource through a real MCP client session (in-memory):
each tool's answer, bad input for each, and query_sql's read-only guarantees end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mcp import Client

from intervals_mirror.analytics.aggregates import Analytics
from intervals_mirror.analytics.schema import describe_schema
from intervals_mirror.config import load_settings
from intervals_mirror.server import create_server

from analytics_helpers import ATTEMPTS, FULL, LEAP_DAY, snapshot
from server_helpers import half_up, text_of

pytestmark = pytest.mark.anyio

TOOLS = {
    "get_training_summary": {"start_date", "end_date", "group_by", "activity_type",
                             "exact_type"},
    "get_fitness_trend": {"start_date", "end_date", "group_by"},
    "get_wellness_trends": {"start_date", "end_date", "fields", "group_by"},
    "get_interval_stats": {"start_date", "end_date", "activity_type", "exact_type"},
    "compare_periods": {"a_start", "a_end", "b_start", "b_end", "activity_type",
                        "exact_type"},
    "query_sql": {"sql", "limit"},
    "describe_schema": set(),
}


@asynccontextmanager
async def connect(db_path: Path, **overrides: Any) -> AsyncIterator[Client]:
    settings = load_settings(overrides={"db_path": db_path, **overrides}, environ={})
    async with Client(create_server(settings, scheduler=False)) as client:
        yield client


async def test_the_analytics_tools_are_listed_read_only_with_their_parameters(
        store_path: Path) -> None:
    async with connect(store_path) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name, params in TOOLS.items():
        tool = tools[name]
        assert set(tool.input_schema["properties"]) == params, name
        assert tool.annotations and tool.annotations.read_only_hint is True
        assert tool.description and tool.output_schema is None
    group_by = tools["get_training_summary"].input_schema["properties"]["group_by"]
    assert "enum" not in group_by  # "Week" is checked by the server, not refused by a client
    assert "week (from Monday), month, year or sport" in group_by["description"]


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
    assert result.is_error is False and result.structured_content is None
    text, fresh = text_of(result).rsplit("\n", 1)
    assert text == expected.text
    assert fresh.startswith("mirrored up to")


async def test_query_sql_answers_a_compact_table(store_path: Path) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool("query_sql", {
            "sql": "SELECT type, count(*) AS n FROM activities WHERE date = ? GROUP BY type"
                   .replace("?", f"'{LEAP_DAY}'"), "limit": 10})
    assert result.is_error is False and result.structured_content is None
    conn = sqlite3.connect(store_path)
    try:
        expected = conn.execute("SELECT type, count(*) FROM activities WHERE date = ? "
                                "GROUP BY type", (LEAP_DAY,)).fetchall()
    finally:
        conn.close()
    lines = text_of(result).splitlines()
    assert lines[0].split() == ["type", "|", "n"]
    shown = [tuple(cell.strip() for cell in line.split("|"))
             for line in lines[2:2 + len(expected)]]
    assert shown == [("NULL" if t is None else t, str(n)) for t, n in expected]
    assert f"({len(expected)} row" in text_of(result) and "cut" not in text_of(result)


async def test_query_sql_says_when_rows_were_cut(store_path: Path) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool("query_sql", {"sql": "SELECT id FROM activities"})
    text = text_of(result)
    assert "cut at the limit of 200" in text
    assert len(text.splitlines()) == 2 + 200 + 2    # header, rule, rows, note, freshness


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
    assert result.structured_content is None
    for table in ("activities", "intervals", "wellness", "wellness_custom", "events",
                  "work_intervals"):
        assert f"\ntable {table}: " in text_of(result) or f"\nview {table}: " in text_of(
            result), table
    assert "intervals-mirror://schema" in [str(r.uri) for r in resources]
    assert read.contents[0].text == describe_schema().text


BAD_INPUT = [
    ("get_training_summary", {"start_date": "2024-13-01"},
     "start_date: expected a date YYYY-MM-DD, got '2024-13-01'"),
    ("get_training_summary", {"start_date": "2024-03-01", "end_date": "2024-02-01"},
     "end_date: expected a date on or after start_date (2024-03-01), got '2024-02-01'"),
    ("get_training_summary", {"group_by": "day"},
     "group_by: expected one of week, month, year, sport, got 'day'"),
    ("get_training_summary", {"activity_type": "Bike"},
     "activity_type: no 'Bike' activities in the store"),
    ("get_fitness_trend", {"end_date": "tomorrow"}, "end_date: expected a date YYYY-MM-DD"),
    ("get_fitness_trend", {"group_by": "month"},
     "group_by: expected one of day, week, got 'month'"),
    ("get_wellness_trends", {"fields": ["hrv", "mojo"]},
     "fields: unknown wellness field 'mojo'"),
    ("get_wellness_trends", {"group_by": "year"},
     "group_by: expected one of week, month, got 'year'"),
    ("get_interval_stats", {"start_date": "2024-02-30"}, "start_date: expected a date"),
    ("get_interval_stats", {"activity_type": "Curling"}, "activity_type: no 'Curling'"),
    ("compare_periods", {"a_start": "2024-01-01", "a_end": "2024-01-31",
                         "b_start": "2023-01-01"}, "b_end: expected a value (it is required)"),
    ("compare_periods", {"a_start": "2024-01-01", "a_end": "2023-01-31",
                         "b_start": "2023-01-01", "b_end": "2023-01-31"},
     "a_end: expected a date on or after a_start"),
    ("query_sql", {"sql": "SELECT 1", "limit": 0},
     "limit: expected 1 or more, got 0"),
    ("query_sql", {}, "sql: expected a value (it is required), got none"),
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
    assert "No API key" in text_of(result)  # no key, no store: what to configure
    assert schema.is_error is False     # the schema needs no store


# -- review fixes: each through the client ------------------------------------------------


async def test_query_sql_reads_json_arrays_and_pragma_functions(store_path: Path) -> None:
    async with connect(store_path) as client:
        zones = await client.call_tool("query_sql", {
            "sql": "SELECT a.id, z.value AS secs FROM activities a, "
                   "json_each(a.raw, '$.icu_hr_zone_times') z WHERE a.is_stub = 0 LIMIT 3"})
        columns = await client.call_tool("query_sql", {
            "sql": "SELECT name FROM pragma_table_info('activities')"})
        escape = await client.call_tool("query_sql", {
            "sql": "UPDATE sqlite_master SET sql = 'x'"})
    assert zones.is_error is False, text_of(zones)
    assert "(3 rows)" in text_of(zones)
    assert columns.is_error is False
    assert "moving_time" in [line.strip() for line in text_of(columns).splitlines()]
    assert escape.is_error is True and "may not be modified" in text_of(escape)


EDGES = [
    ("get_training_summary", {"end_date": "0001-01-05"}),
    ("get_training_summary", {"start_date": "9999-12-31"}),
    ("get_fitness_trend", {"start_date": "9999-12-31"}),
    ("get_fitness_trend", {"end_date": "0001-01-01"}),
    ("get_wellness_trends", {"start_date": "9999-12-25", "group_by": "month"}),
    ("get_wellness_trends", {"end_date": "0001-01-01"}),
    ("get_interval_stats", {"start_date": "9999-12-31"}),
    ("compare_periods", {"a_start": "0001-01-01", "a_end": "0001-01-01",
                         "b_start": "9999-12-31", "b_end": "9999-12-31"}),
]


@pytest.mark.parametrize(("tool", "arguments"), EDGES)
async def test_dates_at_the_ends_of_the_calendar_are_answered(
        store_path: Path, tool: str, arguments: dict[str, Any]) -> None:
    async with connect(store_path) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error is False, text_of(result)
    assert any(note in text_of(result) for note in (
        "nothing is mirrored there", "history begins (2023-04-02); there is nothing there"))


async def test_a_crash_is_never_the_bare_sdk_error(store_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(Analytics, "training_summary", broken)
    async with connect(store_path) as client:
        result = await client.call_tool("get_training_summary", {})
    assert result.is_error is True
    assert text_of(result).startswith("get_training_summary failed unexpectedly "
                                      "(RuntimeError: boom). This is a bug in intervals-mirror")
    assert "Error executing tool" not in text_of(result)


async def test_wellness_trends_take_custom_fields_by_name(store_path: Path) -> None:
    args = {"start_date": "2024-01-01", "end_date": "2024-03-31", "group_by": "month"}
    async with connect(store_path) as client:
        by_name = await client.call_tool("get_wellness_trends", {
            **args, "fields": ["caffeine (MG)", "hrv"]})
        by_code = await client.call_tool("get_wellness_trends", {
            **args, "fields": "CaffeineMg, hrv"})
        default = await client.call_tool("get_wellness_trends", args)
        unknown = await client.call_tool("get_wellness_trends", {**args, "fields": "mojo"})
    assert by_name.is_error is False, text_of(by_name)
    assert text_of(by_name) == text_of(by_code)
    shown = [line.split(": avg ")[0] for line in text_of(by_name).splitlines()
             if ": avg " in line]
    assert shown == ["Caffeine (mg)", "hrv"]
    assert "\nCaffeine (mg): avg " in text_of(default) and "CaffeineMg" not in text_of(default)
    assert "Caffeine (mg) (CaffeineMg)" in text_of(unknown)


async def test_periods_outside_the_mirror_are_pointed_out(store_path: Path) -> None:
    """The store's whole history is mirrored (sync listed back to where it begins): a range
    that starts before the first activity is not "outside" the mirror."""
    async with connect(store_path) as client:
        compared = await client.call_tool("compare_periods", {
            "a_start": "2031-01-01", "a_end": "2031-03-31",
            "b_start": "2024-01-01", "b_end": "2024-03-31"})
        summary = await client.call_tool("get_training_summary", {
            "start_date": "2010-01-01", "end_date": "2010-12-31"})
        partly = await client.call_tool("get_training_summary", {
            "start_date": "2023-01-01", "end_date": "2023-06-30"})
        inside = await client.call_tool("get_training_summary", {
            "start_date": "2024-01-01", "end_date": "2024-03-31"})
    conn = sqlite3.connect(store_path)
    try:
        first, last, begins = conn.execute(
            "SELECT covered_from, covered_to, history_start FROM sync_state "
            "WHERE resource = 'activities'").fetchone()
        oldest = conn.execute("SELECT min(date) FROM activities").fetchone()[0]
    finally:
        conn.close()
    assert first == begins == oldest > "2023-01-01"   # listed from where the history begins
    note = (f"2031-01-01..2031-03-31 is after the mirrored range ({first}..{last}); nothing "
            "is mirrored there")
    assert f"\nNote: {note}" in text_of(compared)
    assert text_of(compared).count("Note: ") == 1
    assert (f"2010-01-01..2010-12-31 is before the activities history begins ({first}); "
            "there is nothing there") in text_of(summary)
    assert "Note:" not in text_of(partly) and "mirrored range" not in text_of(partly)
    assert "Note:" not in text_of(inside)


async def test_a_range_before_a_configured_history_start_is_pointed_out(
        store_path: Path) -> None:
    """With history_start set, older days may hold data the mirror leaves out."""
    conn = sqlite3.connect(store_path)
    first, last = conn.execute("SELECT covered_from, covered_to FROM sync_state "
                               "WHERE resource = 'activities'").fetchone()
    conn.close()
    async with connect(store_path, history_start=first) as client:
        partly = await client.call_tool("get_training_summary", {
            "start_date": "2023-01-01", "end_date": "2023-06-30"})
        before = await client.call_tool("get_training_summary", {
            "start_date": "2010-01-01", "end_date": "2010-12-31"})
    assert (f"2023-01-01..2023-06-30 starts before the mirrored range ({first}..{last}); only "
            f"{first}..2023-06-30 is mirrored") in text_of(partly)
    assert (f"2010-01-01..2010-12-31 is before the mirrored range ({first}..{last}); nothing "
            "is mirrored there") in text_of(before)


@pytest.mark.parametrize(("tool", "group_by", "expected"), [
    ("get_training_summary", "Week ", "week"), ("get_training_summary", "MONTH", "month"),
    ("get_fitness_trend", " Day", "day"), ("get_wellness_trends", "Month", "month")])
async def test_group_by_ignores_case_and_spaces(store_path: Path, tool: str, group_by: str,
                                                expected: str) -> None:
    args = {"start_date": "2024-01-01", "end_date": "2024-02-29", "group_by": group_by}
    async with connect(store_path) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        # What a strict client does before sending: the advertised schema must accept it.
        jsonschema.validate(args, listed[tool].input_schema)
        result = await client.call_tool(tool, args)
    assert result.is_error is False, text_of(result)
    with Analytics(store_path) as mirror:
        direct = getattr(mirror, tool.removeprefix("get_"))(
            "2024-01-01", "2024-02-29", group_by=expected)
    assert text_of(result).rsplit("\n", 1)[0] == direct.text


async def test_figures_are_rounded_once_with_separators_and_plurals(store_path: Path) -> None:
    async with connect(store_path) as client:
        stats = await client.call_tool("get_interval_stats", {"start_date": FULL[0],
                                                              "end_date": FULL[1]})
        day = await client.call_tool("get_wellness_trends", {
            "start_date": LEAP_DAY, "end_date": LEAP_DAY, "fields": ["hrv"]})
        fitness = await client.call_tool("get_fitness_trend", {"start_date": LEAP_DAY,
                                                               "end_date": LEAP_DAY})
    with Analytics(store_path) as mirror:
        data = mirror.interval_stats(FULL[0], FULL[1]).data
    text = text_of(stats)
    assert data["totals"]["intervals"] > 1000
    assert f": {data['totals']['intervals']:,} in " in text
    for band in data["bands"]:
        if band["best_hr"] is not None:   # figures as computed, rounded once in the text
            assert (f"highest avg HR {half_up(band['best_hr'])} bpm, "
                    f"avg {half_up(band['avg_hr'])} bpm") in text
    assert ", 1 day)" in text_of(day) and "of 1 day" in text_of(fitness)


async def test_the_server_copies_the_store_into_duckdb_once_questions_start(
        store_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Not while a client only holds the connection (an idle server stays small), but in the
    background after the first answer, before an aggregate needs it."""
    import anyio

    caplog.set_level("DEBUG", logger="intervals_mirror.server")

    def ready() -> list[str]:
        return [r.getMessage() for r in caplog.records
                if "analytics copy ready" in r.getMessage()]

    async with connect(store_path) as client:
        await client.list_tools()
        assert ready() == []
        await client.call_tool("get_activities", {})
        with anyio.fail_after(10):
            while not ready():
                await anyio.sleep(0.02)
    assert all(table in ready()[0] for table in ("activities", "intervals", "wellness"))


async def test_a_tie_for_the_best_interval_names_the_activity_started_first(
        store_path: Path) -> None:
    """Two rides on one day hold the same best 5-10 min power: the earlier start is named,
    though the other has the larger id (the rule before named the later day, then the larger
    id) and speed (the best speed ties the same way)."""
    conn = sqlite3.connect(store_path)
    with conn:
        rides = conn.execute(
            "SELECT i.activity_id, min(i.id), a.date, a.start_date_local FROM intervals AS i "
            "JOIN activities AS a ON a.id = i.activity_id WHERE a.type = 'Ride' "
            "AND i.type = 'WORK' AND i.elapsed_time BETWEEN 300 AND 599 "
            "AND a.start_date_local < a.date || 'T20:00' GROUP BY i.activity_id "
            "ORDER BY i.activity_id LIMIT 2").fetchall()
        (first, first_interval, day, _), (second, second_interval, _, _) = rides
        conn.execute("UPDATE activities SET date = ?, start_date_local = ? WHERE id = ?",
                     (day, f"{day}T21:00:00", second))
        conn.execute("UPDATE intervals SET average_watts = 3000, average_speed = 30 "
                     "WHERE id IN (?, ?)", (first_interval, second_interval))
    conn.close()
    assert first < second  # the later start sorts last by id too
    async with connect(store_path) as client:
        text = text_of(await client.call_tool("get_interval_stats", {
            "start_date": day, "end_date": day, "activity_type": "Ride"}))
    band = next(line for line in text.splitlines() if line.startswith("5-10 min: "))
    assert f"best 3,000 W ({first}, {day})" in band, text
    with Analytics(store_path) as mirror:
        data = mirror.interval_stats(day, day, activity_type="Ride").data
    assert data["totals"]["best_speed_activity_id"] == first
