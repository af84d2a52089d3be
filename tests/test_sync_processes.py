"""`intervals-mirror sync` as users run it: a real process, killed, doubled, and watched."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intervals_mirror.demo.clock import athlete_today

from conftest import API_KEY
from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api


def executable() -> str:
    found = shutil.which("intervals-mirror") or str(Path(sys.executable).parent /
                                                    "intervals-mirror")
    assert Path(found).exists(), "the console script is not installed"
    return found


def cli_env(fake: FakeIntervals, db: Path, **extra: str) -> dict[str, str]:
    """The environment a cron user would set, with a fast pace for the local fake."""
    config = db.parent / "fast.toml"
    config.write_text("[http]\nrequests_per_second = 400\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update({
        "INTERVALS_MIRROR_CONFIG": str(config),
        "API_KEY": API_KEY,
        "ATHLETE_ID": str(fake.dataset.athlete["id"]),
        "INTERVALS_API_BASE_URL": fake.base_url,
        "INTERVALS_MIRROR_DB": str(db),
    })
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([executable(), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def read(db: Path, sql: str) -> object:
    """One value from the store while another process writes it; None before it exists."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute(sql).fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def committed_activities(db: Path) -> int:
    return int(read(db, "SELECT count(*) FROM activities") or 0)


def test_cli_sync_is_quiet_on_success_and_status_reports(fake_api: FakeIntervals,
                                                        tmp_path: Path) -> None:
    env = cli_env(fake_api, tmp_path / "m.sqlite")
    result = run_cli(["sync"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    status = run_cli(["status"], env)
    assert status.returncode == 0
    assert f"{len(fake_api.dataset.activities)} rows" in status.stdout
    assert "mirrored up to" in status.stdout
    assert run_cli(["db-path"], env).stdout.strip() == str(tmp_path / "m.sqlite")


def test_sync_killed_mid_run_is_completed_by_the_next_run(fake_api: FakeIntervals,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite"
    fake_api.set_latency(0.02)
    env = cli_env(fake_api, db)
    total = len(fake_api.dataset.activities)
    process = subprocess.Popen([executable(), "sync"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while committed_activities(db) < total // 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert 0 < committed_activities(db) < total, "the kill must land part-way"
    assert read(db, "SELECT status FROM sync_runs ORDER BY id DESC") == "running"
    cursor = str(read(db, "SELECT covered_from FROM sync_state WHERE resource = 'activities'"))

    fake_api.set_latency(0)
    fake_api.reset_log()
    result = run_cli(["sync"], env)
    assert result.returncode == 0, result.stderr
    assert_store_equals_api(db, fake_api.dataset)
    conn = sqlite3.connect(db)
    statuses = [s for (s,) in conn.execute("SELECT status FROM sync_runs ORDER BY id")]
    assert statuses == ["interrupted", "ok"]
    # It resumed: besides the recent window, only days older than the killed run's
    # committed backfill cursor were listed again.
    recent = (athlete_today() - dt.timedelta(days=31)).isoformat()
    relisted = [r.query for r in fake_api.requests
                if r.path.endswith("/activities") and "fields" not in r.query
                and recent > r.query["newest"][:10] >= cursor]
    assert relisted == []
    assert conn.execute("SELECT count(*) FROM activities").fetchone()[0] == total


def test_two_syncs_at_once_take_turns(fake_api: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite"
    fake_api.set_latency(0.01)
    env = cli_env(fake_api, db)
    procs = [subprocess.Popen([executable(), "sync"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert_store_equals_api(db, fake_api.dataset)
    conn = sqlite3.connect(db)
    assert [s for (s,) in conn.execute("SELECT status FROM sync_runs")] == ["ok", "ok"]


def test_second_sync_gives_up_with_a_clear_message_when_the_lock_is_held(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    from filelock import FileLock

    db = tmp_path / "m.sqlite"
    config = tmp_path / "c.toml"
    config.write_text("[sync]\nlock_timeout = 0.5\n", encoding="utf-8")
    env = cli_env(fake_api, db, INTERVALS_MIRROR_CONFIG=str(config))
    with FileLock(f"{db}.lock"):
        result = run_cli(["sync"], env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "another sync is writing" in result.stderr


@pytest.mark.parametrize("args", [["-vv", "sync"], ["sync", "--full"]])
def test_the_key_never_appears_in_output_logs_or_the_store(
        fake_api: FakeIntervals, tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "m.sqlite"
    fake_api.inject(path="/wellness", status=503, times=1)
    result = run_cli(args, cli_env(fake_api, db))
    assert result.returncode == 0, result.stderr
    assert API_KEY not in result.stdout + result.stderr
    if args[0] == "-vv":
        assert "GET /athlete" in result.stderr  # debug logging really was on
    for path in tmp_path.iterdir():
        if path.is_file():
            assert API_KEY.encode() not in path.read_bytes(), path.name


def test_the_key_never_appears_in_errors(fake_api: FakeIntervals, tmp_path: Path) -> None:
    env = cli_env(fake_api, tmp_path / "m.sqlite", API_KEY="bad-key-abcdef-42")
    result = run_cli(["-vv", "sync"], env)
    assert result.returncode == 1
    assert "bad-key-abcdef-42" not in result.stdout + result.stderr
    assert "401" in result.stderr.splitlines()[-1]


def test_missing_credentials_is_one_line_that_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env["INTERVALS_MIRROR_DB"] = str(tmp_path / "m.sqlite")
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    result = run_cli(["sync"], env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "INTERVALS_API_KEY" in result.stderr


def test_bad_flags_are_rejected_with_the_expected_form(tmp_path: Path) -> None:
    env = {**os.environ, "INTERVALS_MIRROR_DB": str(tmp_path / "m.sqlite")}
    result = run_cli(["sync", "--only", "activities,gear"], env)
    assert result.returncode == 2 and "expected a comma list of" in result.stderr
    assert result.stderr.count("\n") == 1
    result = run_cli(["sync", "--since", "2024-02-30"], env)
    assert result.returncode == 2 and "expected a date YYYY-MM-DD" in result.stderr


def test_a_terminal_shows_progress_and_a_summary(fake_api: FakeIntervals, tmp_path: Path
                                                 ) -> None:
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen([executable(), "sync"], env=cli_env(fake_api, tmp_path / "m.db"),
                               stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    text = output.decode()
    assert "windows to list" in text and "activities " in text
    assert "new, 0 changed, 0 deleted" in text
    assert f"activities: {len(fake_api.dataset.activities)} new" in text.splitlines()[-1]


def test_an_unusable_store_path_is_one_line(fake_api: FakeIntervals, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    env = cli_env(fake_api, tmp_path / "m.sqlite", INTERVALS_MIRROR_DB=str(blocker / "m.sqlite"))
    result = run_cli(["sync"], env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "INTERVALS_MIRROR_DB" in result.stderr


def test_a_base_url_without_the_api_path_says_what_to_check(fake_api: FakeIntervals,
                                                            tmp_path: Path) -> None:
    env = cli_env(fake_api, tmp_path / "m.sqlite",
                  INTERVALS_API_BASE_URL=fake_api.base_url.removesuffix("/api/v1"))
    result = run_cli(["sync"], env)
    assert result.returncode == 1 and "base_url ends in /api/v1" in result.stderr


def test_status_shows_a_killed_run_as_interrupted_with_what_it_did(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite"
    fake_api.set_latency(0.02)
    env = cli_env(fake_api, db)
    process = subprocess.Popen([executable(), "sync"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while committed_activities(db) < 50 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    status = json.loads(run_cli(["status", "--json"], env).stdout)
    run = status["recent_runs"][0]
    assert run["status"] == "interrupted"
    assert run["activities_added"] >= 50 and run["requests"] > 0
