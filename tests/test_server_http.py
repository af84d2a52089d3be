"""`serve --http`: streamable HTTP, refused beyond loopback without a bearer token, and every
request without the token rejected."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from intervals_mirror.cli import main
from intervals_mirror.config import Settings
from intervals_mirror.errors import ConfigError
from intervals_mirror.server import http_app

from server_helpers import (
    ACCEPT,
    INITIALIZE,
    SyncedStore,
    ThreadedUvicorn,
    dead_base_url,
    executable,
    free_port,
    mirror_settings,
    server_env,
)

TOKEN = "t0ken-for-tests-8c1d"


@pytest.fixture
def settings(template: SyncedStore, tmp_path: Path) -> Settings:
    return mirror_settings(template.copy_to(tmp_path), dead_base_url(), template.athlete_id,
                           server_token=TOKEN)


@pytest.fixture
def running(settings: Settings) -> Iterator[str]:
    with ThreadedUvicorn(http_app(settings, host="127.0.0.1")) as server:
        yield server.url


async def rejected(url: str, headers: dict[str, str]) -> int:
    async with httpx2.AsyncClient() as http:
        response = await http.post(url, json=INITIALIZE, headers=ACCEPT | headers)
    return response.status_code


@pytest.mark.anyio
async def test_http_rejects_requests_without_the_token_and_answers_with_it(
        running: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        assert await rejected(running, headers) == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx2.AsyncClient(headers=bearer) as http, \
            Client(streamable_http_client(running, http_client=http)) as client:
        result = await client.call_tool("get_activities", {"limit": 3})
    assert not result.is_error
    assert result.structured_content is None
    assert ", newest 3 shown:" in result.content[0].text.splitlines()[0]


def test_a_non_loopback_host_is_refused_without_a_token(settings: Settings) -> None:
    open_settings = dataclasses.replace(settings, server_token="")
    with pytest.raises(ConfigError, match="INTERVALS_MIRROR_TOKEN"):
        http_app(open_settings, host="0.0.0.0")
    http_app(open_settings, host="127.0.0.1")  # loopback needs none
    http_app(open_settings, host="localhost")


@pytest.mark.anyio
async def test_a_non_loopback_app_with_a_token_rejects_requests_without_it(
        settings: Settings) -> None:
    with ThreadedUvicorn(http_app(settings, host="0.0.0.0")) as server:
        assert await rejected(server.url, {}) == 401
        assert await rejected(server.url, {"Authorization": f"Bearer {TOKEN}"}) == 200


def test_serve_refuses_to_start_on_a_public_host_without_a_token(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(settings.db_path), "serve", "--http", "--host", "0.0.0.0"])
    assert code == 1
    assert "needs a bearer token; set INTERVALS_MIRROR_TOKEN" in capsys.readouterr().err


@pytest.mark.anyio
async def test_serve_http_subprocess_checks_the_token(settings: Settings,
                                                      tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    env = server_env(tmp_path, INTERVALS_MIRROR_DB=str(settings.db_path),
                     INTERVALS_MIRROR_TOKEN=TOKEN, PATH=str(Path(sys.executable).parent))
    with tempfile.TemporaryFile("w+") as errlog:
        proc = await anyio.open_process(
            [executable(), "serve", "--http", "--port", str(port)], env=env, stdout=errlog,
            stderr=errlog)
        try:
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
                with anyio.fail_after(20):
                    while True:
                        try:
                            await http.get(f"http://127.0.0.1:{port}/")
                            break
                        except httpx2.ConnectError:
                            await anyio.sleep(0.1)
                async with Client(streamable_http_client(url, http_client=http)) as client:
                    result = await client.call_tool("get_sync_status", {})
                    assert not result.is_error
            assert await rejected(url, {}) == 401
        finally:
            proc.terminate()
            with anyio.fail_after(10):
                await proc.wait()
            await proc.aclose()
        errlog.seek(0)
        logged = errlog.read()
    assert f"serving {settings.db_path} at http://127.0.0.1:{port}/mcp" in logged
    assert TOKEN not in logged
