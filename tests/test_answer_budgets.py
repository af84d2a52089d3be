"""Every answer fits about 20,000 characters whatever the range and grouping asked for, and
still answers the question: the largest range and finest grouping of each tool, on a
generated 10-year store, through a real MCP client, with the totals checked against plain
SQLite over the same store (never against the code under test)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from intervals_mirror.analytics.duck import WELLNESS_NUMERIC
from intervals_mirror.answers.budget import within
from intervals_mirror.answers.units import CUSTOM, QUANTITIES
from intervals_mirror.server import MirrorServer

from server_helpers import read_only, server_over, text_of

pytestmark = pytest.mark.anyio

BUDGET = 20_000
NUMBER = r"-?[\d,]+(?:\.\d+)?"


@pytest.fixture(scope="module")
def server(ten_years: Path) -> MirrorServer:
    return server_over(ten_years)


@pytest.fixture
async def client(server: MirrorServer) -> AsyncIterator[Client]:
    async with Client(server) as connected:
        yield connected


@pytest.fixture(scope="module")
def db(ten_years: Path) -> Iterator[sqlite3.Connection]:
    with read_only(ten_years) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


@pytest.fixture(scope="module")
def whole(db: sqlite3.Connection) -> tuple[str, str]:
    """The whole history: the first and last day with an activity or a wellness row."""
    row = db.execute("SELECT min(d), max(d) FROM (SELECT date AS d FROM activities "
                     "UNION ALL SELECT id FROM wellness)").fetchone()
    return row[0], row[1]


async def call(client: Client, tool: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(tool, args)
    text = text_of(result)
    assert result.is_error is False, text
    assert len(text) <= BUDGET, f"{tool} answered {len(text):,} characters"
    return text


def num(text: str) -> float:
    return float(text.replace(",", ""))


def near(shown: str, expected: float, digits: int) -> bool:
    """``shown`` is ``expected`` rounded to ``digits`` (either way at a half, as sums of
    floats may land on either side of it)."""
    return abs(num(shown) - expected) <= 0.5 * 10 ** -digits + 1e-6


def line_after(text: str, prefix: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(prefix))


# -- training summary -------------------------------------------------------------------------

TOTALS = ("count(*) AS n, sum(moving_time) / 3600.0 AS hours, sum(distance) / 1000.0 AS km, "
          "sum(training_load) AS load")


def assert_totals(head: str, row: sqlite3.Row) -> None:
    """'..: 4,331 activities (..), 5,606.1 h, 99,824.0 km, .., load 276,131, ..'"""
    found = re.search(rf"({NUMBER}) activities.*?, ({NUMBER}) h, ({NUMBER}) km, .*"
                      rf"load ({NUMBER})", head)
    assert found, head
    assert num(found[1]) == row["n"]
    assert near(found[2], row["hours"], 1) and near(found[3], row["km"], 1)
    assert near(found[4], row["load"], 0)


async def test_ten_years_by_week_come_by_month_with_the_totals_and_the_peak_week(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str]) -> None:
    start, end = whole
    text = await call(client, "get_training_summary",
                      {"start_date": start, "end_date": end, "group_by": "week"})
    where = "WHERE date BETWEEN ? AND ?"
    assert_totals(text.splitlines()[0],
                  db.execute(f"SELECT {TOTALS} FROM activities {where}", whole).fetchone())
    weeks = db.execute(f"SELECT count(DISTINCT date(date, '-6 days', 'weekday 1')) "
                       f"FROM activities {where}", whole).fetchone()[0]
    assert f"{weeks:,} weeks do not fit in one answer, so this is per month" in text
    months = {r[0]: r[1] for r in db.execute(
        f"SELECT substr(date, 1, 7), count(*) FROM activities {where} GROUP BY 1", whole)}
    shown = dict(re.findall(r"^(\d{4}-\d\d)(?: \(\d+ of \d+ days\))?: ([\d,]+) act\.", text,
                            re.M))
    assert {m: int(n.replace(",", "")) for m, n in shown.items()} == months
    first_month = dt.date.fromisoformat(start)   # a month the range cuts is flagged
    if first_month.day > 1:
        days = calendar.monthrange(first_month.year, first_month.month)[1]
        assert f"{start[:7]} ({days - first_month.day + 1} of {days} days): " in text
    # the weeks asked for, in one line: how many had activities, of how many, the average
    first, last = db.execute(
        "SELECT max(?, covered_from), min(?, covered_to) FROM sync_state "
        "WHERE resource = 'activities'", whole).fetchone()
    mondays = db.execute("SELECT (julianday(date(?, '-6 days', 'weekday 1')) - julianday("
                         "date(?, '-6 days', 'weekday 1'))) / 7 + 1", (last, first)).fetchone()
    hours = db.execute(f"SELECT sum(moving_time) / 3600.0 FROM activities {where}",
                       whole).fetchone()[0]
    in_weeks = re.search(rf"^Weeks: ({NUMBER}) of ({NUMBER}) with activities; on average "
                         rf"({NUMBER}) h", text, re.M)
    assert in_weeks and num(in_weeks[1]) == weeks and num(in_weeks[2]) == mondays[0]
    assert near(in_weeks[3], hours / mondays[0], 1)
    # the peak week still named: the most load of the weeks wholly inside the range
    peak = db.execute(
        "SELECT date(date, '-6 days', 'weekday 1') AS week, sum(training_load) AS load "
        f"FROM activities {where} GROUP BY 1 HAVING week >= ? AND date(week, '+6 days') <= ? "
        "ORDER BY load DESC LIMIT 1", (*whole, *whole)).fetchone()
    found = re.search(rf"peak week: week of (\S+), .*?load ({NUMBER})",
                      line_after(text, "Weeks: "))
    assert found and found[1] == peak["week"] and near(found[2], peak["load"], 0)


async def test_ten_years_by_week_of_one_sport_fit(client: Client, db: sqlite3.Connection,
                                                  whole: tuple[str, str]) -> None:
    text = await call(client, "get_training_summary", {
        "start_date": whole[0], "end_date": whole[1], "group_by": "week",
        "activity_type": "Run"})
    assert_totals(text.splitlines()[0], db.execute(
        f"SELECT {TOTALS} FROM activities WHERE date BETWEEN ? AND ? "
        "AND type IN ('Run', 'TrailRun', 'VirtualRun')", whole).fetchone())
    assert "Run family (Run, TrailRun)" in text.splitlines()[0]


async def test_ten_years_by_sport_fit_with_every_sport(client: Client, db: sqlite3.Connection,
                                                       whole: tuple[str, str]) -> None:
    text = await call(client, "get_training_summary",
                      {"start_date": whole[0], "end_date": whole[1], "group_by": "sport"})
    for sport, n in db.execute("SELECT coalesce(type, 'Unknown'), count(*) FROM activities "
                               "WHERE date BETWEEN ? AND ? GROUP BY 1", whole):
        assert re.search(rf"^{sport}: {n:,} act\.", text, re.M), sport
    run = re.search(r"^Run: .* avg pace (\d+):(\d\d) /km", text, re.M)
    metres, secs = db.execute(
        "SELECT sum(distance), sum(moving_time) FROM activities WHERE date BETWEEN ? AND ? "
        "AND type = 'Run' AND distance > 0 AND moving_time > 0", whole).fetchone()
    assert run and int(run[1]) * 60 + int(run[2]) == round(1000 * secs / metres)


# -- fitness --------------------------------------------------------------------------------


@pytest.mark.parametrize("group_by", ["day", "week"])
async def test_ten_years_of_fitness_come_by_month_with_the_state_and_its_extremes(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str], group_by: str) -> None:
    text = await call(client, "get_fitness_trend",
                      {"start_date": whole[0], "end_date": whole[1], "group_by": group_by})
    days = db.execute("SELECT id, ctl, atl, form FROM wellness WHERE id BETWEEN ? AND ? "
                      "AND ctl IS NOT NULL ORDER BY id", whole).fetchall()
    asked = (f"{len(days):,} days" if group_by == "day" else
             f"{len({dt.date.fromisoformat(d['id']).isocalendar()[:2] for d in days}):,} weeks")
    assert f"{asked} do not fit in one answer, so this is per month" in text
    state = line_after(text, f"on {days[-1]['id']}: ")
    found = re.search(rf"CTL ({NUMBER}), ATL ({NUMBER}), form ({NUMBER})", state)
    assert found and near(found[1], days[-1]["ctl"], 1) and near(found[3], days[-1]["form"], 1)
    peak = re.search(rf"peak CTL ({NUMBER}) on (\S+);", state)
    low = re.search(rf"lowest form ({NUMBER}) on (\S+);", state)
    assert peak and near(peak[1], max(d["ctl"] for d in days), 1)
    assert low and near(low[1], min(d["form"] for d in days), 1)
    by_day = {d["id"]: d for d in days}
    assert by_day[peak[2]]["ctl"] == max(d["ctl"] for d in days)
    assert by_day[low[2]]["form"] == min(d["form"] for d in days)
    # every month, as on its last day
    last_days = {d["id"][:7]: d for d in days}
    shown = re.findall(rf"^(\d{{4}}-\d\d): CTL ({NUMBER}),", text, re.M)
    assert [m for m, _ in shown] == sorted(last_days)
    assert all(near(ctl, last_days[m]["ctl"], 1) for m, ctl in shown)


# -- wellness -------------------------------------------------------------------------------


def field_names(db: sqlite3.Connection) -> dict[str, str]:
    """Every numeric field of the store: code -> the name the answer shows it by."""
    named = {r["code"]: r["name"] for r in db.execute(
        "SELECT code, name FROM custom_fields WHERE item_type = 'INPUT_FIELD'")}
    custom = [r[0] for r in db.execute("SELECT DISTINCT field FROM wellness_custom "
                                       "WHERE typeof(value) IN ('integer', 'real')")]
    return {**{c: "sleep" if c == "sleep_secs" else c for c in WELLNESS_NUMERIC},
            **{c: named.get(c, c) for c in custom if c not in WELLNESS_NUMERIC}}


@pytest.mark.parametrize("group_by", ["week", "month"])
async def test_ten_years_of_every_wellness_field_fit_with_each_fields_figures(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str], group_by: str) -> None:
    fields = field_names(db)
    text = await call(client, "get_wellness_trends", {
        "start_date": whole[0], "end_date": whole[1], "group_by": group_by,
        "fields": list(fields)})
    assert "do not fit in one answer, so this is" in text
    checked = 0
    for code, name in fields.items():
        if code in WELLNESS_NUMERIC:
            source = f"SELECT {code} AS v FROM wellness WHERE id BETWEEN ? AND ?"
        else:
            source = (f"SELECT value AS v FROM wellness_custom WHERE field = '{code}' AND "
                      "date BETWEEN ? AND ? AND typeof(value) IN ('integer', 'real')")
        n, avg = db.execute(f"SELECT count(v), avg(v) FROM ({source})", whole).fetchone()
        if not n:
            assert name in line_after(text, "no data in this range: ")
            continue
        found = re.search(rf"^{re.escape(name)}: avg ({NUMBER}).*?, ({NUMBER}) days?\)",
                          text, re.M)
        assert found, name
        shown = QUANTITIES.get(code, CUSTOM)  # its decimals and scale (sleep in hours)
        assert num(found[2]) == n
        assert near(found[1], avg * shown.scale, shown.digits), name
        checked += 1
    assert checked >= 12


async def test_ten_years_of_the_default_wellness_fields_fit(
        client: Client, whole: tuple[str, str]) -> None:
    text = await call(client, "get_wellness_trends",
                      {"start_date": whole[0], "end_date": whole[1], "group_by": "week"})
    assert re.search(r"^hrv: avg .*; by (month|quarter|year): ", text, re.M)


# -- the other aggregates and the schema -------------------------------------------------------


async def test_ten_years_of_interval_stats_fit_with_the_totals(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str]) -> None:
    text = await call(client, "get_interval_stats",
                      {"start_date": whole[0], "end_date": whole[1]})
    n, activities = db.execute(
        "SELECT count(*), count(DISTINCT i.activity_id) FROM intervals i JOIN activities a "
        "ON a.id = i.activity_id WHERE i.type = 'WORK' AND a.date BETWEEN ? AND ?",
        whole).fetchone()
    assert f": {n:,} in {activities:,} activities" in text.splitlines()[0]


async def test_two_five_year_periods_compared_fit_with_the_totals(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str]) -> None:
    middle = db.execute("SELECT date(?, '+5 years')", (whole[0],)).fetchone()[0]
    a, b = (whole[0], middle), (middle, whole[1])
    text = await call(client, "compare_periods", {"a_start": a[0], "a_end": a[1],
                                                  "b_start": b[0], "b_end": b[1]})
    count_a, count_b = (db.execute("SELECT count(*) FROM activities WHERE date BETWEEN ? AND ?",
                                   p).fetchone()[0] for p in (a, b))
    assert f"Total: activities {count_a:,} vs {count_b:,}" in text


async def test_the_schema_description_fits(client: Client, db: sqlite3.Connection) -> None:
    text = await call(client, "describe_schema", {})
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%'"):
        assert f"table {name}: " in text


async def test_a_year_of_events_fits_with_their_count(
        client: Client, db: sqlite3.Connection, whole: tuple[str, str]) -> None:
    start = db.execute("SELECT date(?, '-1 years', '+1 days')", (whole[1],)).fetchone()[0]
    text = await call(client, "get_events", {"start_date": start, "end_date": whole[1]})
    total = db.execute("SELECT count(*) FROM events WHERE date <= ? AND "
                       "coalesce(end_date, date) >= ?", (whole[1], start)).fetchone()[0]
    assert text.startswith(f"{total:,} events from {start} to {whole[1]}")


# -- the last guard ---------------------------------------------------------------------------


@pytest.mark.parametrize("keep", ["last", "first"])
def test_the_guard_keeps_the_head_the_tail_and_the_lines_nearest_the_end_it_keeps(
        keep: str) -> None:
    body = [f"line {i:04d} " + "x" * 90 for i in range(1_000)]
    text = within(["head"], body, ["tail"], keep=keep, limit=5_000,
                  left_out=lambda n: f"({n} lines left out)")
    lines = text.splitlines()
    assert len(text) <= 5_000 and lines[0] == "head" and lines[-1] == "tail"
    kept = [line for line in lines if line.startswith("line ")]
    left = int(re.search(r"\((\d+) lines left out\)", text)[1])  # type: ignore[index]
    assert len(kept) + left == len(body) and len(kept) > 40
    assert kept == (body[-len(kept):] if keep == "last" else body[:len(kept)])
