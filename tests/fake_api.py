"""A fake Intervals.icu API served over real HTTP on 127.0.0.1, for tests and benchmarks.

Why real HTTP and not a mock transport: the client's connection reuse, timeouts, retries on
dropped connections and HTML error pages only get exercised against a socket. Stdlib only
(``http.server``), so it never shares a bug with the client's HTTP library.

It behaves like the real API as documented in ``/work/shared/intervals-api.md`` (Basic auth with
the username ``API_KEY``, ``0`` as "me", newest-first activity lists, ``fields=`` dropping nulls,
Strava stubs, 404/405/422 bodies, the per-activity curves of ``fake_curves``), logs every
request without the key, and can inject faults (status codes, ``Retry-After``, HTML bodies,
delays, dropped connections, bodies cut short) or hold a request until a test releases it. Its
write side (POST, PUT, DELETE, kept for later listings) is in ``fake_api_writes.py``.

Run it standalone for benchmarks (its memory then stays out of the measured process)::

    PYTHONPATH=. python tests/fake_api.py --years 10 --latency 0.1
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import copy
import datetime as dt
import gzip
import json
import random
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from intervals_mirror.demo.athlete import custom_item, sport_settings
from intervals_mirror.demo.clock import berlin_utc_offset, fmt_utc_z, local_to_utc, to_day
from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.demo.edits import make_activity, make_event, make_strava_stub, make_wellness
from intervals_mirror.demo.gear import gear_item
from intervals_mirror.demo.messages import message
from intervals_mirror.demo.streams import activity_streams
from intervals_mirror.demo.wellness import recompute_fitness

from fake_api_writes import Reply, Writes
from fake_curves import CurveMaker, CurveQueryError, parse_points, sport_types

API_PREFIX = "/api/v1"
# The stream types the API knows (intervals-api-reference.md 2.4); any other is refused (422).
API_STREAM_TYPES = frozenset("""time watts cadence heartrate distance altitude latlng
    velocity_smooth moving grade_smooth temp torque fixed_watts fixed_heartrate raw_watts
    raw_heartrate left_right_balance smo2 thb smo2_2 thb_2 dfa_a1 epoc hrv ga_velocity
    fixed_altitude corrupt_time core_temperature skin_temperature stride_length w_bal
    respiration watts_alt watts_alt_acc stance_time vertical_oscillation vertical_ratio
    step_length""".split())  # noqa: SIM905
TRUNCATIONS = ("short", "eof", "cut", "gzip")
Obj = dict[str, Any]
Body = Any  # a JSON-able object, or bytes sent as they are


@dataclass(frozen=True)
class Request:
    """One request as the fake saw it. The Authorization header is never kept, only whether
    one was sent (``has_auth``)."""

    method: str
    path: str  # full path without the query, percent-decoded, e.g. /api/v1/activity/i1
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names, without Authorization
    has_auth: bool
    status: int  # 0 when the connection was dropped on purpose
    fault: bool = False  # answered by an injected fault
    time: float = 0.0

    @property
    def api_path(self) -> str:
        """The path relative to the base URL (``/athlete/i1/activities``)."""
        return self.path.removeprefix(API_PREFIX)


@dataclass
class _Fault:
    path: str
    status: int
    times: int
    retry_after: float | None
    body: str | None
    drop: bool
    delay: float
    truncate: str | None = None

    def matches(self, target: str) -> bool:
        if not self.path or self.path in target:
            return True
        try:
            return re.search(self.path, target) is not None
        except re.error:
            return False


@dataclass
class Hold:
    """A request held before its answer (``FakeIntervals.hold``): ``arrived`` is set when it
    comes, and it is answered after ``release()``."""

    path: str
    arrived: threading.Event
    released: threading.Event

    def matches(self, target: str) -> bool:
        return _Fault(self.path, 0, 0, None, None, False, 0.0).matches(target)

    def release(self) -> None:
        self.released.set()


class _ApiError(Exception):
    """Raised inside routing; becomes an error response."""

    def __init__(self, status: int, body: Body, content_type: str = "application/json") -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type


def _err(status: int, message: str) -> _ApiError:
    return _ApiError(status, {"status": status, "error": message})


@dataclass
class _Response:
    status: int
    body: Body
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class FakeIntervals:
    """A running fake API over one :class:`Dataset`; see the module docstring.

    Data mutations are thread-safe and replace objects rather than editing them in place, so a
    response being serialised on another thread is never torn.
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        api_key: str = "test-key-123",
        latency: float = 0.0,
        recompute: bool = False,
    ) -> None:
        self.dataset = dataset
        self.recompute = recompute
        self._api_key = api_key
        self._latency = latency
        self._lock = threading.RLock()
        self._log: list[Request] = []
        self._faults: list[_Fault] = []
        self._sorted: list[tuple[str, str]] | None = None  # (start_date_local, id), newest first
        self._last_stamp = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._streams_made: dict[tuple[str, Any], list[Obj]] = {}  # (id, icu_sync_date) ->
        self._streams_set: dict[str, list[Obj]] = {}  # a test's own streams for an activity
        self._holds: list[Hold] = []
        self.writes = Writes(self)  # POST, PUT and DELETE (fake_api_writes.py)
        self._curves = CurveMaker()
        # True: the curve lists refuse a request without `type` (the API documents it as
        # optional; its aggregate curves require it), to test that sync asks sport by sport
        self.curves_need_type = False
        self.base_url = ""

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve from a daemon thread."""
        if self._server is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        server = _Server(("127.0.0.1", 0), handler)
        self._server = server
        port = server.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}{API_PREFIX}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-intervals:{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut open keep-alive connections (a client then sees a reset)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def ds(self) -> Dataset:
        """Short alias of ``dataset``."""
        return self.dataset

    @property
    def athlete_id(self) -> str:
        return self.dataset.athlete_id

    @property
    def today(self) -> dt.date:
        """The fake's "today" is the dataset's ``end``, so defaults are deterministic."""
        return self.dataset.end

    # ------------------------------------------------------------------ log and faults

    @property
    def requests(self) -> list[Request]:
        """A snapshot of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    def count(self, path_prefix_or_regex: str | re.Pattern[str] | None = None) -> int:
        """Requests whose path starts with the string (relative to the base URL or full), or
        that the string/pattern matches as a regex; all requests when None."""
        log = self.requests
        if path_prefix_or_regex is None:
            return len(log)
        return sum(1 for r in log if _path_matches(r, path_prefix_or_regex))

    def inject(
        self,
        *,
        path: str = "",
        status: int = 500,
        times: int = 1,
        retry_after: float | None = None,
        body: str | None = None,
        drop: bool = False,
        delay: float = 0.0,
        truncate: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests whose target (path and query) contains or matches
        ``path`` with ``status`` (JSON body unless ``body`` is given, e.g. an HTML 502 page) and
        an optional ``Retry-After``. ``drop`` closes the socket without any response. ``delay``
        sleeps first; with a status below 400 and no ``body`` the request is then answered
        normally (a ``body`` is sent with that status, e.g. a 200 HTML page).

        ``truncate`` sends the real answer cut in half, as a flaky network or proxy does:
        ``"short"``: the whole body's Content-Length, half the body, then the connection
        closes; ``"eof"``: no Content-Length, half the body, then close (the client cannot
        tell it is cut); ``"cut"``: half the body with a Content-Length that matches it;
        ``"gzip"``: gzip-encoded, half the compressed bytes, a matching Content-Length."""
        if truncate not in (None, *TRUNCATIONS):
            raise ValueError(f"truncate: expected one of {TRUNCATIONS}, got {truncate!r}")
        with self._lock:
            self._faults.append(
                _Fault(path, status, times, retry_after, body, drop, delay, truncate))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_latency(self, seconds: float) -> None:
        """Added to every request (benchmarks use 0.1 s to model the real round trip)."""
        self._latency = seconds

    def _take_fault(self, target: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(target):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def hold(self, path: str) -> Hold:
        """Hold the next request whose target contains (or matches) ``path`` before it is
        answered, until ``release()``: a test can act while, e.g., a sync waits for a
        listing it asked for."""
        held = Hold(path, threading.Event(), threading.Event())
        with self._lock:
            self._holds.append(held)
        return held

    def _wait_if_held(self, target: str) -> None:
        with self._lock:
            held = next((h for h in self._holds if h.matches(target)), None)
            if held is not None:
                self._holds.remove(held)
        if held is not None:
            held.arrived.set()
            held.released.wait(timeout=60)

    def _record(self, req: Request) -> None:
        with self._lock:
            self._log.append(req)

    # ------------------------------------------------------------------ mutations

    def _stamp(self, after: str | None = None) -> str:
        """A fresh audit timestamp, strictly later than the last one and than ``after``."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        floor = max(self._last_stamp, after or "")
        if floor:
            prev = dt.datetime.strptime(floor[:23], "%Y-%m-%dT%H:%M:%S.%f")
            now = max(now, prev + dt.timedelta(milliseconds=1))
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+00:00"
        self._last_stamp = stamp
        return stamp

    def add_activity(self, day: dt.date | str | None = None, **overrides: Any) -> Obj:
        """Upload a new activity (fresh id above all others), as if it had just synced."""
        with self._lock:
            sport = overrides.pop("type", None)
            if overrides.get("source") == "STRAVA":
                return self.add_strava_stub(day)
            act, _ = make_activity(self.dataset, to_day(day or self.today), sport=sport)
            stamp = self._stamp()
            new = {**act, "created": stamp, "icu_sync_date": stamp, "analyzed": stamp}
            if sport is not None:
                new["type"] = sport
            new.update(overrides)
            if "start_date_local" in overrides and "start_date" not in overrides:
                new["start_date"] = _utc_of(new["start_date_local"])
            if new["id"] != act["id"]:  # an explicit id: move the entry and its intervals
                del self.dataset.activities[act["id"]]
                self.dataset.intervals[new["id"]] = self.dataset.intervals.pop(act["id"])
            self.dataset.activities[new["id"]] = new
            self._changed_activities()
            return copy.deepcopy(new)

    def add_strava_stub(self, day: dt.date | str | None = None) -> Obj:
        with self._lock:
            stub = make_strava_stub(self.dataset, to_day(day or self.today))
            self._sorted = None
            return dict(stub)

    def edit_activity(self, id: str, **changes: Any) -> Obj:
        """Change fields; like a re-analysis on the server it bumps ``icu_sync_date`` and
        ``analyzed``. ``icu_intervals``/``icu_groups`` replace the activity's intervals."""
        with self._lock:
            old = self.dataset.activities[id]
            ivs: Obj = {k: changes.pop(k) for k in ("icu_intervals", "icu_groups") if k in changes}
            new = {**old, **changes}
            if old.get("source") != "STRAVA":
                stamp = self._stamp(after=old.get("icu_sync_date"))
                if "icu_sync_date" not in changes:
                    new["icu_sync_date"] = stamp
                if "analyzed" not in changes:
                    new["analyzed"] = stamp
                if "start_date_local" in changes and "start_date" not in changes:
                    new["start_date"] = _utc_of(new["start_date_local"])
            self.dataset.activities[id] = new
            if ivs:
                dto: Obj = self.dataset.intervals.get(id) or {"icu_intervals": [], "icu_groups": []}
                self.dataset.intervals[id] = {**dto, **ivs}
            self._changed_activities()
            return copy.deepcopy(new)

    def delete_activity(self, id: str) -> None:
        with self._lock:
            del self.dataset.activities[id]
            self.dataset.intervals.pop(id, None)
            self.dataset.messages.pop(id, None)
            self._streams_set.pop(id, None)
            self._changed_activities()

    def _changed_activities(self) -> None:
        self._sorted = None
        self._refit()

    def _refit(self) -> None:
        """With ``recompute=True``, redo wellness CTL/ATL (and projections) like the server
        does after a change. Off by default, so a test's edit changes only what it names."""
        if self.recompute:
            recompute_fitness(self.dataset)

    def add_wellness(self, day: dt.date | str, **fields: Any) -> Obj:
        """Create (or replace) the record for ``day``; ``fields`` override generated values."""
        with self._lock:
            rec = make_wellness(self.dataset, to_day(day))
            new = {**rec, **fields}
            self.dataset.wellness[rec["id"]] = new
            return copy.deepcopy(new)

    def edit_wellness(self, day: dt.date | str, **changes: Any) -> Obj:
        with self._lock:
            key = to_day(day).isoformat()
            old = self.dataset.wellness[key]
            new = {**old, **changes}
            if "updated" not in changes:
                new["updated"] = self._stamp(after=old.get("updated"))
            self.dataset.wellness[key] = new
            return copy.deepcopy(new)

    def delete_wellness(self, day: dt.date | str) -> None:
        with self._lock:
            del self.dataset.wellness[to_day(day).isoformat()]

    def add_event(self, day: dt.date | str, category: str = "WORKOUT", **overrides: Any) -> Obj:
        with self._lock:
            ev = make_event(self.dataset, to_day(day), category)
            new = {**ev, "updated": self._stamp(), **overrides}
            self.dataset.events[new["id"]] = new
            if category == "WORKOUT":
                self._refit()
            return copy.deepcopy(new)

    def edit_event(self, id: int, **changes: Any) -> Obj:
        with self._lock:
            old = self.dataset.events[int(id)]
            new = {**old, **changes}
            if "updated" not in changes:
                new["updated"] = self._stamp(after=old.get("updated"))
            self.dataset.events[int(id)] = new
            if new.get("category") == "WORKOUT":
                self._refit()
            return copy.deepcopy(new)

    def delete_event(self, id: int) -> None:
        with self._lock:
            old = self.dataset.events.pop(int(id))
            if old.get("category") == "WORKOUT":
                self._refit()

    # ------------------------------------------------------------------ lists kept whole
    # Sport settings and custom items also live in the athlete object (``sportSettings``,
    # ``custom_items``), which is replaced with each change so both stay the same.

    def add_gear(self, name: str, type: str = "Bike", **fields: Any) -> Obj:
        """A new item (no activities yet), with an id above every other."""
        with self._lock:
            number = max((int(g["id"][1:]) for g in self.dataset.gear
                          if g["id"][1:].isdigit()), default=100000) + 1
            item = gear_item(self.athlete_id, f"b{number}", type, name, self.today, [])
            item.update(fields)
            self.dataset.gear = [*self.dataset.gear, item]
            return copy.deepcopy(item)

    def edit_gear(self, id: str, **changes: Any) -> Obj:
        with self._lock:
            new = {**self._find(self.dataset.gear, id), **changes}
            self.dataset.gear = [new if g["id"] == id else g for g in self.dataset.gear]
            return copy.deepcopy(new)

    def delete_gear(self, id: str) -> None:
        with self._lock:
            self._find(self.dataset.gear, id)
            self.dataset.gear = [g for g in self.dataset.gear if g["id"] != id]

    def add_custom_item(self, type: str, name: str, **fields: Any) -> Obj:
        with self._lock:
            number = max((int(i["id"]) for i in self.dataset.custom_items), default=50000) + 1
            item = custom_item(self.athlete_id, number, type, name, fields.pop("description", None),
                               fields.pop("content", {}), len(self.dataset.custom_items),
                               self._stamp())
            item.update(fields)
            self._set_custom_items([*self.dataset.custom_items, item])
            return copy.deepcopy(item)

    def edit_custom_item(self, id: int, **changes: Any) -> Obj:
        with self._lock:
            old = self._find(self.dataset.custom_items, int(id))
            new = {**old, "updated": self._stamp(after=old.get("updated")), **changes}
            self._set_custom_items([new if i["id"] == int(id) else i
                                    for i in self.dataset.custom_items])
            return copy.deepcopy(new)

    def delete_custom_item(self, id: int) -> None:
        with self._lock:
            self._find(self.dataset.custom_items, int(id))
            self._set_custom_items([i for i in self.dataset.custom_items if i["id"] != int(id)])

    def _set_custom_items(self, items: list[Obj]) -> None:
        self.dataset.custom_items = items
        self.dataset.athlete = {**self.dataset.athlete, "custom_items": [dict(i) for i in items]}

    def add_sport_settings(self, types: list[str], **fields: Any) -> Obj:
        with self._lock:
            listed = self.dataset.athlete["sportSettings"]
            number = max((int(s["id"]) for s in listed), default=1200) + 1
            new = sport_settings(self.athlete_id, number, types, **fields)
            self._set_sport_settings([*listed, new])
            return copy.deepcopy(new)

    def edit_sport_settings(self, id: int, **changes: Any) -> Obj:
        with self._lock:
            listed = self.dataset.athlete["sportSettings"]
            old = self._find(listed, int(id))
            new = {**old, "updated": self._stamp(after=old.get("updated")), **changes}
            self._set_sport_settings([new if s["id"] == int(id) else s for s in listed])
            return copy.deepcopy(new)

    def delete_sport_settings(self, id: int) -> None:
        with self._lock:
            listed = self.dataset.athlete["sportSettings"]
            self._find(listed, int(id))
            self._set_sport_settings([s for s in listed if s["id"] != int(id)])

    def _set_sport_settings(self, listed: list[Obj]) -> None:
        self.dataset.athlete = {**self.dataset.athlete, "sportSettings": listed}

    @staticmethod
    def _find(items: list[Obj], id: Any) -> Obj:
        found = [item for item in items if item["id"] == id]
        if not found:
            raise KeyError(id)
        return found[0]

    # ------------------------------------------------------------------ streams and messages

    def set_streams(self, id: str, streams: list[Obj]) -> None:
        """Serve these stream objects for the activity instead of the generated ones."""
        with self._lock:
            self._streams_set[id] = copy.deepcopy(streams)

    def streams_of(self, id: str) -> list[Obj]:
        """Every stream the activity has, as served (types asked for or not)."""
        with self._lock:
            act = self.dataset.activities[id]
            if id in self._streams_set:
                return self._streams_set[id]
            key = (id, act.get("icu_sync_date"))
            if key not in self._streams_made:
                if len(self._streams_made) > 32:  # an hour of 1 Hz streams is about 1 MB
                    self._streams_made.clear()
                dto = self.dataset.intervals.get(id) or {}
                self._streams_made[key] = activity_streams(act, dto.get("icu_intervals") or [])
            return self._streams_made[key]

    def add_message(self, id: str, content: str, name: str = "Sam Coach",
                    author_id: str = "i200117") -> Obj:
        """A comment on an activity, with an id above every other one."""
        with self._lock:
            thread = self.dataset.messages.setdefault(id, [])
            top = max((m["id"] for ms in self.dataset.messages.values() for m in ms),
                      default=5_512_000)
            when = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            new = message(top + 1, (author_id, name), when, content, id,
                          random.Random(top))
            thread.append(new)
            return copy.deepcopy(new)

    def _streams(self, query: dict[str, str], aid: str) -> Body:
        wanted = [t.strip() for t in query.get("types", "").split(",") if t.strip()]
        if any(t not in API_STREAM_TYPES for t in wanted):
            raise _err(422, "Invalid stream type")
        self._readable(aid)
        streams = self.streams_of(aid)
        if not wanted:  # all of them, with the original watts named raw_watts (spec)
            return [{**s, "type": "raw_watts"} if s["type"] == "watts" else s for s in streams]
        return [s for s in streams if s["type"] in wanted]

    def _messages(self, query: dict[str, str], aid: str) -> Body:
        self._readable(aid)
        limit = _int_param(query, "limit")
        since = _int_param(query, "sinceId")
        with self._lock:
            thread = [m for m in self.dataset.messages.get(aid, [])
                      if since is None or m["id"] > since]
        return thread[: 100 if limit is None else max(0, limit)]

    def _readable(self, aid: str) -> Obj:
        """The activity; 404 when unknown, 422 for a Strava import (its intervals, streams and
        messages are refused alike)."""
        with self._lock:
            act = self.dataset.activities.get(aid)
        if act is None:
            raise _err(404, "Activity not found")
        if act.get("source") == "STRAVA":
            raise _err(422, "Cannot read Strava activities via the API")
        return act

    # ------------------------------------------------------------------ routing

    _ROUTES: ClassVar[list[tuple[re.Pattern[str], str]]] = [
        (re.compile(r"/athlete/([^/]+)"), "_athlete"),
        (re.compile(r"/athlete/([^/]+)/custom-item"), "_custom_items"),
        (re.compile(r"/athlete/([^/]+)/custom-item/([^/]+)"), "_custom_item"),
        (re.compile(r"/athlete/([^/]+)/sport-settings"), "_sport_settings"),
        (re.compile(r"/athlete/([^/]+)/sport-settings/([^/]+)"), "_sport_settings_one"),
        (re.compile(r"/athlete/([^/]+)/gear(?:\.json)?"), "_gear"),
        (re.compile(r"/athlete/([^/]+)/activities(?:\.json)?"), "_activities"),
        (re.compile(r"/athlete/([^/]+)/activities/([^/]+)"), "_activities_by_id"),
        (re.compile(r"/activity/([^/]+)"), "_activity"),
        (re.compile(r"/activity/([^/]+)/intervals"), "_intervals"),
        (re.compile(r"/activity/([^/]+)/streams(?:\.json)?"), "_streams"),
        (re.compile(r"/activity/([^/]+)/messages"), "_messages"),
        (re.compile(r"/athlete/([^/]+)/wellness(?:\.json)?"), "_wellness"),
        (re.compile(r"/athlete/([^/]+)/wellness/([^/]+)"), "_wellness_day"),
        (re.compile(r"/athlete/([^/]+)/events(?:\.json)?"), "_events"),
        (re.compile(r"/athlete/([^/]+)/events/([^/]+)"), "_event"),
        (re.compile(r"/athlete/([^/]+)/activity-(power|hr|pace)-curves(?:\.json)?"),
         "_activity_curves"),
    ]
    # Endpoints that refuse the ``0`` alias for "me" (403 "Access denied"): the real id only.
    _NO_ALIAS: ClassVar[frozenset[str]] = frozenset({"_activity_curves"})

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
        body: bytes = b"",
    ) -> _Response:
        """Answer one request (auth, routing, errors); the HTTP layer only moves bytes."""
        try:
            return self._handle(method, path, query, headers, body)
        except _ApiError as e:
            return _Response(e.status, e.body, e.content_type)
        except Reply as e:
            return _Response(e.status, e.body)

    def _handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
        body: bytes = b"",
    ) -> _Response:
        if not headers.get("user-agent", "").strip():  # Cloudflare's browser integrity check
            raise _ApiError(403, b"error code: 1010", "text/plain; charset=UTF-8")
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            raise _err(403, "Access denied")
        if not self._basic_ok(auth):
            raise _err(401, "Unauthorized")
        if not path.startswith(API_PREFIX + "/"):
            raise self._not_found(path)
        rel = path[len(API_PREFIX) :]
        written = self.writes.handle(method, rel, body) if method != "GET" else None
        if written is not None:
            return _Response(*written)
        for pattern, name in self._ROUTES:
            m = pattern.fullmatch(rel)
            if m is None:
                continue
            if method != "GET":
                raise _ApiError(405, self._spring(405, "Method Not Allowed", path))
            if rel.startswith("/athlete/") and m.group(1) not in (self.athlete_id, "0"):
                raise _err(403, "Access denied")
            if m.group(1) == "0" and name in self._NO_ALIAS:
                raise _err(403, "Access denied")
            handler: Callable[..., Body] = getattr(self, name)
            args = m.groups()[1:] if rel.startswith("/athlete/") else m.groups()
            return _Response(200, handler(query, *args))
        raise self._not_found(path)

    def _basic_ok(self, auth: str) -> bool:
        if auth[:6].lower() != "basic ":
            return False
        try:
            user, _, key = base64.b64decode(auth[6:].strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == "API_KEY" and key == self._api_key

    @staticmethod
    def _spring(status: int, error: str, path: str) -> Obj:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23]
        return {"timestamp": stamp + "+00:00", "status": status, "error": error, "path": path}

    def _not_found(self, path: str) -> _ApiError:
        return _ApiError(404, self._spring(404, "Not Found", path))

    # -- endpoints (each returns a JSON-able body; self.dataset is read under the lock, and objects
    #    are replaced, never edited, so serialising outside the lock is safe)

    def _athlete(self, query: dict[str, str]) -> Body:
        with self._lock:
            return self.dataset.athlete

    def _custom_items(self, query: dict[str, str]) -> Body:
        with self._lock:
            return list(self.dataset.custom_items)

    def _custom_item(self, query: dict[str, str], item_id: str) -> Body:
        number = _int_path(item_id)
        with self._lock:
            found = [i for i in self.dataset.custom_items if i["id"] == number]
        if not found:
            raise _err(404, "Custom item not found")
        return found[0]

    def _sport_settings(self, query: dict[str, str]) -> Body:
        with self._lock:
            return list(self.dataset.athlete.get("sportSettings") or [])

    def _sport_settings_one(self, query: dict[str, str], key: str) -> Body:
        """By id, or by a sport the settings cover (``Run``), as the real path takes."""
        with self._lock:
            listed = list(self.dataset.athlete.get("sportSettings") or [])
        found = [s for s in listed if str(s["id"]) == key or key in (s.get("types") or [])]
        if not found:
            raise _err(404, "Sport settings not found")
        return found[0]

    def _gear(self, query: dict[str, str]) -> Body:
        with self._lock:
            return list(self.dataset.gear)

    def _activities(self, query: dict[str, str]) -> Body:
        if "oldest" not in query:
            raise _err(
                422,
                "Required request parameter 'oldest' for method parameter type "
                "String is not present",
            )
        lo = _local_bound(query["oldest"], "oldest", end_of_day=False)
        if query.get("newest"):
            hi = _local_bound(query["newest"], "newest", end_of_day=True)
        else:  # "now"; never before the end of the dataset's today
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            now += berlin_utc_offset(now)
            hi = max(now.strftime("%Y-%m-%dT%H:%M:%S"), f"{self.today.isoformat()}T23:59:59")
        limit = _int_param(query, "limit")
        fields = _fields(query)
        with self._lock:
            if self._sorted is None:
                self._sorted = sorted(
                    ((a["start_date_local"], k) for k, a in self.dataset.activities.items()),
                    reverse=True,
                )
            picked = [self.dataset.activities[k] for sdl, k in self._sorted if lo <= sdl <= hi]
        if limit is not None:
            picked = picked[: max(0, limit)]
        return [_select(a, fields) for a in picked] if fields else picked

    def _activities_by_id(self, query: dict[str, str], ids: str) -> Body:
        with_intervals = _bool(query.get("intervals"))
        out: list[Obj] = []
        seen: set[str] = set()
        with self._lock:
            for aid in (x.strip() for x in ids.split(",")):
                if aid in seen or aid not in self.dataset.activities:
                    continue
                seen.add(aid)
                out.append(
                    self._with_intervals(aid) if with_intervals else self.dataset.activities[aid]
                )
        return out

    def _with_intervals(self, aid: str) -> Obj:
        act = self.dataset.activities[aid]
        if act.get("source") == "STRAVA":
            return act
        dto = self.dataset.intervals.get(aid) or {}
        return {
            **act,
            "icu_intervals": dto.get("icu_intervals") or [],
            "icu_groups": dto.get("icu_groups") or [],
        }

    def _activity(self, query: dict[str, str], aid: str) -> Body:
        with self._lock:
            if aid not in self.dataset.activities:
                raise _err(404, "Activity not found")
            if _bool(query.get("intervals")):
                return self._with_intervals(aid)
            return self.dataset.activities[aid]

    def _intervals(self, query: dict[str, str], aid: str) -> Body:
        with self._lock:
            act = self._readable(aid)
            dto = self.dataset.intervals.get(aid) or {}
            return {
                "id": aid,
                "analyzed": act.get("analyzed"),
                "icu_intervals": dto.get("icu_intervals") or [],
                "icu_groups": dto.get("icu_groups") or [],
            }

    def _wellness(self, query: dict[str, str]) -> Body:
        if "oldest" not in query:
            raise _err(
                422,
                "Required request parameter 'oldest' for method parameter type "
                "LocalDate is not present",
            )
        lo = _local_bound(query["oldest"], "oldest", end_of_day=False)[:10]
        hi = (
            _local_bound(query["newest"], "newest", end_of_day=True)[:10]
            if query.get("newest")
            else self.today.isoformat()
        )
        fields = _fields(query)
        with self._lock:
            picked = sorted(
                (r for k, r in self.dataset.wellness.items() if lo <= k <= hi),
                key=lambda r: r["id"],
            )
        # fields= drops nulls, and drops the date unless "id" is asked for (a real trap).
        return [_select(r, fields) for r in picked] if fields else picked

    def _wellness_day(self, query: dict[str, str], day: str) -> Body:
        key = _local_bound(day, "date", end_of_day=False)[:10]
        with self._lock:
            rec = self.dataset.wellness.get(key)
        if rec is None:
            raise _err(404, f"Wellness record not found for {key}")
        return rec

    def _events(self, query: dict[str, str]) -> Body:
        lo_day = (
            to_day(_local_bound(query["oldest"], "oldest", end_of_day=False)[:10])
            if query.get("oldest")
            else self.today
        )
        hi_day = (
            to_day(_local_bound(query["newest"], "newest", end_of_day=True)[:10])
            if query.get("newest")
            else lo_day + dt.timedelta(days=6)
        )
        lo, hi = lo_day.isoformat(), hi_day.isoformat()
        cats = {c.strip() for c in query.get("category", "").split(",") if c.strip()}
        limit = _int_param(query, "limit")
        with self._lock:
            picked = [
                e
                for e in self.dataset.events.values()
                if lo <= str(e.get("start_date_local"))[:10] <= hi
                and (not cats or e.get("category") in cats)
            ]
        # The real order is undocumented: a stable scramble keeps clients honest (sort locally).
        picked.sort(key=lambda e: (int(e["id"]) * 2654435761) & 0xFFFFFFFF)
        if limit is not None:
            picked = picked[: max(0, limit)]
        return picked

    def _event(self, query: dict[str, str], event_id: str) -> Body:
        eid = _int_path(event_id)
        with self._lock:
            ev = self.dataset.events.get(eid)
        if ev is None:
            raise _err(404, "Event not found")
        return ev

    def _activity_curves(self, query: dict[str, str], kind: str) -> Body:
        """Best efforts per activity in a date range: see ``fake_curves``."""
        for name in ("oldest", "newest"):
            if not query.get(name):
                raise _err(422, f"Required request parameter '{name}' for method parameter "
                                "type String is not present")
        if self.curves_need_type and not query.get("type"):  # as the aggregate curves do
            raise _err(422, "Required request parameter 'type' for method parameter type "
                            "String is not present")
        lo = _local_bound(query["oldest"], "oldest", end_of_day=False)
        hi = _local_bound(query["newest"], "newest", end_of_day=True)
        try:
            points = parse_points(kind, query)
        except CurveQueryError as exc:
            raise _err(422, str(exc)) from None
        with self._lock:
            return self._curves.payload(self.dataset, kind, lo, hi,
                                        sport_types(self.dataset, query.get("type")), points)


# ---------------------------------------------------------------------- helpers


def _utc_of(start_date_local: str) -> str:
    return fmt_utc_z(local_to_utc(dt.datetime.fromisoformat(start_date_local)))


def _local_bound(value: str, name: str, *, end_of_day: bool) -> str:
    """A local date or date-time parameter as a comparable ``YYYY-MM-DDTHH:MM:SS`` string."""
    value = value.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return f"{day.isoformat()}T{'23:59:59' if end_of_day else '00:00:00'}"
        t = dt.datetime.fromisoformat(value)
        if t.tzinfo is not None or "T" not in value:
            raise ValueError(value)
        return t.strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise _err(
            422,
            f"Failed to convert '{name}' with value: '{value}' "
            f"(expected a local ISO-8601 date or date-time)",
        ) from None


def _int_path(value: str) -> int:
    """An int32 path parameter, refused as Spring refuses it."""
    try:
        return int(value)
    except ValueError:
        raise _err(
            422,
            f"Failed to convert value of type 'java.lang.String' to required "
            f"type 'int'; For input string: \"{value}\"",
        ) from None


def _int_param(query: dict[str, str], name: str) -> int | None:
    if not query.get(name):
        return None
    try:
        return int(query[name])
    except ValueError:
        raise _err(422, f"Failed to convert '{name}' with value: '{query[name]}'") from None


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "on")


def _fields(query: dict[str, str]) -> list[str]:
    return [f.strip() for f in query.get("fields", "").split(",") if f.strip()]


def _select(obj: Obj, fields: list[str]) -> Obj:
    return {k: obj[k] for k in fields if obj.get(k) is not None}


def _path_matches(req: Request, pattern: str | re.Pattern[str]) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.search(req.api_path) is not None or pattern.search(req.path) is not None
    if req.path.startswith(pattern) or req.api_path.startswith(pattern):
        return True
    try:
        return re.search(pattern, req.api_path) is not None
    except re.error:
        return False


def _encode(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response are normal in fault tests; stay quiet about them."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections
    server_version = "FakeIntervals/1.0"
    sys_version = ""
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body
    timeout = 60  # idle keep-alive connections close after this
    fake: FakeIntervals

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._conns.add(self.connection)

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._conns.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is ``FakeIntervals.requests``."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""  # also keeps the connection usable
        split = urlsplit(self.path)
        path = unquote(split.path)
        multi: dict[str, list[str]] = {}
        for k, v in parse_qsl(split.query, keep_blank_values=True):
            multi.setdefault(k, []).append(v)
        # Repeated parameters bind like Spring's String[]: the same as comma-joined values.
        query = {k: ",".join(v for v in vals if v) for k, vals in multi.items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        logged = {k: v for k, v in headers.items() if k != "authorization"}  # never the key
        has_auth = "authorization" in headers

        def record(status: int, fault: bool = False) -> None:
            fake._record(
                Request(self.command, path, query, logged, has_auth, status, fault, time.time())
            )

        if fake._latency:
            time.sleep(fake._latency)
        fake._wait_if_held(unquote(self.path))
        fault = fake._take_fault(unquote(self.path))
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                record(0, fault=True)
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.truncate:
                resp = fake.handle(self.command, path, query, headers, body)
                record(resp.status, fault=True)
                self._send_truncated(resp, fault.truncate)
                return
            if fault.status >= 400 or fault.body is not None:
                if fault.body is None:
                    phrase = _phrase(fault.status)
                    resp = _Response(fault.status, {"status": fault.status, "error": phrase})
                else:
                    resp = _Response(fault.status, fault.body.encode("utf-8"), _sniff(fault.body))
                if fault.retry_after is not None:
                    ra = fault.retry_after
                    resp.headers["Retry-After"] = (
                        str(int(ra)) if float(ra).is_integer() else str(ra)
                    )
                record(fault.status, fault=True)
                self._send(resp)
                return
        resp = fake.handle(self.command, path, query, headers, body)
        record(resp.status)
        self._send(resp)

    def _send(self, resp: _Response) -> None:
        data = _encode(resp.body)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


    def _send_truncated(self, resp: _Response, how: str) -> None:
        data = _encode(resp.body)
        if how == "gzip":
            data = gzip.compress(data, mtime=0)
        half = data[: len(data) // 2]
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        if how == "gzip":
            self.send_header("Content-Encoding", "gzip")
        if how != "eof":
            self.send_header("Content-Length", str(len(data) if how == "short" else len(half)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.write(half)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _sniff(body: str) -> str:
    try:
        json.loads(body)
    except ValueError:
        return "text/html; charset=UTF-8"
    return "application/json"


def main(argv: list[str] | None = None) -> None:
    """Serve a generated dataset until interrupted; prints the base URL (never the key)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--years", type=float, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--end", type=dt.date.fromisoformat, default=None)
    p.add_argument("--api-key", default="test-key-123")
    p.add_argument("--latency", type=float, default=0.0)
    args = p.parse_args(argv)
    ds = generate(years=args.years, end=args.end, seed=args.seed)
    with FakeIntervals(ds, api_key=args.api_key, latency=args.latency) as fake:
        print(fake.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
