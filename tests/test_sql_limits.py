"""Ad-hoc SQL stays within its time, memory and answer-size limits whatever the SQL says,
through the MCP client and the `sql` command (issue 14 items 1-3 and 9, issue 16 item 1).

Timings are anti-hang bounds (a few times the limit), never speed targets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
import pytest

from intervals_mirror.analytics import sql as sql_module
from intervals_mirror.analytics.sql import SQL_OUTPUT_BYTES
from intervals_mirror.config import Settings, load_settings

from server_helpers import connected, text_of
from test_sync_processes import executable

PEAK_MB = 150
ROWS_1000 = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) ")
BIG_ROWS = ROWS_1000 + "SELECT x, zeroblob(200000) AS a, zeroblob(200000) AS b FROM n"
INFINITE = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
            "SELECT count(*) FROM n")
# Each printf loops two billion times in one step of SQLite (about 20 s), past its own limit.
PRINTF_HUGE = ("SELECT printf('%.*c', 2147483647, 'x') IS NULL AS a, "
               "printf('%.*c', 2147483647, 'x') IS NULL AS b")
# 150 LIKE calls in a row, each a fifth of a second, with no loop for SQLite to stop in.
LIKES = "SELECT " + ", ".join(
    f"x LIKE '%' || printf('%.{300 + i}c', 'a') || 'b' AS c{i}" for i in range(150)
) + " FROM (SELECT printf('%.200000c', 'a') AS x)"


def reading(db: Path) -> Settings:
    """Settings for the tools on a store, with no API to reach."""
    return load_settings(overrides={"db_path": db}, environ={})


# The peak is read from the child's own /proc/self/status (VmHWM) as it exits: ru_maxrss
# would also count the test worker's memory, which a forked child inherits until exec.
PEAK_PROBE = """import atexit, os
def _peak():
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM")))
atexit.register(_peak)
"""


def run_cli(db: Path, *args: str) -> tuple[int, str, str, float, float]:
    """The `sql` command in its own process: exit code, stdout, stderr, seconds and its own
    peak resident memory in MB."""
    with tempfile.TemporaryDirectory() as probe, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        Path(probe, "sitecustomize.py").write_text(PEAK_PROBE)
        peak_file = Path(probe, "peak")
        env = {**os.environ, "PEAK_FILE": str(peak_file),
               "PYTHONPATH": os.pathsep.join(filter(None, [probe, os.environ.get("PYTHONPATH")]))}
        started = time.monotonic()
        proc = subprocess.run([executable(), "--db", str(db), "sql", *args], stdout=out,
                              stderr=err, stdin=subprocess.DEVNULL, env=env, timeout=120)
        elapsed = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode(), err.read().decode(), elapsed,
                int(peak_file.read_text()) / 1024)


# -- time -------------------------------------------------------------------------------


def test_the_time_limit_holds_for_calls_sqlite_cannot_interrupt(store_path: Path) -> None:
    rc, _, err, elapsed, _ = run_cli(store_path, PRINTF_HUGE, "--timeout", "2")
    assert rc == 1 and elapsed < 6
    assert "printf() would make a value too big (2,147,483,647 characters)" in err
    rc, _, err, elapsed, _ = run_cli(store_path, LIKES, "--timeout", "2")
    assert rc == 1 and elapsed < 6
    assert "cut off after the time limit of 2 s" in err


def test_a_printf_too_big_is_a_clear_error_at_once(store_path: Path) -> None:
    rc, _, err, elapsed, _ = run_cli(
        store_path, "SELECT length(printf('%.*c', 2147483647, 'x'))")
    assert rc == 1 and elapsed < 6
    assert "too big" in err and "no string or blob may be longer than 250,000 bytes" in err


@pytest.mark.anyio
async def test_query_sql_stops_at_its_time_limit(store_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_module, "DEFAULT_SQL_TIMEOUT_S", 2.0)
    async with connected(reading(store_path)) as client:
        started = time.monotonic()
        printfs = [await client.call_tool("query_sql", {"sql": PRINTF_HUGE}) for _ in range(4)]
        likes = await client.call_tool("query_sql", {"sql": LIKES})
        elapsed = time.monotonic() - started
    assert all(r.is_error and "too big" in text_of(r) for r in printfs)
    assert likes.is_error and text_of(likes).startswith(
        "sql: cut off after the time limit of 2 s")
    assert elapsed < 10


@pytest.mark.anyio
async def test_slow_queries_at_once_cannot_take_every_worker(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two run to their limit; the others are told to come back instead of piling up."""
    monkeypatch.setattr(sql_module, "DEFAULT_SQL_TIMEOUT_S", 3.0)
    answers: list[str] = []
    async with connected(reading(store_path)) as client:
        async def ask() -> None:
            answers.append(text_of(await client.call_tool("query_sql", {"sql": INFINITE})))

        started = time.monotonic()
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(ask)
        elapsed = time.monotonic() - started
        after = await client.call_tool("query_sql", {"sql": "SELECT 42 AS n"})
    assert sum("cut off after the time limit of 3 s" in a for a in answers) == 2
    assert sum(a.startswith("sql: busy, 2 other statements are running") for a in answers) == 3
    assert elapsed < 12
    assert not after.is_error and "42" in text_of(after)


# -- memory -----------------------------------------------------------------------------


def test_memory_stays_bounded_for_huge_rows_and_many_big_rows(store_path: Path) -> None:
    for sql in ("SELECT " + ", ".join(["randomblob(999999)"] * 1200) + " LIMIT 1",
                ROWS_1000 + "SELECT randomblob(999999) FROM n"):
        rc, _, err, _, peak = run_cli(store_path, sql)
        assert rc == 1 and "too big" in err and peak < PEAK_MB
    rc, _, err, _, peak = run_cli(
        store_path, "SELECT " + ", ".join(["randomblob(200000)"] * 1200) + " LIMIT 1")
    assert rc == 1 and "needs more than 64 MB of memory" in err and peak < PEAK_MB
    # 400 MB of blobs in 1,000 rows: every row is written, none is held.
    rc, out, err, _, peak = run_cli(store_path, BIG_ROWS, "--format", "csv", "--limit", "1000")
    assert rc == 0, err
    lines = out.splitlines()
    assert len(lines) == 1001 and lines[-1] == "1000,<200000 bytes>,<200000 bytes>"
    assert peak < PEAK_MB


def test_query_sql_keeps_only_what_it_shows(store_path: Path) -> None:
    """The same rows through query_sql's path (run in its own process to measure it)."""
    script = (
        "import json, sys\n"
        "from intervals_mirror.analytics.sql import SQL_OUTPUT_BYTES, run_sql\n"
        "r = run_sql(sys.argv[1], sys.argv[2], limit=1000, max_bytes=SQL_OUTPUT_BYTES)\n"
        "print(json.dumps([len(r.rows), r.rows[-1][1],\n"
        "                  int(next(line.split()[1] for line in open('/proc/self/status')\n"
        "                           if line.startswith('VmHWM'))) / 1024]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(store_path), BIG_ROWS],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows, cell, peak = json.loads(done.stdout)
    assert rows > 500 and cell == "<200000 bytes>" and peak < PEAK_MB


# -- answer size as sent ----------------------------------------------------------------

AWKWARD = {
    "control characters": ROWS_1000 + "SELECT printf('%.2000c', char(1)) AS a, "
                                      "printf('%.2000c', char(31)) AS b FROM n",
    "quotes and backslashes": ROWS_1000 + "SELECT printf('%.1500c', '\"') || "
                                          "printf('%.1500c', '\\') AS q FROM n",
    "emoji": ROWS_1000 + "SELECT printf('%.2000c', '😀') AS e, '😀' AS short FROM n",
    "1,999 short columns": ROWS_1000 + "SELECT " + ", ".join(
        f"x AS c{i}" for i in range(1999)) + " FROM n",
    "every column of activities": "SELECT * FROM activities",
    "raw three times": "SELECT raw, raw, raw FROM intervals",
}


@pytest.mark.anyio
async def test_every_answer_fits_the_cap_as_sent(store_path: Path) -> None:
    async with connected(reading(store_path)) as client:
        for name, sql in AWKWARD.items():
            result = await client.call_tool("query_sql", {"sql": sql, "limit": 1000})
            text = text_of(result)
            assert not result.is_error, (name, text)
            sent = len(result.model_dump_json(by_alias=True, exclude_none=True).encode())
            text_sent = len(result.content[0].model_dump_json(by_alias=True).encode())
            assert text_sent <= sent <= SQL_OUTPUT_BYTES, name
            lines = text.splitlines()
            assert len(lines) > 3, name  # the header, the rule, rows, the note
            assert "the output stops at about 100 KB" in lines[-2], name


@pytest.mark.anyio
async def test_an_over_long_statement_names_the_limit(store_path: Path) -> None:
    async with connected(reading(store_path)) as client:
        result = await client.call_tool("query_sql", {"sql": "SELECT " + "1+" * 500_000 + "1"})
    assert result.is_error
    message = text_of(result)
    assert message.startswith("sql: expected at most 50,000 characters, got 'SELECT 1+1+")
    assert len(message) < 200


# -- the `sql` command has no cap but --limit -------------------------------------------


def test_the_sql_command_prints_every_row_unless_limited(store_path: Path) -> None:
    sql = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1301) "
           "SELECT x FROM n")
    rc, out, err, _, _ = run_cli(store_path, sql, "--format", "csv")
    assert rc == 0 and err == ""
    assert out.splitlines() == ["x", *(str(i) for i in range(1, 1302))]
    rc, out, err, _, _ = run_cli(store_path, sql, "--format", "csv", "--limit", "5")
    assert rc == 0 and out.splitlines() == ["x", "1", "2", "3", "4", "5"]
    assert err.strip() == ("intervals-mirror: 5 rows shown: cut at --limit 5; raise --limit "
                           "or leave it out for every row")
