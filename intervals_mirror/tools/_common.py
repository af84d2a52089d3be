"""What every tool group shares: the dependencies handed to ``register``, the parameter types
and annotations, how a tool is registered, and the read-only store of one call (readers).

Every tool answers text only: no structured content and no output schema. Clients such as
Claude Code and VS Code hand the model only the structured content when there is some, so one
compact text channel is what every model reads (the full records are one query_sql away)."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from .. import validate
from ..answers.budget import ANSWER_CHARS, fit
from ..config import Settings
from ..queries.common import athlete
from ..queries.status import freshness
from ..store import Store
from .readers import Readers

if TYPE_CHECKING:
    from ..analytics.aggregates import Analytics
    from ..analytics.common import Answer
    from ..schedule import SyncScheduler


@dataclass
class AppState:
    """What the server's lifespan yields (``ctx.request_context.lifespan_context``)."""

    settings: Settings
    scheduler: SyncScheduler | None


class LazyAnalytics:
    """The aggregates' DuckDB copy (``Analytics``), made on first use: importing DuckDB and
    copying the store into it costs more than starting the server, so it waits until a
    client is connected (the warm-up) or an aggregate is asked for, whichever comes first.
    Attributes are those of ``Analytics``; safe across threads."""

    def __init__(self, db_path: Path, *, history_start: dt.date | None = None) -> None:
        self._db_path, self._history_start = db_path, history_start
        self._made: Analytics | None = None
        self._lock = threading.Lock()

    def get(self) -> Analytics:
        with self._lock:
            if self._made is None:
                from ..analytics.aggregates import Analytics

                self._made = Analytics(self._db_path, history_start=self._history_start)
            return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)

    def close(self) -> None:
        with self._lock:
            if self._made is not None:
                self._made.close()
                self._made = None


@dataclass(frozen=True)
class Deps:
    """What the tool groups need, built once per server by ``create_server``."""

    settings: Settings
    scheduler: SyncScheduler | None  # None: background sync is off
    analytics: LazyAnalytics  # the aggregates' DuckDB copy, kept between calls
    read: Readers  # ``with deps.read() as store``: the store, read-only, for one call


# Read-only for the user's Intervals.icu data, which is what clients ask approval for: a
# lookup may still fill in the mirror (get_activity_intervals fetches missing intervals).
# No idempotentHint: the spec gives it meaning only for tools that are not read-only, and
# tools/list reaches every conversation.
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
# Syncs now (refresh): writes the mirror, never anything on Intervals.icu.
FETCHES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                          open_world_hint=True)

Fn = TypeVar("Fn", bound=Callable[..., Any])


def text_tool(server: MCPServer[AppState], *, title: str, name: str | None = None,
              annotations: ToolAnnotations = READ_ONLY, budget: int = ANSWER_CHARS
              ) -> Callable[[Fn], Fn]:
    """Register a tool whose answer is its returned text alone (no structured content), at
    most ``budget`` characters (``answers.budget.fit``: whole lines, what is left out said);
    its description is its docstring on one line (tools/list reaches every conversation)."""

    def register(fn: Fn) -> Fn:
        description = " ".join((fn.__doc__ or "").split())

        server.tool(name=name, title=title, description=description, annotations=annotations,
                    structured_output=False)(_within_budget(fn, budget))
        return fn

    return register


def _within_budget(fn: Fn, budget: int) -> Callable[..., Any]:
    """``fn`` whose text answer passes ``budget.fit``; the SDK reads the parameters from
    ``fn`` itself (``__wrapped__``)."""
    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def answer_later(*args: Any, **kwargs: Any) -> str:
            return fit(await fn(*args, **kwargs), budget)

        return answer_later

    @functools.wraps(fn)
    def answer(*args: Any, **kwargs: Any) -> str:
        return fit(fn(*args, **kwargs), budget)

    return answer


# Which resource each group of tools answers from (for the freshness line).
ACTIVITIES, WELLNESS, EVENTS = ("activities",), ("wellness",), ("events",)

StartDate = Annotated[str | None, Field(description="First day, YYYY-MM-DD")]
EndDate = Annotated[str | None, Field(description="Last day, YYYY-MM-DD")]
AthleteId = Annotated[str | int | None, Field(description="This athlete's id, or 0")]
ActivityId = Annotated[str | int, Field(description="e.g. i12345678")]
# Sport families (sports.py): Ride also covers VirtualRide, GravelRide...; a type alone: exact.
SportParam = Annotated[str | None, Field(description="e.g. Ride (with VirtualRide...), Run")]
ExactType = Annotated[bool, Field(description="activity_type alone")]


def fresh_answer(read: Readers, resources: tuple[str, ...], compute: Callable[[], Answer]
                 ) -> str:
    """An aggregate's text, with the freshness of the resources it is about; refused (with
    the cause) while no sync has listed them, before anything is computed."""
    with read(resources) as store:
        result = compute()
        fresh = freshness(store, resources)
    return f"{result.text}\n{fresh}"


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
