"""Planned vs done (``plan_compliance.sql``): each planned workout done, partly done, missed or
still ahead, and per week the planned and the done load and time.

A plan is done when an activity is paired with it (Intervals.icu pairs them; a plan may have
several, on any day); partly done when those activities reach less than ``PARTLY_BELOW`` of
its planned load (of its planned time when it plans no load); missed when nothing was done by
its day; still ahead from today on. The pairing and the share done are the store's views
(``workout_activities``, ``workout_progress``), which get_events reads too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import validate
from ..answers.compliance import compliance_text, most_buckets
from ..queries.events import PARTLY_BELOW  # get_events marks plans with the same share
from ..sqlfiles import sql_text
from . import grouping
from .common import Answer
from .duck import DuckCopy

DAYS_BACK, DAYS_AHEAD = 28, 7  # the default range: four weeks back, the week ahead
LADDER = ("week", "month", "quarter", "year")


def plan_compliance(copy: DuckCopy, span: validate.DateRange, today: dt.date,
                    notes: list[str]) -> Answer:
    """The answer of get_plan_compliance."""
    grain = grouping.choose(
        "week", lambda g: grouping.periods(span.start, span.end, g) <= most_buckets(),
        LADDER) or LADDER[-1]
    rows = copy.query(sql_text("analytics/plan_compliance.sql"),
                      ["activities", "activity_extras", "plans", "workout_activities",
                       "workout_progress"],
                      {"start": span.start, "end": span.end, "today": today,
                       "partly": PARTLY_BELOW, "group_by": grain}, what="plan_compliance")
    buckets = []
    for r in rows:
        if r["row_kind"] == "bucket" and not r["whole_range"]:
            buckets.append({**_counts(r), "bucket": r["bucket"],
                            "partial": grouping.partial(r["bucket"], grain, span.start,
                                                        span.end)})
    whole = next((r for r in rows if r["row_kind"] == "bucket" and r["whole_range"]), None)
    data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
            "today": today.isoformat(), "group_by": grain, "partly_below": PARTLY_BELOW,
            "totals": _counts(whole), "buckets": buckets,
            "plans": [_plan(r) for r in rows if r["row_kind"] == "plan"], "notes": notes}
    return Answer(compliance_text(data), data)


def _counts(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    whole = ("plans", "done", "partly", "missed", "ahead", "unplanned")
    return {**{key: int(row.get(key) or 0) for key in whole},
            **{key: row.get(key) for key in (
                "planned_load", "planned_time_s", "done_load", "done_time_s",
                "unplanned_load", "unplanned_time_s", "load_target", "time_target")},
            "distance_targets": list(row.get("distance_targets") or [])}


def _plan(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "date", "type", "name", "status", "planned_load", "planned_time_s",
            "planned_distance_m", "done_load", "done_time_s", "done_distance_m", "done_share")
    return {**{key: row[key] for key in keys}, "done_as": list(row["done_as"] or [])}
