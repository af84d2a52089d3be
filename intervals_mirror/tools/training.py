"""What an athlete asks after "what did I do": time in zones, planned vs done, and fitness
markers over time. Aggregates over the DuckDB copy (``analytics``); text only."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from ._common import (
    ACTIVITIES,
    AppState,
    Deps,
    EndDate,
    ExactType,
    SportParam,
    StartDate,
    fresh_answer,
    text_tool,
)

Kind = Annotated[str, Field(description="power, hr, pace or gap")]
Group = Annotated[str, Field(description="week, month or none")]
PLANS = ("activities", "events")
MARKERS = ("activities", "wellness")

GROUP = "analytics"  # for [server] tools: aggregates, as the training summary


def register(server: MCPServer[AppState], deps: Deps) -> None:
    read, mirror = deps.read, deps.analytics

    @text_tool(server, title="Time in zones")
    def get_zone_distribution(
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: SportParam = None,
        kind: Kind = "power",
        group_by: Group = "week",
        exact_type: ExactType = False,
    ) -> str:
        """Hours and share per zone by week or month (default the last 90 days), with the
        polarization."""
        return fresh_answer(read, ACTIVITIES, lambda: mirror.zone_distribution(
            start_date, end_date, kind=kind, group_by=group_by, activity_type=activity_type,
            exact_type=exact_type))

    @text_tool(server, title="Planned vs done")
    def get_plan_compliance(start_date: StartDate = None, end_date: EndDate = None) -> str:
        """Each planned workout done (its activity, load and time vs plan), partly done,
        missed or ahead; per week planned vs done (default 4 weeks back, 1 ahead)."""
        return fresh_answer(read, PLANS, lambda: mirror.plan_compliance(start_date, end_date))

    @text_tool(server, title="Fitness markers")
    def get_fitness_markers(
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: SportParam = "Ride",
        group_by: Group = "month",
        exact_type: ExactType = False,
    ) -> str:
        """eFTP, CP, W', Pmax, W/kg, VO2max by week or month (default the last year), the
        change, and the activity that set each new high."""
        return fresh_answer(read, MARKERS, lambda: mirror.fitness_markers(
            start_date, end_date, activity_type=activity_type, group_by=group_by,
            exact_type=exact_type))
