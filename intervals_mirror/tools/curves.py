"""Best-effort curves: the best power, heart rate and times per period, from the mirrored
per-activity curves, each with the activity that holds it. Text only."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..answers.curves import curves_text, point_label
from ..errors import QueryError, shown
from ..queries import curves as lookup
from ..queries import sports
from ..queries.status import freshness, mirrored_span
from ..resources import CURVES_BY_NAME
from ..sports import Sport
from ..store import Store
from ._common import (
    ACTIVITIES,
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

DEFAULT_DURATIONS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 3600.0)
RUN_DISTANCES = (400.0, 1000.0, 1609.34, 5000.0, 10000.0, 21097.5, 42195.0)
SWIM_DISTANCES = (100.0, 200.0, 400.0, 1500.0)

GROUP = "lookups"  # for [server] tools

Durations = Annotated[list[int] | None, Field(description="Seconds (default 5 s to 1 h)")]
IndoorOutdoor = Annotated[str | None, Field(description="indoor or outdoor")]


def register(server: MCPServer[AppState], deps: Deps) -> None:
    @text_tool(server, title="Power curves")
    def get_athlete_power_curves(
        activity_type: SportParam = "Ride",
        durations: Durations = None,
        indoor_outdoor: IndoorOutdoor = None,
        start_date: StartDate = None,
        end_date: EndDate = None,
        this_season: bool = True,
        last_season: bool = True,
        include_normalised: Annotated[bool, Field(description="Also W/kg")] = True,
        athlete_id: AthleteId = None,
        exact_type: ExactType = False,
    ) -> str:
        """Best watts (W/kg) per duration this and last season (SEASON_START events) or any
        range, each with its activity."""
        points = _durations(durations)
        return _best(deps, "power", activity_type, lambda _: points, indoor_outdoor, start_date,
                     end_date, this_season, last_season, exact_type, athlete_id,
                     include_normalised)

    @text_tool(server, title="Heart rate curves")
    def get_athlete_hr_curves(
        activity_type: SportParam = None,
        durations: Durations = None,
        indoor_outdoor: IndoorOutdoor = None,
        start_date: StartDate = None,
        end_date: EndDate = None,
        this_season: bool = True,
        last_season: bool = True,
        athlete_id: AthleteId = None,
        exact_type: ExactType = False,
    ) -> str:
        """Best heart rate held per duration this and last season or any range, each with its
        activity."""
        points = _durations(durations)
        return _best(deps, "hr", activity_type, lambda _: points, indoor_outdoor,
                     start_date, end_date, this_season, last_season, exact_type, athlete_id)

    @text_tool(server, title="Pace curves")
    def get_athlete_pace_curves(
        activity_type: SportParam = "Run",
        distances: Annotated[list[float] | None, Field(description=(
            "Metres (default 400 m to marathon; Swim 100-1500 m)"))] = None,
        indoor_outdoor: IndoorOutdoor = None,
        start_date: StartDate = None,
        end_date: EndDate = None,
        this_season: bool = True,
        last_season: bool = True,
        athlete_id: AthleteId = None,
        exact_type: ExactType = False,
    ) -> str:
        """Best time and pace per distance this and last season or any range, each with its
        activity."""
        def points(sport: Sport | None) -> tuple[float, ...]:  # swims: shorter by default
            swim = sport is not None and sport.family_name == "Swim"
            return _distances(distances, SWIM_DISTANCES if swim else RUN_DISTANCES)

        return _best(deps, "pace", activity_type, points, indoor_outdoor, start_date,
                     end_date, this_season, last_season, exact_type, athlete_id)


def _best(deps: Deps, kind: str, activity_type: str | None,
          points_for: Callable[[Sport | None], Sequence[float]],
          indoor_outdoor: str | None, start_date: str | None, end_date: str | None,
          this_season: bool, last_season: bool, exact_type: bool,
          athlete_id: str | int | None, include_normalised: bool = False) -> str:
    """One curve tool's answer: each period's best per point, with the activity holding it
    (the three tools differ only in their kind, points and defaults)."""
    with deps.read(ACTIVITIES) as store:
        check_athlete(store, deps.settings, athlete_id)
        periods = _periods(store, start_date, end_date, this_season, last_season)
        sport = sports.sport(store, activity_type, exact=exact_type)
        points = points_for(sport)
        indoor = _indoor(indoor_outdoor)
        found = [lookup.best_efforts(store, kind, points, p, sport, indoor,
                                     highest=CURVES_BY_NAME[kind].higher_is_better)
                 for p in periods]
        data: dict[str, Any] = {
            "kind": kind, "points": list(points), "include_normalised": include_normalised,
            "sport": {"label": sport and sport.label, "exact": exact_type},
            "indoor_outdoor": indoor_outdoor.strip().lower() if indoor is not None else None,
            "periods": [{**dataclasses.asdict(p), "best": b}
                        for p, b in zip(periods, found, strict=True)],
            "other_sports": [] if any(found) else lookup.curve_types(store, kind),
            "pending": lookup.curves_pending(store),
            "freshness": freshness(store, ACTIVITIES)}
    return curves_text(data)


def _durations(durations: list[int] | None) -> tuple[float, ...]:
    """The durations asked for, each one that sync mirrors."""
    if durations is None:
        return DEFAULT_DURATIONS
    mirrored = CURVES_BY_NAME["power"].points
    if not durations:
        raise QueryError("durations: expected at least one duration in seconds")
    for secs in durations:
        if secs not in mirrored:
            raise QueryError(
                f"durations: {shown(secs)} s is not among the mirrored durations; choose "
                f"from {', '.join(point_label('power', p) for p in mirrored)} "
                f"({', '.join(f'{p:g}' for p in mirrored)} s)")
    return tuple(dict.fromkeys(float(s) for s in durations))


def _distances(distances: list[float] | None, default: Sequence[float]) -> tuple[float, ...]:
    """The distances asked for, as mirrored (1609 is the mile, 1609.34 m)."""
    if distances is None:
        return tuple(default)
    mirrored = CURVES_BY_NAME["pace"].points
    if not distances:
        raise QueryError("distances: expected at least one distance in metres")
    picked = []
    for metres in distances:
        match = next((m for m in mirrored if abs(m - metres) <= m * 0.005), None)
        if match is None:
            raise QueryError(
                f"distances: {metres:g} m is not among the mirrored distances; choose "
                f"from {', '.join(f'{m:g}' for m in mirrored)} m")
        picked.append(float(match))
    return tuple(dict.fromkeys(picked))


def _indoor(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    if value.strip().lower() not in ("indoor", "outdoor"):
        raise QueryError(f"indoor_outdoor: expected indoor or outdoor, got {shown(value)}")
    return value.strip().lower() == "indoor"


def _periods(store: Store, start_date: str | None, end_date: str | None, this_season: bool,
             last_season: bool) -> list[lookup.Period]:
    """The periods asked for, in the live-API server's order: this season, last season, the
    date range (any range works offline; only a start runs to today, only an end from the
    first mirrored day)."""
    day = today(store)
    this, last = lookup.seasons(store, day)
    periods = [p for p, wanted in ((this, this_season), (last, last_season)) if wanted]
    if start_date or end_date:
        first = validate.parse_date("start_date", start_date) if start_date else None
        last_day = validate.parse_date("end_date", end_date) if end_date else day
        if first is None:  # an end before the first mirrored day is an empty range, not bad
            first = min(last_day, dt.date.fromisoformat(
                mirrored_span(store, "activities")[0] or day.isoformat()))
        if last_day < first and not end_date:
            raise QueryError(f"start_date: expected a date on or before today ({day}), where "
                             f"a range without end_date ends, got {first.isoformat()!r}")
        if last_day < first:
            raise QueryError(f"end_date: expected a date on or after start_date "
                             f"({first.isoformat()}), got {last_day.isoformat()!r}")
        periods.append(lookup.Period("Date range", first.isoformat(), last_day.isoformat()))
    if not periods:
        raise QueryError("this_season: no period chosen; set this_season or last_season to "
                         "true, or give start_date and/or end_date")
    return periods
