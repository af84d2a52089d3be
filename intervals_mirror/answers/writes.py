"""What the write tools answer: what Intervals.icu now holds (and the mirror with it), the
events a range deletion would delete, and what was deleted, kept where to find it again."""

from __future__ import annotations

from typing import Any

from .budget import within
from .custom_items import content_text, item_line
from .events import event_line, workout_steps
from .units import count

DEMO = ("(demo store: nothing was sent to Intervals.icu; the change is only in the demo "
        "mirror)")


def where(demo: bool) -> str:
    """Where a write went: the demo never reaches Intervals.icu, so it never says it did."""
    return "in the demo mirror" if demo else "on Intervals.icu and in the mirror"
RECOVER = ("Deleted events stay in the deleted table: query_sql \"SELECT id, deleted_at, raw "
           "FROM deleted WHERE resource = 'events' ORDER BY deleted_at DESC\"; "
           "add_or_update_event or add_or_update_note re-creates one from its fields.")


def saved_text(row: dict[str, Any], raw: dict[str, Any], *, created: bool, demo: bool,
               horizon: str) -> str:
    """The event as Intervals.icu returned it, with its steps as it read them; ``horizon``:
    the last day the mirror keeps events for."""
    kind = "note" if row.get("category") == "NOTE" else "workout"
    lines = [f"{'Created' if created else 'Updated'} {kind} {row['id']} {where(demo)}:",
             event_line(row)]
    steps = workout_steps(raw.get("workout_doc"), row.get("type"))
    if steps:
        lines.append(f"Steps as Intervals.icu read them: {steps}")
    elif row.get("description"):
        lines.append(f"Description: {_cut(row['description'], 600)}")
    if (row.get("date") or "") > horizon:
        lines.append(f"It is after {horizon}, the last day the mirror keeps events for "
                     "(future_days): the next sync drops it from the mirror; it stays on "
                     "Intervals.icu.")
    if demo:
        lines.append(DEMO)
    return "\n".join(lines)


def preview_text(rows: list[dict[str, Any]], total: int, start: str, end: str,
                 unmirrored: str | None) -> str:
    """What delete_events_by_date_range would delete; nothing is deleted yet."""
    span = f"{start} to {end}"
    note = f"\n{unmirrored}" if unmirrored else ""
    if not total:
        return f"No events in the mirror from {span}: nothing to delete.{note}"
    lines = [f"{count(total, 'event')} from {span} would be deleted (every category); nothing "
             "is deleted until you call again with confirm=true:",
             *(f"- {event_line(r)}" for r in rows)]
    if total > len(rows):
        lines.append(f"… and {total - len(rows):,} more")
    return "\n".join(lines) + note


def deleted_text(done: dict[str, Any]) -> str:
    """What a deletion did, event by event, and where the deleted events are kept."""
    deleted, gone, failed = done["deleted"], done["already_gone"], done["failed"]
    lines = []
    if deleted:
        lines += [f"Deleted {count(len(deleted), 'event')} {where(bool(done.get('demo')))}:",
                  *(f"- {event_line(r)}" for r in deleted)]
    if gone:
        lines += [f"Already deleted on Intervals.icu ({count(len(gone), 'event')}, now gone "
                  "from the mirror too):", *(f"- {event_line(r)}" for r in gone)]
    if failed:
        lines += [f"Failed to delete {count(len(failed), 'event')}:",
                  *(f"- {event_id}: {why}" for event_id, why in failed)]
    tail = ([RECOVER] if deleted or gone else []) + ([DEMO] if done.get("demo") else [])
    if not lines:
        return "\n".join(["Nothing was deleted.", *tail])
    return within([], lines, tail, keep="first", left_out=lambda n: (
        f"… and {count(n, 'more line')} (deleted events: query_sql \"SELECT id, raw FROM "
        "deleted ORDER BY deleted_at DESC\")"))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit - 1]}…"


def item_saved_text(row: dict[str, Any], raw: dict[str, Any], also: list[dict[str, Any]], *,
                    created: bool, demo: bool) -> str:
    """A custom item as Intervals.icu returned it, and the items it made with it."""
    lines = [f"{'Created' if created else 'Updated'} custom item {row['id']} {where(demo)}:",
             item_line(row), content_text({**row, "raw": raw})]
    if also:
        lines += ["Made with it:", *(f"- {item_line(r)}" for r in also)]
    if demo:
        lines.append(DEMO)
    return "\n".join(lines)


def item_deleted_text(done: dict[str, Any]) -> str:
    lines = []
    if done["deleted"]:
        lines.append(f"Deleted custom item {item_line(done['deleted'][0])} "
                     f"{where(bool(done.get('demo')))}.")
    if done["already_gone"]:
        lines.append(f"Custom item {item_line(done['already_gone'][0])} was already deleted "
                     "on Intervals.icu; it is gone from the mirror too.")
    lines.append("It stays in the deleted table: query_sql \"SELECT raw FROM deleted WHERE "
                 "resource = 'custom_items' ORDER BY deleted_at DESC\"; create_custom_item "
                 "re-creates it from its name, type and content.")
    if done.get("demo"):
        lines.append(DEMO)
    return "\n".join(lines)
