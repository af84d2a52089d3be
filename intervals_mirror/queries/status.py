"""What the mirror holds and how fresh it is: coverage, counts, runs, the freshness line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..resources import BY_NAME, MIRRORED_TABLES, RESOURCES
from ..store import Store
from .common import athlete, dicts
from .curves import curves_pending


def sync_status(store: Store) -> dict[str, Any]:
    """Coverage per resource, row counts, the last good sync and the last error."""
    conn = store.db.conn
    resources: dict[str, Any] = {}
    for resource in RESOURCES:
        table, day = BY_NAME[resource].table, BY_NAME[resource].day_column
        rows, first, last = conn.execute(
            f"SELECT count(*), min({day}), max({day}) FROM {table}").fetchone()
        state = conn.execute(
            "SELECT covered_from, covered_to, history_start, last_ok_at, last_full_at "
            "FROM sync_state WHERE resource = ? ORDER BY last_ok_at DESC LIMIT 1",
            (resource,)).fetchone()
        resources[resource] = {
            "rows": rows, "first_day": first, "last_day": last,
            "covered_from": state[0] if state else None,
            "covered_to": state[1] if state else None,
            "history_start": state[2] if state else None,
            "last_synced_at": state[3] if state else None,
            "last_full_at": state[4] if state else None,
        }
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("intervals", "wellness_custom", "custom_fields")}
    stubs = conn.execute("SELECT count(*) FROM activities WHERE is_stub = 1").fetchone()[0]
    curves = conn.execute("SELECT count(*) FROM activity_curves").fetchone()[0]
    curves_due = curves_pending(store)
    columns = [c[1] for c in conn.execute("PRAGMA table_info(sync_runs)")]
    runs = [dict(zip(columns, r, strict=True)) for r in conn.execute(
        "SELECT * FROM sync_runs ORDER BY id DESC LIMIT 5")]
    return {
        "store": str(store.path),
        "athlete": athlete(store),
        "resources": resources,
        "intervals": counts["intervals"],
        "wellness_custom_values": counts["wellness_custom"],
        "custom_fields": counts["custom_fields"],
        "strava_stubs": stubs,
        "curves": curves,
        "curves_due": curves_due,
        "last_ok_sync": last_ok_sync(store),
        "last_error": last_failed_run(store),
        "recent_runs": runs,
    }


def mirrored_until(stamp: str | None) -> str:
    """One line a user can trust: how fresh the answers are (``stamp``: UTC ISO time)."""
    if not stamp:
        return "never synced: run `intervals-mirror sync` (or the refresh tool)"
    return f"mirrored up to {stamp.replace('T', ' ').rstrip('Z')[:16]} UTC"


def last_ok_sync(store: Store) -> dict[str, Any] | None:
    rows = dicts(store.db.conn.execute(
        "SELECT * FROM sync_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def last_failed_run(store: Store) -> dict[str, Any] | None:
    """The newest failed or interrupted run since the last good one (older ones are history)."""
    rows = dicts(store.db.conn.execute(
        "SELECT * FROM sync_runs WHERE status IN ('error', 'interrupted') AND id > "
        "coalesce((SELECT max(id) FROM sync_runs WHERE status = 'ok'), 0) "
        "ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def freshness(store: Store, resources: Sequence[str] = RESOURCES) -> str:
    """How fresh the answers about ``resources`` are: the ``mirrored_until`` line, from the
    last time sync listed each of them (the oldest, for several; one indexed read).

    A sync of some resources only (refresh of events) does not make the others fresher.
    """
    marks = ",".join("?" * len(resources))
    stamps = dict(store.db.conn.execute(
        f"SELECT resource, max(last_ok_at) FROM sync_state WHERE resource IN ({marks}) "
        "GROUP BY resource", list(resources)).fetchall())
    known = [stamps[r] for r in resources if stamps.get(r)]
    if known:
        return mirrored_until(min(known))
    if last_ok_sync(store) and resources:
        return (f"{', '.join(resources)}: not listed by a sync yet; call refresh (or run "
                "`intervals-mirror sync`)")
    return mirrored_until(None)


def never_listed(store: Store, resources: Sequence[str] = RESOURCES) -> str | None:
    """Why no sync has ever listed any of ``resources``, from the last run; None once one has.

    An empty answer from a store no sync has filled would read as an athlete who did not
    train, so the tools and the status say this instead, with the last run's error.
    """
    listed = {r for (r,) in store.db.conn.execute(
        "SELECT DISTINCT resource FROM sync_state WHERE last_ok_at IS NOT NULL")}
    if listed & set(resources):
        return None
    what = f"no {' or '.join(resources)} mirrored yet" if listed else "nothing is mirrored yet"
    run = store.db.conn.execute(
        "SELECT started_at, status, error FROM sync_runs ORDER BY id DESC LIMIT 1").fetchone()
    if run is None:
        return f"{what}: no sync has run"
    started, status, error = run
    when = f"the last sync ({started[:16].replace('T', ' ')} UTC)"
    if status == "error":
        return f"{what}: {when} failed: {error}"
    if status in ("running", "interrupted"):
        return f"{what}: {when} did not finish{f' ({error})' if error else ''}"
    return f"{what}: {when} did not include them"


def mirrored_span(store: Store, resource: str) -> tuple[str | None, str | None]:
    """The days sync has fully listed for a resource; else the days the store has rows for."""
    table, day = BY_NAME[resource].table, BY_NAME[resource].day_column
    first, last = store.db.conn.execute(
        "SELECT min(covered_from), max(covered_to) FROM sync_state WHERE resource = ?",
        (resource,)).fetchone()
    if first and last:
        return first, last
    return tuple(store.db.conn.execute(  # type: ignore[return-value]
        f"SELECT min({day}), max({day}) FROM {table}").fetchone())


def history_complete(store: Store, resource: str) -> bool:
    """Sync has listed the resource back to where its history begins (``history_start``):
    nothing older exists upstream, unless a configured history_start cut it off."""
    row = store.db.conn.execute(
        "SELECT min(covered_from), min(history_start) FROM sync_state WHERE resource = ?",
        (resource,)).fetchone()
    return bool(row and row[0] and row[1] and row[0] <= row[1])


def outside_mirror(store: Store, resource: str, start: dt.date, end: dt.date, *,
                   history_start: dt.date | None) -> str | None:
    """A note when ``start``..``end`` lies (partly) outside the days sync has mirrored
    (``history_start``: the configured one, if any). Days before the history begins are not
    outside: sync listed them, and nothing is there."""
    first, last = mirrored_span(store, resource)
    days = f"{start.isoformat()}..{end.isoformat()}"
    if not first or not last:
        return f"{days}: no {resource} are mirrored yet; nothing is mirrored there"
    mirrored = f"the mirrored range ({first}..{last})"
    if history_complete(store, resource) and not history_start and start.isoformat() < first:
        if end.isoformat() < first:  # listed back to where the history begins
            return f"{days} is before the {resource} history begins ({first}); there " \
                   "is nothing there"
        return None
    if end.isoformat() < first:
        return f"{days} is before {mirrored}; nothing is mirrored there"
    if start.isoformat() > last:
        return f"{days} is after {mirrored}; nothing is mirrored there"
    if start.isoformat() < first:
        return f"{days} starts before {mirrored}; only {first}..{end} is mirrored"
    return None


def id_position(store: Store, table: str, item_id: str) -> str:
    """Where an unknown id would sit among the stored ones: 'newer', 'older' or 'within'.

    Intervals.icu ids grow with time (i + a number; Strava imports: plain numbers), so an id
    above every stored one most likely belongs to something newer than the mirror.
    """
    prefix = "i" if item_id.startswith("i") else ""
    number = int(item_id[len(prefix):])
    pattern = "i[0-9]*" if prefix else "[0-9]*"
    low, high = store.db.conn.execute(
        f"SELECT min(CAST(substr(id, ?) AS INTEGER)), max(CAST(substr(id, ?) AS INTEGER)) "
        f"FROM {_table(table)} WHERE id GLOB ?", (len(prefix) + 1, len(prefix) + 1, pattern)
    ).fetchone()
    if high is not None and number > high:
        return "newer"
    if low is not None and number < low:
        return "older"
    return "within"


def _table(name: str) -> str:
    if name not in MIRRORED_TABLES:
        raise ValueError(f"unknown table {name!r}")
    return name
