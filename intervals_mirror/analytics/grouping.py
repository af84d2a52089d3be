"""Which grouping an aggregate answers with: the one asked for when its buckets fit in one
answer, else the next coarser one that fits (ten years of weeks become 120 months)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

GRAINS = ("day", "week", "month", "quarter", "year")


def choose(requested: str, fits: Callable[[str], bool], ladder: Sequence[str] = GRAINS
           ) -> str | None:
    """``requested``, or the first coarser grain on ``ladder`` that ``fits``; None: none fits."""
    for grain in ladder[ladder.index(requested):]:
        if fits(grain):
            return grain
    return None


def bucket_counts(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """grain -> {"buckets", "cells"} from a ``*_buckets.sql`` result; a grain it lacks (the
    result has no rows when the range holds nothing) counts 0."""
    found = {r["grain"]: r for r in rows}
    return {grain: {key: int(found.get(grain, {}).get(key) or 0) for key in ("buckets", "cells")}
            for grain in (*GRAINS, "sport")}


def periods(start: dt.date, end: dt.date, grain: str) -> int:
    """How many buckets of ``grain`` the days ``start``..``end`` touch (empty ones included)."""
    if end < start:
        return 0
    if grain == "day":
        return (end - start).days + 1
    if grain == "week":
        return (end - dt.timedelta(days=end.weekday())
                - (start - dt.timedelta(days=start.weekday()))).days // 7 + 1
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    return ((end.year * 12 + end.month - 1) // months
            - (start.year * 12 + start.month - 1) // months + 1)


def bucket_days(label: str, grain: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the bucket labelled ``label`` ('2024-02-26' as a week,
    '2024-02', '2024-Q1', '2024')."""
    if grain in ("day", "week"):
        first = dt.date.fromisoformat(label)
        return first, first + dt.timedelta(days=0 if grain == "day" else 6)
    year = int(label[:4])
    if grain == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = (int(label[6:]) - 1) * 3 + 1 if grain == "quarter" else int(label[5:7])
    months = 3 if grain == "quarter" else 1
    after = dt.date(year + (month + months - 1) // 12, (month + months - 1) % 12 + 1, 1)
    return dt.date(year, month, 1), after - dt.timedelta(days=1)


def partial(label: str, grain: str, start: dt.date, end: dt.date) -> dict[str, int] | None:
    """{"days", "of"} when the bucket ``label`` is cut by the range ``start``..``end`` (a week
    of which 6 days are in it), so its totals are not compared with whole ones; else None."""
    if grain not in ("week", "month", "quarter", "year"):
        return None
    first, last = bucket_days(label, grain)
    inside = (min(last, end) - max(first, start)).days + 1
    whole = (last - first).days + 1
    return {"days": inside, "of": whole} if 0 < inside < whole else None
