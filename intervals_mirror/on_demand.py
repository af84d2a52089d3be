"""Fetch and keep what a user waits for: an activity's intervals that sync has not fetched yet,
its streams and its messages (comments), and the gear list when asked to refresh it.

Plain functions under the tools, tested against the fake API without MCP: they go through
sync's writer lock and store code, with short timeouts and no long retries, so offline stays
fast, and they never raise for a network problem: they say why nothing was fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .config import Settings
from .errors import ApiError, LockTimeoutError, NotFoundError, StoreError
from .sync import (
    StravaActivityError,
    fetch_activity_intervals,
    fetch_activity_messages,
    fetch_activity_streams,
    refresh_whole_list,
)


@dataclass(frozen=True)
class Fetched:
    fetched: bool
    why_not: str | None = None  # a sentence for the answer when nothing was fetched
    strava: bool = False  # the API does not share this activity (a Strava import)


def fetch_missing_intervals(settings: Settings, activity_id: str) -> Fetched:
    """Fetch one activity's intervals through sync into the store."""
    outcome = _attempt(settings, lambda quick: fetch_activity_intervals(quick, activity_id))
    if outcome.why_not:
        return replace(outcome, why_not="the intervals of this activity are not mirrored "
                                        f"yet, and {outcome.why_not}")
    return outcome


def fetch_streams(settings: Settings, activity_id: str, types: tuple[str, ...]) -> Fetched:
    """Fetch the streams of ``types`` the store lacks for the activity (one request)."""
    return _attempt(settings, lambda quick: fetch_activity_streams(quick, activity_id, types))


def fetch_messages(settings: Settings, activity_id: str) -> Fetched:
    """Fetch the activity's comments, replacing those kept (one request)."""
    return _attempt(settings, lambda quick: fetch_activity_messages(quick, activity_id))


def _attempt(settings: Settings, fetch: Callable[[Settings], object]) -> Fetched:
    """Run one fetch of an activity's parts; why not, as the end of a sentence, if it failed."""
    if settings.demo:
        return Fetched(False, "this is the demo store, which nothing is fetched into: it holds "
                              "the streams and comments of the demo athlete's last 30 days")
    if not (settings.api_key and settings.athlete_id):
        return Fetched(False, "no API key is configured to fetch them")
    try:
        fetch(_quick(settings))
    except LockTimeoutError:
        return Fetched(False, "a sync is running now, ask again in a moment")
    except StravaActivityError:
        return Fetched(False, "Intervals.icu does not share Strava-imported activities over "
                              "its API", strava=True)
    except NotFoundError:
        return Fetched(False, "Intervals.icu no longer has this activity (404): it was "
                              "deleted there, and the next sync removes it here")
    except ApiError as exc:
        return Fetched(False, f"the Intervals.icu API is unreachable or refused: {exc}")
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
