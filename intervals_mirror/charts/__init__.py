"""Charts of the mirror, for the get_chart tool, `intervals-mirror chart` and the HTML report.

Each kind is a Vega-Lite spec built from a series of the aggregates (``analytics/series.py``:
the same DuckDB copy, date defaults and parameter checks), plus a one-line caption that says
what it shows; ``render`` draws it to PNG or SVG only when asked (vl-convert is loaded then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analytics.common import DateArg, choice
from ..errors import QueryError
from . import render
from .fitness import fitness_chart
from .load import load_chart
from .power_curve import power_curve_chart
from .wellness import DEFAULT_FIELDS, MOST_FIELDS, wellness_chart

if TYPE_CHECKING:
    from ..analytics.aggregates import Analytics

KINDS = ("fitness", "load", "power_curve", "wellness")
# What each parameter is for: given to another kind, it is refused, never silently ignored.
USES = {"activity_type": ("load", "power_curve"), "fields": ("wellness",)}


@dataclass(frozen=True)
class Chart:
    kind: str
    spec: dict[str, Any]  # Vega-Lite, data included
    caption: str  # one line: what the chart shows, with its main figures

    def png(self) -> bytes:
        return render.png(self.spec)

    def svg(self) -> str:
        return render.svg(self.spec)


def chart(analytics: Analytics, kind: str, start_date: DateArg = None,
          end_date: DateArg = None, *, activity_type: str | None = None,
          fields: str | Sequence[str] | None = None) -> Chart:
    """The chart of ``kind`` over the range (default: the last 90 days, as the aggregates;
    the power curve: this season and the last)."""
    kind = choice("kind", kind, KINDS)
    for name, value in (("activity_type", activity_type), ("fields", fields)):
        if value not in (None, "", []) and kind not in USES[name]:
            takers = (f"the {USES[name][0]} chart takes" if len(USES[name]) == 1
                      else f"the {' and '.join(USES[name])} charts take")
            raise QueryError(f"{name}: only {takers} it; the {kind} chart has no {name}")
    if kind == "fitness":
        spec, caption = fitness_chart(analytics.fitness_days(start_date, end_date))
    elif kind == "load":
        spec, caption = load_chart(analytics.load_buckets(start_date, end_date,
                                                          activity_type=activity_type))
    elif kind == "power_curve":
        spec, caption = power_curve_chart(analytics.power_curves(
            start_date, end_date, activity_type=activity_type))
    else:
        data = analytics.wellness_days(start_date, end_date,
                                       fields=fields or list(DEFAULT_FIELDS))
        if len(data["fields"]) > MOST_FIELDS:
            names = ", ".join(f["field"] for f in data["fields"])
            raise QueryError(f"fields: at most {MOST_FIELDS} fields in one chart, got "
                             f"{len(data['fields'])} ({names[:80]})")
        spec, caption = wellness_chart(data)
    return Chart(kind, spec, caption)
