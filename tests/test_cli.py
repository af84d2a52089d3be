"""Every command explains itself."""

from __future__ import annotations

import pytest

from intervals_mirror.cli import build_parser, main

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
