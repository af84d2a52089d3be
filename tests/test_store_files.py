"""The store's files: private, checked for damage before a sync, readable from a read-only
folder, and a full disk reported as such, with nothing lost."""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import resource
import signal
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from intervals_mirror import records
from intervals_mirror.cli import main
from intervals_mirror.errors import DiskFullError
from intervals_mirror.store import Store
from intervals_mirror.sync import run_sync, sync_running

from conftest import API_KEY, settings_for
from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api
from server_helpers import SyncedStore, make_dataset
from test_sync_processes import cli_env, executable


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


# -- private files ---------------------------------------------------------------------------


def test_the_store_its_wal_shm_and_lock_are_created_private(fake_api: FakeIntervals,
                                                            tmp_path: Path) -> None:
    settings = settings_for(fake_api, tmp_path / "data" / "mirror.sqlite")
    with umask(0o022):
        assert not sync_running(settings)  # `status` asks this, which creates the lock file
        lock = Path(f"{settings.db_path}.lock")
        assert mode(lock) == 0o600
        lock.unlink()
        run_sync(settings)
        with Store.open(settings.db_path) as store, store.transaction():
            store.upsert("activities", [records.activity_row(
                {"id": "i1", "start_date_local": "2026-01-01T08:00:00"}, "x", "t")])
            wal, shm = (Path(f"{settings.db_path}-{kind}") for kind in ("wal", "shm"))
            assert (mode(settings.db_path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    assert mode(lock) == 0o600


# -- a damaged store -------------------------------------------------------------------------


def damage(path: Path, at: str) -> None:
    """8 KiB of random bytes written into the file, as a failing disk or a bad copy does."""
    offset = 0 if at == "header" else path.stat().st_size // 2 // 4096 * 4096
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(random.Random(14).randbytes(8192))


@pytest.fixture
def fast_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIntervals]:
    """`main` set up as a user would have it, against a fake serving the template's data."""
    config = tmp_path / "fast.toml"
    config.write_text("[http]\nrequests_per_second = 1000\n", encoding="utf-8")
    with FakeIntervals(make_dataset(), api_key=API_KEY) as fake:
        for name, value in (("INTERVALS_MIRROR_CONFIG", str(config)), ("API_KEY", API_KEY),
                            ("ATHLETE_ID", fake.athlete_id),
                            ("INTERVALS_API_BASE_URL", fake.base_url)):
            monkeypatch.setenv(name, value)
        yield fake


@pytest.mark.parametrize("at", ["middle", "header"])
def test_sync_and_status_refuse_a_damaged_store_and_say_how_to_recover(
        template: SyncedStore, tmp_path: Path, at: str, fast_cli: FakeIntervals,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = template.copy_to(tmp_path)
    damage(path, at)
    before = path.read_bytes()
    for args in (["sync"], ["sync", "--full"], ["status"]):
        assert main(["--db", str(path), *args]) == 1, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert f"store {path} is damaged" in err
        assert f"move it away (e.g. mv {path} {path}.damaged)" in err
        assert "run `intervals-mirror sync`" in err
    assert path.read_bytes() == before  # nothing was written into the damaged file
    assert fast_cli.count() == 0  # refused before asking the API anything
    # The advice works: the API holds everything.
    path.rename(f"{path}.damaged")
    assert main(["--db", str(path), "sync"]) == 0
    assert_store_equals_api(path, fast_cli.dataset)


def test_doctor_reports_a_damaged_store_on_one_line(
        template: SyncedStore, tmp_path: Path, fast_cli: FakeIntervals,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = template.copy_to(tmp_path)
    damage(path, "middle")
    assert main(["--db", str(path), "doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["config", "api", "athlete", "api", "store",
                                                   "scheduler"]
    (store_line,) = [line for line in lines if line.split()[1] == "store"]
    assert store_line.startswith("FAIL store") and "is damaged" in store_line
    assert "move it away" in store_line


def test_a_store_missing_a_table_is_refused_too(template: SyncedStore, tmp_path: Path,
                                                fast_cli: FakeIntervals,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = template.copy_to(tmp_path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE intervals")
    assert main(["--db", str(path), "sync"]) == 1
    assert "table intervals missing" in capsys.readouterr().err


# -- a read-only folder ----------------------------------------------------------------------

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _as_plain_user() -> None:
    """In the child, before exec: root ignores file modes unless it gives up these powers."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_restricted(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([executable(), *args], env=env, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL, preexec_fn=_as_plain_user)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"cannot run a process without root's file powers here: {exc}")


def test_status_and_sql_read_a_store_in_a_read_only_folder(template: SyncedStore,
                                                           tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = template.copy_to(folder)
    with contextlib.closing(sqlite3.connect(path)) as conn:  # as a sync leaves it:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(p.name for p in folder.iterdir()) == ["mirror.sqlite"]  # no -wal, -shm
    expected = sum(1 for a in template.dataset.activities.values())
    env = {**os.environ, "INTERVALS_MIRROR_DB": str(path)}
    folder.chmod(0o555)
    try:
        status = run_restricted(["status"], env)
        counted = run_restricted(["sql", "SELECT count(*) AS n FROM activities",
                                  "--format", "csv"], env)
    finally:
        folder.chmod(0o755)
    assert status.returncode == 0, status.stderr
    assert f"activities: {expected:>6} rows" in status.stdout
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.split() == ["n", str(expected)]
    assert "readonly" not in status.stderr + counted.stderr


# -- a full disk -----------------------------------------------------------------------------


def test_a_full_disk_is_reported_as_such_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store:
        with store.transaction():
            store.upsert("activities", [records.activity_row(
                {"id": "i1", "start_date_local": "2026-01-01T08:00:00"}, "i9", "t")])
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
        rows = [records.activity_row({"id": f"i{n}", "start_date_local": "2026-01-02T08:00:00",
                                      "description": "x" * 2000}, "i9", "t")
                for n in range(2, 200)]
        with pytest.raises(DiskFullError) as info, store.transaction():
            store.upsert("activities", rows)
        assert store.row_count("activities") == 1
    message = str(info.value)
    assert f"cannot write store {path}: the disk is full" in message
    assert "nothing was lost" in message and "\n" not in message


def _small_files() -> None:
    """In the child: files may grow to 1 MB, then writes fail (EFBIG: "disk I/O error")."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


def test_a_sync_stopped_by_a_full_disk_says_so_and_the_next_one_completes(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite"
    env = cli_env(fake_api, db)
    full = subprocess.run([executable(), "sync"], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, preexec_fn=_small_files)
    assert full.returncode == 1
    assert full.stderr.count("\n") == 1, full.stderr
    assert "the disk failed a write (is it full?)" in full.stderr
    assert "nothing was lost: the unfinished transaction was rolled back" in full.stderr
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = subprocess.run([executable(), "sync"], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert_store_equals_api(db, fake_api.dataset)

