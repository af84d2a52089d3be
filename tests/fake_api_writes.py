"""The fake API's write side: POST, PUT and DELETE as the real API takes them, kept in the
dataset so later listings show them.

Events (``/athlete/{id}/events[/{eventId}]``): a POST returns the new event with its id and
what the server computes (the exclusive end, ``updated``, the ``workout_doc`` parsed from the
native workout text in ``description``, ``moving_time`` from it when not given; a
``workout_doc`` in the body is ignored, as the real API does); a PUT changes only the fields
it carries; a DELETE answers ``{}``. Errors have the real shapes: 404 ``Event not found``,
422 ``{"status": 422, "error": "Name is too long"}`` (names over 80 characters), 400 for a
body that is not an event.

Custom items (``/athlete/{id}/custom-item[/{itemId}]``): a POST returns the new item as a
NewCustomItem (with ``required_items_created``); a PUT replaces the fields it carries
(``content`` whole); a DELETE answers an empty body; 404 ``Custom item not found``.

Activity messages (``POST /activity/{id}/messages``, body ``{"content"}``): answers a NewMsg,
``{"id", "new_chat"}``, not the message, which the next listing shows (by the athlete).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from intervals_mirror.demo.clock import midnight
from intervals_mirror.demo.events import event as new_event
from intervals_mirror.demo.shapes import EVENT_KEYS

from fake_workout_text import parse_workout_text

if TYPE_CHECKING:
    from fake_api import FakeIntervals

Obj = dict[str, Any]
CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK",
              "INJURED", "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET", "SET_FITNESS")
MAX_NAME = 80
ITEM_TYPES = ("FITNESS_CHART", "FITNESS_TABLE", "TRACE_CHART", "INPUT_FIELD", "ACTIVITY_FIELD",
              "INTERVAL_FIELD", "ACTIVITY_STREAM", "ACTIVITY_CHART", "ACTIVITY_HISTOGRAM",
              "ACTIVITY_HEATMAP", "ACTIVITY_MAP", "ACTIVITY_PANEL", "ZONES")
_ITEM_WRITABLE = frozenset({"type", "name", "description", "content", "visibility", "image",
                            "index", "hide_script"})
_WRITABLE = frozenset(EVENT_KEYS) - {"id", "athlete_id", "updated", "workout_doc",
                                     "created_by_id", "calendar_id", "uid"}


class Reply(Exception):
    """An error answer: the status and the JSON body the real API sends."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.body = {"status": status, "error": error}


class Writes:
    """POST, PUT and DELETE for one fake; every change is made under the fake's lock."""

    ROUTES = [
        (re.compile(r"/athlete/([^/]+)/events"), {"POST": "_create_event"}),
        (re.compile(r"/athlete/([^/]+)/events/([^/]+)"),
         {"PUT": "_update_event", "DELETE": "_delete_event"}),
        (re.compile(r"/athlete/([^/]+)/custom-item"), {"POST": "_create_custom_item"}),
        (re.compile(r"/athlete/([^/]+)/custom-item/([^/]+)"),
         {"PUT": "_update_custom_item", "DELETE": "_delete_custom_item"}),
        (re.compile(r"/activity/([^/]+)/messages"), {"POST": "_add_message"}),
    ]

    def __init__(self, fake: FakeIntervals) -> None:
        self.fake = fake

    def handle(self, method: str, rel: str, body: bytes) -> tuple[int, Any] | None:
        """(status, JSON body) for a write route; None when no write route matches."""
        for pattern, methods in self.ROUTES:
            match = pattern.fullmatch(rel)
            if match and method in methods:
                if not rel.startswith("/athlete/"):
                    return 200, getattr(self, methods[method])(_json_body(body, method),
                                                               *match.groups())
                if match.group(1) not in (self.fake.athlete_id, "0"):
                    raise Reply(403, "Access denied")
                handler = getattr(self, methods[method])
                return 200, handler(_json_body(body, method), *match.groups()[1:])
        return None

    # -- events --------------------------------------------------------------------------

    def _create_event(self, body: Obj) -> Obj:
        fields = _event_fields(body, creating=True)
        with self.fake._lock:
            events = self.fake.dataset.events
            eid = max(events, default=40_000_000) + 1
            ev = new_event(self.fake.athlete_id, dt.date.fromisoformat(fields[
                "start_date_local"][:10]), fields["category"], dt.datetime.now(dt.UTC))
            ev.update({k: v for k, v in fields.items() if k in _WRITABLE})
            ev["id"] = eid
            ev["uid"] = f"fake-{eid}"
            self._derive(ev, description_changed=True)
            events[eid] = ev
            return copy.deepcopy(ev)

    def _update_event(self, body: Obj, event_id: str) -> Obj:
        fields = _event_fields(body, creating=False)
        with self.fake._lock:
            eid = _path_int(event_id)
            old = self.fake.dataset.events.get(eid)
            if old is None:
                raise Reply(404, "Event not found")
            new = {**old, **{k: v for k, v in fields.items() if k in _WRITABLE}}
            self._derive(new, description_changed="description" in fields,
                         moved="start_date_local" in fields)
            self.fake.dataset.events[eid] = new
            return copy.deepcopy(new)

    def _delete_event(self, body: Obj, event_id: str) -> Obj:
        with self.fake._lock:
            if self.fake.dataset.events.pop(_path_int(event_id), None) is None:
                raise Reply(404, "Event not found")
        return {}

    def _derive(self, ev: Obj, *, description_changed: bool, moved: bool = True) -> None:
        """What the server computes: the end, the stamp, the workout parsed from the text."""
        if moved:
            day = dt.date.fromisoformat(ev["start_date_local"][:10])
            ev["end_date_local"] = midnight(day + dt.timedelta(days=1))
        ev["updated"] = self.fake._stamp(after=ev.get("updated"))
        if not description_changed:
            return
        text = ev.get("description") or ""
        doc = parse_workout_text(text) if ev["category"] == "WORKOUT" and text else None
        ev["workout_doc"] = doc if doc and doc["steps"] else None
        if ev["workout_doc"] and ev.get("moving_time") is None:
            ev["moving_time"] = ev["workout_doc"]["duration"]


    # -- custom items ----------------------------------------------------------------------

    def _create_custom_item(self, body: Obj) -> Obj:
        fields = _item_fields(body)
        if not fields.get("type"):
            raise Reply(422, "Custom item type is required")
        kind, name = fields.pop("type"), fields.pop("name", None)
        item = self.fake.add_custom_item(kind, name, **fields)
        return {**item, "required_items_created": []}

    def _update_custom_item(self, body: Obj, item_id: str) -> Obj:
        try:
            return self.fake.edit_custom_item(_path_int(item_id), **_item_fields(body))
        except KeyError:
            raise Reply(404, "Custom item not found") from None

    def _delete_custom_item(self, body: Obj, item_id: str) -> bytes:
        try:
            self.fake.delete_custom_item(_path_int(item_id))
        except KeyError:
            raise Reply(404, "Custom item not found") from None
        return b""


    # -- activity messages -----------------------------------------------------------------

    def _add_message(self, body: Obj, activity_id: str) -> Obj:
        """A NewMsg (the new message's id and a chat, null here), not the message."""
        content = body.get("content")
        if not isinstance(content, str) or not content.strip():
            raise Reply(422, "content is required")
        from fake_api import _ApiError  # here: fake_api imports this module

        try:
            self.fake._readable(activity_id)
        except _ApiError as exc:  # 404 unknown, 422 a Strava import: as for its reads
            raise Reply(exc.status, exc.body["error"]) from None
        athlete = self.fake.dataset.athlete
        made = self.fake.add_message(activity_id, content, name=str(athlete.get("name")),
                                     author_id=self.fake.athlete_id)
        return {"id": made["id"], "new_chat": None}


def _item_fields(body: Obj) -> Obj:
    kind = body.get("type")
    if kind is not None and kind not in ITEM_TYPES:
        raise Reply(400, "JSON parse error: Cannot deserialize value of type "
                         f"`com.intervals.icu.model.CustomItemType` from String \"{kind}\"")
    return {k: v for k, v in body.items() if k in _ITEM_WRITABLE}


def _json_body(body: bytes, method: str) -> Obj:
    if method == "DELETE" and not body:
        return {}
    if not body:
        raise Reply(400, "Required request body is missing")
    try:
        parsed = json.loads(body)
    except ValueError:
        raise Reply(400, "JSON parse error: Unexpected character") from None
    if not isinstance(parsed, dict):
        raise Reply(400, "JSON parse error: Cannot deserialize an object from "
                         f"{type(parsed).__name__} value")
    return parsed


def _path_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Reply(422, f"Failed to convert value of type 'java.lang.String' to required "
                         f"type 'int'; For input string: \"{text}\"") from None


def _event_fields(body: Obj, *, creating: bool) -> Obj:
    category = body.get("category")
    if category is not None and category not in CATEGORIES:
        raise Reply(400, "JSON parse error: Cannot deserialize value of type "
                         f"`com.intervals.icu.model.EventCategory` from String \"{category}\"")
    if creating and not category:
        raise Reply(422, "category is required")
    start = body.get("start_date_local")
    if start is not None or creating:
        try:
            dt.datetime.fromisoformat(str(start))
        except ValueError:
            raise Reply(422, f"Invalid start_date_local: {start!r}") from None
    if len(body.get("name") or "") > MAX_NAME:
        raise Reply(422, "Name is too long")
    return dict(body)
