"""The Intervals.icu endpoints: for each, its path and query parameters and the JSON shape it
must answer with. A mixin of ``api.IntervalsClient``, which sends the requests.

Apart from the client so that module keeps to the HTTP (auth, pacing, retries, errors) and
this one to the API's surface, one short method per endpoint; neither touches the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import ApiError

MESSAGES_PAGE, MESSAGES_PAGES = 100, 50  # comments per request, and requests at most


class Endpoints:
    """The endpoints sync, on-demand fetches and writes use; ``get`` and ``send`` are the
    client's (paced, retried, errors typed)."""

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        raise NotImplementedError

    def send(self, method: str, path: str, body: Any = None) -> Any:
        raise NotImplementedError

    # -- reads -----------------------------------------------------------------------------------

    def athlete(self, athlete_id: str) -> dict[str, Any]:
        return _expect(dict, self.get(f"/athlete/{athlete_id}"), "athlete")

    def custom_items(self, athlete_id: str) -> list[dict[str, Any]]:
        return _expect(list, self.get(f"/athlete/{athlete_id}/custom-item"), "custom items")

    def sport_settings(self, athlete_id: str) -> list[dict[str, Any]]:
        return _expect(list, self.get(f"/athlete/{athlete_id}/sport-settings"),
                       "sport settings")

    def gear(self, athlete_id: str) -> list[dict[str, Any]]:
        return _expect(list, self.get(f"/athlete/{athlete_id}/gear"), "gear")

    def activities(self, athlete_id: str, oldest: str, newest: str) -> list[dict[str, Any]]:
        """Every activity whose local start day is in [oldest, newest], as full objects."""
        data = self.get(f"/athlete/{athlete_id}/activities",
                        {"oldest": oldest, "newest": f"{newest}T23:59:59"})
        return _expect(list, data, "activities")

    def activity_days(self, athlete_id: str, oldest: str, newest: str) -> list[str]:
        """Only the local start day of each activity: a cheap probe of where history begins."""
        data = self.get(f"/athlete/{athlete_id}/activities",
                        {"oldest": oldest, "newest": f"{newest}T23:59:59",
                         "fields": "id,start_date_local"})
        return [a["start_date_local"][:10] for a in _expect(list, data, "activities")
                if isinstance(a, dict) and isinstance(a.get("start_date_local"), str)]

    def activities_with_intervals(self, athlete_id: str, ids: Iterable[str]
                                  ) -> list[dict[str, Any]]:
        """Several activities in one request, each with ``icu_intervals`` and ``icu_groups``."""
        joined = ",".join(ids)
        data = self.get(f"/athlete/{athlete_id}/activities/{joined}", {"intervals": "true"})
        return _expect(list, data, "activities")

    def activity_intervals(self, activity_id: str) -> dict[str, Any]:
        return _expect(dict, self.get(f"/activity/{activity_id}/intervals"), "intervals")

    def activity_streams(self, activity_id: str, types: Iterable[str]) -> list[dict[str, Any]]:
        """The streams of those types the activity has (types are always named: without
        them the API renames the watts stream raw_watts)."""
        data = self.get(f"/activity/{activity_id}/streams", {"types": ",".join(types)})
        return _expect(list, data, "streams")

    def activity_messages(self, activity_id: str) -> list[dict[str, Any]]:
        """Every comment on an activity: 100 per request (the API's most by default), the
        next page after the last id seen."""
        found: list[dict[str, Any]] = []
        params = {"limit": str(MESSAGES_PAGE)}
        for _ in range(MESSAGES_PAGES):
            page = _expect(list, self.get(f"/activity/{activity_id}/messages", params),
                           "messages")
            found += page
            ids = [m["id"] for m in page if isinstance(m, dict)
                   and isinstance(m.get("id"), int)]
            if len(page) < MESSAGES_PAGE or not ids:
                break
            params = {"limit": str(MESSAGES_PAGE), "sinceId": str(max(ids))}
        return found

    def wellness(self, athlete_id: str, oldest: str, newest: str) -> list[dict[str, Any]]:
        data = self.get(f"/athlete/{athlete_id}/wellness", {"oldest": oldest, "newest": newest})
        if isinstance(data, dict):  # some clients have seen a date-keyed object
            data = [{"id": key, **value} for key, value in data.items() if isinstance(value, dict)]
        return _expect(list, data, "wellness")

    def wellness_days(self, athlete_id: str, oldest: str, newest: str) -> list[str]:
        data = self.get(f"/athlete/{athlete_id}/wellness",
                        {"oldest": oldest, "newest": newest, "fields": "id"})
        if isinstance(data, dict):
            return list(data)
        return [str(r["id"]) for r in _expect(list, data, "wellness") if isinstance(r, dict)]

    def events(self, athlete_id: str, oldest: str, newest: str) -> list[dict[str, Any]]:
        data = self.get(f"/athlete/{athlete_id}/events", {"oldest": oldest, "newest": newest})
        return _expect(list, data, "events")

    def event(self, athlete_id: str, event_id: str) -> dict[str, Any]:
        return _expect(dict, self.get(f"/athlete/{athlete_id}/events/{event_id}"), "event")

    def activity_curves(self, athlete_id: str, path: str, oldest: str, newest: str,
                        points_key: str, points: Iterable[float], sport: str | None = None
                        ) -> dict[str, Any]:
        """The best efforts of every activity whose local start day is in [oldest, newest],
        all sports (no ``type``) unless ``sport``, at ``points`` (durations in s or distances
        in m): ``path`` is ``activity-power-curves``, ``activity-hr-curves`` or
        ``activity-pace-curves``. These endpoints refuse the ``0`` alias: ``athlete_id`` must
        be the real id."""
        params = {"oldest": oldest, "newest": f"{newest}T23:59:59",
                  points_key: ",".join(f"{point:.10g}" for point in points)}
        if sport:
            params["type"] = sport
        data = self.get(f"/athlete/{athlete_id}/{path}", params)
        return _expect(dict, data, "curves")

    # -- writes (only write_through.py calls these) -------------------------------------------

    def create_event(self, athlete_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return _expect(dict, self.send("POST", f"/athlete/{athlete_id}/events", body), "event")

    def update_event(self, athlete_id: str, event_id: str, body: dict[str, Any]
                     ) -> dict[str, Any]:
        return _expect(dict, self.send("PUT", f"/athlete/{athlete_id}/events/{event_id}", body),
                       "event")

    def delete_event(self, athlete_id: str, event_id: str) -> None:
        self.send("DELETE", f"/athlete/{athlete_id}/events/{event_id}")

    def add_activity_message(self, activity_id: str, content: str) -> dict[str, Any]:
        """``{"id", "new_chat"}``: the new message's id, not the message."""
        return _expect(dict, self.send("POST", f"/activity/{activity_id}/messages",
                                       {"content": content}), "new message")

    def custom_item(self, athlete_id: str, item_id: str) -> dict[str, Any]:
        return _expect(dict, self.get(f"/athlete/{athlete_id}/custom-item/{item_id}"),
                       "custom item")

    def create_custom_item(self, athlete_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The new item, with ``required_items_created``: the items it needed, made too."""
        return _expect(dict, self.send("POST", f"/athlete/{athlete_id}/custom-item", body),
                       "custom item")

    def update_custom_item(self, athlete_id: str, item_id: str, body: dict[str, Any]
                           ) -> dict[str, Any]:
        return _expect(dict, self.send("PUT", f"/athlete/{athlete_id}/custom-item/{item_id}",
                                       body), "custom item")

    def delete_custom_item(self, athlete_id: str, item_id: str) -> None:
        self.send("DELETE", f"/athlete/{athlete_id}/custom-item/{item_id}")


def _expect(kind: type, data: Any, what: str) -> Any:
    if not isinstance(data, kind):
        raise ApiError(f"Intervals.icu sent {type(data).__name__} for {what}, "
                       f"expected a JSON {'array' if kind is list else 'object'}")
    return data
