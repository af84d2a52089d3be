"""Comments on the athlete's recent activities (``GET /activity/{id}/messages``): a few of
their own notes and their coach's replies, in the API's Message shape (spec key order)."""

from __future__ import annotations

import datetime as dt
import random

from .clock import Span, fmt_instant, to_day
from .shapes import Obj

MESSAGE_KEYS = ("id", "athlete_id", "name", "created", "type", "content", "activity_id",
                "start_index", "end_index", "answer", "activity", "attachment_url",
                "attachment_mime_type", "deleted", "deleted_by_id", "join_group_id",
                "accept_coaching_group_id", "seen")
COACH = ("i200117", "Sam Coach")
RECENT_DAYS = 45  # comments only on the last weeks' activities
FIRST_MESSAGE_ID = 5_512_000
_OWN = ["Legs felt heavy on the climbs.", "Felt strong today, negative split.",
        "Windy on the way back, kept it steady.", "Heart rate drifted late, hot day.",
        "Cut the last interval short.", "Great group ride."]
_COACH = ["Nice pacing, keep the first reps that controlled.",
          "Good work. Easy day tomorrow, please.", "Watch the cadence on the long efforts.",
          "That is the kind of session we want before the race.",
          "Heart rate looks high for that power: sleep well tonight."]


def activity_messages(span: Span, athlete: Obj, activities: dict[str, Obj]
                      ) -> dict[str, list[Obj]]:
    """activity id -> its comments, oldest first, for about one recent activity in four."""
    rng = span.stream("messages")
    first = span.end - dt.timedelta(days=RECENT_DAYS - 1)
    recent = sorted((a for a in activities.values()
                     if "_note" not in a and to_day(a["start_date_local"]) >= first),
                    key=lambda a: (a["start_date_local"], a["id"]))
    found: dict[str, list[Obj]] = {}
    next_id = FIRST_MESSAGE_ID
    for activity in recent:
        if rng.random() >= 0.25:
            continue
        when = dt.datetime.fromisoformat(activity["start_date"].rstrip("Z")) + dt.timedelta(
            seconds=int(activity.get("elapsed_time") or 0))
        thread = []
        for k in range(rng.randint(1, 3)):
            when += dt.timedelta(minutes=rng.randint(5, 600))
            author = (str(athlete["id"]), str(athlete.get("name"))) if k % 2 == 0 else COACH
            text = rng.choice(_OWN if k % 2 == 0 else _COACH)
            thread.append(message(next_id, author, when, text, activity["id"], rng))
            next_id += rng.randint(1, 40)
        found[activity["id"]] = thread
    return found


def message(message_id: int, author: tuple[str, str], when: dt.datetime, content: str,
            activity_id: str, rng: random.Random) -> Obj:
    out: Obj = dict.fromkeys(MESSAGE_KEYS)
    out.update(id=message_id, athlete_id=author[0], name=author[1], created=fmt_instant(when),
               type="TEXT", content=content, activity_id=activity_id,
               seen=rng.random() < 0.8)
    return out
