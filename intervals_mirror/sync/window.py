"""One listed window: list it, diff it against the store, write it in one transaction.

Objects missing from a fully listed window are deletions, unless a lookup finds them under
another day (an edit). Progress is committed with each window, so a killed run resumes
where it stopped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..resources import BY_NAME, ApiObject, Resource, Row
from .context import RunContext
from .intervals import intervals_due, intervals_part
from .plan import Window, day_after, day_before
from .report import ResourceCounts


def sync_window(run: RunContext, window: Window, now: str) -> ResourceCounts:
    resource = BY_NAME[window.resource]
    objects = _listed(run, resource, window)
    rows = [resource.make_row(obj, run.athlete_id, now) for obj in objects.values()]
    changed, gone, delta = _diff(run, resource, window, rows)
    moved = _still_existing(run, resource, gone)  # id -> object, now under another day
    moved_intervals = ({i: intervals_part(obj) for i, obj in moved.items()}
                       if resource.with_intervals else {})  # takes them off the object
    changed += [resource.make_row(obj, run.athlete_id, now) for obj in moved.values()]
    objects.update(moved)
    gone -= set(moved)
    delta = ResourceCounts(delta.added, delta.updated + len(moved), len(gone))
    intervals = (intervals_due(run, window, rows, changed, moved, moved_intervals)
                 if resource.with_intervals else {})
    with run.store.transaction():
        run.store.save_rows(resource.table, changed, [objects[r["id"]] for r in changed],
                            run.athlete_id)
        run.store.delete_ids(resource.table, gone, how="sync")
        for activity_id, dto in intervals.items():
            run.store.save_intervals(activity_id, run.athlete_id, dto)
        run.report.intervals_fetched += len(intervals)
        _commit_window(run, window, delta, now)
    return delta


def _listed(run: RunContext, resource: Resource, window: Window) -> dict[str, ApiObject]:
    """id -> object, for the objects the window lists that lie on its days (the last of an
    id the API repeats)."""
    listed = resource.list_days(run.api, run.athlete_id, window.start, window.end)
    objects = {str(obj["id"]): obj for obj in listed
               if isinstance(obj, dict) and obj.get("id") is not None}
    return {i: obj for i, obj in objects.items()
            if (day := resource.day_of(obj)) is None or window.start <= day <= window.end}


def _diff(run: RunContext, resource: Resource, window: Window, rows: list[Row]
          ) -> tuple[list[Row], set[str], ResourceCounts]:
    """What the listing changes: rows to write, ids no longer listed, and the counts.

    An id new to this window but stored under another day was moved: an edit, not new.
    """
    table = resource.table
    stored = run.store.fingerprints(table, run.athlete_id, window.start, window.end)
    changed = [r for r in rows if stored.get(r["id"]) != r["fingerprint"]]
    unseen = [r["id"] for r in changed if r["id"] not in stored]
    moved_in = run.store.existing_ids(table, unseen)
    new = [i for i in unseen if i not in moved_in]
    gone = set(stored) - {r["id"] for r in rows}
    run.report.new_ids.setdefault(resource.name, []).extend(new)
    return changed, gone, ResourceCounts(len(new), len(changed) - len(new), len(gone))


def _still_existing(run: RunContext, resource: Resource, gone: set[str]
                    ) -> dict[str, ApiObject]:
    """Of the objects a window no longer lists, those the API still has (their day was
    edited): looked up only when something vanished, and only a few one by one."""
    lookup = resource.lookup
    if lookup is None or not gone or (lookup.most is not None and len(gone) > lookup.most):
        return {}
    ids = sorted(gone)
    found: dict[str, Any] = {}
    for start in range(0, len(ids), lookup.per_request):
        for obj in lookup.fetch(run.api, run.athlete_id, ids[start:start + lookup.per_request]):
            if isinstance(obj, dict) and str(obj.get("id")) in gone:
                found[str(obj["id"])] = obj
    return found


def _commit_window(run: RunContext, window: Window, delta: ResourceCounts, now: str) -> None:
    """Inside the window's transaction: the run's counts so far, and the listed range.

    The range grows only where the window touches it; a window that does not (a long
    catch-up, listed newest first) is recorded by the end-of-run update instead, so a
    killed run never claims more than it listed.
    """
    counts = run.counts(window.resource)
    counts.added += delta.added
    counts.updated += delta.updated
    counts.deleted += delta.deleted
    run.store.record_progress(run.report.run_id, counts=run.report.flat_counts(),
                              requests=run.requests, mode=run.report.mode)
    cov = run.store.coverage(run.athlete_id, window.resource)
    if window.last_recent:
        cov = replace(cov, last_ok_at=now)
    if cov.covered_from is None or cov.covered_to is None:
        cov = replace(cov, covered_from=window.start, covered_to=window.end)
    elif window.start <= day_after(cov.covered_to) and window.end >= day_before(
            cov.covered_from):
        cov = replace(cov, covered_from=min(cov.covered_from, window.start),
                      covered_to=max(cov.covered_to, window.end))
    run.store.set_coverage(run.athlete_id, cov)
