"""`serve` builds its long-lived objects with the garbage collector paused, then freezes them
and turns the collector back on: left off, a server running for weeks would never free a
reference cycle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from server_helpers import server_env

# Stands in for the SDK's run loop: reports the collector's state once the server is built.
PROBE = """
import gc, json, sys
from mcp.server.mcpserver import MCPServer
MCPServer.run = lambda self, *a, **k: print(json.dumps(
    {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
from intervals_mirror.cli import main
sys.exit(main(["serve"]))
"""


def test_serve_freezes_what_it_built_and_leaves_the_collector_on(tmp_path: Path) -> None:
    env = server_env(tmp_path, INTERVALS_MIRROR_DB=str(tmp_path / "mirror.sqlite"))
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["enabled"] is True
    assert state["frozen"] > 10_000  # the SDK's types and the tools' models, out of later scans
