"""intervals-mirror: a local, always-queryable mirror of an athlete's Intervals.icu data."""

from __future__ import annotations

__version__ = "0.1.0"
