"""Aggregate latency on a generated 10-year store: each aggregate's first call (a fresh
``Analytics``, so it includes copying the tables it needs into DuckDB) and the median of
repeated calls (the copy cached), plus query_sql and the cost of each table copy.

    python benchmarks/bench_analytics.py                 # builds a 10-year demo store
    python benchmarks/bench_analytics.py --db FILE --runs 50
    python benchmarks/bench_analytics.py --ingest        # also compare ways into DuckDB

``--long`` (also in ``run.py``) asks the longest questions through an in-process MCP client:
ten years by week, daily fitness, every wellness field, two five-year periods, the schema and
a year of events; for each the characters a model receives (text, and structured content if
any), the first call on a fresh ``Analytics`` (which copies the tables it needs), the first
call through a fresh server once its DuckDB warm-up is done, and the p50 of repeated calls.

``--ingest`` times the ways of getting SQLite rows into DuckDB without its sqlite extension:
JSON arrays per column (what analytics does), Python lists as LIST parameters, a CSV file,
and NumPy or Arrow when those happen to be installed (they are not dependencies).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from intervals_mirror.analytics.aggregates import Analytics
from intervals_mirror.analytics.common import Answer
from intervals_mirror.analytics.duck import WELLNESS_NUMERIC
from intervals_mirror.analytics.sql import run_sql
from intervals_mirror.config import load_settings
from intervals_mirror.demo.build import build_demo_store
from intervals_mirror.server import create_server

Call = Callable[[Analytics], Any]


def aggregates(last: str, first: str) -> dict[str, Call]:
    """The questions of the issue, over the whole store and over this year."""
    span = f"{round((dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days / 365.25)} y"
    year = last[:4]
    prev = str(int(year) - 1)
    return {
        "training summary, " + span + " by week": lambda a: a.training_summary(
            first, last, group_by="week"),
        "training summary, this year by month": lambda a: a.training_summary(
            f"{year}-01-01", last, group_by="month"),
        "training summary, " + span + " by sport (Ride)": lambda a: a.training_summary(
            first, last, group_by="sport", activity_type="Ride"),
        "fitness trend, " + span + " weekly": lambda a: a.fitness_trend(first, last),
        "fitness trend, 90 days daily": lambda a: a.fitness_trend(group_by="day"),
        "wellness trends, " + span + " monthly": lambda a: a.wellness_trends(
            first, last, group_by="month"),
        "wellness trends, 90 days hrv+form": lambda a: a.wellness_trends(
            fields=["hrv", "form"]),
        "interval stats, " + span: lambda a: a.interval_stats(first, last),
        "compare periods, 12 weeks vs last year": lambda a: a.compare_periods(
            f"{year}-03-01", f"{year}-05-23", f"{prev}-03-01", f"{prev}-05-23"),
        "time in power zones, " + span + " by month (Ride)": lambda a: a.zone_distribution(
            first, last, group_by="month", activity_type="Ride"),
        "planned vs done, " + span: lambda a: a.plan_compliance(first, last),
        "fitness markers, " + span + " by month": lambda a: a.fitness_markers(first, last),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def size_of(result: Any) -> int:
    return len(result.text) if isinstance(result, Answer) else 0


def bench_aggregates(db: Path, runs: int) -> list[tuple[str, float, float, float, int]]:
    conn = sqlite3.connect(db)
    first, last = conn.execute("SELECT min(date), max(date) FROM activities").fetchone()
    conn.close()
    with Analytics(db) as warm:                  # DuckDB's one-time start, paid once per process
        warm.training_summary(first, first)
    rows = []
    for name, call in aggregates(last, first).items():
        with Analytics(db) as mirror:
            cold, result = timed(lambda call=call, mirror=mirror: call(mirror))
            times = [timed(lambda call=call, mirror=mirror: call(mirror))[0]
                     for _ in range(runs)]
        rows.append((name, cold, statistics.median(times), max(times), size_of(result)))
    sql = ("SELECT type, count(*) AS n, round(sum(moving_time) / 3600.0, 1) AS hours "
           "FROM activities WHERE date >= date('now', '-365 days') GROUP BY type ORDER BY n DESC")
    cold, result = timed(lambda: run_sql(db, sql))
    times = [timed(lambda: run_sql(db, sql))[0] for _ in range(runs)]
    rows.append(("query_sql, hours by sport last 365 d", cold, statistics.median(times),
                 max(times), len(result.text)))
    return rows


def copy_costs(db: Path, runs: int) -> dict[str, float]:
    """Median milliseconds to copy each table into DuckDB (as after every store change)."""
    costs: dict[str, list[float]] = {}
    with Analytics(db) as mirror:
        for _ in range(runs):
            for table, ms in mirror.warm(again=True).items():   # as if the store changed
                costs.setdefault(table, []).append(ms)
    return {t: statistics.median(v) for t, v in costs.items()}


def cold_process(db: Path) -> float:
    """A new Python process: import, open, copy activities, answer one summary (the CLI)."""
    code = ("import time; t = time.perf_counter(); from intervals_mirror.analytics.aggregates "
            f"import Analytics; Analytics({str(db)!r}).training_summary(group_by='month'); "
            "print((time.perf_counter() - t) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


# -- the longest questions, as a model receives them ---------------------------------------------


@dataclass(frozen=True)
class LongAnswer:
    """One long question's answer size and times; each time as (wall ms, CPU ms of this
    process: the server's threads and the in-process client, so it holds on a busy machine)."""

    call: str
    text_chars: int
    structured_chars: int    # 0: the answer has no structured content
    first_copy: tuple[float, float] | None  # a fresh Analytics: copies its tables, answers
    first: tuple[float, float]  # a fresh server after its warm-up, through the MCP client
    p50: tuple[float, float]    # repeated calls through the MCP client


def long_questions(db: Path) -> list[tuple[str, str, dict[str, Any], Call | None]]:
    """(label, tool, arguments, the same question asked of Analytics) for the whole store."""
    conn = sqlite3.connect(db)
    first, last = conn.execute("SELECT min(id), max(id) FROM wellness").fetchone()
    custom = [r[0] for r in conn.execute(
        "SELECT DISTINCT field FROM wellness_custom WHERE typeof(value) IN ('integer', 'real')")]
    conn.close()
    years = round((dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days / 365.25)
    middle = (dt.date.fromisoformat(first) + (dt.date.fromisoformat(last)
                                               - dt.date.fromisoformat(first)) / 2).isoformat()
    year_ago = (dt.date.fromisoformat(last) - dt.timedelta(days=364)).isoformat()
    every_field = [*WELLNESS_NUMERIC, *(c for c in custom if c not in WELLNESS_NUMERIC)]
    span = {"start_date": first, "end_date": last}
    y = f"{years} y"
    return [
        (f"get_training_summary, {y} by week", "get_training_summary",
         {**span, "group_by": "week"},
         lambda a: a.training_summary(first, last, group_by="week")),
        (f"get_training_summary, {y} by week, Ride", "get_training_summary",
         {**span, "group_by": "week", "activity_type": "Ride"},
         lambda a: a.training_summary(first, last, group_by="week", activity_type="Ride")),
        (f"get_training_summary, {y} by sport", "get_training_summary",
         {**span, "group_by": "sport"},
         lambda a: a.training_summary(first, last, group_by="sport")),
        (f"get_fitness_trend, {y} daily", "get_fitness_trend", {**span, "group_by": "day"},
         lambda a: a.fitness_trend(first, last, group_by="day")),
        (f"get_fitness_trend, {y} weekly", "get_fitness_trend", {**span, "group_by": "week"},
         lambda a: a.fitness_trend(first, last, group_by="week")),
        (f"get_wellness_trends, {y} by week, all {len(every_field)} fields",
         "get_wellness_trends", {**span, "group_by": "week", "fields": every_field},
         lambda a: a.wellness_trends(first, last, group_by="week", fields=every_field)),
        (f"get_wellness_trends, {y} by month, default fields", "get_wellness_trends",
         {**span, "group_by": "month"},
         lambda a: a.wellness_trends(first, last, group_by="month")),
        (f"get_interval_stats, {y}", "get_interval_stats", span,
         lambda a: a.interval_stats(first, last)),
        ("compare_periods, two halves", "compare_periods",
         {"a_start": first, "a_end": middle, "b_start": middle, "b_end": last},
         lambda a: a.compare_periods(first, middle, middle, last)),
        (f"get_zone_distribution, {y} by week, HR", "get_zone_distribution",
         {**span, "kind": "hr"}, lambda a: a.zone_distribution(first, last, kind="hr")),
        (f"get_plan_compliance, {y}", "get_plan_compliance", span,
         lambda a: a.plan_compliance(first, last)),
        (f"get_fitness_markers, {y} by week", "get_fitness_markers",
         {**span, "group_by": "week"},
         lambda a: a.fitness_markers(first, last, group_by="week")),
        ("describe_schema", "describe_schema", {}, None),
        ("get_events, a year", "get_events", {"start_date": year_ago, "end_date": last}, None),
    ]


def _wait_for_warm_up() -> None:
    """Join the server's background DuckDB warm-up, if it runs one."""
    for thread in threading.enumerate():
        if "warm" in thread.name and thread is not threading.current_thread():
            thread.join()


async def _through_mcp(db: Path, tool: str, args: dict[str, Any], runs: int
                       ) -> tuple[int, int, tuple[float, float], tuple[float, float]]:
    settings = load_settings(overrides={"db_path": db, "interval_minutes": 0}, environ={})
    async with Client(create_server(settings, scheduler=False)) as client:
        await client.call_tool("get_sync_status", {})  # the first answer starts the warm-up
        await anyio.to_thread.run_sync(_wait_for_warm_up)
        first, result = await _timed_async(client.call_tool(tool, args))
        if result.is_error:
            raise SystemExit(f"{tool} failed: {result.content}")
        times = [(await _timed_async(client.call_tool(tool, args)))[0] for _ in range(runs)]
    text = sum(len(getattr(block, "text", "")) for block in result.content)
    structured = (len(json.dumps(result.structured_content))
                  if result.structured_content is not None else 0)
    return text, structured, first, _median_pair(times)


async def _timed_async(pending: Any) -> tuple[tuple[float, float], Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = await pending
    return ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000), out


def _timed_pair(fn: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _median_pair(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def long_answers(db: Path, runs: int = 10) -> list[LongAnswer]:
    with Analytics(db) as warm:                  # DuckDB's one-time start, paid once per process
        warm.training_summary(group_by="sport")
    anyio.run(_through_mcp, db, "get_training_summary", {}, 1)  # and the MCP machinery's
    rows = []
    for label, tool, args, direct in long_questions(db):
        copy = None
        if direct is not None:
            with Analytics(db) as mirror:
                copy = _timed_pair(lambda direct=direct, mirror=mirror: direct(mirror))
        text, structured, first, p50 = anyio.run(_through_mcp, db, tool, args, runs)
        rows.append(LongAnswer(label, text, structured, copy, first, p50))
    return rows


def print_long_answers(rows: list[LongAnswer]) -> None:
    def ms(pair: tuple[float, float] | None) -> str:
        return "-" if pair is None else f"{pair[0]:.0f} / {pair[1]:.0f} ms"

    print("| call | text | structured content | first call, copy included | first call "
          "after warm-up | p50 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r.call} | {r.text_chars:,} | {r.structured_chars:,} | {ms(r.first_copy)} | "
              f"{ms(r.first)} | {ms(r.p50)} |")
    print("\n(times: wall / CPU of the process, which holds when other work shares the cores)")


# -- ways into DuckDB ---------------------------------------------------------------------------

COLUMNS = ("id", "date", "type", "is_stub", "moving_time", "distance", "elevation_gain",
           "training_load", "intensity")
TYPES = ("VARCHAR", "DATE", "VARCHAR", "INTEGER", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE",
         "DOUBLE")


def ingest_ways(db: Path, runs: int) -> list[tuple[str, float]]:
    import duckdb

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM activities").fetchall()
    conn.close()
    cols = list(zip(*rows, strict=True))
    duck = duckdb.connect()
    schema = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, TYPES, strict=True))

    def json_arrays() -> None:
        duck.execute(f"CREATE OR REPLACE TABLE a ({schema})")
        duck.execute("INSERT INTO a SELECT " + ", ".join(
            f"unnest(from_json(${i}, '[\"{t}\"]'))" for i, t in enumerate(TYPES, 1)),
            [json.dumps(c) for c in cols])

    def list_params() -> None:
        duck.execute(f"CREATE OR REPLACE TABLE a ({schema})")
        duck.execute("INSERT INTO a SELECT " + ", ".join(
            f"unnest(${i}::{t}[])" for i, t in enumerate(TYPES, 1)), [list(c) for c in cols])

    def csv_file() -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as f:
            csv.writer(f).writerows(rows)
        duck.execute(f"CREATE OR REPLACE TABLE a ({schema})")
        spec = ", ".join(f"'{c}': '{t}'" for c, t in zip(COLUMNS, TYPES, strict=True))
        duck.execute(f"INSERT INTO a SELECT * FROM read_csv('{f.name}', header = false, "
                     f"columns = {{{spec}}})")
        os.unlink(f.name)

    ways: dict[str, Callable[[], None]] = {"JSON array per column (used)": json_arrays,
                                           "Python lists as LIST parameters": list_params,
                                           "temporary CSV file": csv_file}
    try:
        import numpy as np

        def numpy_arrays() -> None:
            frame = {c: np.array(v, dtype=object if t in ("VARCHAR", "DATE") else float)
                     for c, t, v in zip(COLUMNS, TYPES, cols, strict=True)}
            duck.register("frame", frame)
            duck.execute("CREATE OR REPLACE TABLE a AS SELECT * FROM frame")
            duck.unregister("frame")

        ways["NumPy arrays (not a dependency)"] = numpy_arrays
    except ImportError:
        pass
    try:
        import pyarrow as pa

        def arrow_table() -> None:
            duck.register("frame", pa.table(dict(zip(COLUMNS, map(list, cols), strict=True))))
            duck.execute("CREATE OR REPLACE TABLE a AS SELECT * FROM frame")
            duck.unregister("frame")

        ways["Arrow table (not a dependency)"] = arrow_table
    except ImportError:
        pass
    results = []
    for name, way in ways.items():
        way()
        results.append((name, statistics.median(timed(way)[0] for _ in range(runs))))
    duck.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build one)")
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30, help="repeated calls per aggregate")
    parser.add_argument("--ingest", action="store_true", help="also compare ways into DuckDB")
    parser.add_argument("--long", action="store_true",
                        help="also the longest questions through an MCP client")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "bench.sqlite"
    if not args.db:
        took, counts = timed(lambda: build_demo_store(db, years=args.years, seed=args.seed))
        print(f"built a {args.years:g}-year store in {took / 1000:.1f} s: "
              + ", ".join(f"{n} {t}" for t, n in counts.items()))
    print(f"\n{'aggregate':<42} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'text':>7}")
    for name, cold, median, worst, chars in bench_aggregates(db, args.runs):
        print(f"{name:<42} {cold:>9.1f} {median:>10.2f} {worst:>8.2f} {chars:>6}c")
    print(f"(median and max of {args.runs} repeated calls; first = fresh Analytics, "
          "including the copy of the tables that aggregate needs)")
    print("\ncopy into DuckDB after a store change (median ms): " + ", ".join(
        f"{t} {ms:.1f}" for t, ms in copy_costs(db, 10).items()))
    print(f"a new process (CLI): import + open + copy + one summary: {cold_process(db):.0f} ms")
    if args.long:
        print("\nthe longest questions, through an in-process MCP client:")
        print_long_answers(long_answers(db))
    if args.ingest:
        print("\nways into DuckDB, activities' columns (median ms):")
        for name, ms in ingest_ways(db, args.runs):
            print(f"  {name:<36} {ms:>7.1f}")
    folder.cleanup()


if __name__ == "__main__":
    main()
