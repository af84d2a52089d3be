"""Remote mode over real HTTP on 127.0.0.1: the SSE transport beside /mcp, /health, the token
as Bearer or X-API-Key, CORS for the allowed origins, HTTPS behind a trusted proxy."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from intervals_mirror.config import Settings, load_settings
from intervals_mirror.server import http_app

from conftest import API_KEY
from server_helpers import (
    ACCEPT,
    INITIALIZE,
    SyncedStore,
    ThreadedUvicorn,
    dead_base_url,
    executable,
    execute,
    free_port,
    mirror_settings,
    newest_first,
    server_env,
    text_of,
)

TOKEN = "t0ken-for-remote-tests-5e2a"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
ORIGIN = "https://app.example"


@pytest.fixture
def store(template: SyncedStore, tmp_path: Path) -> Path:
    return template.copy_to(tmp_path)


def remote(store: Path, template: SyncedStore, **overrides: Any) -> Settings:
    """Settings for `serve --http` with a token; background sync off unless an API key is
    given (the interval still counts for /health)."""
    values = {"server_token": TOKEN, "api_key": "", "interval_minutes": 60, **overrides}
    return mirror_settings(store, dead_base_url(), template.athlete_id, **values)


@contextmanager
def serving(settings: Settings, host: str = "127.0.0.1") -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(http_app(settings, host=host)) as server:
        yield server


def post_initialize(server: ThreadedUvicorn, headers: dict[str, str]) -> httpx2.Response:
    return httpx2.post(server.url, json=INITIALIZE, headers=ACCEPT | headers, timeout=10)


def cors_headers(response: httpx2.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()
            if k.lower().startswith("access-control-")}


def listed_ids(text: str) -> list[str]:
    return re.findall(r"\((i\d+)\)", text)


# -- both transports in one process --------------------------------------------------------


@pytest.mark.anyio
async def test_an_sse_client_set_up_for_the_live_api_server_connects_beside_mcp(
        template: SyncedStore, store: Path) -> None:
    end = template.dataset.end
    args = {"start_date": (end - dt.timedelta(days=30)).isoformat(),
            "end_date": end.isoformat(), "limit": 3}
    expected = newest_first(template.dataset, args["start_date"], args["end_date"])[:3]
    with serving(remote(store, template)) as server:
        async with Client(sse_client(f"{server.base}/sse", headers=BEARER)) as sse, \
                httpx2.AsyncClient(headers=BEARER) as http, \
                Client(streamable_http_client(server.url, http_client=http)) as streamable:
            for client in (sse, streamable):  # both sessions open at once
                result = await client.call_tool("get_activities", args)
                assert not result.is_error, text_of(result)
                assert listed_ids(text_of(result)) == expected


@pytest.mark.anyio
async def test_an_sse_client_leaving_does_not_stop_the_background_sync(
        template: SyncedStore, store: Path) -> None:
    """The SSE transport enters the server's lifespan once per connection."""
    settings = remote(store, template, api_key=API_KEY)
    with serving(settings) as server:
        async with Client(sse_client(f"{server.base}/sse", headers=BEARER)) as sse:
            assert "background sync: every 60 min" in text_of(
                await sse.call_tool("get_sync_status", {}))
        async with httpx2.AsyncClient(headers=BEARER) as http, \
                Client(streamable_http_client(server.url, http_client=http)) as streamable:
            after = text_of(await streamable.call_tool("get_sync_status", {}))
    assert "background sync: every 60 min" in after


def test_stopping_the_server_ends_an_open_sse_stream_cleanly(store: Path,
                                                             tmp_path: Path) -> None:
    """`docker stop` (SIGTERM) with a client connected: the stream ends, nothing is cut
    mid-answer, and nothing but the start line is logged."""
    port = free_port()
    env = server_env(tmp_path, INTERVALS_MIRROR_DB=str(store), MCP_API_KEY=TOKEN,
                     PATH=str(Path(sys.executable).parent))
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen([executable(), "serve", "--http", "--port", str(port)],
                                env=env, stdout=log, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx2.get(f"{base}/health", timeout=5)
                    break
                except httpx2.TransportError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.1)
            with httpx2.stream("GET", f"{base}/sse", headers=BEARER, timeout=30) as stream:
                lines = stream.iter_lines()
                assert next(lines) == "event: endpoint"
                proc.send_signal(signal.SIGTERM)
                rest = list(lines)  # a stream cut mid-body raises RemoteProtocolError here
            assert proc.wait(timeout=15) in (0, -signal.SIGTERM)  # uvicorn re-raises it
        finally:
            proc.kill()
            proc.wait()
        log.seek(0)
        logged = log.read()
    assert rest[0].startswith("data: /messages/?session_id=")
    assert logged.strip().splitlines()[1:] == [], logged


# -- the token: Bearer or X-API-Key --------------------------------------------------------


@pytest.mark.anyio
async def test_x_api_key_is_accepted_like_the_bearer_token_and_a_wrong_key_is_refused(
        template: SyncedStore, store: Path) -> None:
    with serving(remote(store, template)) as server:
        for headers in ({}, {"X-API-Key": "wrong"}, {"X-API-Key": TOKEN[:-1]},
                        {"X-API-Key": f"Bearer {TOKEN}"}, {"Authorization": f"Token {TOKEN}"}):
            refused = [post_initialize(server, headers),
                       httpx2.get(f"{server.base}/sse", headers=headers, timeout=10),
                       httpx2.post(f"{server.base}/messages/?session_id=0", json={},
                                   headers=headers, timeout=10)]
            assert [r.status_code for r in refused] == [401, 401, 401], headers
            assert refused[0].json()["error"] == "invalid_token"
            assert "X-API-Key" in refused[0].json()["error_description"]
            assert TOKEN not in refused[0].text
        key = {"X-API-Key": TOKEN}
        assert post_initialize(server, key).status_code == 200
        async with Client(sse_client(f"{server.base}/sse", headers=key)) as sse:
            assert not (await sse.call_tool("get_sync_status", {})).is_error
        async with httpx2.AsyncClient(headers=key) as http, \
                Client(streamable_http_client(server.url, http_client=http)) as streamable:
            assert not (await streamable.call_tool("get_sync_status", {})).is_error


def test_mcp_api_key_from_the_environment_is_the_token(template: SyncedStore,
                                                       store: Path) -> None:
    settings = load_settings(environ={"MCP_API_KEY": TOKEN, "INTERVALS_MIRROR_DB": str(store)})
    with serving(settings) as server:
        assert post_initialize(server, {}).status_code == 401
        assert post_initialize(server, {"X-API-Key": TOKEN}).status_code == 200


# -- /health -------------------------------------------------------------------------------


def health(server: ThreadedUvicorn, headers: dict[str, str] | None = None
           ) -> tuple[int, dict[str, Any], str]:
    response = httpx2.get(f"{server.base}/health", headers=headers or {}, timeout=10)
    return response.status_code, response.json(), response.text


def assert_no_secret(text: str, settings: Settings) -> None:
    for secret in (TOKEN, API_KEY, str(settings.db_path), str(settings.db_path.parent)):
        assert secret not in text


def last_ok_finished(store: Path) -> str:
    return execute(store, "SELECT finished_at FROM sync_runs WHERE status = 'ok' "
                          "ORDER BY id DESC LIMIT 1")[0][0]


@pytest.mark.parametrize("token", [TOKEN, ""])
def test_health_of_a_fresh_mirror_is_ok_and_needs_no_token(
        template: SyncedStore, store: Path, token: str) -> None:
    settings = remote(store, template, server_token=token, api_key=API_KEY)
    with serving(settings) as server:
        status, body, text = health(server)
        assert (status, body["status"]) == (200, "ok")
        assert health(server, BEARER)[1] == body  # a token changes nothing
        if token:
            assert post_initialize(server, {}).status_code == 401  # unlike /mcp
    assert body["version"] == importlib.metadata.version("intervals-mirror")
    assert body["store"] == {
        "athlete": template.athlete_id,
        "activities": len(template.dataset.activities),
        "last_sync_ok_at": last_ok_finished(store),
        "freshness": body["store"]["freshness"]}
    assert body["store"]["freshness"].startswith("mirrored up to ")
    assert (body["last_error"], body["reason"]) == (None, None)
    assert_no_secret(text, settings)


@pytest.mark.parametrize(("interval", "expected"), [(60, "degraded"), (120, "ok")])
def test_health_is_degraded_when_the_mirror_is_older_than_twice_the_interval(
        template: SyncedStore, store: Path, interval: int, expected: str) -> None:
    three_hours_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat(
        timespec="seconds").replace("+00:00", "Z")
    execute(store, "UPDATE sync_runs SET finished_at = ? WHERE status = 'ok'", three_hours_ago)
    with serving(remote(store, template, interval_minutes=interval)) as server:
        status, body, _ = health(server)
    assert (status, body["status"]) == (200, expected)
    assert body["store"]["last_sync_ok_at"] == three_hours_ago
    if expected == "degraded":
        assert "more than twice the sync interval (60 min)" in body["reason"]
        assert body["last_error"] is None


def test_health_is_degraded_after_a_failed_sync_and_keeps_the_path_to_itself(
        template: SyncedStore, store: Path) -> None:
    settings = remote(store, template)
    with serving(settings) as server:
        assert health(server)[1]["status"] == "ok"
        execute(store, "INSERT INTO sync_runs (started_at, finished_at, status, mode, "
                       "resources, error) VALUES (?, ?, 'error', 'incremental', 'activities', ?)",
                "2026-01-02T03:04:05Z", "2026-01-02T03:04:06Z",
                f"cannot write store {store}: disk I/O error")
        status, body, text = health(server)  # the store changed: read again
    assert (status, body["status"]) == (200, "degraded")
    assert body["last_error"] == {"at": "2026-01-02T03:04:06Z",
                                  "message": "cannot write store <store>: disk I/O error"}
    assert body["reason"] == "the last sync failed (see last_error)"
    assert_no_secret(text, settings)


@pytest.mark.parametrize("damage", ["no store", "not a database"])
def test_health_fails_with_503_when_the_store_is_missing_or_unreadable(
        template: SyncedStore, store: Path, damage: str) -> None:
    if damage == "no store":
        store.unlink()
    else:
        store.write_bytes(b"this is not a database " * 200)
    settings = remote(store, template)
    with serving(settings) as server:
        status, body, text = health(server)
    assert (status, body["status"]) == (503, "failing")
    assert body["store"] == {"athlete": None, "activities": None, "last_sync_ok_at": None,
                             "freshness": None}
    assert body["reason"] == body["last_error"]["message"]
    if damage == "no store":
        assert "nothing is mirrored yet" in body["reason"]
    else:
        assert "not a database" in body["reason"] or "cannot" in body["reason"]
    assert_no_secret(text, settings)


# -- CORS ----------------------------------------------------------------------------------


def preflight(server: ThreadedUvicorn, origin: str) -> httpx2.Response:
    return httpx2.options(server.url, timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, x-api-key, content-type, "
                                          "mcp-session-id, mcp-protocol-version"})


def test_an_allowed_origin_gets_cors_headers_on_preflight_and_on_the_answer(
        template: SyncedStore, store: Path) -> None:
    with serving(remote(store, template, allowed_origins=(ORIGIN, "http://localhost:5173"))
                 ) as server:
        before = preflight(server, ORIGIN)  # no token: a browser never sends one here
        answer = post_initialize(server, BEARER | {"Origin": ORIGIN})
        refused = post_initialize(server, {"Origin": ORIGIN})
    assert before.status_code == 200
    allowed = cors_headers(before)
    assert allowed["access-control-allow-origin"] == ORIGIN
    assert {"POST", "GET", "DELETE"} <= set(allowed["access-control-allow-methods"].split(", "))
    assert {"authorization", "x-api-key", "mcp-session-id"} <= {
        h.strip().lower() for h in allowed["access-control-allow-headers"].split(",")}
    assert answer.status_code == 200
    assert answer.headers["mcp-session-id"]
    assert cors_headers(answer)["access-control-allow-origin"] == ORIGIN
    assert "Mcp-Session-Id" in cors_headers(answer)["access-control-expose-headers"]
    # the browser may read the 401 too, so the page can say what is wrong
    assert refused.status_code == 401
    assert cors_headers(refused)["access-control-allow-origin"] == ORIGIN


def test_other_origins_get_no_cors_headers_and_the_rebinding_checks_stay(
        template: SyncedStore, store: Path) -> None:
    with serving(remote(store, template, allowed_origins=(ORIGIN,))) as server:
        other = preflight(server, "https://evil.example")
        actual = post_initialize(server, BEARER | {"Origin": "https://evil.example"})
        rebound = post_initialize(server, BEARER | {"Host": "evil.example"})
        sse_other = httpx2.get(f"{server.base}/sse", timeout=10,
                               headers=BEARER | {"Origin": "https://evil.example"})
    assert (other.status_code, cors_headers(other)) == (403, {})
    assert "not in allowed_origins" in other.text
    assert (actual.status_code, cors_headers(actual)) == (403, {})  # the SDK's Origin check
    assert (sse_other.status_code, cors_headers(sse_other)) == (403, {})
    assert rebound.status_code in (400, 421)  # the SDK's Host check
    with serving(remote(store, template)) as server:  # no allowed_origins: no CORS at all
        assert cors_headers(preflight(server, ORIGIN)) == {}
        assert cors_headers(post_initialize(server, BEARER | {"Origin": ORIGIN})) == {}


# -- HTTPS behind a proxy ------------------------------------------------------------------


def assert_one_line_refusal(response: httpx2.Response, *reasons: str) -> None:
    assert response.status_code == 403
    assert response.text.startswith("HTTPS required: ")
    assert response.text.count("\n") == 1 and response.text.endswith("\n")
    for reason in reasons:
        assert reason in response.text


@pytest.mark.anyio
async def test_enforce_https_answers_what_the_trusted_proxy_got_over_https(
        template: SyncedStore, store: Path) -> None:
    https = BEARER | {"X-Forwarded-Proto": "https"}
    with serving(remote(store, template, enforce_https=True)) as server:  # loopback trusted
        assert post_initialize(server, https).status_code == 200
        assert_one_line_refusal(post_initialize(server, BEARER | {"X-Forwarded-Proto": "http"}),
                                "X-Forwarded-Proto: http")
        assert_one_line_refusal(post_initialize(server, BEARER), "no X-Forwarded-Proto")
        # a client's own "https" in front of what the proxy appended does not count
        assert_one_line_refusal(post_initialize(
            server, BEARER | {"X-Forwarded-Proto": "https, http"}), "X-Forwarded-Proto: http")
        assert_one_line_refusal(httpx2.get(f"{server.base}/sse", headers=BEARER, timeout=10))
        assert health(server)[0] == 200  # the proxy's own checks call it directly
        async with httpx2.AsyncClient(headers=https) as http, \
                Client(streamable_http_client(server.url, http_client=http)) as client:
            assert not (await client.call_tool("get_sync_status", {})).is_error
        async with Client(sse_client(f"{server.base}/sse", headers=https)) as sse:
            assert not (await sse.call_tool("get_sync_status", {})).is_error


def test_enforce_https_ignores_the_header_from_an_address_that_is_no_trusted_proxy(
        template: SyncedStore, store: Path) -> None:
    settings = remote(store, template, enforce_https=True, trusted_proxies=("10.9.9.9",))
    with serving(settings) as server:  # so 127.0.0.1, the caller here, is not trusted
        forged = post_initialize(server, BEARER | {"X-Forwarded-Proto": "https"})
        status, body, _ = health(server)
    assert_one_line_refusal(forged, "127.0.0.1 is not one of its trusted_proxies")
    assert (status, body["status"]) == (200, "ok")

