"""The series the charts draw: every point of a range, from the aggregates' own DuckDB copy and
SQL (``sql/analytics/``), but without the text answers' budget, which a picture does not need.

Mixed into ``Analytics`` so the charts share its copy, its date defaults (the last 90 days)
and its parameter checks: a bad date or sport fails here exactly as in the aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..queries import curves
from ..queries.common import text_custom_fields
from ..resources import POWER_CURVES
from . import shaping
from .common import DateArg
from .grouping import bucket_days
from .wellness_fields import pick_fields

if TYPE_CHECKING:
    from ..store import Store
    from .aggregates import Analytics

# Bars per chart: weeks up to about two years, months up to ten, then years.
MOST_WEEKS = 106
MOST_MONTHS = 122
POWER_SPORT = "Ride"  # the power curve's sport when none is named, as get_athlete_power_curves


def bucket_of(day: dt.date, group: str) -> str:
    """The label of the bucket holding ``day`` (as ``bucket_of`` in macros.sql)."""
    if group == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    return day.isoformat()[:7] if group == "month" else str(day.year)


class ChartSeries:
    """The charts' data (plain dicts, units as stored), one method per kind of chart."""

    def fitness_days(self: Analytics, start_date: DateArg = None, end_date: DateArg = None
                     ) -> dict[str, Any]:
        """CTL, ATL and form of every day with fitness; days after today are projected."""
        span = self._range(start_date, end_date)
        rows = self._query("fitness_trend", ["fitness"], {
            "start": span.start, "end": span.end, "group_by": "day"})
        today = self._today().isoformat()
        return {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "today": today,
                "points": [{"date": r["bucket"], "ctl": shaping.value(r["ctl"]),
                            "atl": shaping.value(r["atl"]), "form": shaping.value(r["form"]),
                            "projected": r["bucket"] > today} for r in rows],
                "notes": shaping.notes(self._outside("wellness", span))}

    def load_buckets(self: Analytics, start_date: DateArg = None, end_date: DateArg = None, *,
                     activity_type: str | None = None) -> dict[str, Any]:
        """Training load and moving time per week (month, year for long ranges) and sport
        (``activity_type``: its family, as every aggregate takes it)."""
        span = self._range(start_date, end_date)
        sport = self.sport(activity_type)
        group = ("week" if span.days <= MOST_WEEKS * 7
                 else "month" if span.days <= MOST_MONTHS * 30.44 else "year")
        rows = self._query("training_summary", ["activities"], {
            "start": span.start, "end": span.end, "types": list(sport.types) if sport else None,
            "group_by": group, "cells": True})
        parts = shaping.summary_parts(rows, group)
        for bucket in parts["buckets"]:
            first, last = bucket_days(bucket["bucket"], group)
            bucket.update(first_day=first.isoformat(), last_day=last.isoformat())
        shown = (bucket_days(bucket_of(span.start, group), group)[0],
                 bucket_days(bucket_of(span.end, group), group)[1])
        return {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "activity_type": sport.label if sport else None, **parts,
                "shown": [shown[0].isoformat(), shown[1].isoformat()],
                "notes": shaping.notes(self._outside("activities", span))}

    def wellness_days(self: Analytics, start_date: DateArg = None, end_date: DateArg = None, *,
                      fields: str | Sequence[str]) -> dict[str, Any]:
        """Each day's value of wellness fields: columns, or numeric custom fields by code or
        name, as ``get_wellness_trends`` takes them."""
        span = self._range(start_date, end_date)
        custom = self._custom_fields()
        picked = pick_fields(fields, custom, self._copy.on_store(text_custom_fields))
        rows = self._query("wellness_trends", ["wellness", "wellness_custom"], {
            "start": span.start, "end": span.end, "group_by": "day", "fields": list(picked)})
        return {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "fields": [{"field": name, "name": custom.get(name) or shaping.label(name),
                            "custom": name in custom,
                            "points": [{"date": r["bucket"], "value": shaping.value(r["avg"])}
                                       for r in rows
                                       if r["field"] == name and not r["whole_range"]]}
                           for name in picked],
                "notes": shaping.notes(self._outside("wellness", span))}

    def power_curves(self: Analytics, start_date: DateArg = None, end_date: DateArg = None,
                     *, activity_type: str | None = None) -> dict[str, Any]:
        """Best watts at every mirrored duration in two periods, each with its activity:
        this season and the last (SEASON_START events, as get_athlete_power_curves), or, with
        dates, the range and the equally long period just before it."""
        # Unnamed: rides, as get_athlete_power_curves; "" (every tool's "no sport"): all.
        sport = self.sport(POWER_SPORT if activity_type is None else activity_type)
        today = self._today()
        if start_date in (None, "") and end_date in (None, ""):
            periods = self._copy.on_store(lambda store: curves.seasons(store, today))
        else:
            span = self._range(start_date, end_date)
            before = span.start - dt.timedelta(days=span.days)
            periods = (curves.Period("This period", *span.iso()),
                       curves.Period("Period before", before.isoformat(),
                                     (span.start - dt.timedelta(days=1)).isoformat()))

        def read(store: Store) -> dict[str, Any]:
            found = [curves.best_efforts(store, "power", POWER_CURVES.points, p, sport, None,
                                         highest=True) for p in periods]
            return {"periods": [{"label": p.label, "start": p.start, "end": p.end,
                                 "note": p.note, "best": best}
                                for p, best in zip(periods, found, strict=True)],
                    "other_sports": [] if any(found) else curves.curve_types(store, "power"),
                    "pending": curves.curves_pending(store)}

        return {"activity_type": sport.label if sport else None, **self._copy.on_store(read)}
