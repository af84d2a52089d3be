"""The wellness tool: one row per day, custom fields by name, projected days marked."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..answers.wellness import wellness_text
from ..queries.status import freshness, outside_mirror
from ..queries.wellness import wellness
from ._common import (
    WELLNESS,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    StartDate,
    check_athlete,
    text_tool,
    today,
)

MAX_WELLNESS_DAYS = 120

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Wellness")
    def get_wellness_data(
        start_date: StartDate = None,
        end_date: EndDate = None,
        include_custom_fields: Annotated[bool, Field(description=(
            "Include custom wellness fields, by name"))] = True,
        athlete_id: AthleteId = None,
    ) -> str:
        """Wellness per day (default the last 30 days): CTL, ATL, form, HRV, resting HR,
        sleep, weight, subjective scores, custom fields."""
        with read(WELLNESS) as store:
            check_athlete(store, settings, athlete_id)
            day = today(store)
            days = validate.date_range(start_date, end_date, today=day, default_days_back=30)
            page = wellness(store, *days.iso(), include_custom=include_custom_fields,
                            limit=MAX_WELLNESS_DAYS, today=day.isoformat())
            outside = outside_mirror(store, "wellness", days.start, days.end,
                                     history_start=settings.history_start)
            fresh = freshness(store, WELLNESS)
        first, last = days.iso()
        return wellness_text({
            "freshness": fresh, "start_date": first, "end_date": last, "outside": outside,
            "count": len(page.rows), "total": page.total,
            "capped": page.total > len(page.rows), "days": page.rows,
        })
