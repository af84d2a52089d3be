"""The read side on SQLite: lookups that answer from the store, never from the API."""

from __future__ import annotations

from typing import Any

from .store import RESOURCES, Store

# Which column holds each resource's local day.
DAY_COLUMN = {"activities": "date", "wellness": "id", "events": "date"}


def sync_status(store: Store) -> dict[str, Any]:
    """Coverage per resource, row counts, the last good sync and the last error."""
    conn = store.db.conn
    resources: dict[str, Any] = {}
    for resource in RESOURCES:
        day = DAY_COLUMN[resource]
        rows, first, last = conn.execute(
            f"SELECT count(*), min({day}), max({day}) FROM {resource}").fetchone()
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
    athlete = conn.execute("SELECT id, name, timezone FROM athlete LIMIT 1").fetchone()
    last_ok = conn.execute(
        "SELECT * FROM sync_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1").fetchone()
    last_error = conn.execute(
        "SELECT * FROM sync_runs WHERE status IN ('error', 'interrupted') "
        "ORDER BY id DESC LIMIT 1").fetchone()
    columns = [c[1] for c in conn.execute("PRAGMA table_info(sync_runs)")]
    runs = [dict(zip(columns, r)) for r in conn.execute(
        "SELECT * FROM sync_runs ORDER BY id DESC LIMIT 5")]
    return {
        "store": str(store.path),
        "athlete": {"id": athlete[0], "name": athlete[1], "timezone": athlete[2]}
        if athlete else None,
        "resources": resources,
        "intervals": counts["intervals"],
        "wellness_custom_values": counts["wellness_custom"],
        "custom_fields": counts["custom_fields"],
        "strava_stubs": stubs,
        "last_ok_sync": dict(zip(columns, last_ok)) if last_ok else None,
        "last_error": dict(zip(columns, last_error)) if last_error else None,
        "recent_runs": runs,
    }


def mirrored_until(status: dict[str, Any]) -> str:
    """One line a user can trust: how fresh the answers are."""
    run = status.get("last_ok_sync")
    if not run:
        return "never synced: run `intervals-mirror sync` (or the refresh tool)"
    stamp = (run.get("finished_at") or run.get("started_at") or "").replace("T", " ")
    return f"mirrored up to {stamp.rstrip('Z')[:16]} UTC"
