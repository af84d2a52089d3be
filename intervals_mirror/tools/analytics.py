"""Analytics tools: date-range aggregates (DuckDB over an in-memory copy of the store),
read-only SQL, and the schema description (also served as a resource)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from ..analytics.common import Answer
from ..analytics.schema import describe_schema
from ..analytics.sql import SQL_OUTPUT_BYTES, run_sql
from ..resources import RESOURCES
from ._common import (
    ACTIVITIES,
    WELLNESS,
    AppState,
    Deps,
    EndDate,
    ExactType,
    SportParam,
    StartDate,
    fresh_answer,
    text_tool,
)

GROUP = "analytics"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    _register_aggregates(server, deps)
    _register_sql(server, deps)


def _register_aggregates(server: MCPServer[AppState], deps: Deps) -> None:
    read, mirror = deps.read, deps.analytics

    @text_tool(server, title="Training summary")
    def get_training_summary(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[str, Field(description=(
            "week (from Monday), month, year or sport"))] = "week",
        activity_type: SportParam = None,
        exact_type: ExactType = False,
    ) -> str:
        """Training per week, month, year or sport (default the last 90 days): count, time,
        distance, climbing, load, intensity; per sport and in total."""
        return fresh_answer(read, ACTIVITIES, lambda: mirror.training_summary(
            start_date, end_date, group_by=group_by, activity_type=activity_type,
            exact_type=exact_type))

    @text_tool(server, title="Fitness trend")
    def get_fitness_trend(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[str | None, Field(description=(
            "day or week (default: day up to 92 days, else week)"))] = None,
    ) -> str:
        """Fitness (CTL), fatigue (ATL), form and ramp rate per day or week (default the last
        90 days), with the change, peak CTL and lowest form."""
        return fresh_answer(read, WELLNESS, lambda: mirror.fitness_trend(
            start_date, end_date, group_by=group_by))

    @text_tool(server, title="Wellness trends")
    def get_wellness_trends(
        start_date: StartDate = None,
        end_date: EndDate = None,
        fields: Annotated[list[str] | str | None, Field(description=(
            "e.g. hrv, resting_hr, sleep_secs, form, or a custom field by name (default: all "
            "useful ones)"))] = None,
        group_by: Annotated[str, Field(description="week (from Monday) or month")] = "week",
    ) -> str:
        """Average, min, max and trend of wellness fields (HRV, resting HR, sleep, weight,
        scores, custom fields) per week or month (default the last 90 days)."""
        return fresh_answer(read, WELLNESS, lambda: mirror.wellness_trends(
            start_date, end_date, fields=fields, group_by=group_by))

    @text_tool(server, title="Interval stats")
    def get_interval_stats(
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: SportParam = None,
        exact_type: ExactType = False,
    ) -> str:
        """Work intervals by duration band (default the last 90 days): count, time, best and
        average power and HR, and the activity holding each best."""
        return fresh_answer(read, ACTIVITIES, lambda: mirror.interval_stats(
            start_date, end_date, activity_type=activity_type, exact_type=exact_type))

    @text_tool(server, title="Compare periods")
    def compare_periods(
        a_start: Annotated[str, Field(description="YYYY-MM-DD")],
        a_end: Annotated[str, Field(description="YYYY-MM-DD")],
        b_start: Annotated[str, Field(description="YYYY-MM-DD")],
        b_end: Annotated[str, Field(description="YYYY-MM-DD")],
        activity_type: SportParam = None,
        exact_type: ExactType = False,
    ) -> str:
        """Two periods' training (end days included) side by side, per sport and in total,
        with the differences A - B."""
        return fresh_answer(read, ACTIVITIES, lambda: mirror.compare_periods(
            a_start, a_end, b_start, b_end, activity_type=activity_type,
            exact_type=exact_type))


def _register_sql(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Read-only SQL", budget=SQL_OUTPUT_BYTES)  # its own, larger cap
    def query_sql(
        sql: Annotated[str, Field(description="One SQLite SELECT (tables: describe_schema)")],
        limit: Annotated[int, Field(ge=1, description="Most rows (at most 1000)")] = 200,
    ) -> str:
        """Read-only SQL over the store, answered as a compact table (one statement; stops
        after 10 s or about 100 KB)."""
        def compute() -> Answer:
            result = run_sql(settings.db_path, sql, limit=limit, max_bytes=SQL_OUTPUT_BYTES)
            return Answer(result.text, result.data)

        return fresh_answer(read, RESOURCES, compute)

    @text_tool(server, name="describe_schema", title="Describe the store")
    def describe_schema_tool() -> str:
        """The store's tables and views: columns, types and meanings, for query_sql."""
        return describe_schema().text

    @server.resource("intervals-mirror://schema", name="schema", mime_type="text/plain",
                     description="The store's tables, columns, types and meanings")
    def schema_resource() -> str:
        return describe_schema().text
