"""What a caller asks of a sync run, and what it hears back: options, progress, the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..resources import RESOURCES


@dataclass(frozen=True)
class SyncOptions:
    full: bool = False
    since: dt.date | None = None
    only: tuple[str, ...] = RESOURCES


@dataclass(frozen=True)
class Progress:
    """One step of a run, for a terminal bar or an MCP progress notification."""

    done: int
    total: int
    message: str


ProgressCallback = Callable[[Progress], None]


@dataclass
class ResourceCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted


@dataclass
class SyncReport:
    run_id: int
    mode: str
    resources: tuple[str, ...]
    status: str = "running"
    counts: dict[str, ResourceCounts] = field(default_factory=dict)
    intervals_fetched: int = 0
    streams_fetched: int = 0  # activities whose streams were kept ([sync] streams_days)
    curves_fetched: int = 0  # activities whose best-effort curves were stored
    requests: int = 0
    duration_s: float = 0.0
    error: str | None = None
    athlete_id: str | None = None
    new_ids: dict[str, list[str]] = field(default_factory=dict)  # resource -> ids first seen
    # The lists kept whole (sport_settings, custom_items, gear): what changed in each.
    whole_lists: dict[str, ResourceCounts] = field(default_factory=dict)

    @property
    def new_activity_ids(self) -> list[str]:
        return self.new_ids.get("activities", [])

    def flat_counts(self) -> dict[str, int]:
        out = {f"{r}_{k}": getattr(c, k) for r, c in self.counts.items()
               for k in ("added", "updated", "deleted")}
        out["intervals_fetched"] = self.intervals_fetched
        out["streams_fetched"] = self.streams_fetched
        out["curves_fetched"] = self.curves_fetched
        return out

    def summary(self) -> str:
        parts = [f"{r}: {c.added} new, {c.updated} changed, {c.deleted} deleted"
                 for r, c in self.counts.items()]
        parts += [f"{table.replace('_', ' ')}: {c.added} new, {c.updated} changed, "
                  f"{c.deleted} deleted" for table, c in self.whole_lists.items() if c.changed]
        streams = (f"streams for {self.streams_fetched} activities; "
                   if self.streams_fetched else "")
        return (f"{'; '.join(parts)}; intervals for {self.intervals_fetched} activities; "
                f"{streams}best-effort curves for {self.curves_fetched} activities; "
                f"{self.requests} requests in {self.duration_s:.1f}s")
