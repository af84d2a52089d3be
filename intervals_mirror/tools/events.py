"""Calendar tools: events in a date range by category, and one event with its workout."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from .. import validate
from ..answers.events import event_details, events_text
from ..errors import QueryError
from ..queries.events import event, events
from ..queries.status import freshness, mirrored_span
from ._common import (
    EVENTS,
    READ_ONLY,
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

MAX_EVENTS = 100
EVENT_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK",
                    "INJURED", "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET",
                    "SET_FITNESS")


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


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings = deps.settings

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
        with reader(settings, EVENTS) as store:
            check_athlete(store, settings, athlete_id)
            days = validate.date_range(start_date, end_date, today=today(store),
                                       default_days_back=0, default_days_ahead=7)
            categories = validate.choices("category", category, EVENT_CATEGORIES, aliases={
                "RACE": ("RACE_A", "RACE_B", "RACE_C")})
            page = events(store, *days.iso(), categories=categories, limit=MAX_EVENTS)
            fresh = freshness(store, EVENTS)
        data = EventsAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            categories=list(categories) if categories else None, count=len(page.rows),
            total=page.total, capped=page.total > len(page.rows), events=page.rows)
        return answer(events_text(data.model_dump()), data)

    @server.tool(title="One calendar event", annotations=READ_ONLY)
    def get_event_by_id(
        event_id: Annotated[str | int, Field(description="Event id, e.g. 41234567")],
        athlete_id: AthleteId = None,
    ) -> Annotated[CallToolResult, EventAnswer]:
        """One calendar event in full, with the workout description and its steps."""
        eid = validate.event_id(event_id)
        with reader(settings, EVENTS) as store:
            check_athlete(store, settings, athlete_id)
            row = event(store, eid)
            if row is None:
                first, last = mirrored_span(store, "events")
                raise QueryError(
                    f"event_id: {eid} is not in the store (events are mirrored from "
                    f"{first or '-'} to {last or '-'}); get_events lists them, and refresh "
                    "fetches new ones")
            fresh = freshness(store, EVENTS)
        data = EventAnswer(freshness=fresh, event={k: v for k, v in row.items() if k != "raw"},
                           fields=api_fields(row["raw"]))
        return answer(f"{event_details(row)}\n{fresh}", data)
