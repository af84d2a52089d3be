"""The ``mcpServers`` entry that ``intervals-mirror claude-config`` prints for Claude Desktop."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .demo.build import demo_settings

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
