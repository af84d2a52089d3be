"""Calendar writes: plan a workout, write a note, delete one event or a date range's.

Each goes to Intervals.icu first and then, with what it answered, to the mirror
(``write_through``), so the next read shows it. Which of them exist is decided here from
``[server] writes``: ``all``, ``no-delete`` (no deletes listed) or ``none`` (none listed).
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from .. import workout_doc as doc
from ..answers.writes import deleted_text, preview_text, saved_text
from ..config import Settings
from ..errors import QueryError, shown
from ..queries.events import events
from ..queries.status import mirrored_span
from ._common import EVENTS, AppState, AthleteId, Deps, check_athlete, text_tool, today
from ._writes import DELETES, SAVES
from .readers import Readers

GROUP = "writes"  # for [server] tools
MAX_NAME = 80  # Intervals.icu refuses longer names ("Name is too long")
MAX_DELETE = 200  # events one range deletion may delete (one request each)
PREVIEW_ROWS = 100

StartDay = Annotated[str | None, Field(
    description="YYYY-MM-DD; default today (new) or unchanged (update)")]
# The tools' descriptions say an event_id changes that event instead of creating one.
EventId = Annotated[str | int | None, Field(description="Only the fields given are sent")]
WorkoutDoc = Annotated[dict[str, Any] | str | None, Field(description=(
    'As get_event_by_id shows it: {"description": "..", "steps": [{"duration": 600, '
    '"power": {"value": 60, "units": "%ftp"}}, {"reps": 4, "steps": [..]}]}; a step has '
    "duration (s), distance (m) or until_lap_press; targets power, hr, pace, cadence (value "
    "or start+end; units w, %ftp, %mmp, power_zone, %hr, %lthr, hr_zone, %pace, pace_zone, "
    "rpm); warmup, cooldown, ramp, freeride, text"))]


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read
    if settings.writes == "none":
        return

    @text_tool(server, title="Plan a workout", annotations=SAVES)
    def add_or_update_event(
        workout_type: Annotated[str, Field(description="Sport, e.g. Ride, Run, Swim; \"\": "
                                                       "from the name")],
        name: Annotated[str, Field(description="The workout's name")],
        start_date: StartDay = None,
        workout_doc: WorkoutDoc = None,
        moving_time: Annotated[int | None, Field(description="Planned seconds")] = None,
        distance: Annotated[float | None, Field(description="Planned metres")] = None,
        event_id: EventId = None,
        athlete_id: AthleteId = None,
    ) -> str:
        """Put a planned workout on the Intervals.icu calendar, or change one (event_id), then
        in the mirror."""
        eid = validate.event_id(event_id) if event_id is not None else None
        body = _workout_body(settings, read, athlete_id, workout_type, name, start_date,
                             workout_doc, moving_time, distance, creating=eid is None)
        return _saved(settings, body, eid, "WORKOUT")

    @text_tool(server, title="Write a calendar note", annotations=SAVES)
    def add_or_update_note(
        name: Annotated[str, Field(description="The note's title")],
        description: Annotated[str, Field(description="The note's text")],
        start_date: StartDay = None,
        color: Annotated[str | None, Field(description="e.g. green (new notes: green)")] = None,
        event_id: EventId = None,
        athlete_id: AthleteId = None,
    ) -> str:
        """Put a note on the Intervals.icu calendar, or change one (event_id), then in the
        mirror."""
        eid = validate.event_id(event_id) if event_id is not None else None
        body = _note_body(settings, read, athlete_id, name, description, start_date, color,
                          creating=eid is None)
        return _saved(settings, body, eid, "NOTE")

    if settings.writes != "all":
        return

    @text_tool(server, title="Delete a calendar event", annotations=DELETES)
    def delete_event(
        event_id: Annotated[str | int, Field(description="e.g. 41234567")],
        athlete_id: AthleteId = None,
    ) -> str:
        """Delete one event on Intervals.icu and in the mirror; it stays in the deleted
        table."""
        eid = validate.event_id(event_id)
        with read(EVENTS) as store:
            check_athlete(store, settings, athlete_id)
        from ..write_through import delete_events

        done = delete_events(settings, [eid])
        if done.failed:
            raise QueryError(done.failed[0][1])
        return deleted_text(vars(done))

    @text_tool(server, title="Delete the events of a date range", annotations=DELETES)
    def delete_events_by_date_range(
        start_date: Annotated[str, Field(description="First day, YYYY-MM-DD")],
        end_date: Annotated[str, Field(description="Last day, YYYY-MM-DD (inclusive)")],
        athlete_id: AthleteId = None,
        confirm: Annotated[bool, Field(description="true: delete exactly those listed")] = False,
    ) -> str:
        """Every calendar event (any category) in a range: without confirm, the list that
        would be deleted (show it to the user); with confirm=true, deletes them."""
        return _range_deletion(settings, read, athlete_id, start_date, end_date, confirm)


# -- the bodies sent -----------------------------------------------------------------------


def _workout_body(settings: Settings, read: Readers, athlete_id: str | int | None,
                  workout_type: str,
                  name: str, start_date: str | None, workout_doc: Any, moving_time: int | None,
                  distance: float | None, *, creating: bool) -> dict[str, Any]:
    """The fields to send: all of a new workout's; of a change, only those given."""
    body: dict[str, Any] = {"name": _name(name)}
    sport = validate.activity_type(workout_type, "workout_type")
    if creating:
        body = {"category": "WORKOUT", **body, "type": sport or doc.sport_from_name(body["name"])}
    elif sport:
        body["type"] = sport
    body.update(_day(settings, read, athlete_id, start_date, creating))
    if workout_doc is not None:
        body["description"] = doc.render(doc.parse(workout_doc))
    if moving_time is not None:
        body["moving_time"] = _whole("moving_time", moving_time, 7 * 86400, "seconds")
    if distance is not None:
        body["distance"] = _amount("distance", distance, 10_000_000, "metres")
    return body


def _note_body(settings: Settings, read: Readers, athlete_id: str | int | None, name: str,
               description: str, start_date: str | None, color: str | None, *,
               creating: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"name": _name(name)}
    if creating:
        body = {"category": "NOTE", **body}
    note = validate.text("description", description, 20_000)
    if note is not None:
        body["description"] = note
    body.update(_day(settings, read, athlete_id, start_date, creating))
    shade = validate.text("color", color, 40) or ("green" if creating else None)
    if shade is not None:
        body["color"] = shade
    return body


def _name(name: Any) -> str:
    given = validate.text("name", name, MAX_NAME)
    if given is None:
        raise QueryError("name: expected a name (at most 80 characters), got an empty one")
    return given


def _day(settings: Settings, read: Readers, athlete_id: str | int | None,
         start_date: str | None, creating: bool) -> dict[str, str]:
    """start_date_local, checked; a new event without one is on the athlete's today. The
    athlete id is checked here too, before anything is sent."""
    with read(EVENTS) as store:
        check_athlete(store, settings, athlete_id)
        default = today(store)
    if start_date is None or start_date == "":
        return {"start_date_local": f"{default.isoformat()}T00:00:00"} if creating else {}
    return {"start_date_local": f"{validate.parse_date('start_date', start_date)}T00:00:00"}


def _whole(name: str, value: Any, largest: int, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= largest:
        raise QueryError(f"{name}: expected {unit}, a whole number from 1 to {largest:,}, "
                         f"got {shown(value)}")
    return value


def _amount(name: str, value: Any, largest: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not 0 < value <= largest:
        raise QueryError(f"{name}: expected {unit}, a number above 0 and at most "
                         f"{largest:,}, got {shown(value)}")
    return int(value) if float(value).is_integer() else float(value)


# -- sending, and the answers --------------------------------------------------------------


def _saved(settings: Settings, body: dict[str, Any], event_id: str | None, category: str
           ) -> str:
    from ..write_through import save_event  # httpx loads with the first write

    saved = save_event(settings, body, event_id, category=category)
    return saved_text(saved.row, saved.raw, created=saved.created, demo=saved.demo,
                      horizon=saved.horizon)


def _range_deletion(settings: Settings, read: Readers, athlete_id: str | int | None,
                    start_date: str, end_date: str, confirm: bool) -> str:
    """The preview from the store, or (confirm) the deletion of exactly what it lists."""
    first = validate.parse_date("start_date", start_date)
    last = validate.parse_date("end_date", end_date)
    if last < first:
        raise QueryError(f"end_date: expected a date on or after start_date "
                         f"({first.isoformat()}), got {end_date!r}")
    if confirm is not True and confirm is not False:
        raise QueryError(f"confirm: expected true or false, got {shown(confirm)}")
    with read(EVENTS) as store:
        check_athlete(store, settings, athlete_id)
        limit = MAX_DELETE + 1 if confirm else PREVIEW_ROWS
        page = events(store, first.isoformat(), last.isoformat(), limit=limit)
        covered_to = mirrored_span(store, "events")[1]
    unmirrored = (f"The mirror lists events up to {covered_to} (future_days): any later ones "
                  "on Intervals.icu are not listed here and not deleted."
                  if covered_to and covered_to < last.isoformat() else None)
    if not confirm:
        return preview_text(page.rows, page.total, first.isoformat(), last.isoformat(),
                            unmirrored)
    if page.total > MAX_DELETE:
        raise QueryError(f"start_date..end_date holds {page.total:,} events; at most "
                         f"{MAX_DELETE} are deleted per call: narrow the range")
    from ..write_through import delete_events

    done = delete_events(settings, [row["id"] for row in page.rows])
    return deleted_text(vars(done)) + (f"\n{unmirrored}" if unmirrored else "")

