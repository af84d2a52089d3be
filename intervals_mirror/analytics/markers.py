"""Fitness markers over time (``fitness_markers.sql``): eFTP, CP, W', Pmax, W/kg and VO2max as
their last value per week or month, their change over the range, and the activities that set
each new high."""

from __future__ import annotations

from typing import Any

from .. import validate
from ..answers.markers import MARKERS, markers_text, most_buckets
from ..sports import Sport
from ..sqlfiles import sql_text
from . import grouping
from .common import Answer
from .duck import DuckCopy

GROUPS = ("week", "month", "none")
LADDER = ("week", "month", "quarter", "year")
DEFAULT_DAYS = 365
DEFAULT_SPORT = "Ride"  # eFTP, CP, W' and Pmax are power estimates: a cyclist's by default


def fitness_markers(copy: DuckCopy, span: validate.DateRange, sport: Sport | None,
                    group: str, notes: list[str]) -> Answer:
    """The answer of get_fitness_markers (group already checked)."""
    grain, regrouped = None, None
    if group != "none":
        grain = grouping.choose(
            group, lambda g: grouping.periods(span.start, span.end, g) <= most_buckets(),
            LADDER) or LADDER[-1]
        if grain != group:
            regrouped = {"requested": group, "most": most_buckets(),
                         "buckets": grouping.periods(span.start, span.end, group)}
    rows = copy.query(sql_text("analytics/fitness_markers.sql"),
                      ["activities", "activity_extras", "sport_info", "wellness"],
                      {"start": span.start, "end": span.end,
                       "types": list(sport.types) if sport else None,
                       "group_by": grain or "none"}, what="fitness_markers")
    whole = next((r for r in rows if r["row_kind"] == "bucket" and r["whole_range"]), None)
    buckets = [_values(r) | {"bucket": r["bucket"]} for r in rows
               if r["row_kind"] == "bucket" and not r["whole_range"]]
    _carry_weight(buckets)
    data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
            "group_by": grain, "sport": sport.label if sport else None,
            "range": _range(whole), "buckets": buckets, "regrouped": regrouped,
            "highs": {m: [_high(r) for r in rows if r["row_kind"] == "high"
                          and r["marker"] == m] for m in MARKERS},
            "notes": notes}
    return Answer(markers_text(data), data)


def _values(row: dict[str, Any]) -> dict[str, Any]:
    values = {m: row.get(m) for m in MARKERS}
    values["wkg"] = _per_kg(values["eftp"], values["weight"])
    return values


def _range(row: dict[str, Any] | None) -> dict[str, Any]:
    """The range's first and last value of each marker, and the change between them."""
    row = row or {}
    first = {m: row.get(f"first_{m}") for m in MARKERS}
    last = {m: row.get(m) for m in MARKERS}
    first["wkg"] = _per_kg(first["eftp"], first["weight"])
    last["wkg"] = _per_kg(last["eftp"], last["weight"])
    return {"first": first, "last": last, "first_day": row.get("first_day"),
            "last_day": row.get("last_day"),
            "change": {m: None if first[m] is None or last[m] is None else last[m] - first[m]
                       for m in first}}


def _carry_weight(buckets: list[dict[str, Any]]) -> None:
    """W/kg of a bucket without a weighing: with the last weight known before it."""
    known = None
    for b in buckets:
        known = b["weight"] if b["weight"] is not None else known
        if b["wkg"] is None:
            b["wkg"] = _per_kg(b["eftp"], known)


def _per_kg(watts: float | None, kg: float | None) -> float | None:
    return watts / kg if watts is not None and kg else None


def _high(row: dict[str, Any]) -> dict[str, Any]:
    return {"value": row["value"], "before": row["before"], "activity_id": row["id"],
            "name": row["name"], "date": row["first_day"]}
