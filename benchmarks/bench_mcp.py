"""Lookup-tool latency on the server side: the SDK's in-process client against a 10-year
store, so the protocol is included but no process boundary. End to end through the official
1.x client, and against a live-API server, is ``bench_clients.py``.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from intervals_mirror.config import load_settings
from intervals_mirror.server import create_server

SETTLE_S = 5.0


@dataclass(frozen=True)
class Latency:
    tool: str
    way: str
    calls: int
    p50_ms: float
    p95_ms: float


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def questions(db: Path, count: int, seed: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The same random questions for every way of answering: a month, an activity, a range."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    ids = [i for (i,) in conn.execute(
        "SELECT id FROM activities WHERE is_stub = 0 AND id IN "
        "(SELECT DISTINCT activity_id FROM intervals)")]
    days = [d for (d,) in conn.execute("SELECT id FROM wellness ORDER BY id")]
    conn.close()

    def month() -> dict[str, Any]:
        start = rng.choice(days[:-31])
        end = days[min(len(days) - 1, days.index(start) + 30)]
        return {"start_date": start, "end_date": end}

    def year() -> dict[str, Any]:
        start = rng.choice(days[:-366])
        return {"start_date": start, "end_date": days[days.index(start) + 365]}

    return {
        "get_activities": [{**month(), "limit": 30} for _ in range(count)],
        "get_activity_details": [{"activity_id": rng.choice(ids)} for _ in range(count)],
        "get_activity_intervals": [{"activity_id": rng.choice(ids)} for _ in range(count)],
        "get_wellness_data": [month() for _ in range(count)],
        # this season, last season and a random year: the three periods of one answer
        "get_athlete_power_curves": [year() for _ in range(count)],
        # ten years of every sport in one period: the most points one answer reads
        "get_athlete_hr_curves": [{"start_date": days[0], "this_season": False,
                                   "last_season": False} for _ in range(count)],
    }


async def _time_calls(call: Callable[[str, dict[str, Any]], Awaitable[Any]],
                      asked: dict[str, list[dict[str, Any]]], way: str) -> list[Latency]:
    results = []
    for tool, argument_sets in asked.items():
        await call(tool, argument_sets[0])  # warm-up
        timings = []
        for arguments in argument_sets:
            started = time.perf_counter()
            result = await call(tool, arguments)
            timings.append((time.perf_counter() - started) * 1000)
            if getattr(result, "is_error", False):
                raise SystemExit(f"{tool} failed: {result.content}")
        results.append(Latency(tool, way, len(timings), statistics.median(timings),
                               percentile(timings, 0.95)))
    return results


async def server_side(db: Path, asked: dict[str, list[dict[str, Any]]]) -> list[Latency]:
    settings = load_settings(overrides={"db_path": db, "interval_minutes": 0}, environ={})
    async with Client(create_server(settings, scheduler=False)) as client:
        await client.call_tool("get_sync_status", {})
        await anyio.sleep(SETTLE_S)  # the DuckDB copy the first answer starts, out of the way
        return await _time_calls(client.call_tool, asked, "server side (in-process client)")


def run(db: Path, *, calls: int = 200) -> list[Latency]:
    return anyio.run(server_side, db, questions(db, calls))  # type: ignore[no-any-return]
