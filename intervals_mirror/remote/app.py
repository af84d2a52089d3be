"""The app ``serve --http`` runs: one process, both MCP HTTP transports, /health, the guards.

- ``/mcp``: streamable HTTP (the current MCP transport);
- ``/sse`` + ``/messages/``: the older HTTP+SSE transport, where clients set up for the
  live-API server (``"url": "http://localhost:8000/sse", "transport": "sse"``) connect;
- ``/health``: open, see ``health.py``.

Outermost first: HTTPS (``enforce_https``), CORS (``allowed_origins``), the token. On a
loopback address the SDK's Host/Origin checks against DNS rebinding stay on for both
transports, with the allowed origins added to the local ones.
"""

from __future__ import annotations

from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from .guard import CorsGate, HttpsGuard, TokenGuard
from .health import HealthProbe

MCP_PATH, SSE_PATH, MESSAGES_PATH, HEALTH_PATH = "/mcp", "/sse", "/messages/", "/health"
OPEN_PATHS = (HEALTH_PATH,)
LOCAL_HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
LOCAL_ORIGINS = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]


def build_app(server: MCPServer[Any], settings: Settings, *, loopback: bool) -> Starlette:
    """``loopback``: the server listens on this machine only (DNS rebinding checks on)."""
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=LOCAL_HOSTS,
        allowed_origins=[*LOCAL_ORIGINS, *settings.allowed_origins]) if loopback else None
    # The host only matters to the SDK when no security settings are given: "0.0.0.0"
    # keeps its checks off for a public address, as before.
    streamable = server.streamable_http_app(streamable_http_path=MCP_PATH,
                                            transport_security=security, host="0.0.0.0")
    sse = server.sse_app(sse_path=SSE_PATH, message_path=MESSAGES_PATH,
                         transport_security=security, host="0.0.0.0")
    for route in sse.routes:
        if isinstance(route, Route) and route.path == SSE_PATH:
            route.app = _OneAnswer(route.app)
    routes: list[BaseRoute] = [Route(HEALTH_PATH, HealthProbe(settings).endpoint,
                                     methods=["GET"]), *streamable.routes, *sse.routes]
    # The streamable transport's session manager lives as long as the app (its lifespan).
    return Starlette(routes=routes, middleware=_guards(settings),
                     lifespan=streamable.router.lifespan_context)


class _OneAnswer:
    """The SDK's /sse endpoint answers again (an empty response) once its stream ends. After
    the client left, uvicorn ignores that; at shutdown, with the stream still open, it logged
    a traceback. The second start is dropped; its empty body then ends the stream cleanly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_once(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                if started:
                    return
                started = True
            await send(message)

        await self.app(scope, receive, send_once)


def _guards(settings: Settings) -> list[Middleware]:
    guards = []
    if settings.enforce_https:
        guards.append(Middleware(HttpsGuard, trusted=settings.trusted_proxies,
                                 open_paths=OPEN_PATHS))
    if settings.allowed_origins:
        guards.append(Middleware(CorsGate, origins=settings.allowed_origins))
    if settings.server_token:
        guards.append(Middleware(TokenGuard, token=settings.server_token, open_paths=OPEN_PATHS))
    return guards


def uvicorn_config(app: Starlette, *, host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """Warnings only, on stderr. uvicorn's own proxy-header handling is off: it would put the
    forwarded client address where ``HttpsGuard`` must see the proxy's. A few seconds' grace
    on shutdown, or an open /sse stream would keep ``docker stop`` waiting."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                          proxy_headers=False, lifespan="on", timeout_graceful_shutdown=3)


def run(app: Starlette, *, host: str, port: int) -> None:
    uvicorn.Server(uvicorn_config(app, host=host, port=port)).run()
