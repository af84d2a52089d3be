"""What every tool group shares: the dependencies handed to ``register``, the parameter types
and annotations, how a tool is registered, and the read-only store connection of one call.

Every tool answers text only: no structured content and no output schema. Clients such as
Claude Code and VS Code hand the model only the structured content when there is some, so one
compact text channel is what every model reads (the full records are one query_sql away)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from .. import validate
from ..config import Settings
from ..errors import ConfigError, StoreError
from ..queries.common import athlete
from ..queries.status import never_listed
from ..store import Store
from ..sync import sync_running

if TYPE_CHECKING:
    from ..analytics.aggregates import Analytics
    from ..schedule import SyncScheduler


@dataclass
class AppState:
    """What the server's lifespan yields (``ctx.request_context.lifespan_context``)."""

    settings: Settings
    scheduler: SyncScheduler | None


@dataclass(frozen=True)
class Deps:
    """What the tool groups need, built once per server by ``create_server``."""

    settings: Settings
    scheduler: SyncScheduler | None  # None: background sync is off
    analytics: Analytics  # the aggregates' DuckDB copy, kept between calls


# Read-only for the user's Intervals.icu data, which is what clients ask approval for: a
# lookup may still fill in the mirror (get_activity_intervals fetches missing intervals).
READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
# Syncs now (refresh): writes the mirror, never anything on Intervals.icu.
FETCHES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                          open_world_hint=True)

Fn = TypeVar("Fn", bound=Callable[..., Any])


def text_tool(server: MCPServer[AppState], *, title: str, name: str | None = None,
              annotations: ToolAnnotations = READ_ONLY) -> Callable[[Fn], Fn]:
    """Register a tool whose answer is its returned text alone (no structured content);
    its description is its docstring on one line (tools/list reaches every conversation)."""

    def register(fn: Fn) -> Fn:
        description = " ".join((fn.__doc__ or "").split())
        return server.tool(name=name, title=title, description=description,
                           annotations=annotations, structured_output=False)(fn)

    return register


# Which resource each group of tools answers from (for the freshness line).
ACTIVITIES, WELLNESS, EVENTS = ("activities",), ("wellness",), ("events",)

StartDate = Annotated[str | None, Field(description="First day, YYYY-MM-DD")]
EndDate = Annotated[str | None, Field(description="Last day, YYYY-MM-DD (inclusive)")]
AthleteId = Annotated[str | int | None, Field(description="The mirrored athlete's id, or 0")]
ActivityId = Annotated[str | int, Field(description="e.g. i12345678")]


@contextmanager
def reader(settings: Settings, resources: Sequence[str] = ()) -> Iterator[Store]:
    """A read-only connection for one tool call (about 0.1 ms to open; safe across threads).

    ``resources``: what the tool answers about. Until a sync has listed one of them the call
    fails with the cause and what to do, so an empty mirror never reads as no training.
    """
    if not settings.db_path.exists():
        raise not_mirrored(settings, None)
    with Store.open(settings.db_path, readonly=True) as store:
        why = never_listed(store, resources) if resources else None
        if why:
            raise not_mirrored(settings, why)
        yield store


def not_mirrored(settings: Settings, why: str | None) -> StoreError:
    """There is nothing to answer from: why, and the one thing that helps."""
    if sync_running(settings):
        return StoreError("the first sync is mirroring the history right now: ask again "
                          "in a minute (the most recent days come first)")
    if settings.demo:
        return StoreError(f"there is no demo store at {settings.db_path}: build it with "
                          "`intervals-mirror demo` (no account needed), then ask again")
    try:
        settings.require_credentials()
    except ConfigError as exc:
        return StoreError(
            f"{why or 'nothing is mirrored yet'}, and no sync can run. {exc} For Claude "
            "Desktop, put API_KEY and ATHLETE_ID in the env of this server's entry in "
            "claude_desktop_config.json and restart it (`intervals-mirror claude-config` "
            "prints the entry)")
    if why is None:
        return StoreError(f"nothing is mirrored yet (no store at {settings.db_path}): call "
                          "the refresh tool, or run `intervals-mirror sync`")
    return StoreError(f"{why}. There is no data to answer from until a sync succeeds: call "
                      "refresh (or run `intervals-mirror sync`)")


def today(store: Store) -> dt.date:
    """Today in the athlete's time zone (the default end of date ranges)."""
    found = athlete(store)
    return validate.today_in(found["timezone"] if found else None)


def check_athlete(store: Store, settings: Settings, athlete_id: str | int | None) -> None:
    """The live-API servers take an athlete id: only the store's athlete (or none) is ours;
    the configured one counts only before the first sync has stored any."""
    found = athlete(store)
    configured = settings.athlete_id if settings.athlete_id not in ("", "0") else ""
    validate.athlete_id(athlete_id, [str(found["id"]) if found else configured])
