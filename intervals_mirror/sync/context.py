"""What one run carries from step to step: the client, the store, whose data, the report."""

from __future__ import annotations

from dataclasses import dataclass

from ..api import IntervalsClient
from ..config import Settings
from ..store import Store
from .report import ResourceCounts, SyncOptions, SyncReport


@dataclass
class RunContext:
    settings: Settings
    options: SyncOptions
    api: IntervalsClient
    store: Store
    report: SyncReport
    athlete_id: str
    full: bool
    requests_at_start: int
    # The API refused a curve list without a sport: the rest of the run asks sport by sport.
    curves_by_sport: bool = False

    @property
    def requests(self) -> int:
        """Requests made by this run so far."""
        return self.api.requests_made - self.requests_at_start

    def counts(self, resource: str) -> ResourceCounts:
        return self.report.counts.setdefault(resource, ResourceCounts())
