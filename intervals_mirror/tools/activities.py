"""Activity tools: the list, one activity in full, and its intervals (fetched on demand)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from .. import validate
from ..answers import activities as text
from ..config import Settings
from ..errors import QueryError
from ..on_demand import fetch_missing_intervals
from ..queries import activities as lookup
from ..queries.status import freshness, id_position, mirrored_span
from ..store import Store
from ._common import (
    ACTIVITIES,
    FETCHES,
    READ_ONLY,
    ActivityId,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    StartDate,
    answer,
    api_fields,
    check_athlete,
    reader,
    today,
)

MAX_ACTIVITIES = 100


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


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings = deps.settings

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
        sport = validate.activity_type(activity_type)
        with reader(settings, ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=today(store),
                                       default_days_back=30)
            count, capped = validate.limit("limit", limit, maximum=MAX_ACTIVITIES)
            page = lookup.activities(store, *days.iso(), limit=count,
                                     include_unnamed=include_unnamed,
                                     activity_type=sport)
            nothing = sport and not page.total and not page.hidden_stubs
            types = lookup.activity_types(store) if nothing else []
            fresh = freshness(store, ACTIVITIES)
        data = ActivitiesAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            count=len(page.rows), total=page.total, limit=count, capped=capped,
            hidden_strava_stubs=page.hidden_stubs, activities=page.rows)
        return answer(text.activities_text(data.model_dump(), sport, types), data)

    @server.tool(title="Activity details", annotations=READ_ONLY)
    def get_activity_details(activity_id: ActivityId, athlete_id: AthleteId = None
                             ) -> Annotated[CallToolResult, ActivityAnswer]:
        """Every mirrored field of one activity, grouped and labelled with units (time,
        distance, heart rate, power, load, RPE 1-10, feel 1-5, custom fields)."""
        with reader(settings, ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
            aid = lookup.resolve_activity_id(store, validate.activity_id(activity_id))
            row = lookup.activity(store, aid)
            if row is None:
                raise _unknown_activity(store, settings, aid)
            fresh = freshness(store, ACTIVITIES)
        raw, custom = row.pop("raw"), row.pop("custom")
        data = ActivityAnswer(freshness=fresh, activity=row, custom_fields=custom,
                              fields=api_fields(raw),
                              note=lookup.STRAVA_NOTE if row["is_stub"] else None)
        details = text.activity_details({**row, "custom": custom})
        return answer(f"{details}\n{fresh}", data)

    @server.tool(title="Activity intervals", annotations=FETCHES)
    def get_activity_intervals(activity_id: ActivityId, athlete_id: AthleteId = None
                               ) -> Annotated[CallToolResult, IntervalsAnswer]:
        """The intervals of one activity (work/recovery, duration, power, HR, cadence, speed,
        load) and its interval groups. Intervals not mirrored yet are fetched once, through
        sync, if the network is up."""
        with reader(settings, ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
        found, fetched, note = _intervals(settings, validate.activity_id(activity_id))
        with reader(settings, ACTIVITIES) as store:
            fresh = freshness(store, ACTIVITIES)
        data = IntervalsAnswer(freshness=fresh, activity=found.activity, mirrored=found.mirrored
                               or fetched, fetched_now=fetched, intervals=found.intervals,
                               groups=found.groups, note=note)
        return answer(text.intervals_text(data.model_dump()), data)


def _intervals(settings: Settings, activity_id: str
               ) -> tuple[lookup.IntervalSet, bool, str | None]:
    """The activity's intervals, fetched now if sync has not: (them, fetched now, a note)."""
    found = _read_intervals(settings, activity_id)
    aid = found.activity["id"]
    fetched, note = False, None
    if not found.mirrored and not found.activity["is_stub"]:
        outcome = fetch_missing_intervals(settings, aid)
        fetched, note = outcome.fetched, outcome.why_not
        if fetched:
            found = _read_intervals(settings, aid)
    if found.activity["is_stub"]:
        note = lookup.STRAVA_NOTE
    elif found.stale and not fetched:
        note = ("the activity changed after these intervals were mirrored; the next sync "
                "(or refresh) updates them")
    return found, fetched, note


def _read_intervals(settings: Settings, activity_id: str) -> lookup.IntervalSet:
    with reader(settings, ACTIVITIES) as store:
        activity_id = lookup.resolve_activity_id(store, activity_id)
        found = lookup.activity_intervals(store, activity_id)
        if found is None:
            raise _unknown_activity(store, settings, activity_id)
    return found


def _unknown_activity(store: Store, settings: Settings, activity_id: str) -> QueryError:
    """Why an activity id is not in the store, and what to do about it."""
    first, last = mirrored_span(store, "activities")
    if not first:
        return QueryError(f"activity_id: {activity_id} is not in the store: no activities are "
                          "mirrored yet; call refresh first")
    where = id_position(store, "activities", activity_id)
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
