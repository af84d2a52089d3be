"""Analytics tools: date-range aggregates (DuckDB over an in-memory copy of the store),
read-only SQL, and the schema description (also served as a resource)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from ..analytics.common import Answer
from ..analytics.schema import describe_schema
from ..analytics.sql import SQL_OUTPUT_BYTES, run_sql
from ..config import Settings
from ..queries.status import freshness
from ..resources import RESOURCES
from ._common import (
    ACTIVITIES,
    READ_ONLY,
    WELLNESS,
    AppState,
    Deps,
    EndDate,
    StartDate,
    answer,
    reader,
)


class AnalyticsAnswer(BaseModel):
    freshness: str
    result: dict[str, Any] = Field(description=(
        "the figures behind the text: times in s, distances in km, elevation in m, power in W, "
        "heart rate in bpm, intensity in % of threshold"))


class SchemaAnswer(BaseModel):
    notes: list[str]
    tables: list[dict[str, Any]]


SportFilter = Annotated[str | None, Field(description="Only this sport, e.g. Ride, Run, Swim")]


def register(server: MCPServer[AppState], deps: Deps) -> None:
    _register_aggregates(server, deps)
    _register_sql(server, deps)


def _answer(settings: Settings, resources: tuple[str, ...], compute: Callable[[], Answer]
            ) -> CallToolResult:
    """The result's text and figures, with the freshness of the resources it is about;
    refused (with the cause) while no sync has listed them, before anything is computed."""
    with reader(settings, resources) as store:
        result = compute()
        fresh = freshness(store, resources)
    return answer(f"{result.text}\n{fresh}", AnalyticsAnswer(freshness=fresh, result=result.data))


def _register_aggregates(server: MCPServer[AppState], deps: Deps) -> None:
    settings, mirror = deps.settings, deps.analytics

    @server.tool(title="Training summary", annotations=READ_ONLY)
    def get_training_summary(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[str, Field(description=(
            "Buckets: week (from Monday), month, year or sport (any case)"))] = "week",
        activity_type: SportFilter = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Training per week, month, year or sport (default the last 90 days): activities,
        moving time, distance, climbing, training load and average intensity, with each sport
        inside each bucket and totals."""
        return _answer(settings, ACTIVITIES, lambda: mirror.training_summary(
            start_date, end_date, group_by=group_by, activity_type=activity_type))

    @server.tool(title="Fitness trend", annotations=READ_ONLY)
    def get_fitness_trend(
        start_date: StartDate = None,
        end_date: EndDate = None,
        group_by: Annotated[str | None, Field(description=(
            "day or week, any case (default: daily up to 92 days, weekly beyond)"))] = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Fitness (CTL), fatigue (ATL), form (CTL - ATL) and ramp rate per day or week
        (default the last 90 days), with the change, peak CTL, lowest form and the days of
        negative form."""
        return _answer(settings, WELLNESS, lambda: mirror.fitness_trend(
            start_date, end_date, group_by=group_by))

    @server.tool(title="Wellness trends", annotations=READ_ONLY)
    def get_wellness_trends(
        start_date: StartDate = None,
        end_date: EndDate = None,
        fields: Annotated[list[str] | str | None, Field(description=(
            "Wellness columns or numeric custom fields (by name or code), e.g. [\"hrv\", "
            "\"resting_hr\", \"sleep_secs\", \"form\", \"Caffeine (mg)\"] (default: HRV, "
            "resting HR, sleep, weight, subjective scores and numeric custom fields)"))] = None,
        group_by: Annotated[str, Field(description=(
            "week (from Monday) or month (any case)"))] = "week",
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Average, min, max and trend (least-squares slope per week) of wellness fields per
        week or month (default the last 90 days): HRV, resting HR, sleep, weight, subjective
        scores, CTL/ATL/form and numeric custom fields."""
        return _answer(settings, WELLNESS, lambda: mirror.wellness_trends(
            start_date, end_date, fields=fields, group_by=group_by))

    @server.tool(title="Interval stats", annotations=READ_ONLY)
    def get_interval_stats(
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: SportFilter = None,
    ) -> Annotated[CallToolResult, AnalyticsAnswer]:
        """Work intervals by duration band (under 1 min .. 40 min or more; default the last 90
        days): count, time in work intervals, best and average power and heart rate, and
        the activity holding each best."""
        return _answer(settings, ACTIVITIES, lambda: mirror.interval_stats(
            start_date, end_date, activity_type=activity_type))

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
        return _answer(settings, ACTIVITIES, lambda: mirror.compare_periods(
            a_start, a_end, b_start, b_end, activity_type=activity_type))



def _register_sql(server: MCPServer[AppState], deps: Deps) -> None:
    settings = deps.settings

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
        def compute() -> Answer:
            result = run_sql(settings.db_path, sql, limit=limit, max_bytes=SQL_OUTPUT_BYTES)
            return Answer(result.text, result.data)

        return _answer(settings, RESOURCES, compute)

    @server.tool(name="describe_schema", title="Describe the store", annotations=READ_ONLY)
    def describe_schema_tool() -> Annotated[CallToolResult, SchemaAnswer]:
        """The store's tables and views: columns, types and one-line meanings, to write
        correct SQL for query_sql (also the resource intervals-mirror://schema)."""
        schema = describe_schema()
        return answer(schema.text, SchemaAnswer(**schema.data))

    @server.resource("intervals-mirror://schema", name="schema", mime_type="text/plain",
                     description="The store's tables, columns, types and meanings")
    def schema_resource() -> str:
        return describe_schema().text
