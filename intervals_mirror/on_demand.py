"""Fetch and keep one object's missing parts while a user waits: today an activity's
intervals that sync has not fetched yet (later streams and messages).

A plain function under the tool, tested against the fake API without MCP: it goes through
sync's writer lock and store code, with short timeouts and no long retries, so offline stays
fast, and it never raises for a network problem: it says why nothing was fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .config import Settings
from .errors import ApiError, LockTimeoutError
from .sync import fetch_activity_intervals


@dataclass(frozen=True)
class Fetched:
    fetched: bool
    why_not: str | None = None  # a sentence for the answer when nothing was fetched


def fetch_missing_intervals(settings: Settings, activity_id: str) -> Fetched:
    """Fetch one activity's intervals through sync into the store."""
    if not (settings.api_key and settings.athlete_id):
        return Fetched(False, "the intervals of this activity are not mirrored yet, and no API "
                              "key is configured to fetch them")
    quick = replace(settings, max_retries=min(settings.max_retries, 1),
                    timeout=min(settings.timeout, 10.0),
                    lock_timeout=min(settings.lock_timeout, 5.0))
    try:
        fetch_activity_intervals(quick, activity_id)
    except LockTimeoutError:
        return Fetched(False, "the intervals of this activity are not mirrored yet; a sync is "
                              "running now, ask again in a moment")
    except ApiError as exc:
        return Fetched(False, "the intervals of this activity are not mirrored yet, and the "
                              f"Intervals.icu API is unreachable or refused: {exc}")
    return Fetched(True)
