"""Sync: keeps the store a complete copy of the athlete's data on Intervals.icu.

The only package besides the CLI that uses both the API client and the store. One job per
module: ``run`` (a run from start to close), ``plan`` (which date windows), ``window`` (list,
diff and write one window), ``intervals`` (activities' intervals, batched or on demand),
``activity_parts`` (streams and messages: on demand, and the recent streams), ``lock`` (one
writer at a time), ``report`` (options, progress, the report), ``whole`` (the lists kept
whole: sport settings, custom items, gear). What differs
between resources is declared in ``intervals_mirror.resources``.
"""

from __future__ import annotations

from .activity_parts import (
    StravaActivityError,
    fetch_activity_messages,
    fetch_activity_streams,
)
from .intervals import fetch_activity_intervals
from .lock import sync_running, writer_lock
from .report import Progress, ProgressCallback, ResourceCounts, SyncOptions, SyncReport
from .run import run_sync
from .whole import refresh_whole_list

__all__ = [
    "Progress",
    "ProgressCallback",
    "ResourceCounts",
    "SyncOptions",
    "StravaActivityError",
    "SyncReport",
    "fetch_activity_intervals",
    "fetch_activity_messages",
    "fetch_activity_streams",
    "refresh_whole_list",
    "run_sync",
    "sync_running",
    "writer_lock",
]
