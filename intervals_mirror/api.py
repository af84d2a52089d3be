"""The Intervals.icu HTTP client: auth, timeouts, pacing, bounded concurrency, retries.

Returns plain JSON (dicts and lists) and never touches the store. The API key is only ever
handed to httpx as Basic-auth credentials; it is never logged or put in an error.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from . import __version__
from .api_endpoints import Endpoints
from .config import Settings
from .errors import (
    ApiError,
    AuthError,
    ConfigError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    cut_list,
    mask_url,
    shown,
)

log = logging.getLogger(__name__)

USER_AGENT = f"intervals-mirror/{__version__} (+https://github.com/intervals-mirror)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0  # a longer wait fails the run instead of holding the writer lock
MAX_BACKOFF = 30.0


class _Transient(Exception):
    """A failure that trying again may cure; ``final`` builds the error for the last try.
    ``reached``: the request may have reached the API (so a POST is not sent again)."""

    def __init__(self, what: str, final: Callable[[int], ApiError],
                 retry_after: float | None = None, *, reached: bool = True) -> None:
        super().__init__(what)
        self.what = what
        self.final = final
        self.retry_after = retry_after
        self.reached = reached


def short_path(path: str) -> str:
    """The path with a long id list cut (``/activities/i1, i2, i3 and 47 more``)."""
    return "/".join(cut_list(part.split(",")) if "," in part else part
                    for part in path.split("/"))


class RateLimiter:
    """Spaces requests at least ``1/rate`` seconds apart across all threads."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


class IntervalsClient(Endpoints):
    """One athlete-agnostic client; thread-safe, so sync may call it from a worker pool.
    Its endpoints (``athlete``, ``activities``, ...) are declared in ``api_endpoints``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        backoff_base: float = 0.5,
    ) -> None:
        settings.require_credentials()
        self._settings = settings
        self._backoff_base = backoff_base
        self._limiter = RateLimiter(settings.requests_per_second)
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._count_lock = threading.Lock()
        self.requests_made = 0
        try:
            # A user:password in base_url would never be sent (the key is the auth), but
            # httpx would log it: drop it here.
            base_url = httpx.URL(settings.base_url).copy_with(username=None, password=None)
        except httpx.InvalidURL as exc:
            raise ConfigError(f"base_url: expected an http(s) URL, got "
                              f"{shown(mask_url(settings.base_url))} ({exc})") from None
        self._http = httpx.Client(
            base_url=base_url,
            auth=httpx.BasicAuth("API_KEY", settings.api_key),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            limits=httpx.Limits(max_connections=settings.concurrency,
                                max_keepalive_connections=settings.concurrency),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> IntervalsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport -----------------------------------------------------------------------------

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET with pacing and retries; raises a typed ``ApiError`` that says what to fix."""
        return self._request("GET", path, params)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        """A POST, PUT or DELETE, paced like reads; the JSON answer (None when empty).

        Retried only where sending it again cannot do it twice: after a 429 or a connection
        that never opened, and, for PUT and DELETE (which mean the same sent twice), after
        any failure a GET would retry. A POST that may have reached the API is not sent
        again: the error then has ``maybe_applied`` set.
        """
        return self._request(method, path, None, body)

    def _request(self, method: str, path: str, params: dict[str, str] | None,
                 body: Any = None) -> Any:
        attempt, reached = 0, False
        while True:
            try:
                return self._attempt(method, path, params, body)
            except _Transient as transient:
                reached = reached or transient.reached
                if attempt >= self._settings.max_retries or (
                        method == "POST" and transient.reached):
                    error = transient.final(attempt + 1)
                    error.maybe_applied = method != "GET" and reached
                    raise error from None
                delay = transient.retry_after
                if delay is None:
                    delay = self._backoff(attempt)
                log.info("%s %s %s; retrying in %.1fs", method, short_path(path),
                         transient.what, delay)
            time.sleep(delay)
            attempt += 1

    def _attempt(self, method: str, path: str, params: dict[str, str] | None,
                 body: Any = None) -> Any:
        """One request: the JSON, or ``_Transient`` when trying again may help."""
        shown_path = short_path(path)
        try:
            response = self._send(method, path, params, body)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            # DecodingError: a compressed body cut short, as much a dropped connection.
            kind, where = type(exc).__name__, mask_url(self._settings.base_url)
            raise _Transient(f"failed ({kind})", lambda attempts: NetworkError(
                f"cannot reach Intervals.icu at {where} ({kind}) after {attempts} attempts: "
                "check the network or base_url"),
                reached=not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            ) from None
        status = response.status_code
        if status < 400:
            if method != "GET" and not response.content.strip():
                return None  # DELETE answers with an empty body
            return _json(response, shown_path)
        if status not in RETRY_STATUSES:
            raise _error_for(response, shown_path, self._settings.athlete_id)
        retry_after = _retry_after(response)
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            raise RateLimitedError(
                f"Intervals.icu asks to wait {retry_after:.0f}s before the next request "
                "(429 Too Many Requests): try again later", retry_after=retry_after)
        if status == 429:
            raise _Transient("answered 429", lambda attempts: RateLimitedError(
                "Intervals.icu keeps answering 429 Too Many Requests: lower "
                "requests_per_second under [http] or try again later",
                retry_after=retry_after), retry_after, reached=False)
        raise _Transient(f"answered {status}", lambda attempts: ApiError(
            f"Intervals.icu answered {status} for {shown_path} after {attempts} attempts: "
            "the service may be down, try later", status=status), retry_after)

    def _send(self, method: str, path: str, params: dict[str, str] | None,
              body: Any = None) -> httpx.Response:
        with self._slots:
            self._limiter.wait()
            with self._count_lock:
                self.requests_made += 1
            started = time.monotonic()
            response = self._http.request(method, path, params=params, json=body)
            response.read()
        log.debug("%s %s -> %s in %.0f ms", method, short_path(path), response.status_code,
                  (time.monotonic() - started) * 1000)
        return response

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter, so parallel clients do not retry in step."""
        ceiling = min(MAX_BACKOFF, self._backoff_base * (2 ** attempt))
        return random.uniform(ceiling / 2, ceiling)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:  # the other form the header may take: an HTTP date
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None  # unreadable: fall back to our own backoff
    return max(seconds, 0.0)


def _json(response: httpx.Response, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        pass
    if _is_page(response):
        raise ApiError(
            f"Intervals.icu sent a response for {path} that is not JSON "
            f"(status {response.status_code}): check base_url points at the API (…/api/v1)",
            status=response.status_code)
    # JSON cut short (a proxy or the network lost the end): as transient as a dropped line.
    raise _Transient("sent an incomplete response", lambda attempts: NetworkError(
        f"Intervals.icu kept sending incomplete responses for {path} ({attempts} attempts): "
        "the connection is unreliable; try again later"))


def _is_page(response: httpx.Response) -> bool:
    """A complete body that is not JSON at all (an HTML page, plain text), as opposed to
    JSON that stops part-way or an empty body."""
    if "json" in response.headers.get("Content-Type", "").lower():
        return False
    start = response.content.lstrip()[:1]
    return start not in (b"", b"{", b"[", b'"')


def _api_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, dict):
        for key in ("error", "message"):
            if isinstance(body.get(key), str):
                return body[key]
    return ""


def _error_for(response: httpx.Response, path: str, athlete_id: str) -> ApiError:
    error = _error_of(response, path, athlete_id)
    error.detail = _api_message(response)
    return error


def _error_of(response: httpx.Response, path: str, athlete_id: str) -> ApiError:
    status = response.status_code
    detail = _api_message(response)
    if status == 401:
        return AuthError(
            "Intervals.icu refused the API key (401 Unauthorized): copy the key again from "
            "Intervals.icu Settings > Developer settings into INTERVALS_API_KEY (or api_key "
            "under [intervals] in the config file)", status=status)
    if status == 403:
        return AuthError(
            f"Intervals.icu denied access (403 {detail[:80] or 'Forbidden'}): check that "
            f"the athlete id {athlete_id} (INTERVALS_ATHLETE_ID, --athlete-id or athlete_id "
            "in the config file) is your own or one you coach, and that the API key belongs "
            "to that account",
            status=status)
    if status == 404:
        hint = (": check INTERVALS_ATHLETE_ID, and that base_url ends in /api/v1"
                if path.startswith("/athlete/") and path.count("/") == 2 else "")
        return NotFoundError(f"Intervals.icu has no {path} (404){hint}", status=status)
    reason = f": {shown(detail)}" if detail else ""
    return ApiError(f"Intervals.icu answered {status} for {path}{reason}", status=status)
