"""Every answer keeps to its budget on an athlete as wide as real data gets (tests/
heavy_helpers.py: ten years, 60 custom wellness fields, 80 gear items, two plans a day, long
names, descriptions and comments, a ride of 300 laps), through a real MCP client; and an
answer that cannot show everything says what it left out and how to get it. Expected figures
come from plain SQLite over the same store.

On the release before this guard, seven lookups answered 23,000 to 141,000 characters here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from intervals_mirror.server import MirrorServer
from intervals_mirror.tools._common import text_tool

from analytics_helpers import TEN_YEARS_END
from heavy_helpers import HEAVY, YEAR_START, wellness_code
from server_helpers import read_only, server_over, text_of

pytestmark = pytest.mark.anyio

BUDGET = 20_000  # characters in any one answer (about 5,000 tokens)
LAST = TEN_YEARS_END.isoformat()
AHEAD = "2025-07-29"  # the last planned day (heavy_helpers: 120 days after the history)
# query_sql keeps its own cap (about 100 KB; tests/test_sql_limits.py); a chart's answer is
# an image with a line of text (tests/test_tools_charts.py).
OWN_BOUNDS = {"query_sql", "get_chart"}


@pytest.fixture(scope="module")
def server(heavy: Path) -> MirrorServer:
    return server_over(heavy)


@pytest.fixture
async def client(server: MirrorServer) -> AsyncIterator[Client]:
    async with Client(server) as connected:
        yield connected


@pytest.fixture(scope="module")
def db(heavy: Path) -> Iterator[sqlite3.Connection]:
    with read_only(heavy) as conn:
        yield conn


def one(db: sqlite3.Connection, sql: str, *params: Any) -> Any:
    return db.execute(sql, params).fetchone()[0]


async def answer(client: Client, tool: str, args: dict[str, Any]) -> str:
    """The text of a tool's answer: text only, and within the budget."""
    result = await client.call_tool(tool, args)
    text = text_of(result)
    assert result.is_error is False, text
    assert result.structured_content is None, tool
    assert len(text) <= BUDGET, f"{tool} answered {len(text):,} characters"
    return text


def widest(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every read tool with about the most it answers on the heavy athlete."""
    whole = {"start_date": one(db, "SELECT min(date) FROM activities"), "end_date": AHEAD}
    year = {"start_date": YEAR_START, "end_date": LAST}
    newest = one(db, "SELECT activity_id FROM activity_messages LIMIT 1")
    return {
        "get_activities": {**whole, "limit": 100},
        "get_activity_details": {"activity_id": _described(db)},
        "get_activity_intervals": {"activity_id": _lapped(db)},
        "get_activity_streams": {"activity_id": newest, "stream_types": ",".join(
            t for (t,) in db.execute("SELECT type FROM streams WHERE activity_id = ?",
                                     (newest,)))},
        "get_activity_messages": {"activity_id": newest},
        "get_wellness_data": {"start_date": "2024-12-02", "end_date": LAST},  # 120 days
        "get_events": year,
        "get_event_by_id": {"event_id": _described_plan(db)},
        "get_sync_status": {},
        "get_training_summary": {**whole, "group_by": "week"},
        "get_fitness_trend": {**whole, "group_by": "day"},
        "get_wellness_trends": {**year, "group_by": "week", "fields": [
            "hrv", "resting_hr", "weight", *(wellness_code(i) for i in range(1, 60, 2))]},
        "get_interval_stats": whole,
        "compare_periods": {"a_start": whole["start_date"], "a_end": "2019-12-31",
                            "b_start": "2020-01-01", "b_end": LAST},
        "get_athlete_profile": {},
        "get_gear_list": {},
        "get_custom_items": {},
        "get_custom_item_by_id": {"item_id": 72_000},
        "describe_schema": {},
        "get_athlete_power_curves": {"start_date": whole["start_date"]},
        "get_athlete_hr_curves": {"start_date": whole["start_date"]},
        "get_athlete_pace_curves": {"start_date": whole["start_date"]},
        "get_zone_distribution": {**whole, "kind": "hr", "group_by": "week"},
        "get_plan_compliance": whole,
        "get_fitness_markers": {**whole, "group_by": "week"},
    }


def _described(db: sqlite3.Connection) -> str:
    return str(one(db, "SELECT id FROM activities ORDER BY length(description) DESC"))


def _described_plan(db: sqlite3.Connection) -> int:
    return int(one(db, "SELECT id FROM events ORDER BY length(description) DESC"))


def _lapped(db: sqlite3.Connection) -> str:
    return str(one(db, "SELECT activity_id FROM intervals GROUP BY 1 ORDER BY count(*) DESC"))


async def test_every_read_tool_keeps_to_the_budget_on_a_heavy_athlete(
        client: Client, db: sqlite3.Connection) -> None:
    calls = widest(db)
    tools = (await client.list_tools()).tools
    read = {t.name for t in tools if t.annotations and t.annotations.read_only_hint}
    assert read - OWN_BOUNDS == set(calls)
    sizes = {}
    for tool, args in calls.items():
        result = await client.call_tool(tool, args)
        assert result.is_error is False, (tool, text_of(result)[:300])
        assert result.structured_content is None, tool
        sizes[tool] = len(text_of(result))
    assert all(size <= BUDGET for size in sizes.values()), sizes


# -- lists and tables: the rows that fit, and how many are left out --------------------------


def left_out(text: str, what: str) -> int:
    found = re.search(rf"\(([\d,]+) {what}\b.*?left out", text)
    assert found, text[-600:]
    return int(found[1].replace(",", ""))


async def test_wellness_with_60_custom_fields_shows_the_newest_days_and_counts_the_rest(
        client: Client, db: sqlite3.Connection) -> None:
    start = "2024-12-02"
    text = await answer(client, "get_wellness_data", {"start_date": start, "end_date": LAST})
    days = [d for (d,) in db.execute("SELECT id FROM wellness WHERE id BETWEEN ? AND ? "
                                     "ORDER BY id", (start, LAST))]
    assert text.startswith(f"Wellness {start} to {LAST}: {len(days)} days with data")
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("date | ")).split(" | ")
    rows = [line.split(" | ") for line in lines if re.match(r"\d{4}-\d\d-\d\d \|", line)]
    assert [r[0] for r in rows] == days[-len(rows):]  # the newest, in order
    assert len(rows) + left_out(text, "earlier days?") == len(days)
    assert "include_custom_fields=false" in text and "query_sql" in text
    for i in (1, 59):  # custom fields by name, with the newest day's value
        name = one(db, "SELECT name FROM custom_items WHERE code = ?", wellness_code(i))
        value = one(db, "SELECT value FROM wellness_custom WHERE date = ? AND field = ?",
                    LAST, wellness_code(i))
        assert float(rows[-1][header.index(name)]) == value


async def test_100_activities_with_long_names_show_the_newest_and_count_the_rest(
        client: Client, db: sqlite3.Connection) -> None:
    first = one(db, "SELECT min(date) FROM activities")
    text = await answer(client, "get_activities",
                        {"start_date": first, "end_date": LAST, "limit": 100})
    newest = [i for (i,) in db.execute(
        "SELECT id FROM activities WHERE is_stub = 0 ORDER BY start_date_local DESC, id DESC "
        "LIMIT 100")]
    shown = re.findall(r"^- .*?\((i\d+)\): ", text, re.M)
    assert shown == newest[:len(shown)]
    assert len(shown) + left_out(text, "older activit(?:y|ies)") == 100


async def test_300_laps_show_the_first_and_the_statement_that_reads_them_all(
        client: Client, db: sqlite3.Connection) -> None:
    activity = _lapped(db)
    text = await answer(client, "get_activity_intervals", {"activity_id": activity})
    numbers = [int(n) for n in re.findall(r"^(\d+) \| ", text, re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) + left_out(text, "later intervals?") == HEAVY.laps
    statement = re.search(r"query_sql: (SELECT .*?)\)$", text, re.M)
    assert statement, text[-400:]
    every = await client.call_tool("query_sql", {"sql": statement[1], "limit": 1000})
    assert f"({HEAVY.laps} rows)" in text_of(every)  # query_sql has its own, larger cap


@pytest.mark.parametrize(("tool", "table", "order"), [
    ("get_gear_list", "gear", "retired IS NOT NULL, coalesce(distance, 0) DESC, id"),
    ("get_custom_items", "custom_items", "position, CAST(id AS INTEGER)"),
])
async def test_a_long_list_keeps_its_first_items_and_counts_the_rest(
        client: Client, db: sqlite3.Connection, tool: str, table: str, order: str) -> None:
    text = await answer(client, tool, {})
    ids = [str(i) for (i,) in db.execute(f"SELECT id FROM {table} ORDER BY {order}")]
    assert text.startswith(f"{len(ids)} ")
    shown = re.findall(r"^- (?:\S+ \"[^\"]*\" \((\w+)\)|(\d+) )", text, re.M)
    shown_ids = [a or b for a, b in shown]
    assert shown_ids == ids[:len(shown_ids)]
    assert len(shown_ids) + left_out(text, "more items?") == len(ids)
    assert f"FROM {table}" in text


@pytest.mark.parametrize(("tool", "table", "key", "pick"), [
    ("get_activity_details", "activities", "activity_id", _described),
    ("get_event_by_id", "events", "event_id", _described_plan),
])
async def test_a_long_description_is_clipped_with_the_statement_that_reads_it_whole(
        client: Client, db: sqlite3.Connection, tool: str, table: str, key: str,
        pick: Any) -> None:
    row_id = pick(db)
    description = one(db, f"SELECT description FROM {table} WHERE id = ?", str(row_id))
    text = await answer(client, tool, {key: row_id})
    found = re.search(r"Description:\s(.*?)… \(([\d,]+) more characters; all of it: "
                      r"query_sql (SELECT .*?)\)\n", text, re.S)
    assert found, text[:300]
    assert description.startswith(found[1])
    assert int(found[2].replace(",", "")) == len(description) - len(found[1])
    whole = await client.call_tool("query_sql", {"sql": found[3]})
    assert f"description: {description}\n(1 row)" in text_of(whole)  # every character


# -- the aggregates and the calendar: two plans a day -------------------------------------


async def test_ten_years_of_two_plans_a_day_fit_with_their_count(
        client: Client, db: sqlite3.Connection) -> None:
    first = one(db, "SELECT min(date) FROM activities")
    text = await answer(client, "get_plan_compliance", {"start_date": first, "end_date": AHEAD})
    plans = one(db, "SELECT count(*) FROM events WHERE category = 'WORKOUT' AND date "
                    "BETWEEN ? AND ?", first, AHEAD)
    assert plans > 2 * 3_650
    assert f": {plans:,} planned workouts (" in text.splitlines()[0]
    assert "earlier planned workouts left out to keep this answer short" in text


async def test_a_year_of_two_plans_a_day_fits_with_their_count(
        client: Client, db: sqlite3.Connection) -> None:
    text = await answer(client, "get_events", {"start_date": YEAR_START, "end_date": LAST})
    total = one(db, "SELECT count(*) FROM events WHERE date <= ? AND coalesce(end_date, date) "
                    ">= ?", LAST, YEAR_START)
    assert text.startswith(f"{total:,} events from {YEAR_START} to {LAST}, the first 100 shown")


async def test_the_schema_description_fits_beside_60_custom_wellness_fields(
        client: Client) -> None:
    text = await answer(client, "describe_schema", {})
    assert "table wellness_custom: " in text and "custom_fields" in text


# -- the last guard, on any text tool ---------------------------------------------------------


async def test_any_text_tool_over_its_budget_keeps_whole_lines_and_says_what_it_left_out(
        ) -> None:
    server: MCPServer[Any] = MCPServer("guarded")
    lines = [f"line {i:04d} " + "x" * 90 for i in range(1_000)]

    @text_tool(server, title="Long")
    def long_answer() -> str:
        """Too long."""
        return "\n".join(["head", *lines, "mirrored up to 2025-03-31 20:00 UTC"])

    @text_tool(server, title="One long line", budget=5_000)
    async def one_line() -> str:
        """One line longer than its budget."""
        return "head\n" + "word " * 5_000 + "\nmirrored up to 2025-03-31 20:00 UTC"

    async with Client(server) as client:
        text = text_of(await client.call_tool("long_answer", {}))
        clipped = text_of(await client.call_tool("one_line", {}))
    shown = text.splitlines()
    assert len(text) <= BUDGET and shown[0] == "head" and shown[-1].startswith("mirrored up")
    kept = [line for line in shown if line.startswith("line ")]
    assert kept == lines[:len(kept)] and len(kept) > 150
    note = re.search(r"\[([\d,]+) more lines \(([\d,]+) characters\) left out .*query_sql\]",
                     shown[-2])
    assert note and int(note[1]) == len(lines) - len(kept)
    assert int(note[2].replace(",", "")) == len("\n".join(lines[len(kept):]))
    parts = clipped.splitlines()
    assert len(clipped) <= 5_000 and parts[0] == "head" and parts[1].endswith("word…")
    assert parts[2].startswith("[the rest of the line above (") and parts[3].startswith("mirr")
