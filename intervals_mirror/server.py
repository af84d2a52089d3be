"""The MCP server: the live-API servers' tools, answered from the local store.

``create_server(settings)`` builds everything (no module globals): the tools come from the
groups in ``tools.GROUPS``, each registered by its own ``register(server, deps)``. This module
keeps what is about the server as a whole: the error mapping (``IntervalsMirrorError`` becomes
a tool error once, here, in ``MirrorServer.call_tool``; nothing reaches the client as a
protocol error), the lifespan and what starts once a client is connected (background sync,
the DuckDB warm-up) and the transports (stdio; HTTP, whose app and guards are in ``remote/``).

Start-up is what a client waits for before its first question, so nothing heavy is loaded
before ``initialize`` is answered: DuckDB, APScheduler, httpx and the HTTP stack are imported
when first needed, and the background work starts with the first message after ``initialize``.

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

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import Tool
from pydantic import ValidationError

from . import __version__
from .answers.units import http_url
from .config import Settings
from .errors import ConfigError, IntervalsMirrorError
from .schedule import SyncScheduler
from .startup import long_lived_objects
from .tools import register_all
from .tools._common import AppState, Deps, LazyAnalytics
from .tools.listing import compact_schema
from .tools.readers import Readers
from .validate import argument_problems

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
    message (they are written for the user), pydantic errors become "param: expected ...,
    got value" as our own checks word them (``validate.argument_problems``),
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
                raise ToolError(argument_problems(cause.errors())) from cause
            raise ToolError(str(exc).removeprefix(f"Error executing tool {name}: ")) from cause


def create_server(settings: Settings, *, scheduler: bool = True) -> MirrorServer:
    """The whole server for one store; ``scheduler=False`` leaves background sync off."""
    jobs = SyncScheduler(settings) if scheduler else None
    # kept between calls, refreshed on change
    mirror = LazyAnalytics(settings.db_path, history_start=settings.history_start)
    background = Background(settings, jobs, mirror)
    server = MirrorServer("intervals-mirror", version=__version__, instructions=INSTRUCTIONS,
                          lifespan=_lifespan(settings, jobs, background), log_level="WARNING",
                          middleware=[StartAfterInitialize(background)])
    readers = Readers(settings)
    weakref.finalize(server, mirror.close)
    weakref.finalize(server, readers.close)
    register_all(server, Deps(settings, jobs, mirror, readers))
    return server


class Background:
    """The work beside the answers, each started once: the background sync (when a client
    is connected), and the DuckDB copy the aggregates answer from (once questions start).

    The copy waits for the first tool call rather than the connection: clients start their
    servers when they open and keep them idle for hours, and the copy holds tens of MB
    (an idle server stays near 70 MB instead of 125 MB on a 3-year store). It is made in a
    thread just after that first answer is sent, so it is usually ready before a question
    needs it; an aggregate asked first makes it itself.
    """

    WARM_DELAY_S = 0.2  # let the first answer reach the client before DuckDB loads

    def __init__(self, settings: Settings, jobs: SyncScheduler | None,
                 mirror: LazyAnalytics) -> None:
        self._settings, self._jobs, self._mirror = settings, jobs, mirror
        self._begun: set[str] = set()
        self._lock = threading.Lock()
        self._warming: threading.Timer | None = None
        self._scheduling: threading.Thread | None = None
        self._warmed = False

    def _once(self, what: str) -> bool:
        if what in self._begun:
            return False
        with self._lock:
            if what in self._begun:
                return False
            self._begun.add(what)
            return True

    def start(self) -> None:
        """Background sync, for a connected client."""
        if self._jobs is not None and self._once("sync"):
            self._scheduling = self._jobs.start_in_background()

    def warm_soon(self) -> None:
        """The DuckDB copy, once questions have started."""
        wanted = "analytics" in self._settings.tool_groups and self._settings.db_path.exists()
        if wanted and self._once("warm"):
            self._warming = threading.Timer(self.WARM_DELAY_S, self._guarded,
                                            args=(self._warm,))
            self._warming.daemon = False  # see stop()
            self._warming.name = "analytics-warm"
            self._warming.start()

    def stop(self) -> None:
        """When the last session leaves: a warm-up not begun never begins, the background
        sync stops, and a later session starts them again. A warm-up under way finishes on
        its own, unwaited for: its thread is not a daemon, so the process still waits for it
        before exiting (DuckDB aborts the process if the interpreter exits mid-copy)."""
        if self._warming is not None:
            self._warming.cancel()
        if self._scheduling is not None:
            self._scheduling.join(timeout=30)
        if self._jobs is not None:
            self._jobs.shutdown()
        with self._lock:
            self._begun.discard("sync")
            if not self._warmed:
                self._begun.discard("warm")

    def _warm(self) -> None:
        log.debug("analytics copy ready: %s", self._mirror.warm())
        self._warmed = True

    @staticmethod
    def _guarded(step: Callable[[], Any]) -> None:
        try:  # a background nicety must never take the server down
            step()
        except Exception as exc:
            log.info("background start-up incomplete: %s", exc)


class StartAfterInitialize:
    """Middleware: nothing beside the answers starts before ``initialize`` is answered. The
    next message (the client's ``initialized`` notification, or any request) starts the
    background sync; a finished tool call starts the DuckDB warm-up."""

    def __init__(self, background: Background) -> None:
        self._background = background

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
                       ) -> HandlerResult:
        if ctx.method != "initialize":
            self._background.start()
        result = await call_next(ctx)
        if ctx.method == "tools/call":
            self._background.warm_soon()
        return result


def _lifespan(settings: Settings, jobs: SyncScheduler | None, background: Background
              ) -> Callable[[MCPServer[AppState]], AbstractAsyncContextManager[AppState]]:
    """Shared by every session that enters it: the streamable HTTP manager enters once for the
    app's life, but the SSE transport once per connection. The background work starts after
    a session's initialize (``StartAfterInitialize``); the last exit stops it: an SSE client
    leaving must not stop the sync the others rely on."""
    holders = 0

    @asynccontextmanager
    async def lifespan(server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        nonlocal holders
        holders += 1
        try:
            yield AppState(settings, jobs)
        finally:
            holders -= 1
            if holders == 0:
                background.stop()

    return lifespan


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
        with long_lived_objects():
            server = create_server(settings)
        server.run()
        return
    from .remote.app import run

    with long_lived_objects():
        app = http_app(settings, host=host)
    log.info("serving %s on %s (streamable HTTP) and /sse (SSE)", settings.db_path,
             http_url(host, port))
    run(app, host=host, port=port)
