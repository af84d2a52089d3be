"""Time in zones over a period (``zone_distribution.sql``): hours and share per zone, per week
or month, and the polarization a coach reads from it.

Polarization splits the zones at two thresholds read from the zone model: the first is the
top of Z2 (Intervals.icu's default zones put it near the aerobic threshold: 75% of FTP, about
90% of LTHR); the second is the threshold itself (FTP, LTHR, threshold pace): zones that
start at or above it are "above". With the default 7 zones: below Z1-Z2, between Z3-Z4, above
Z5-Z7. Without a zone model those defaults are assumed, and the answer says so.
"""

from __future__ import annotations

from typing import Any

from .. import validate
from ..answers.zones import most_buckets, zones_text
from ..queries.zones import ZoneModel, period_model
from ..sports import Sport
from ..sqlfiles import sql_text
from . import grouping
from .common import Answer
from .duck import DuckCopy

KINDS = ("power", "hr", "pace", "gap")
GROUPS = ("week", "month", "none")
LADDER = ("week", "month", "quarter", "year")
FIRST_THRESHOLD_ZONE = 2  # below the first threshold: Z1..Z2
DEFAULT_ABOVE_FROM = 5  # Intervals.icu's default 7 zones: Z5 starts at the threshold


def split(model: ZoneModel | None) -> dict[str, Any]:
    """The zones below the first threshold (Z1..Z``low``) and from which one they are above
    the second (Z``high``..), with the bounds at both thresholds when known."""
    zones = model.zones if model else []
    high = next((z.number for z in zones[1:] if _starts_at_threshold(z, model)), None)
    if high is None or high <= FIRST_THRESHOLD_ZONE:
        high = DEFAULT_ABOVE_FROM
    first = next((z.high for z in zones if z.number == FIRST_THRESHOLD_ZONE), None)
    second = next((z.high for z in zones if z.number == high - 1), None)
    return {"low": FIRST_THRESHOLD_ZONE, "high": high, "first": first, "second": second,
            "assumed": model is None}


def _starts_at_threshold(zone: Any, model: ZoneModel | None) -> bool:
    """A zone whose lower bound is the threshold or above (power and pace bounds are % of
    the threshold; heart rate's are bpm)."""
    if model is None or zone.low is None:
        return False
    if model.kind == "hr":
        return model.threshold is not None and zone.low >= model.threshold - 0.5
    return zone.number > 1 and model.zones[zone.number - 2].upper >= 100


def distribution(copy: DuckCopy, span: validate.DateRange, sport: Sport | None, kind: str,
                 group: str, notes: list[str]) -> Answer:
    """The answer of get_zone_distribution (kind and group already checked)."""
    types = list(sport.types) if sport else None
    model = copy.on_store(lambda store: period_model(
        store, sport.name if sport else _main_sport(copy, span, kind),
        types, span.end.isoformat(), kind))
    cut = split(model)
    grain, regrouped = _grain(span, group)
    rows = copy.query(sql_text("analytics/zone_distribution.sql"),
                      ["activities", "activity_extras"],
                      {"start": span.start, "end": span.end, "types": types, "kind": kind,
                       "group_by": grain or "none", "low": cut["low"], "high": cut["high"]},
                      what="zone_distribution")
    data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
            "kind": kind, "group_by": grain, "sport": sport.label if sport else None,
            "model": model.as_dict() if model else None, "split": cut,
            "regrouped": regrouped, "notes": notes,
            **_shape(rows, grain, span)}
    return Answer(zones_text(data), data)


def _grain(span: validate.DateRange, group: str) -> tuple[str | None, dict[str, Any] | None]:
    """The grouping asked for, or the next coarser one whose buckets fit in one answer."""
    if group == "none":
        return None, None
    def fits(grain: str) -> bool:
        return grouping.periods(span.start, span.end, grain) <= most_buckets()

    grain = grouping.choose(group, fits, LADDER) or LADDER[-1]
    if grain == group:
        return grain, None
    return grain, {"requested": group, "most": most_buckets(),
                   "buckets": grouping.periods(span.start, span.end, group)}


def _main_sport(copy: DuckCopy, span: validate.DateRange, kind: str) -> str | None:
    """Without a sport asked for: the type with the most activities with these zone times
    in the range (whose zones the answer shows)."""
    rows = copy.query(
        "SELECT a.type FROM activities AS a JOIN activity_extras AS e ON e.id = a.id "
        "WHERE a.date BETWEEN $start AND $end AND a.type IS NOT NULL AND CASE $kind "
        "WHEN 'power' THEN e.power_zone_times WHEN 'hr' THEN e.hr_zone_times "
        "WHEN 'pace' THEN e.pace_zone_times ELSE e.gap_zone_times END IS NOT NULL "
        "GROUP BY a.type ORDER BY count(*) DESC, a.type LIMIT 1",
        ["activities", "activity_extras"], {"start": span.start, "end": span.end,
                                            "kind": kind}, what="zone_distribution")
    return rows[0]["type"] if rows else None


def _shape(rows: list[dict[str, Any]], grain: str | None, span: validate.DateRange
           ) -> dict[str, Any]:
    """The rows as the whole range's totals and zones, the types, and each bucket's."""
    def totals(r: dict[str, Any] | None) -> dict[str, Any]:
        r = r or {}
        return {key: int(round(r.get(key) or 0)) for key in (
            "activities", "with_times", "moving_time_s", "below_s", "between_s", "above_s")}

    whole = next((r for r in rows if r["row_kind"] == "total" and r["whole_range"]), None)
    zones = [{"zone": r["zone"], "number": r["number"], "secs": r["secs"] or 0}
             for r in rows if r["row_kind"] == "zone" and r["whole_range"]]
    buckets: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["whole_range"] or r["bucket"] is None:
            continue
        found = buckets.setdefault(r["bucket"], {
            "bucket": r["bucket"], "zones": {}, **totals(None),
            "partial": grouping.partial(r["bucket"], grain, span.start, span.end)
            if grain else None})
        if r["row_kind"] == "zone":
            found["zones"][r["zone"]] = r["secs"] or 0
        else:
            found.update(totals(r))
    return {"totals": totals(whole), "zones": zones,
            "types": [{"type": r["zone"], "activities": r["activities"]}
                      for r in rows if r["row_kind"] == "type"],
            "buckets": sorted(buckets.values(), key=lambda b: b["bucket"])}
