"""The mirror itself: refresh (a sync now, with progress) and what the mirror holds."""

from __future__ import annotations

import functools
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any

import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from .. import validate
from ..answers.status import refresh_text, status_text
from ..config import Settings
from ..errors import ApiError, StoreError
from ..queries.activities import activities_by_id
from ..queries.status import freshness, sync_status
from ..resources import RESOURCES
from ._common import FETCHES, AppState, Deps, text_tool
from .readers import Readers

if TYPE_CHECKING:  # the sync machinery (httpx, filelock) loads on the first refresh
    from ..sync import Progress, SyncOptions, SyncReport

log = logging.getLogger(__name__)

GROUP = "sync"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, jobs, read = deps.settings, deps.scheduler, deps.read

    @text_tool(server, title="Refresh the mirror", annotations=FETCHES)
    async def refresh(
        ctx: Context[AppState, Any],
        resources: Annotated[list[str] | str | None, Field(description=(
            "Only these: " + ", ".join(RESOURCES) + " (default all)"))] = None,
        full: Annotated[bool, Field(description=(
            "Re-list the whole history (finds old edits and deletions; slower)"))] = False,
    ) -> str:
        """Sync with Intervals.icu now, with progress; answers what was added, changed and
        deleted, and the new activities."""
        from ..sync import SyncOptions

        only = validate.choices("resources", resources, RESOURCES) or RESOURCES
        report = await _sync_with_progress(settings, read, SyncOptions(full=full, only=only),
                                           ctx)
        with read() as store:
            new = activities_by_id(store, report.new_activity_ids)
            fresh = freshness(store, only)
        return refresh_text({
            "freshness": fresh, "mode": report.mode,
            "counts": {r: {"added": c.added, "updated": c.updated, "deleted": c.deleted}
                       for r, c in report.counts.items()},
            "intervals_fetched": report.intervals_fetched,
            "curves_fetched": report.curves_fetched, "requests": report.requests,
            "duration_s": report.duration_s, "new_activities": new,
        })

    @text_tool(server, title="Sync status")
    def get_sync_status() -> str:
        """What the mirror holds: coverage per resource, row counts, last sync, last error,
        the background schedule."""
        with read() as store:  # counting every table: only after the store changed
            status = read.remember(store, "status", lambda: sync_status(store))
            fresh = freshness(store)
        background = ({"running": False, "off_reason": "the demo store has no account to "
                       "sync from"} if settings.demo else jobs.describe() if jobs
                      else {"running": False, "off_reason": "disabled"})
        return status_text({"freshness": fresh, "status": status,
                            "background_sync": background})


async def _sync_with_progress(settings: Settings, read: Readers, options: SyncOptions,
                              ctx: Context[AppState, Any]) -> SyncReport:
    """run_sync in a worker thread; its progress goes to the client as notifications."""
    from ..sync import run_sync

    def progress(step: Progress) -> None:
        try:
            anyio.from_thread.run(functools.partial(
                ctx.report_progress, step.done, step.total or None, step.message))
        except Exception:  # the client went away: the sync itself carries on
            log.debug("progress notification failed", exc_info=True)

    # Someone is waiting: fail in seconds when offline rather than after cron's long retries.
    quick = replace(settings, max_retries=min(settings.max_retries, 2))
    await ctx.report_progress(0, None, "contacting Intervals.icu")
    try:
        return await anyio.to_thread.run_sync(
            functools.partial(run_sync, quick, options, progress=progress))
    except ApiError as exc:
        fresh = _freshness_or_none(read)
        raise ApiError(f"refresh failed: {exc}. Nothing new was stored; answers still come "
                       f"from the mirror ({fresh})", status=exc.status) from exc


def _freshness_or_none(read: Readers) -> str:
    try:
        with read() as store:
            return freshness(store)
    except StoreError:
        return "nothing mirrored yet"
