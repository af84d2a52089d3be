"""The server's background sync: when it runs, that it never overlaps another sync, and that
its failures are logged rather than raised."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client

from intervals_mirror.config import Settings
from intervals_mirror.errors import LockTimeoutError, NetworkError
from intervals_mirror.schedule import SyncScheduler, first_run_at, sync_job
from intervals_mirror.server import create_server
from intervals_mirror.sync import writer_lock

from conftest import API_KEY
from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    dead_base_url,
    make_dataset,
    mirror_settings,
)


@pytest.fixture
def settings(template: SyncedStore, tmp_path: Path) -> Settings:
    return mirror_settings(template.copy_to(tmp_path), dead_base_url(), template.athlete_id,
                           interval_minutes=60)


def age_last_sync(db: Path, minutes: int) -> str:
    """Pretend the last good sync finished ``minutes`` ago; returns that time."""
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).isoformat(
        timespec="seconds").replace("+00:00", "Z")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE sync_runs SET finished_at = ? WHERE status = 'ok'", (stamp,))
    conn.close()
    return stamp


def ok_runs(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM sync_runs WHERE status = 'ok'")
                   .fetchone()[0])
    finally:
        conn.close()


def test_no_job_without_an_interval_or_credentials(settings: Settings) -> None:
    for off, reason in [(dataclasses.replace(settings, interval_minutes=0), "interval_minutes"),
                        (dataclasses.replace(settings, api_key=""), "no API key")]:
        jobs = SyncScheduler(off, runner=lambda s: pytest.fail("must not sync"))
        jobs.start()
        assert jobs.describe()["running"] is False
        assert reason in jobs.describe()["off_reason"]
        jobs.shutdown()


def test_a_fresh_store_waits_one_interval_after_the_last_sync(settings: Settings) -> None:
    finished = age_last_sync(settings.db_path, 10)
    now = dt.datetime.now(dt.UTC)
    expected = dt.datetime.fromisoformat(finished.replace("Z", "+00:00")) + dt.timedelta(
        minutes=60)
    assert first_run_at(settings, now) == expected
    age_last_sync(settings.db_path, 61)
    assert first_run_at(settings, now) == now
    missing = dataclasses.replace(settings, db_path=settings.db_path.with_name("none.sqlite"))
    assert first_run_at(missing, now) == now


def test_a_stale_store_syncs_once_at_start(settings: Settings) -> None:
    age_last_sync(settings.db_path, 90)
    ran = threading.Event()
    jobs = SyncScheduler(settings, runner=lambda s: ran.set())
    jobs.start()
    try:
        assert ran.wait(5)
        next_run = jobs.describe()["next_run"]
        assert next_run is not None and next_run > dt.datetime.now(dt.UTC).isoformat()[:16]
    finally:
        jobs.shutdown()


def test_the_job_logs_failures_and_never_raises(settings: Settings,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="intervals_mirror.schedule")

    def offline(_: Settings) -> None:
        raise NetworkError("cannot reach Intervals.icu")

    def busy(_: Settings) -> None:
        raise LockTimeoutError("another sync is writing")

    def broken(_: Settings) -> None:
        raise RuntimeError("a bug")

    for runner in (offline, busy, broken):
        sync_job(settings, runner)
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("WARNING", "background sync failed: cannot reach Intervals.icu") in messages
    assert ("INFO", "background sync skipped: another sync is running") in messages
    assert ("ERROR", "background sync crashed") in messages


def test_the_job_skips_while_another_sync_holds_the_writer_lock(
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="intervals_mirror.schedule")
    quick = dataclasses.replace(settings, lock_timeout=0.2)
    before = ok_runs(settings.db_path)
    with writer_lock(settings):  # what a cron `intervals-mirror sync` holds while it runs
        sync_job(quick)
    assert "background sync skipped: another sync is running" in caplog.messages
    assert ok_runs(settings.db_path) == before


@pytest.fixture
def live_settings(template: SyncedStore, tmp_path: Path) -> Iterator[Settings]:
    with FakeIntervals(make_dataset(), api_key=API_KEY) as fake:
        yield mirror_settings(template.copy_to(tmp_path), fake.base_url, template.athlete_id,
                              interval_minutes=60)


@pytest.mark.anyio
async def test_the_server_syncs_a_stale_store_in_the_background_while_tools_answer(
        live_settings: Settings) -> None:
    age_last_sync(live_settings.db_path, 120)
    before = ok_runs(live_settings.db_path)
    async with Client(create_server(live_settings)) as client:
        deadline = time.monotonic() + 20
        while ok_runs(live_settings.db_path) == before:
            answer = await client.call_tool("get_activities", {})
            assert not answer.is_error
            assert time.monotonic() < deadline, "no background sync"
            await anyio.sleep(0.05)
        status = await client.call_tool("get_sync_status", {})
    assert "background sync: every 60 min, next " in status.content[0].text
