"""The demo store's stand-in for the API's write side: it answers writes as Intervals.icu
would (a new id, the server's fields) without any network, so `serve --demo` shows the whole
write flow. What it answers is then stored like any write.

Its methods are those of ``api.IntervalsClient`` that ``write_through`` calls; it reads the
objects it changes from the store through the callables it is given.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from .athlete import custom_item
from .clock import fmt_instant, midnight
from .events import FIRST_EVENT_ID, event
from .messages import FIRST_MESSAGE_ID, message

Obj = dict[str, Any]
FIRST_ITEM_ID = 50_000


class DemoNotFound(LookupError):
    """What the API answers 404 for: the caller turns it into the API's error."""


class DemoWrites:
    """``stored(table, id)``: the object the demo store holds (tables ``events``,
    ``custom_items``, and ``athlete``, whatever the id), or None; ``largest(table)``: the
    largest numeric id there (new ids follow it); ``messages(activity id)``: its comments."""

    def __init__(self, stored: Callable[[str, str], Obj | None],
                 largest: Callable[[str], int | None],
                 messages: Callable[[str], list[Obj]]) -> None:
        self._stored = stored
        self._largest = largest
        self._messages = messages
        self._posted: dict[str, list[Obj]] = {}  # activity id -> comments posted just now

    def _existing(self, table: str, object_id: str, path: str) -> Obj:
        """The stored object, or the API's 404 for ``path``."""
        found = self._stored(table, object_id)
        if found is None:
            raise DemoNotFound(path)
        return found

    def event(self, athlete_id: str, event_id: str) -> Obj:
        return self._existing("events", event_id, f"/athlete/{athlete_id}/events/{event_id}")

    def create_event(self, athlete_id: str, body: Obj) -> Obj:
        day = dt.date.fromisoformat(str(body["start_date_local"])[:10])
        new = event(athlete_id, day, str(body.get("category") or "WORKOUT"), _now(),
                    **{k: v for k, v in body.items()
                       if k not in ("id", "updated", "category", "start_date_local")})
        new["id"] = max(self._largest("events") or FIRST_EVENT_ID, FIRST_EVENT_ID) + 1
        new["uid"] = f"demo-{new['id']}"
        return new

    def update_event(self, athlete_id: str, event_id: str, body: Obj) -> Obj:
        new = {**self.event(athlete_id, event_id), **body, "updated": fmt_instant(_now())}
        if "start_date_local" in body:
            day = dt.date.fromisoformat(str(body["start_date_local"])[:10])
            new["end_date_local"] = midnight(day + dt.timedelta(days=1))
        return new

    def delete_event(self, athlete_id: str, event_id: str) -> None:
        self.event(athlete_id, event_id)

    def add_activity_message(self, activity_id: str, content: str) -> Obj:
        athlete = self._stored("athlete", "") or {}
        number = max([self._largest("activity_messages") or FIRST_MESSAGE_ID,
                      *(m["id"] for posted in self._posted.values() for m in posted)]) + 1
        new = message(number, (str(athlete.get("id")), str(athlete.get("name"))), _now(),
                      content, activity_id, random.Random(number))
        self._posted.setdefault(activity_id, []).append(new)
        return {"id": number, "new_chat": None}

    def activity_messages(self, activity_id: str) -> list[Obj]:
        return [*self._messages(activity_id), *self._posted.get(activity_id, [])]

    def custom_item(self, athlete_id: str, item_id: str) -> Obj:
        return self._existing("custom_items", item_id,
                              f"/athlete/{athlete_id}/custom-item/{item_id}")

    def create_custom_item(self, athlete_id: str, body: Obj) -> Obj:
        number = max(self._largest("custom_items") or FIRST_ITEM_ID, FIRST_ITEM_ID) + 1
        item = custom_item(athlete_id, number, str(body.get("type")), str(body.get("name")),
                           body.get("description"), body.get("content") or {}, 0,
                           fmt_instant(_now()))
        item.update({k: v for k, v in body.items() if k in ("visibility", "index")})
        return {**item, "required_items_created": []}

    def update_custom_item(self, athlete_id: str, item_id: str, body: Obj) -> Obj:
        return {**self.custom_item(athlete_id, item_id), **body, "updated": fmt_instant(_now())}

    def delete_custom_item(self, athlete_id: str, item_id: str) -> None:
        self.custom_item(athlete_id, item_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
