"""Activity tools: the list, one activity in full, and its intervals (fetched on demand)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..answers import activities as text
from ..answers.intervals import intervals_text
from ..config import Settings
from ..errors import QueryError
from ..queries import activities as lookup
from ..queries import sports
from ..queries.status import freshness, id_position, mirrored_span, outside_mirror
from ..store import Store
from ._common import (
    ACTIVITIES,
    ActivityId,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    ExactType,
    SportParam,
    StartDate,
    check_athlete,
    text_tool,
    today,
)
from .readers import Readers

MAX_ACTIVITIES = 100

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="List activities")
    def get_activities(
        start_date: StartDate = None,
        end_date: EndDate = None,
        limit: Annotated[int, Field(ge=1, description=(
            f"At most {MAX_ACTIVITIES}, newest first"))] = 10,
        include_unnamed: Annotated[bool, Field(description=(
            "Also Strava stubs (a date, no data)"))] = False,
        activity_type: SportParam = None,
        athlete_id: AthleteId = None,
        exact_type: ExactType = False,
    ) -> str:
        """Activities in a date range (default the last 30 days), newest first: sport, name,
        time, distance, pace, load, HR, power."""
        with read(ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=today(store),
                                       default_days_back=30)
            count, capped = validate.limit("limit", limit, maximum=MAX_ACTIVITIES)
            sport = sports.sport(store, activity_type, exact=exact_type)
            page = lookup.activities(store, *days.iso(), limit=count,
                                     include_unnamed=include_unnamed,
                                     types=sport.types if sport else None)
            outside = outside_mirror(store, "activities", days.start, days.end,
                                     history_start=settings.history_start)
            fresh = freshness(store, ACTIVITIES)
        first, last = days.iso()
        return text.activities_text({
            "freshness": fresh, "start_date": first, "end_date": last, "outside": outside,
            "count": len(page.rows), "total": page.total, "limit": count, "capped": capped,
            "hidden_strava_stubs": page.hidden_stubs, "activities": page.rows,
        }, sport.label if sport else None)

    @text_tool(server, title="Activity details")
    def get_activity_details(activity_id: ActivityId, athlete_id: AthleteId = None) -> str:
        """Every mirrored field of one activity, grouped, with units (RPE, feel, custom
        fields)."""
        with read(ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
            aid = lookup.resolve_activity_id(store, validate.activity_id(activity_id))
            row = lookup.activity(store, aid)
            if row is None:
                raise _unknown_activity(store, settings, aid)
            fresh = freshness(store, ACTIVITIES)
        return f"{text.activity_details(row)}\n{fresh}"

    @text_tool(server, title="Activity intervals")
    def get_activity_intervals(activity_id: ActivityId, athlete_id: AthleteId = None) -> str:
        """One activity's intervals (work/recovery, time, power, HR, cadence, speed, load,
        zone) and groups; fetched once if not mirrored yet."""
        with read(ACTIVITIES) as store:
            check_athlete(store, settings, athlete_id)
        found, fetched, note = _intervals(settings, read, validate.activity_id(activity_id))
        with read(ACTIVITIES) as store:
            fresh = freshness(store, ACTIVITIES)
        return intervals_text({
            "freshness": fresh, "activity": found.activity,
            "mirrored": found.mirrored or fetched, "fetched_now": fetched,
            "intervals": found.intervals, "groups": found.groups, "note": note,
            "zones": found.zones,
        })


def _intervals(settings: Settings, read: Readers, activity_id: str
               ) -> tuple[lookup.IntervalSet, bool, str | None]:
    """The activity's intervals, fetched now if sync has not: (them, fetched now, a note)."""
    found = _read_intervals(settings, read, activity_id)
    aid = found.activity["id"]
    fetched, note = False, None
    if not found.mirrored and not found.activity["is_stub"]:
        from ..on_demand import fetch_missing_intervals  # the sync machinery, when needed

        outcome = fetch_missing_intervals(settings, aid)
        fetched, note = outcome.fetched, outcome.why_not
        if fetched:
            found = _read_intervals(settings, read, aid)
    if found.activity["is_stub"]:
        note = lookup.STRAVA_NOTE
    elif found.stale and not fetched:
        note = ("the activity changed after these intervals were mirrored; the next sync "
                "(or refresh) updates them")
    return found, fetched, note


def _read_intervals(settings: Settings, read: Readers, activity_id: str
                    ) -> lookup.IntervalSet:
    with read(ACTIVITIES) as store:
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
