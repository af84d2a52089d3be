"""The HTTP app's guards, each a plain ASGI middleware (streams such as /sse pass through
untouched): the token, CORS for the configured browser origins, and HTTPS behind a proxy.

Paths in ``open_paths`` (/health) skip the token and the HTTPS check: the proxy's and
Docker's health checks call them directly, and they say nothing secret.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Collection, Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# What a browser-based MCP client sends and must be able to read (the session id above all).
CORS_METHODS = ("GET", "POST", "DELETE", "OPTIONS")
CORS_REQUEST_HEADERS = ("Authorization", "X-API-Key", "Content-Type", "Accept",
                        "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID")
CORS_EXPOSED_HEADERS = ("Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate")


class TokenGuard:
    """Every request outside ``open_paths`` carries the token, as ``Authorization: Bearer
    <token>`` or ``X-API-Key: <token>``; compared in constant time."""

    def __init__(self, app: ASGIApp, *, token: str, open_paths: Collection[str]) -> None:
        self.app = app
        self._token = token.encode()
        self._open = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._open or self._admits(scope):
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"error": "invalid_token",
             "error_description": "missing or wrong token: send 'Authorization: Bearer "
                                  "<token>' or 'X-API-Key: <token>'"},
            status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        await response(scope, receive, send)

    def _admits(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        offered = []
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            offered.append(value.strip())
        if "x-api-key" in headers:
            offered.append(headers["x-api-key"].strip())
        return any(hmac.compare_digest(o.encode(), self._token) for o in offered)


class CorsGate:
    """CORS headers for the allowed origins only; any other origin gets none at all.

    Starlette's CORS middleware answers the allowed ones; it would still add some headers
    (and answer preflights) for the others, so those never reach it: their preflight gets a
    one-line 403, their other requests go on without CORS headers (and the browser keeps the
    answer from the page).
    """

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self._origins = frozenset(origins)
        self._cors = CORSMiddleware(app, allow_origins=list(origins), allow_methods=CORS_METHODS,
                                    allow_headers=CORS_REQUEST_HEADERS,
                                    expose_headers=CORS_EXPOSED_HEADERS, max_age=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = Headers(scope=scope).get("origin") if scope["type"] == "http" else None
        if origin is None:
            await self.app(scope, receive, send)
        elif origin.rstrip("/").lower() in self._origins:
            await self._cors(scope, receive, send)
        elif scope["method"] == "OPTIONS":
            await PlainTextResponse(
                f"origin {origin[:80]} is not in allowed_origins (ALLOWED_ORIGINS)\n",
                status_code=403)(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class HttpsGuard:
    """``enforce_https``: behind a TLS-terminating proxy, answer only requests that the proxy
    got over HTTPS. ``X-Forwarded-Proto`` is believed only from ``trusted`` networks (anyone
    else could send it); its last value counts, the one the nearest proxy set."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[str], open_paths: Collection[str]
                 ) -> None:
        self.app = app
        self._trusted = tuple(ipaddress.ip_network(n) for n in trusted)
        self._open = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        why = None
        if scope["type"] == "http" and scope["path"] not in self._open:
            why = self._refusal(scope)
        if why is None:
            await self.app(scope, receive, send)
        else:
            await PlainTextResponse(f"HTTPS required: {why}\n", status_code=403)(
                scope, receive, send)

    def _refusal(self, scope: Scope) -> str | None:
        peer = (scope.get("client") or ("", 0))[0]
        if not self._is_trusted(peer):
            return (f"this server answers only through its HTTPS proxy, and {peer or '?'} "
                    "is not one of its trusted_proxies; connect with https://")
        forwarded = Headers(scope=scope).get("x-forwarded-proto", "")
        proto = forwarded.split(",")[-1].strip().lower()
        if proto != "https":
            got = f"X-Forwarded-Proto: {proto[:20]}" if proto else "no X-Forwarded-Proto"
            return f"the proxy forwarded a request that did not come over HTTPS ({got}); " \
                   "connect with https://"
        return None

    def _is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self._trusted)
