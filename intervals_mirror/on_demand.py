"""Fetch and keep what a user waits for: an activity's intervals that sync has not fetched yet,
the gear list when asked to refresh it (later streams and messages).

A plain function under the tool, tested against the fake API without MCP: it goes through
sync's writer lock and store code, with short timeouts and no long retries, so offline stays
fast, and it never raises for a network problem: it says why nothing was fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .config import Settings
from .errors import ApiError, LockTimeoutError, StoreError
from .sync import fetch_activity_intervals, refresh_whole_list


@dataclass(frozen=True)
class Fetched:
    fetched: bool
    why_not: str | None = None  # a sentence for the answer when nothing was fetched


def fetch_missing_intervals(settings: Settings, activity_id: str) -> Fetched:
    """Fetch one activity's intervals through sync into the store."""
    if not (settings.api_key and settings.athlete_id):
        return Fetched(False, "the intervals of this activity are not mirrored yet, and no API "
                              "key is configured to fetch them")
    try:
        fetch_activity_intervals(_quick(settings), activity_id)
    except LockTimeoutError:
        return Fetched(False, "the intervals of this activity are not mirrored yet; a sync is "
                              "running now, ask again in a moment")
    except ApiError as exc:
        return Fetched(False, "the intervals of this activity are not mirrored yet, and the "
                              f"Intervals.icu API is unreachable or refused: {exc}")
    return Fetched(True)


def refresh_gear(settings: Settings) -> Fetched:
    """List the gear now, through sync into the store; or say why the mirror's is shown."""
    mirrored = "this is the gear as last mirrored"
    if settings.demo:
        return Fetched(False, "refresh asked, but this is the demo store of a generated "
                              "athlete: there is no account to list gear from")
    if not (settings.api_key and settings.athlete_id):
        return Fetched(False, f"refresh asked, but no API key is configured: {mirrored}")
    try:
        refresh_whole_list(_quick(settings), "gear")
    except LockTimeoutError:
        return Fetched(False, f"refresh asked, but a sync is writing the store right now: "
                              f"{mirrored}; ask again in a moment")
    except ApiError as exc:
        return Fetched(False, f"refresh asked, but Intervals.icu is unreachable or refused "
                              f"({exc}): {mirrored}")
    except StoreError as exc:
        return Fetched(False, f"refresh asked, but {exc}")
    return Fetched(True)


def _quick(settings: Settings) -> Settings:
    """Someone is waiting: short timeouts, no long retries, no long wait for the lock."""
    return replace(settings, max_retries=min(settings.max_retries, 1),
                   timeout=min(settings.timeout, 10.0),
                   lock_timeout=min(settings.lock_timeout, 5.0))
