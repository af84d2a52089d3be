"""The MCP server: the live-API servers' tools, answered from the local store.

``create_server(settings)`` builds everything (no module globals): the tools come from the
groups in ``tools.GROUPS``, each registered by its own ``register(server, deps)``. This module
keeps what is about the server as a whole: the error mapping (``IntervalsMirrorError`` becomes
a tool error once, here, in ``MirrorServer.call_tool``; nothing reaches the client as a
protocol error), the lifespan (background sync, the DuckDB warm-up), bearer auth and the
transports (stdio; HTTP, whose app and guards are in ``remote/``).

With ``tools/``, the only modules that import ``mcp``.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import Tool
from pydantic import ValidationError

from . import __version__
from .analytics.aggregates import Analytics
from .answers.units import http_url
from .config import Settings
from .errors import ConfigError, IntervalsMirrorError
from .schedule import SyncScheduler
from .tools import register_all
from .tools._common import AppState, Deps
from .tools.listing import compact_schema

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

INSTRUCTIONS = (
    "Answers come from a local SQLite mirror of the athlete's Intervals.icu data, so they are "
    "fast and also work offline; every answer ends with how fresh the mirror is. Dates are "
    "YYYY-MM-DD in the athlete's local time. Call refresh to fetch new data now, and "
    "get_sync_status to see what is mirrored.")


class MirrorServer(MCPServer[AppState]):
    """MCPServer whose tool errors read as one plain sentence per bad parameter.

    The SDK prefixes "Error executing tool NAME: " and, for bad arguments, pastes pydantic's
    report; a crash shows only "Error executing tool NAME". Here our own errors keep their
    message (they are written for the user), pydantic errors become "param: msg (got value)",
    and a crash names the exception (its traceback goes to the log) and says it is a bug.
    """

    _listed: list[Tool] | None = None

    async def list_tools(self) -> list[Tool]:
        """The SDK's list with compact input schemas (see tools/listing.py), made once."""
        if self._listed is None:
            self._listed = [tool.model_copy(update={"input_schema": compact_schema(
                tool.input_schema)}) for tool in await super().list_tools()]
        return self._listed

    async def call_tool(self, name: str, arguments: dict[str, Any],
                        context: Context[AppState, Any] | None = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, IntervalsMirrorError):
                raise ToolError(str(cause)) from cause
            # Never the bare "Error executing tool X": say what broke, keep the trace here.
            log.error("tool %s crashed", name, exc_info=cause or exc)
            what = f"{type(cause).__name__}: {str(cause)[:200]}" if cause else str(exc)
            raise ToolError(f"{name} failed unexpectedly ({what}). This is a bug in "
                            "intervals-mirror (the server log has the details); other tools "
                            "and other parameters still work") from cause
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError):
                raise ToolError(_argument_errors(cause)) from cause
            raise ToolError(str(exc).removeprefix(f"Error executing tool {name}: ")) from cause


def _argument_errors(error: ValidationError) -> str:
    """One "param: problem (got value)" per bad parameter (union members folded into one)."""
    parts = []
    for err in error.errors():
        where = str(err["loc"][0]) if err["loc"] else "arguments"
        got = "" if err["type"] == "missing" else f" (got {err['input']!r})"
        parts.append(f"{where}: {err['msg']}{got}")
    return "; ".join(dict.fromkeys(parts))


def create_server(settings: Settings, *, scheduler: bool = True) -> MirrorServer:
    """The whole server for one store; ``scheduler=False`` leaves background sync off."""
    jobs = SyncScheduler(settings) if scheduler else None
    # keeps its copy between calls, refreshed on change
    mirror = Analytics(settings.db_path, history_start=settings.history_start)
    server = MirrorServer("intervals-mirror", version=__version__, instructions=INSTRUCTIONS,
                          lifespan=_lifespan(settings, jobs, mirror), log_level="WARNING")
    weakref.finalize(server, mirror.close)
    register_all(server, Deps(settings, jobs, mirror))
    return server


def _lifespan(settings: Settings, jobs: SyncScheduler | None, mirror: Analytics
              ) -> Callable[[MCPServer[AppState]], AbstractAsyncContextManager[AppState]]:
    """Shared by every session that enters it: the streamable HTTP manager enters once for the
    app's life, but the SSE transport once per connection. The first entry starts the
    background sync and the warm-up, the last exit stops the sync: an SSE client leaving
    must not stop the sync the others rely on."""
    holders = 0

    @asynccontextmanager
    async def lifespan(server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        nonlocal holders
        holders += 1
        try:
            if holders == 1:
                if jobs is not None:
                    await anyio.to_thread.run_sync(jobs.start)
                if settings.db_path.exists():
                    threading.Thread(target=_warm, args=(mirror,), name="analytics-warm",
                                     daemon=True).start()
            yield AppState(settings, jobs)
        finally:
            holders -= 1
            if holders == 0 and jobs is not None:
                jobs.shutdown()

    return lifespan


def _warm(mirror: Analytics) -> None:
    """Copy the store into DuckDB before the first question needs it; best effort only."""
    try:
        took = mirror.warm()
    except Exception as exc:  # a background nicety must never take the server down
        log.info("analytics warm-up skipped: %s", exc)
    else:
        log.debug("analytics copy ready: %s", took)


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_http_exposure(settings: Settings, host: str) -> None:
    """Beyond this machine, only with a bearer token: the store holds health data."""
    if not is_loopback(host) and not settings.server_token:
        raise ConfigError(
            f"--host {host}: serving beyond this machine needs a bearer token; set "
            "INTERVALS_MIRROR_TOKEN (or MCP_API_KEY, or token under [server] in the config "
            "file), and give clients the header 'Authorization: Bearer <token>' (or "
            "'X-API-Key: <token>')")


def check_port_free(host: str, port: int) -> None:
    """One line naming the port when nothing can listen there (uvicorn would print a
    traceback-like log and exit 3); bound the way uvicorn binds, then released."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family=family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(f"--port {port}: port {port} on {host} is already in use "
                                  "(another server?): stop it, or choose another --port") from None
            raise ConfigError(f"--host {host} --port {port}: cannot listen there "
                              f"({exc.strerror or exc})") from None


def http_app(settings: Settings, *, host: str = "127.0.0.1") -> Any:
    """The HTTP app (/mcp, /sse + /messages/, /health; see ``remote/app.py``); refuses a
    non-loopback host without a token."""
    check_http_exposure(settings, host)
    from .remote.app import build_app  # starlette and uvicorn only when serving HTTP

    return build_app(create_server(settings), settings, loopback=is_loopback(host))


def serve(settings: Settings, *, http: bool = False, host: str = "127.0.0.1",
          port: int = 8000) -> None:
    """Run until the client disconnects (stdio) or the process is stopped (HTTP)."""
    if not http:
        log.info("serving %s over stdio", settings.db_path)
        create_server(settings).run()
        return
    from .remote.app import run

    app = http_app(settings, host=host)
    log.info("serving %s on %s (streamable HTTP) and /sse (SSE)", settings.db_path,
             http_url(host, port))
    run(app, host=host, port=port)
