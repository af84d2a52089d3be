"""First run: `init` checks and saves credentials, `demo` needs no account, `doctor` diagnoses."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import API_KEY
from fake_api import FakeIntervals
from test_sync_processes import run_cli


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No credentials anywhere: what a fresh machine has."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update({"XDG_CONFIG_HOME": str(tmp_path / "config"),
                "XDG_DATA_HOME": str(tmp_path / "data")})
    env.update(extra)
    return env


def test_init_checks_the_key_and_writes_a_private_config(fake_api: FakeIntervals,
                                                         tmp_path: Path) -> None:
    env = bare_env(tmp_path, INTERVALS_API_BASE_URL=fake_api.base_url)
    result = run_cli(["init", "--api-key", API_KEY, "--athlete-id", "i104233"], env)
    assert result.returncode == 0, result.stderr
    config = tmp_path / "config" / "intervals-mirror" / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert API_KEY not in result.stdout + result.stderr
    assert fake_api.count() == 1
    # The saved config is enough for the main job.
    assert run_cli(["sync", "--only", "events"], env).returncode == 0


def test_init_with_a_wrong_key_writes_nothing(fake_api: FakeIntervals, tmp_path: Path) -> None:
    env = bare_env(tmp_path, INTERVALS_API_BASE_URL=fake_api.base_url)
    result = run_cli(["init", "--api-key", "nope-123456", "--athlete-id", "i104233"], env)
    assert result.returncode == 1 and "401" in result.stderr
    assert "run `intervals-mirror init` again; nothing was written" in result.stderr
    assert "INTERVALS_API_KEY" not in result.stderr  # init is how the key gets set
    assert "nope-123456" not in result.stderr
    assert not (tmp_path / "config").exists()


def test_init_with_someone_elses_athlete_id_writes_nothing(fake_api: FakeIntervals,
                                                           tmp_path: Path) -> None:
    env = bare_env(tmp_path, INTERVALS_API_BASE_URL=fake_api.base_url)
    result = run_cli(["init", "--api-key", API_KEY, "--athlete-id", "i7"], env)
    assert result.returncode == 1 and "403" in result.stderr
    assert "athlete i7" in result.stderr and "`intervals-mirror init` again" in result.stderr
    assert not (tmp_path / "config").exists()


def test_init_does_not_replace_a_config_without_force(fake_api: FakeIntervals,
                                                      tmp_path: Path) -> None:
    env = bare_env(tmp_path, INTERVALS_API_BASE_URL=fake_api.base_url)
    args = ["init", "--api-key", API_KEY, "--athlete-id", "i104233"]
    assert run_cli(args, env).returncode == 0
    again = run_cli(args, env)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_cli([*args, "--force"], env).returncode == 0


def test_demo_store_needs_no_account_and_answers_status_and_sql(tmp_path: Path) -> None:
    env = bare_env(tmp_path, INTERVALS_API_BASE_URL="http://127.0.0.1:9/api/v1")
    result = run_cli(["demo", "--years", "1"], env)
    assert result.returncode == 0, result.stderr
    status = json.loads(run_cli(["status", "--demo", "--json"], env).stdout)
    assert status["resources"]["activities"]["rows"] > 300
    assert status["strava_stubs"] > 0 and status["intervals"] > 0
    assert status["last_ok_sync"]["status"] == "ok"
    path = Path(run_cli(["db-path", "--demo"], env).stdout.strip())
    assert path.name == "demo.sqlite" and path.exists()
    # The real store is untouched by the demo.
    assert not (tmp_path / "data" / "intervals-mirror" / "mirror.sqlite").exists()


def test_demo_rejects_a_silly_number_of_years(tmp_path: Path) -> None:
    result = run_cli(["demo", "--years", "0"], bare_env(tmp_path))
    assert result.returncode == 2 and "years from 1 to 15" in result.stderr


def test_doctor_reports_each_check_on_one_line_without_the_key(fake_api: FakeIntervals,
                                                                tmp_path: Path) -> None:
    env = bare_env(tmp_path, API_KEY=API_KEY, ATHLETE_ID="i104233",
                   INTERVALS_API_BASE_URL=fake_api.base_url,
                   INTERVALS_MIRROR_DB=str(tmp_path / "m.sqlite"))
    before = run_cli(["doctor"], env)
    assert before.returncode == 1
    assert "FAIL store" in before.stdout and "run `intervals-mirror sync`" in before.stdout
    assert run_cli(["sync"], env).returncode == 0
    after = run_cli(["doctor"], env)
    assert after.returncode == 0, after.stdout
    names = [line.split()[1] for line in after.stdout.splitlines()]
    assert names == ["config", "api", "athlete", "api", "store", "schema", "last", "scheduler"]
    assert "integrity ok" in after.stdout and "mirrored up to" in after.stdout
    assert API_KEY not in after.stdout + after.stderr


def test_doctor_says_when_the_api_is_unreachable(tmp_path: Path) -> None:
    env = bare_env(tmp_path, API_KEY=API_KEY, ATHLETE_ID="i104233",
                   INTERVALS_API_BASE_URL="http://127.0.0.1:9/api/v1",
                   INTERVALS_MIRROR_DB=str(tmp_path / "m.sqlite"))
    result = run_cli(["doctor"], env)
    assert result.returncode == 1
    assert "FAIL api" in result.stdout and "cannot reach Intervals.icu" in result.stdout


@pytest.mark.anyio
async def test_refresh_on_the_demo_store_explains_there_is_no_account(tmp_path: Path) -> None:
    from mcp import Client

    from intervals_mirror.config import load_settings
    from intervals_mirror.demo.build import build_demo_store, demo_settings
    from intervals_mirror.server import create_server

    real = load_settings(overrides={"db_path": tmp_path / "mirror.sqlite", "api_key": API_KEY,
                                    "athlete_id": "i104233"}, environ={})
    settings = demo_settings(real)
    build_demo_store(settings.db_path, years=1)
    async with Client(create_server(settings)) as client:
        refreshed = await client.call_tool("refresh", {})
        listed = await client.call_tool("get_activities", {})
    assert refreshed.is_error
    assert "demo store of a generated athlete" in refreshed.content[0].text
    assert not listed.is_error and "mirrored up to" in listed.content[0].text
    assert not (tmp_path / "mirror.sqlite").exists()  # the real store was never touched


def test_init_writes_a_new_config_where_it_is_told_with_the_base_url(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    target = tmp_path / "athletes" / "second.toml"
    env = bare_env(tmp_path)
    result = run_cli(["--config", str(target), "--base-url", fake_api.base_url, "init",
                      "--api-key", API_KEY, "--athlete-id", "i104233"], env)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    # The file alone is enough, base_url included.
    synced = run_cli(["sync", "--only", "events"],
                     bare_env(tmp_path, INTERVALS_MIRROR_CONFIG=str(target)))
    assert synced.returncode == 0, synced.stderr


def test_init_without_a_terminal_says_which_flags_to_pass(tmp_path: Path) -> None:
    result = run_cli(["init", "--athlete-id", "i104233"], bare_env(tmp_path))
    assert result.returncode == 1
    assert "pass --api-key KEY" in result.stderr and result.stderr.count("\n") == 1


def test_an_old_error_is_not_shown_after_a_good_sync(fake_api: FakeIntervals,
                                                     tmp_path: Path) -> None:
    env = bare_env(tmp_path, API_KEY=API_KEY, ATHLETE_ID="i104233",
                   INTERVALS_API_BASE_URL=fake_api.base_url,
                   INTERVALS_MIRROR_DB=str(tmp_path / "m.sqlite"))
    fake_api.inject(path="/athlete/", status=403, times=1)  # fails at once, no retries
    assert run_cli(["sync"], env).returncode == 1
    assert json.loads(run_cli(["status", "--json"], env).stdout)["last_error"] is not None
    fake_api.clear_faults()
    assert run_cli(["sync"], env).returncode == 0
    assert json.loads(run_cli(["status", "--json"], env).stdout)["last_error"] is None


EXAMPLE = Path(__file__).parents[1] / "config.example.toml"


def shipped_example(folder: Path, athlete_id: str, mode: int = 0o600) -> Path:
    """config.example.toml as shipped, with only the key and the athlete id filled in."""
    text = EXAMPLE.read_text(encoding="utf-8")
    filled = text.replace('api_key = ""', f'api_key = "{API_KEY}"', 1).replace(
        'athlete_id = ""', f'athlete_id = "{athlete_id}"', 1)
    assert filled.count(API_KEY) == 1 and f'"{athlete_id}"' in filled
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(filled, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_example_config_as_shipped_works(fake_api: FakeIntervals, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from intervals_mirror.cli import main

    config = shipped_example(tmp_path / "conf", fake_api.athlete_id)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("INTERVALS_API_BASE_URL", fake_api.base_url)
    default = tmp_path / "xdg-data" / "intervals-mirror" / "mirror.sqlite"  # conftest's XDG
    assert main(["--config", str(config), "db-path"]) == 0
    assert capsys.readouterr().out == f"{default}\n"
    assert main(["--config", str(config), "sync", "--only", "events"]) == 0
    assert capsys.readouterr().err == ""
    assert default.exists() and Path(f"{default}.lock").exists()
    assert list(work.iterdir()) == []  # no store and no `..lock` in the working folder


def test_sync_and_doctor_warn_about_a_key_file_others_can_read(fake_api: FakeIntervals,
                                                               tmp_path: Path) -> None:
    config = shipped_example(tmp_path / "conf", fake_api.athlete_id, mode=0o644)
    env = bare_env(tmp_path, INTERVALS_MIRROR_CONFIG=str(config),
                   INTERVALS_API_BASE_URL=fake_api.base_url)
    synced = run_cli(["sync", "--only", "events"], env)
    assert synced.returncode == 0, synced.stderr
    advice = f"permissions 0644 on {config} are too open"
    assert advice in synced.stderr and f"chmod 600 {config}" in synced.stderr
    doctor = run_cli(["doctor"], env)
    (line,) = [x for x in doctor.stdout.splitlines() if x.split()[1] == "config"]
    assert line.startswith("WARN config") and advice in line
    assert doctor.returncode == 0  # a warning, as ssh's: everything still works
    config.chmod(0o600)
    assert "too open" not in run_cli(["sync", "--only", "events"], env).stderr
    assert "too open" not in run_cli(["doctor"], env).stdout


def test_a_readable_config_without_the_key_is_no_concern(fake_api: FakeIntervals,
                                                         tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[sync]\nlookback_days = 7\n", encoding="utf-8")
    config.chmod(0o644)
    env = bare_env(tmp_path, INTERVALS_MIRROR_CONFIG=str(config), API_KEY=API_KEY,
                   ATHLETE_ID=fake_api.athlete_id, INTERVALS_API_BASE_URL=fake_api.base_url)
    synced = run_cli(["sync", "--only", "events"], env)
    assert synced.returncode == 0 and "too open" not in synced.stderr
