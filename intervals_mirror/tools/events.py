"""Calendar tools: events in a date range by category, and one event with its workout."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..answers.events import event_details, events_text
from ..errors import QueryError
from ..queries.events import event, events
from ..queries.status import freshness, mirrored_span
from ._common import (
    EVENTS,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    StartDate,
    check_athlete,
    text_tool,
    today,
)

MAX_EVENTS = 100
EVENT_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK",
                    "INJURED", "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET",
                    "SET_FITNESS")

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Calendar events")
    def get_events(
        start_date: StartDate = None,
        end_date: EndDate = None,
        category: Annotated[list[str] | str | None, Field(description=(
            "Only these, e.g. WORKOUT, RACE (any race), NOTE, PLAN, HOLIDAY; a list or "
            "comma list"))] = None,
        athlete_id: AthleteId = None,
    ) -> str:
        """Planned workouts (past ones: done, partly done or missed), races, notes, targets and
        other calendar entries (default today to 7 days ahead), earliest first."""
        with read(EVENTS) as store:
            check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=today(store),
                                       default_days_back=0, default_days_ahead=7)
            categories = validate.choices("category", category, EVENT_CATEGORIES, aliases={
                "RACE": ("RACE_A", "RACE_B", "RACE_C")})
            page = events(store, *days.iso(), categories=categories, limit=MAX_EVENTS)
            day = today(store).isoformat()  # workouts before it are done or missed
            fresh = freshness(store, EVENTS)
        first, last = days.iso()
        return events_text({
            "freshness": fresh, "start_date": first, "end_date": last,
            "categories": list(categories) if categories else None, "count": len(page.rows),
            "total": page.total, "capped": page.total > len(page.rows), "events": page.rows,
            "today": day,
        })

    @text_tool(server, title="One calendar event")
    def get_event_by_id(
        event_id: Annotated[str | int, Field(description="Event id, e.g. 41234567")],
        athlete_id: AthleteId = None,
    ) -> str:
        """One calendar event in full, with the workout description and its steps."""
        eid = validate.event_id(event_id)
        with read(EVENTS) as store:
            check_athlete(store, settings, athlete_id)
            row = event(store, eid)
            if row is None:
                first, last = mirrored_span(store, "events")
                raise QueryError(
                    f"event_id: {eid} is not in the store (events are mirrored from "
                    f"{first or '-'} to {last or '-'}); get_events lists them, and refresh "
                    "fetches new ones")
            fresh = freshness(store, EVENTS)
        return f"{event_details(row)}\n{fresh}"
