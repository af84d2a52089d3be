"""Every command explains itself, and behaves as a Unix command in a pipe."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

from intervals_mirror.cli import build_parser, main

from server_helpers import SyncedStore
from test_sync_processes import executable

COMMANDS = ["sync", "status", "db-path", "init", "demo", "doctor", "serve", "claude-config",
            "sql", "report", "export", "chart", "bundle", "datasette-metadata"]


def test_every_command_is_listed() -> None:
    listed = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert sorted(listed) == sorted(COMMANDS)


def test_demos_help_names_every_command_that_takes_demo() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    takers = {name for name, command in commands.items()
              if any("--demo" in action.option_strings for action in command._actions)}
    said = commands["demo"].description
    assert len(takers) >= 10 and [n for n in sorted(takers) if f" {n}" not in said] == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: intervals-mirror {command}")
    assert len(out.splitlines()) > 3
    said = out.split("\n\n")[1]  # what follows the usage: a line that says what it does
    assert not said.startswith(("positional arguments:", "options:")), out


@pytest.mark.parametrize(("args", "flag", "expected"), [
    (["sql", "SELECT 1", "--limit", "0"], "--limit", "expected a whole number of 1 or more, "
                                                     "got '0'"),
    (["sql", "SELECT 1", "--timeout", "0"], "--timeout", "expected a number of seconds above 0, "
                                                         "got '0'"),
    (["init", "--athlete-id", "nonsense"], "--athlete-id", "athlete id 'nonsense' is malformed"),
    (["--athlete-id", "nonsense", "status"], "--athlete-id", "athlete id 'nonsense' is "
                                                             "malformed"),
])
def test_a_bad_flag_value_is_a_flag_error_that_names_the_flag(
        args: list[str], flag: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit code 2, as argparse gives every other bad flag, before any work is done."""
    with pytest.raises(SystemExit) as stopped:
        main(args)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert f"argument {flag}: {expected}" in err and err.count("\n") == 1, err


def test_doctor_without_an_account_points_at_init(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    for check in ("api key", "athlete id"):
        line = next(x for x in lines if x.startswith(f"FAIL {check}"))
        assert "run `intervals-mirror init`" in line, line


def test_the_readme_lists_every_command_and_every_demo_flag() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("Global flags:", 1)[0]
    listed = re.findall(r"^\| `intervals-mirror (?:\[--config FILE\] )?([a-z-]+)", table, re.M)
    assert sorted(listed) == sorted(COMMANDS)
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    with_demo = {name for name, sub in commands.items()
                 if any("--demo" in a.option_strings for a in sub._actions)}
    said = re.search(r"`--demo` on (.*?) uses it", table)
    assert said and set(re.findall(r"`([a-z-]+)`", said.group(1))) == with_demo


def test_status_into_a_closed_pipe_exits_quietly(template: SyncedStore, tmp_path: Path) -> None:
    path = template.copy_to(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` has already gone: every write to the pipe fails
    try:
        result = subprocess.run([executable(), "--db", str(path), "status"], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=60,
                                stdin=subprocess.DEVNULL, env={**os.environ})
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141


@pytest.mark.parametrize(("host", "shown"), [("::1", "http://[::1]:{port}/mcp"),
                                             ("127.0.0.1", "http://127.0.0.1:{port}/mcp")])
def test_serve_http_prints_an_address_a_browser_or_client_accepts(
        host: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An IPv6 host is written in brackets (http://::1:8795/mcp is no URL)."""
    import intervals_mirror.server as server

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(server, "serve", lambda settings, *, http, host, port:
                        served.append((host, port)))
    code = main(["--db", str(tmp_path / "m.sqlite"), "serve", "--http", "--host", host,
                 "--port", str(port)])
    assert code == 0 and served == [(host, port)]
    err = capsys.readouterr().err
    assert f"at {shown.format(port=port)}" in err and "http://::" not in err
