"""The comments on an activity as text: who, when (UTC), what; and how fresh they are."""

from __future__ import annotations

from typing import Any

from .activities import activity_title
from .budget import clip, within
from .units import count, local_time, utc_time

MAX_COMMENT_CHARS = 2_000  # a longer comment is clipped (query_sql has all of it)


def messages_text(data: dict[str, Any]) -> str:
    """``data``: activity (head), messages, fetched_at, fetched_now, age_minutes, why_not,
    demo (the demo store: nothing is fetched)."""
    head = data["activity"]
    shown = [m for m in data["messages"] if not m.get("deleted")]
    deleted = len(data["messages"]) - len(shown)
    day = local_time(head.get("start_date_local")) or head.get("date") or "?"
    what = count(len(shown), "comment") if shown else "No comments"
    first = f"{what} on {activity_title(head)} on {day} ({_fresh(data)}){':' if shown else '.'}"
    lines = []
    for message in shown:
        kind = "" if message.get("type") in (None, "TEXT") else f" [{message['type']}]"
        content = clip(str(message.get("content") or ""), MAX_COMMENT_CHARS, (
            f"query_sql SELECT content FROM activity_messages WHERE id = '{message['id']}'"))
        lines.append(f"{utc_time(message.get('created'))} · {message.get('author') or '?'}"
                     f"{kind}: {content}")
    tail = [f"({count(deleted, 'deleted comment')} left out)"] if deleted else []
    every = (f"SELECT created, author, content FROM activity_messages WHERE activity_id = "
             f"'{head['id']}' ORDER BY created")
    return within([first], lines, tail, left_out=lambda n: (
        f"({count(n, 'older comment')} left out to keep this short; query_sql: {every})"))


def _fresh(data: dict[str, Any]) -> str:
    if data.get("fetched_now"):
        return ("as the demo mirror holds them now" if data.get("demo")
                else "fetched from Intervals.icu just now")
    age = data.get("age_minutes")
    ago = f", {_ago(age)}" if age is not None else ""
    fresh = f"fetched {utc_time(data.get('fetched_at'))}{ago}"
    if data.get("why_not"):
        return f"{fresh}; not refreshed now: {data['why_not']}"
    return fresh


def _ago(minutes: float) -> str:
    if minutes < 1:
        return "less than a minute ago"
    if minutes < 120:
        return f"{count(round(minutes), 'minute')} ago"
    if minutes < 48 * 60:
        return f"{count(round(minutes / 60), 'hour')} ago"
    return f"{count(round(minutes / 1440), 'day')} ago"
