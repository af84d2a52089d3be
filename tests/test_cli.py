"""Every command explains itself, and behaves as a Unix command in a pipe."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from intervals_mirror.cli import build_parser, main

from server_helpers import SyncedStore
from test_sync_processes import executable

COMMANDS = ["sync", "status", "db-path", "init", "demo", "doctor", "serve", "claude-config",
            "sql", "report", "export"]


def test_every_command_is_listed() -> None:
    listed = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert sorted(listed) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: intervals-mirror {command}")
    assert len(out.splitlines()) > 3


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
