"""`intervals-mirror claude-config`: a ready-to-paste Claude Desktop entry with absolute paths,
and never the API key."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.cli import main

KEY = "secret-key-0a9b8c7d"


def entry(capsys: pytest.CaptureFixture[str], *args: str, demo: bool = False
          ) -> tuple[str, dict[str, Any]]:
    """The printed text and the one server entry, for global ``args``."""
    assert main([*args, "claude-config", *(["--demo"] if demo else [])]) == 0
    out = capsys.readouterr().out
    servers = json.loads(out)["mcpServers"]
    (name,) = servers
    return out, {"name": name, **servers[name]}


def test_prints_the_absolute_command_and_a_placeholder_for_a_key_from_the_environment(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", KEY)
    monkeypatch.setenv("ATHLETE_ID", "i104233")
    out, server = entry(capsys)
    assert KEY not in out
    assert server["name"] == "intervals-mirror"
    command = Path(server["command"])
    assert command.is_absolute() and command.exists()
    assert command.name.startswith("intervals-mirror") or command == Path(sys.executable)
    assert server["args"][-1:] == ["serve"]
    assert server["env"] == {"API_KEY": "<your Intervals.icu API key>",
                             "ATHLETE_ID": "i104233"}


def test_a_key_in_the_config_file_is_found_through_intervals_mirror_config(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[intervals]\napi_key = "{KEY}"\nathlete_id = "i42"\n', encoding="utf-8")
    out, server = entry(capsys, "--config", str(config))
    assert KEY not in out
    assert server["env"] == {"INTERVALS_MIRROR_CONFIG": str(config.absolute())}


def test_a_store_outside_the_default_place_is_passed_as_an_absolute_path(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, server = entry(capsys, "--db", "mine.sqlite", "--athlete-id", "i7")
    assert server["env"]["INTERVALS_MIRROR_DB"] == str(tmp_path / "mine.sqlite")
    assert server["env"]["ATHLETE_ID"] == "i7"
    _, default = entry(capsys)
    assert "INTERVALS_MIRROR_DB" not in default["env"]
    assert default["env"]["ATHLETE_ID"].startswith("<")


def test_demo_entry_serves_the_demo_store_without_credentials(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, server = entry(capsys, demo=True)
    assert server["name"] == "intervals-mirror-demo"
    assert server["args"][-2:] == ["serve", "--demo"]
    assert server["env"] == {}
