"""The ``mcpServers`` entry that ``intervals-mirror claude-config`` prints for Claude Desktop,
and merges into Claude Desktop's config file with ``--write``."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .demo.build import demo_settings
from .errors import ConfigError

API_KEY_PLACEHOLDER = "<your Intervals.icu API key>"


def claude_desktop_entry(settings: Settings, *, demo: bool = False) -> dict[str, Any]:
    """Claude Desktop's ``mcpServers`` entry for this installation; never holds the key.

    Claude Desktop starts servers without the shell's PATH or environment, so the command is
    absolute and the environment carries what the settings did not get from the config file.
    """
    from_file = load_settings(config_path=settings.config_file, environ={})
    env: dict[str, str] = {}
    if settings.config_file:
        env["INTERVALS_MIRROR_CONFIG"] = str(settings.config_file.absolute())
    if not demo:
        if not from_file.api_key:
            env["API_KEY"] = API_KEY_PLACEHOLDER
        if not from_file.athlete_id:
            env["ATHLETE_ID"] = settings.athlete_id or "<your athlete id, e.g. i12345>"
        if settings.base_url != from_file.base_url:
            env["INTERVALS_API_BASE_URL"] = settings.base_url
    default_db = demo_settings(from_file).db_path if demo else from_file.db_path
    if settings.db_path.absolute() != default_db.absolute():
        env["INTERVALS_MIRROR_DB"] = str(settings.db_path.absolute())
    command, args = _console_command()
    entry = {"command": command, "args": [*args, "serve", *(["--demo"] if demo else [])],
             "env": env}
    return {"mcpServers": {"intervals-mirror-demo" if demo else "intervals-mirror": entry}}


def _console_command() -> tuple[str, list[str]]:
    """The installed ``intervals-mirror`` script (beside this Python), else ``python -m``."""
    name = "intervals-mirror.exe" if sys.platform == "win32" else "intervals-mirror"
    beside = Path(sys.executable).absolute().parent / name
    if beside.is_file():
        return str(beside), []
    found = shutil.which("intervals-mirror")
    if found:
        return str(Path(found).absolute()), []
    return str(Path(sys.executable).absolute()), ["-m", "intervals_mirror"]


KEY_NAMES = ("API_KEY", "INTERVALS_API_KEY")


def write_claude_desktop_config(settings: Settings, path: Path, *, demo: bool = False
                                ) -> list[str]:
    """Merge this installation's entry into Claude Desktop's config file at ``path``; what
    was done, one line each (the key never shown).

    The file is backed up first and written whole (a temporary file moved into place); other
    servers' entries and every other setting stay as they were. The key is written only when
    no config file holds it (the entry then points at that file instead)."""
    name, server = next(iter(claude_desktop_entry(settings, demo=demo)["mcpServers"].items()))
    existing = _read_desktop_config(path)
    servers = existing.get("mcpServers") or {}
    before = servers.get(name)
    said = _fill_in_secrets(server, settings, before)
    if before == server:
        return [f"{path}: mcpServers.{name} is already this entry; nothing changed"]
    lines = [f"{path}: {'replaced' if before else 'added'} mcpServers.{name}: "
             f"{server['command']} {' '.join(server['args'])}"]
    lines += [f"  env {key}={_shown_env(key, value)}" for key, value in server["env"].items()]
    lines += said
    if path.exists():
        lines.append(f"backed up the old file to {_backup(path)}")
    others = sorted(set(servers) - {name})
    if others:
        lines.append(f"left as they were: {', '.join(others)}")
    _write_json(path, {**existing, "mcpServers": {**servers, name: server}},
                private=any(key in server["env"] for key in KEY_NAMES))
    lines.append("Restart Claude Desktop to use it.")
    return lines


def _fill_in_secrets(server: dict[str, Any], settings: Settings,
                     before: dict[str, Any] | None) -> list[str]:
    """The key and athlete id a working entry needs, where no config file gives them: from
    the settings (environment, flags), else kept from the entry already there."""
    env: dict[str, str] = server["env"]
    old_env = (before or {}).get("env") or {}
    said = []
    if env.get("API_KEY") == API_KEY_PLACEHOLDER:
        kept = next((old_env[k] for k in KEY_NAMES if old_env.get(k, "").strip()
                     and not old_env[k].startswith("<")), None)
        if settings.api_key:
            env["API_KEY"] = settings.api_key
            said.append("  the API key comes from your environment and is written into the "
                        "entry (`intervals-mirror init` keeps it in a config file instead)")
        elif kept:
            env["API_KEY"] = kept
            said.append("  kept the API key the entry already had")
        else:
            raise ConfigError("no API key to write into the entry: run `intervals-mirror "
                              "init` (it keeps the key in a config file the entry then points "
                              "at) or set INTERVALS_API_KEY, then run this again; nothing "
                              "was changed")
    if env.get("ATHLETE_ID", "").startswith("<"):
        raise ConfigError("no athlete id to write into the entry: give it before the command "
                          "(`intervals-mirror --athlete-id i12345 claude-config --write`) or "
                          "run `intervals-mirror init`; nothing was changed")
    return said


def _shown_env(key: str, value: str) -> str:
    return "(your key, not shown)" if key in KEY_NAMES else value


def _read_desktop_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8") or "{}")
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}): fix it "
                          "or move it away, then run this again; nothing was changed") from None
    if not isinstance(found, dict) or not isinstance(found.get("mcpServers", {}), dict):
        raise ConfigError(f"{path}: expected a JSON object whose mcpServers is an object; "
                          "nothing was changed")
    return found


def _backup(path: Path) -> Path:
    """A copy beside the file, never replacing an earlier one."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target, n = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    shutil.copy2(path, target)
    return target


def _write_json(path: Path, data: dict[str, Any], *, private: bool) -> None:
    """Written whole or not at all; a file holding the key is the user's alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if private:
        partial.chmod(0o600)
    elif path.exists():
        shutil.copymode(path, partial)
    os.replace(partial, path)
