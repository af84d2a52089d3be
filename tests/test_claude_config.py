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


# -- claude-config --write ------------------------------------------------------------------

OTHERS = {"globalShortcut": "Ctrl+Space",
          "mcpServers": {"filesystem": {"command": "npx", "args": ["-y", "fs", "/tmp"]},
                         "weather": {"command": "/opt/w", "env": {"TOKEN": "w-secret"}}}}


def desktop_file(home: Path) -> Path:
    """Where Claude Desktop keeps its config under this HOME (unofficial Linux builds)."""
    return home / ".config" / "Claude" / "claude_desktop_config.json"


def write(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "claude-config", "--write"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME whose Claude Desktop already has two other servers and a setting."""
    folder = tmp_path / "home"
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    path = desktop_file(folder)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OTHERS, indent=4), encoding="utf-8")
    return folder


def test_the_desktop_config_is_where_claude_desktop_reads_it(tmp_path: Path) -> None:
    from intervals_mirror.config import claude_desktop_config_path

    name = "claude_desktop_config.json"
    assert claude_desktop_config_path({"HOME": str(tmp_path)}, "darwin") == \
        tmp_path / "Library" / "Application Support" / "Claude" / name
    appdata = tmp_path / "AppData" / "Roaming"
    assert claude_desktop_config_path({"APPDATA": str(appdata)}, "win32") == \
        appdata / "Claude" / name
    assert claude_desktop_config_path({"HOME": str(tmp_path)}, "linux") == \
        tmp_path / ".config" / "Claude" / name
    assert claude_desktop_config_path({"HOME": "/x", "XDG_CONFIG_HOME": str(tmp_path)},
                                      "linux") == tmp_path / "Claude" / name


def test_write_merges_the_entry_backs_up_and_leaves_the_rest(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[intervals]\napi_key = "{KEY}"\nathlete_id = "i42"\n', encoding="utf-8")
    path = desktop_file(home)
    before = path.read_bytes()
    code, out, _ = write(capsys, "--config", str(config))
    assert code == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert KEY not in path.read_text(encoding="utf-8") and KEY not in out
    assert {k: v for k, v in written.items() if k != "mcpServers"} == {
        "globalShortcut": "Ctrl+Space"}
    servers = written["mcpServers"]
    assert {k: v for k, v in servers.items() if k != "intervals-mirror"} == \
        OTHERS["mcpServers"]
    assert servers["intervals-mirror"]["env"] == {"INTERVALS_MIRROR_CONFIG": str(config)}
    assert Path(servers["intervals-mirror"]["command"]).is_absolute()
    (backup,) = path.parent.glob("claude_desktop_config.json.*.bak")
    assert backup.read_bytes() == before
    assert f"{path}: added mcpServers.intervals-mirror" in out
    assert f"backed up the old file to {backup}" in out
    assert "left as they were: filesystem, weather" in out

    again, out, _ = write(capsys, "--config", str(config))
    assert again == 0 and "already this entry; nothing changed" in out
    assert len(list(path.parent.glob("*.bak"))) == 1


def test_a_key_only_in_the_environment_is_written_and_never_shown(
        home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    monkeypatch.setenv("INTERVALS_API_KEY", KEY)
    monkeypatch.setenv("INTERVALS_ATHLETE_ID", "i7")
    code, out, err = write(capsys)
    assert code == 0 and KEY not in out + err
    path = desktop_file(home)
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]["intervals-mirror"]
    assert entry["env"] == {"API_KEY": KEY, "ATHLETE_ID": "i7"}
    assert "env API_KEY=(your key, not shown)" in out
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o077 == 0  # it holds the key now: the user's alone


def test_a_key_already_in_the_entry_is_kept(home: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    path = desktop_file(home)
    path.write_text(json.dumps({"mcpServers": {"intervals-mirror": {
        "command": "/old/intervals-mirror", "args": ["serve"],
        "env": {"API_KEY": KEY, "ATHLETE_ID": "i9"}}}}), encoding="utf-8")
    code, out, _ = write(capsys, "--athlete-id", "i9")
    assert code == 0 and "kept the API key the entry already had" in out
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]["intervals-mirror"]
    assert entry["env"]["API_KEY"] == KEY and entry["command"] != "/old/intervals-mirror"
    assert "replaced mcpServers.intervals-mirror" in out and KEY not in out


@pytest.mark.parametrize(("content", "args", "expected"), [
    (json.dumps(OTHERS), ["--athlete-id", "i9"], "no API key to write into the entry"),
    ('{"mcpServers": {', ["--athlete-id", "i9"], "is not valid JSON (line 1"),
    ('{"mcpServers": []}', ["--athlete-id", "i9"], "mcpServers is an object"),
])
def test_nothing_changes_when_the_entry_cannot_be_written(
        home: Path, capsys: pytest.CaptureFixture[str], content: str, args: list[str],
        expected: str) -> None:
    path = desktop_file(home)
    path.write_text(content, encoding="utf-8")
    code, _, err = write(capsys, *args)
    assert code == 1 and expected in err and "nothing was changed" in err
    assert path.read_text(encoding="utf-8") == content
    assert not list(path.parent.glob("*.bak"))


def test_write_without_an_athlete_id_says_where_the_flag_goes(
        home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ATHLETE_ID", "INTERVALS_ATHLETE_ID", "INTERVALS_MIRROR_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVALS_API_KEY", KEY)
    path = desktop_file(home)
    before = path.read_bytes()
    code, _, err = write(capsys)
    assert code == 1 and "(`intervals-mirror --athlete-id i12345 claude-config --write`)" in err
    assert "nothing was changed" in err and KEY not in err
    assert path.read_bytes() == before


def test_write_creates_the_file_and_serves_the_demo_without_a_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "elsewhere" / "claude.json"
    code = main(["claude-config", "--demo", "--write", "--desktop-config", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and f"{path}: added mcpServers.intervals-mirror-demo" in out
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]["intervals-mirror-demo"]
    assert entry["args"][-2:] == ["serve", "--demo"] and entry["env"] == {}
    assert "backed up" not in out
