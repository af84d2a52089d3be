"""The MCP server: the live-API servers' tools, answered from the local store.

``create_server(settings)`` builds everything (no module globals); tool groups are registered
by separate functions so new groups slot in beside them. Every tool validates its parameters
(``validate``), reads through ``query`` on its own read-only connection (tools run in worker
threads; SQLite in WAL mode lets them read while a sync writes), and answers with compact text
plus the full records as structured content. ``IntervalsMirrorError`` becomes a tool error once,
here, in ``MirrorServer.call_tool``; nothing reaches the client as a protocol error.

The only module that imports ``mcp``.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

import anyio
import anyio.from_thread
import anyio.to_thread
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import AnyHttpUrl, BaseModel, BeforeValidator, Field, ValidationError
from starlette.applications import Starlette

from . import __version__, validate
from .analytics.aggregates import Analytics
from .analytics.common import Answer
from .analytics.schema import describe_schema
from .analytics.sql import SQL_OUTPUT_BYTES, run_sql
from .answers import activities as answers_activities
from .answers import events as answers_events
from .answers import status as answers_status
from .answers import wellness as answers_wellness
from .config import Settings
from .errors import (
    ApiError,
    ConfigError,
    IntervalsMirrorError,
    LockTimeoutError,
    QueryError,
    StoreError,
)
from .queries import activities as queries_activities
from .queries import common as queries_common
from .queries import events as queries_events
from .queries import status as queries_status
from .queries import wellness as queries_wellness
from .schedule import SyncScheduler
from .store import RESOURCES, Store
from .sync import (
    Progress,
    SyncOptions,
    SyncReport,
    fetch_activity_intervals,
    run_sync,
    sync_running,
)

log = logging.getLogger(__name__)

MAX_ACTIVITIES = 100
MAX_WELLNESS_DAYS = 120
MAX_EVENTS = 100
EVENT_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK",
                    "INJURED", "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET",
                    "SET_FITNESS")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

INSTRUCTIONS = (
    "Answers come from a local SQLite mirror of the athlete's Intervals.icu data, so they are "
    "fast and also work offline; every answer ends with how fresh the mirror is. Dates are "
    "YYYY-MM-DD in the athlete's local time. Call refresh to fetch new data now, and "
    "get_sync_status to see what is mirrored.")

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
# Reads, but fills in an activity's intervals from the API when sync has not fetched them yet.
FILLS_IN = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                           open_world_hint=True)
# Which resource each group of tools answers from (for the freshness line).
ACTIVITIES, WELLNESS, EVENTS = ("activities",), ("wellness",), ("events",)

StartDate = Annotated[str | None, Field(description="First day, YYYY-MM-DD (local date)")]
EndDate = Annotated[str | None, Field(description="Last day, YYYY-MM-DD, inclusive")]
AthleteId = Annotated[str | int | None, Field(
    description="Optional; must be the mirrored athlete (e.g. i12345) or 0")]
ActivityId = Annotated[str | int, Field(
    description="Activity id, e.g. i12345678 (Strava imports: a plain number)")]


# -- structured answers (also the advertised output schemas) ---------------------------------


class ActivitiesAnswer(BaseModel):
    freshness: str
    start_date: str
    end_date: str
    count: int
    total: int = Field(description="activities in the range that pass the filters")
    limit: int
    capped: bool = Field(description="the requested limit was above the maximum")
    hidden_strava_stubs: int = Field(description=(
        "Strava-imported activities left out (include_unnamed=false)"))
    activities: list[dict[str, Any]]


class ActivityAnswer(BaseModel):
    freshness: str
    activity: dict[str, Any] = Field(description="typed columns (SI units: s, m, m/s, bpm, W)")
    custom_fields: dict[str, Any]
    fields: dict[str, Any] = Field(description="every non-null field the API sent")
    note: str | None = None


class IntervalsAnswer(BaseModel):
    freshness: str
    activity: dict[str, Any]
    mirrored: bool
    fetched_now: bool
    intervals: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    note: str | None = None


class WellnessAnswer(BaseModel):
    freshness: str
    start_date: str
    end_date: str
    count: int
    total: int
    capped: bool
    custom_fields: dict[str, str] = Field(description="custom field code -> name")
    projected_days: int = Field(description=(
        "days after today (projected from planned workouts, not measured)"))
    days: list[dict[str, Any]] = Field(description="projected: true marks a day after today")


class EventsAnswer(BaseModel):
    freshness: str
    start_date: str
    end_date: str
    categories: list[str] | None
    count: int
    total: int
    capped: bool
    events: list[dict[str, Any]]


class EventAnswer(BaseModel):
    freshness: str
    event: dict[str, Any]
    fields: dict[str, Any] = Field(description="every non-null field the API sent")


class RefreshAnswer(BaseModel):
    freshness: str
    status: str
    mode: str
    resources: list[str]
    counts: dict[str, dict[str, int]]
    intervals_fetched: int
    requests: int
    duration_s: float
    new_activities: list[dict[str, Any]]


class SyncStatusAnswer(BaseModel):
    freshness: str
    status: dict[str, Any]
    background_sync: dict[str, Any]


# -- the server ------------------------------------------------------------------------------


@dataclass
class AppState:
    """What the lifespan yields (``ctx.request_context.lifespan_context``)."""

    settings: Settings
    scheduler: SyncScheduler | None


class MirrorServer(MCPServer[AppState]):
    """MCPServer whose tool errors read as one plain sentence per bad parameter.

    The SDK prefixes "Error executing tool NAME: " and, for bad arguments, pastes pydantic's
    report; a crash shows only "Error executing tool NAME". Here our own errors keep their
    message (they are written for the user), pydantic errors become "param: msg (got value)",
    and a crash names the exception (its traceback goes to the log) and says it is a bug.
    """

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


class StaticTokenVerifier:
    """Bearer check for streamable HTTP: the one token from INTERVALS_MIRROR_TOKEN."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def verify_token(self, token: str) -> AccessToken | None:
        if hmac.compare_digest(token.encode(), self._token.encode()):
            return AccessToken(token="", client_id="intervals-mirror", scopes=[])
        return None


def create_server(settings: Settings, *, scheduler: bool = True) -> MirrorServer:
    """The whole server for one store; ``scheduler=False`` leaves background sync off."""
    jobs = SyncScheduler(settings) if scheduler else None
    auth: dict[str, Any] = {}
    if settings.server_token:
        auth = {"token_verifier": StaticTokenVerifier(settings.server_token),
                "auth": AuthSettings(issuer_url=AnyHttpUrl("http://127.0.0.1"),
                                     resource_server_url=None)}
    mirror = Analytics(settings.db_path)  # keeps its copy between calls, refreshed on change
    server = MirrorServer("intervals-mirror", version=__version__, instructions=INSTRUCTIONS,
                          lifespan=_lifespan(settings, jobs, mirror), log_level="WARNING",
                          **auth)
    weakref.finalize(server, mirror.close)
    _register_lookup_tools(server, settings)
    _register_sync_tools(server, settings, jobs)
    _register_analytics_tools(server, settings, mirror)
    return server


def _lifespan(settings: Settings, jobs: SyncScheduler | None, mirror: Analytics
              ) -> Callable[[MCPServer[AppState]], AbstractAsyncContextManager[AppState]]:
    @asynccontextmanager
    async def lifespan(server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        if jobs is not None:
            await anyio.to_thread.run_sync(jobs.start)
        if settings.db_path.exists():
            threading.Thread(target=_warm, args=(mirror,), name="analytics-warm",
                             daemon=True).start()
        try:
            yield AppState(settings, jobs)
        finally:
            if jobs is not None:
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
            "INTERVALS_MIRROR_TOKEN (or token under [server] in the config file), and give "
            "clients the header 'Authorization: Bearer <token>'")


def http_app(settings: Settings, *, host: str = "127.0.0.1") -> Starlette:
    """The streamable HTTP app (path /mcp); refuses a non-loopback host without a token."""
    check_http_exposure(settings, host)
    return create_server(settings).streamable_http_app(host=host)


def serve(settings: Settings, *, http: bool = False, host: str = "127.0.0.1",
          port: int = 8000) -> None:
    """Run until the client disconnects (stdio) or the process is stopped (HTTP)."""
    if not http:
        log.info("serving %s over stdio", settings.db_path)
        create_server(settings).run()
        return
    app = http_app(settings, host=host)
    log.info("serving %s on http://%s:%d/mcp", settings.db_path, host, port)
    # Our own uvicorn (not server.run) so its logs stay at warning level, on stderr.
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                  access_log=False)).run()


# -- shared tool helpers ---------------------------------------------------------------------


@contextmanager
def _reader(settings: Settings) -> Iterator[Store]:
    """A read-only connection for one tool call (about 0.1 ms to open; safe across threads)."""
    if not settings.db_path.exists():
        if sync_running(settings):
            raise StoreError("the first sync is mirroring the history right now: ask again "
                             "in a minute (the most recent days come first)")
        raise StoreError(f"nothing is mirrored yet (no store at {settings.db_path}): call the "
                         "refresh tool, or run `intervals-mirror sync`")
    with Store.open(settings.db_path, readonly=True) as store:
        yield store


def _answer(text: str, data: BaseModel) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)],
                          structured_content=data.model_dump(mode="json"))


def _today(store: Store) -> Any:
    athlete = queries_common.athlete(store)
    return validate.today_in(athlete["timezone"] if athlete else None)


def _check_athlete(store: Store, settings: Settings, athlete_id: str | int | None) -> None:
    athlete = queries_common.athlete(store)
    validate.athlete_id(athlete_id, [athlete["id"] if athlete else "", settings.athlete_id])


def _unknown_activity(store: Store, settings: Settings, activity_id: str) -> QueryError:
    first, last = queries_status.mirrored_span(store, "activities")
    if not first:
        return QueryError(f"activity_id: {activity_id} is not in the store: no activities are "
                          "mirrored yet; call refresh first")
    where = queries_status.id_position(store, "activities", activity_id)
    span = f"the mirrored date range {first} to {last}"
    if where == "newer":
        return QueryError(
            f"activity_id: {activity_id} is not in {span}: it looks newer than every mirrored "
            "activity; call refresh to fetch new activities, then ask again")
    if where == "older" and settings.history_start:
        return QueryError(
            f"activity_id: {activity_id} is not in {span}: it looks older than every mirrored "
            f"activity: the mirror starts at history_start ({settings.history_start}, under "
            "[sync] in the config file)")
    return QueryError(
        f"activity_id: {activity_id} is not in the store (it covers {span}); it may have been "
        "deleted on Intervals.icu or mistyped. Ids look like i12345678; get_activities lists "
        "them, and refresh fetches anything new")


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if v is not None and v != [] and v != {}}


# -- lookup tools ----------------------------------------------------------------------------


def _register_lookup_tools(server: MCPServer[AppState], settings: Settings) -> None:
    """The live-API servers' read tools, with the same names and parameters."""

    @server.tool(title="List activities", annotations=READ_ONLY)
    def get_activities(
        start_date: StartDate = None,
        end_date: EndDate = None,
        limit: Annotated[int, Field(ge=1, description=(
            f"Most activities to return, newest first (1-{MAX_ACTIVITIES}; larger values "
            "are capped)"))] = 10,
        include_unnamed: Annotated[bool, Field(description=(
            "Also list Strava-imported activities: they have no name and no data (the API "
            "does not share them), only a date"))] = False,
        activity_type: Annotated[str | None, Field(description=(
            "Only this sport, e.g. Ride, Run, Swim, VirtualRide"))] = None,
        athlete_id: AthleteId = None,
    ) -> Annotated[CallToolResult, ActivitiesAnswer]:
        """Activities in a date range (default the last 30 days), newest first: date, sport,
        name, duration, distance, load, heart rate and power."""
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=_today(store),
                                       default_days_back=30)
            count, capped = validate.limit("limit", limit, maximum=MAX_ACTIVITIES)
            page = queries_activities.activities(store, *days.iso(), limit=count,
                                    include_unnamed=include_unnamed,
                                    activity_type=activity_type)
            nothing = activity_type and not page.total and not page.hidden_stubs
            types = queries_activities.activity_types(store) if nothing else []
            fresh = queries_status.freshness(store, ACTIVITIES)
        data = ActivitiesAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            count=len(page.rows), total=page.total, limit=count, capped=capped,
            hidden_strava_stubs=page.hidden_stubs, activities=page.rows)
        text = answers_activities.activities_text(data.model_dump(), activity_type, types)
        return _answer(text, data)

    @server.tool(title="Activity details", annotations=READ_ONLY)
    def get_activity_details(activity_id: ActivityId, athlete_id: AthleteId = None
                             ) -> Annotated[CallToolResult, ActivityAnswer]:
        """Every mirrored field of one activity, grouped and labelled with units (time,
        distance, heart rate, power, load, RPE 1-10, feel 1-5, custom fields)."""
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
            aid = queries_activities.resolve_activity_id(store, validate.activity_id(activity_id))
            row = queries_activities.activity(store, aid)
            if row is None:
                raise _unknown_activity(store, settings, aid)
            fresh = queries_status.freshness(store, ACTIVITIES)
        raw, custom = row.pop("raw"), row.pop("custom")
        data = ActivityAnswer(freshness=fresh, activity=row, custom_fields=custom,
                              fields=_fields(raw),
                              note=queries_activities.STRAVA_NOTE if row["is_stub"] else None)
        text = answers_activities.activity_details({**row, "custom": custom})
        return _answer(f"{text}\n{fresh}", data)

    @server.tool(title="Activity intervals", annotations=FILLS_IN)
    def get_activity_intervals(activity_id: ActivityId, athlete_id: AthleteId = None
                               ) -> Annotated[CallToolResult, IntervalsAnswer]:
        """The intervals of one activity (work/recovery, duration, power, HR, cadence, speed,
        load) and its interval groups. Intervals not mirrored yet are fetched once, through
        sync, if the network is up."""
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
        found = _read_intervals(settings, validate.activity_id(activity_id))
        aid = found.activity["id"]
        fetched, note = False, None
        if not found.mirrored and not found.activity["is_stub"]:
            fetched, note = _fetch_missing_intervals(settings, aid)
            if fetched:
                found = _read_intervals(settings, aid)
        if found.activity["is_stub"]:
            note = queries_activities.STRAVA_NOTE
        elif found.stale and not fetched:
            note = ("the activity changed after these intervals were mirrored; the next sync "
                    "(or refresh) updates them")
        with _reader(settings) as store:
            fresh = queries_status.freshness(store, ACTIVITIES)
        data = IntervalsAnswer(freshness=fresh, activity=found.activity, mirrored=found.mirrored
                               or fetched, fetched_now=fetched, intervals=found.intervals,
                               groups=found.groups, note=note)
        return _answer(answers_activities.intervals_text(data.model_dump()), data)

    @server.tool(title="Wellness", annotations=READ_ONLY)
    def get_wellness_data(
        start_date: StartDate = None,
        end_date: EndDate = None,
        include_custom_fields: Annotated[bool, Field(description=(
            "Include the athlete's custom wellness fields, by name"))] = True,
        athlete_id: AthleteId = None,
    ) -> Annotated[CallToolResult, WellnessAnswer]:
        """Wellness per day (default the last 30 days): fitness (CTL), fatigue (ATL), form,
        HRV, resting HR, sleep, weight, subjective scores and custom fields."""
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
            today = _today(store)
            days = validate.date_range(start_date, end_date, today=today, default_days_back=30)
            page = queries_wellness.wellness(store, *days.iso(),
                                            include_custom=include_custom_fields,
                                            limit=MAX_WELLNESS_DAYS, today=today.isoformat())
            fresh = queries_status.freshness(store, WELLNESS)
        data = WellnessAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            count=len(page.rows), total=page.total, capped=page.total > len(page.rows),
            custom_fields=page.extra["custom_fields"], days=page.rows,
            projected_days=sum(1 for d in page.rows if d["projected"]))
        return _answer(answers_wellness.wellness_text(data.model_dump()), data)

    @server.tool(title="Calendar events", annotations=READ_ONLY)
    def get_events(
        start_date: StartDate = None,
        end_date: EndDate = None,
        category: Annotated[list[str] | str | None, Field(description=(
            "Only these categories, e.g. [\"WORKOUT\", \"RACE\"] or \"NOTE,HOLIDAY\": "
            + ", ".join(EVENT_CATEGORIES) + " (RACE means all races)"))] = None,
        athlete_id: AthleteId = None,
    ) -> Annotated[CallToolResult, EventsAnswer]:
        """Planned workouts, races, notes and other calendar entries (default today to 7 days
        ahead; a start date alone covers that day and the 7 after it), earliest first."""
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=_today(store),
                                       default_days_back=0, default_days_ahead=7)
            categories = validate.choices("category", category, EVENT_CATEGORIES, aliases={
                "RACE": ("RACE_A", "RACE_B", "RACE_C")})
            page = queries_events.events(store, *days.iso(), categories=categories,
                                         limit=MAX_EVENTS)
            fresh = queries_status.freshness(store, EVENTS)
        data = EventsAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            categories=list(categories) if categories else None, count=len(page.rows),
            total=page.total, capped=page.total > len(page.rows), events=page.rows)
        return _answer(answers_events.events_text(data.model_dump()), data)

    @server.tool(title="One calendar event", annotations=READ_ONLY)
    def get_event_by_id(
        event_id: Annotated[str | int, Field(description="Event id, e.g. 41234567")],
        athlete_id: AthleteId = None,
    ) -> Annotated[CallToolResult, EventAnswer]:
        """One calendar event in full, with the workout description and its steps."""
        eid = validate.event_id(event_id)
        with _reader(settings) as store:
            _check_athlete(store, settings, athlete_id)
            row = queries_events.event(store, eid)
            if row is None:
                first, last = queries_status.mirrored_span(store, "events")
                raise QueryError(
                    f"event_id: {eid} is not in the store (events are mirrored from "
                    f"{first or '-'} to {last or '-'}); get_events lists them, and refresh "
                    "fetches new ones")
            fresh = queries_status.freshness(store, EVENTS)
        data = EventAnswer(freshness=fresh, event={k: v for k, v in row.items() if k != "raw"},
                           fields=_fields(row["raw"]))
        return _answer(f"{answers_events.event_details(row)}\n{fresh}", data)


def _read_intervals(settings: Settings, activity_id: str) -> queries_activities.IntervalSet:
    with _reader(settings) as store:
        activity_id = queries_activities.resolve_activity_id(store, activity_id)
        found = queries_activities.activity_intervals(store, activity_id)
        if found is None:
            raise _unknown_activity(store, settings, activity_id)
    return found


def _fetch_missing_intervals(settings: Settings, activity_id: str) -> tuple[bool, str | None]:
    """Fetch one activity's intervals through sync; (fetched, why not) without raising.

    Short timeouts and no long retries: the user is waiting, and offline must stay fast.
    """
    if not (settings.api_key and settings.athlete_id):
        return False, ("the intervals of this activity are not mirrored yet, and no API key is "
                       "configured to fetch them")
    quick = replace(settings, max_retries=min(settings.max_retries, 1),
                    timeout=min(settings.timeout, 10.0),
                    lock_timeout=min(settings.lock_timeout, 5.0))
    try:
        fetch_activity_intervals(quick, activity_id)
    except LockTimeoutError:
        return False, ("the intervals of this activity are not mirrored yet; a sync is running "
                       "now, ask again in a moment")
    except ApiError as exc:
        return False, ("the intervals of this activity are not mirrored yet, and the "
                       f"Intervals.icu API is unreachable or refused: {exc}")
    return True, None


# -- sync tools ------------------------------------------------------------------------------


def _register_sync_tools(server: MCPServer[AppState], settings: Settings,
                         jobs: SyncScheduler | None) -> None:
    """Refresh (the one tool that writes) and the status of the mirror."""

    @server.tool(title="Refresh the mirror", annotations=ToolAnnotations(
        read_only_hint=False, destructive_hint=False, idempotent_hint=True,
        open_world_hint=True))
    async def refresh(
        ctx: Context[AppState, Any],
        resources: Annotated[list[str] | str | None, Field(description=(
            "Only these, e.g. [\"activities\"]; any of " + ", ".join(RESOURCES)
            + " (default all)"))] = None,
        full: Annotated[bool, Field(description=(
            "Re-list the whole history (finds old edits and deletions; slower)"))] = False,
    ) -> Annotated[CallToolResult, RefreshAnswer]:
        """Sync with Intervals.icu now (the same as `intervals-mirror sync`), reporting
        progress, and answer what changed: new, changed and deleted items and the new
        activities."""
        only = validate.choices("resources", resources, RESOURCES) or RESOURCES
        report = await _sync_with_progress(settings, SyncOptions(full=full, only=only), ctx)
        with _reader(settings) as store:
            new = queries_activities.activities_by_id(store, report.new_activity_ids)
            fresh = queries_status.freshness(store, only)
        data = RefreshAnswer(
            freshness=fresh, status=report.status, mode=report.mode,
            resources=list(report.resources),
            counts={r: {"added": c.added, "updated": c.updated, "deleted": c.deleted}
                    for r, c in report.counts.items()},
            intervals_fetched=report.intervals_fetched, requests=report.requests,
            duration_s=round(report.duration_s, 3), new_activities=new)
        return _answer(answers_status.refresh_text(data.model_dump()), data)

    @server.tool(title="Sync status", annotations=READ_ONLY)
    def get_sync_status() -> Annotated[CallToolResult, SyncStatusAnswer]:
        """What the mirror holds: coverage per resource, last good sync, last error, row
        counts, and the background sync schedule."""
        with _reader(settings) as store:
            status = queries_status.sync_status(store)
            status["row_counts"] = queries_status.row_counts(store)
            fresh = queries_status.freshness(store)
        background = jobs.describe() if jobs else {"running": False, "off_reason": "disabled"}
        data = SyncStatusAnswer(freshness=fresh, status=status, background_sync=background)
        return _answer(answers_status.status_text(data.model_dump()), data)


async def _sync_with_progress(settings: Settings, options: SyncOptions,
                              ctx: Context[AppState, Any]) -> SyncReport:
    """run_sync in a worker thread; its progress goes to the client as notifications."""

    def progress(step: Progress) -> None:
        try:
            anyio.from_thread.run(functools.partial(
                ctx.report_progress, step.done, step.total or None, step.message))
        except Exception:  # the client went away: the sync itself carries on
            log.debug("progress notification failed", exc_info=True)

    # Someone is waiting: fail in seconds when offline rather than after cron's long retries.
    quick = replace(settings, max_retries=min(settings.max_retries, 2))
    await ctx.report_progress(0, None, "contacting Intervals.icu")
    try:
        return await anyio.to_thread.run_sync(
            functools.partial(run_sync, quick, options, progress=progress))
    except ApiError as exc:
        fresh = _freshness_or_none(settings)
        raise ApiError(f"refresh failed: {exc}. Nothing new was stored; answers still come "
                       f"from the mirror ({fresh})", status=exc.status) from exc


def _freshness_or_none(settings: Settings) -> str:
    try:
        with _reader(settings) as store:
            return queries_status.freshness(store)
    except StoreError:
        return "nothing mirrored yet"


# -- analytics tools -------------------------------------------------------------------------


class AnalyticsAnswer(BaseModel):
    freshness: str
    result: dict[str, Any] = Field(description=(
        "the figures behind the text: times in s, distances in km, elevation in m, power in W, "
        "heart rate in bpm, intensity in % of threshold"))


class SchemaAnswer(BaseModel):
    notes: list[str]
    tables: list[dict[str, Any]]


SportFilter = Annotated[str | None, Field(description="Only this sport, e.g. Ride, Run, Swim")]


def _word(value: Any) -> Any:
    """"Week " and "MONTH" mean week and month: group_by is checked after this."""
    return value.strip().lower() if isinstance(value, str) else value


Lowered = BeforeValidator(_word)


def _register_analytics_tools(server: MCPServer[AppState], settings: Settings,
                              mirror: Analytics) -> None:
    """Date-range aggregates (DuckDB over an in-memory copy of the store) and read-only SQL."""

    def answer(result: Answer, resources: tuple[str, ...] = RESOURCES) -> CallToolResult:
        with _reader(settings) as store:
            fresh = queries_status.freshness(store, resources)
        return _answer(f"{result.text}\n{fresh}",
                       AnalyticsAnswer(freshness=fresh, result=result.data))

    @server.tool(title="Training summary", annotations=READ_ONLY)
    def get_training_summary(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[Literal["week", "month", "year", "sport"], Lowered, Field(
            description="Buckets: week (from Monday), month, year or sport")] = "week",
        activity_type: SportFilter = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Training per week, month, year or sport (default the last 90 days): activities,
        moving time, distance, climbing, training load and average intensity, with each sport
        inside each bucket and totals."""
        return answer(mirror.training_summary(start_date, end_date, group_by=group_by,
                                              activity_type=activity_type), ACTIVITIES)

    @server.tool(title="Fitness trend", annotations=READ_ONLY)
    def get_fitness_trend(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[Literal["day", "week"] | None, Lowered, Field(description=(
            "day or week (default: daily up to 92 days, weekly beyond)"))] = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Fitness (CTL), fatigue (ATL), form (CTL - ATL) and ramp rate per day or week
        (default the last 90 days), with the change, peak CTL, lowest form and the days of
        negative form."""
        return answer(mirror.fitness_trend(start_date, end_date, group_by=group_by), WELLNESS)

    @server.tool(title="Wellness trends", annotations=READ_ONLY)
    def get_wellness_trends(
        start_date: StartDate = None,
        end_date: EndDate = None,
        fields: Annotated[list[str] | str | None, Field(description=(
            "Wellness columns or numeric custom fields (by name or code), e.g. [\"hrv\", "
            "\"resting_hr\", \"sleep_secs\", \"form\", \"Caffeine (mg)\"] (default: HRV, "
            "resting HR, sleep, weight, subjective scores and numeric custom fields)"))] = None,
        group_by: Annotated[Literal["week", "month"], Lowered, Field(description=(
            "week (from Monday) or month"))] = "week",
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Average, min, max and trend (least-squares slope per week) of wellness fields per
        week or month (default the last 90 days): HRV, resting HR, sleep, weight, subjective
        scores, CTL/ATL/form and numeric custom fields."""
        return answer(mirror.wellness_trends(start_date, end_date, fields=fields,
                                             group_by=group_by), WELLNESS)

    @server.tool(title="Interval stats", annotations=READ_ONLY)
    def get_interval_stats(
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: SportFilter = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Work intervals by duration band (under 1 min .. 40 min or more; default the last 90
        days): count, time in work intervals, best and average power and heart rate, and
        the activity holding each best."""
        return answer(mirror.interval_stats(start_date, end_date, activity_type=activity_type),
                      ACTIVITIES)

    @server.tool(title="Compare periods", annotations=READ_ONLY)
    def compare_periods(
        a_start: Annotated[str, Field(description="First day of period A, YYYY-MM-DD")],
        a_end: Annotated[str, Field(description="Last day of period A, inclusive")],
        b_start: Annotated[str, Field(description="First day of period B, YYYY-MM-DD")],
        b_end: Annotated[str, Field(description="Last day of period B, inclusive")],
        activity_type: SportFilter = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """The training summary of two periods side by side, per sport and in total, with the
        differences A - B and in percent (e.g. this build block vs the same weeks last
        year)."""
        return answer(mirror.compare_periods(a_start, a_end, b_start, b_end,
                                             activity_type=activity_type), ACTIVITIES)

    @server.tool(title="Read-only SQL", annotations=READ_ONLY)
    def query_sql(
        sql: Annotated[str, Field(description=(
            "One SELECT in SQLite SQL over the store's tables and views (see describe_schema)"))],
        limit: Annotated[int, Field(ge=1, description=(
            "Most rows to return (default 200; at most 1000)"))] = 200,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Ad-hoc read-only SQL over the store, answered as a compact table. One statement per
        call; writes, ATTACH and PRAGMAs that set anything are refused; cut off after 10 s;
        says when rows were cut at the limit or at 100 KB of output."""
        result = run_sql(settings.db_path, sql, limit=limit, max_bytes=SQL_OUTPUT_BYTES)
        return answer(Answer(result.text, result.data))

    @server.tool(name="describe_schema", title="Describe the store", annotations=READ_ONLY)
    def describe_schema_tool() -> Annotated[CallToolResult, SchemaAnswer]:
        """The store's tables and views: columns, types and one-line meanings, to write
        correct SQL for query_sql (also the resource intervals-mirror://schema)."""
        schema = describe_schema()
        return _answer(schema.text, SchemaAnswer(**schema.data))

    @server.resource("intervals-mirror://schema", name="schema", mime_type="text/plain",
                     description="The store's tables, columns, types and meanings")
    def schema_resource() -> str:
        return describe_schema().text
