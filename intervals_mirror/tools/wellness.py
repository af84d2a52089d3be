"""The wellness tool: one line per day, custom fields by name, projected days marked."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from .. import validate
from ..answers.wellness import wellness_text
from ..queries.status import freshness
from ..queries.wellness import wellness
from ._common import (
    READ_ONLY,
    WELLNESS,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    StartDate,
    answer,
    check_athlete,
    reader,
    today,
)

MAX_WELLNESS_DAYS = 120


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


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings = deps.settings

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
        with reader(settings, WELLNESS) as store:
            check_athlete(store, settings, athlete_id)
            day = today(store)
            days = validate.date_range(start_date, end_date, today=day, default_days_back=30)
            page = wellness(store, *days.iso(), include_custom=include_custom_fields,
                            limit=MAX_WELLNESS_DAYS, today=day.isoformat())
            fresh = freshness(store, WELLNESS)
        data = WellnessAnswer(
            freshness=fresh, start_date=days.iso()[0], end_date=days.iso()[1],
            count=len(page.rows), total=page.total, capped=page.total > len(page.rows),
            custom_fields=page.extra["custom_fields"], days=page.rows,
            projected_days=sum(1 for d in page.rows if d["projected"]))
        return answer(wellness_text(data.model_dump()), data)
