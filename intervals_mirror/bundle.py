"""`intervals-mirror bundle`: an MCP Bundle (``.mcpb``) that Claude Desktop installs with a
double click, asking for the API key (kept in the OS keychain), the athlete id and,
optionally, where the store goes.

The bundle is a zip in the layout `mcpb pack` makes: ``manifest.json`` at the root and the
wheel of this installation under ``server/``. Its server runs that wheel with ``uvx``
(``uvx --from <wheel> intervals-mirror serve``): Python bundles cannot carry compiled
dependencies (pydantic, DuckDB) portably, and uv fetches the right ones for the machine, and a
Python if there is none. The tools are listed from the server itself (names and descriptions:
the manifest's schema allows no more), so the manifest cannot drift from the code.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .installed_wheel import wheel_name, write_wheel, zip_entry

MANIFEST_VERSION = "0.3"
DESCRIPTION = ("Your Intervals.icu data in a local SQLite mirror, answered offline in "
               "milliseconds: activities, intervals, wellness, fitness, calendar, charts.")
LONG_DESCRIPTION = """\
intervals-mirror keeps a complete copy of your Intervals.icu account (activities with their \
intervals, wellness with your custom fields, the calendar, gear, sport settings) in one \
SQLite file on this computer, kept current in the background, and answers Claude from it: \
lookups, training summaries, fitness trends, read-only SQL and charts, with or without a \
network. The first start mirrors your whole history (a few minutes).

Needs [uv](https://docs.astral.sh/uv/) installed: the bundle runs \
`uvx --from <its wheel> intervals-mirror serve`, and uv fetches Python 3.11+ and the \
dependencies the first time (online once)."""
# Where uv's installers put uvx, for a Claude Desktop on macOS whose PATH has none of them.
MAC_PATH = "${HOME}/.local/bin:${HOME}/.cargo/bin:/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin"
USER_CONFIG: dict[str, dict[str, Any]] = {
    "api_key": {"type": "string", "title": "Intervals.icu API key", "sensitive": True,
                "required": True,
                "description": "Intervals.icu > Settings > Developer settings > API key"},
    "athlete_id": {"type": "string", "title": "Athlete id", "required": True,
                   "description": "The i12345 in your Intervals.icu address"},
    # A path typed in, not a file picker: a new user's store does not exist yet, and a
    # picker may offer only files that do.
    "store_path": {"type": "string", "title": "Store (optional)", "required": False,
                   "default": "",
                   "description": "The SQLite file to keep the mirror in; empty: the "
                                  "default place (where `intervals-mirror db-path` says)"},
}


def manifest(tools: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The manifest for a bundle carrying this installation's wheel; ``tools``: (name,
    description) as the server lists them."""
    wheel = f"server/{wheel_name()}"
    env = {"INTERVALS_API_KEY": "${user_config.api_key}",
           "INTERVALS_ATHLETE_ID": "${user_config.athlete_id}",
           "INTERVALS_MIRROR_DB": "${user_config.store_path}"}
    return {
        "manifest_version": MANIFEST_VERSION,
        "name": "intervals-mirror",
        "display_name": "Intervals.icu mirror",
        "version": __version__,
        "description": DESCRIPTION,
        "long_description": LONG_DESCRIPTION,
        "author": {"name": "intervals-mirror"},
        "license": "MIT",
        "keywords": ["intervals.icu", "training", "cycling", "running", "fitness", "sqlite"],
        "server": {
            "type": "python",
            "entry_point": wheel,
            "mcp_config": {
                "command": "uvx",
                "args": ["--from", "${__dirname}/" + wheel, "intervals-mirror", "serve"],
                "env": env,
                "platform_overrides": {"darwin": {"env": {**env, "PATH": MAC_PATH}}},
            },
        },
        "tools": [{"name": name, "description": description} for name, description in tools],
        "tools_generated": False,
        "user_config": USER_CONFIG,
        "compatibility": {"platforms": ["darwin", "win32", "linux"],
                          "runtimes": {"python": ">=3.11"}},
    }


def write_bundle(out: Path, tools: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The bundle at ``out`` (written whole, then moved into place); its manifest."""
    made = manifest(tools)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as folder:
        wheel = write_wheel(Path(folder))
        partial = Path(folder) / out.name
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(zip_entry("manifest.json"),
                            json.dumps(made, indent=2, ensure_ascii=False) + "\n")
            bundle.writestr(zip_entry(f"server/{wheel.name}"), wheel.read_bytes())
        partial.replace(out)
    return made
