"""The exception tree of intervals-mirror.

Every error a user can meet derives from ``IntervalsMirrorError`` and carries a message that
says what to fix; the CLI and the MCP server translate them once, at their edge::

    IntervalsMirrorError
    ├── ConfigError          missing or malformed settings
    ├── ApiError             the Intervals.icu API refused or failed
    │   ├── AuthError        401/403: wrong key, or no access to that athlete
    │   ├── NotFoundError    404: no such object
    │   ├── RateLimitedError 429 after every retry (``retry_after`` seconds, if the API said)
    │   └── NetworkError     unreachable, timed out, or dropped after every retry
    ├── StoreError           the SQLite store cannot be opened or written
    │   ├── LockTimeoutError another sync holds the writer lock
    │   ├── StoreCorruptError the file is damaged: move it away, sync again
    │   └── DiskFullError    a write failed for want of space (rolled back)
    └── QueryError           a read-side query was refused or failed
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

SHOWN_CHARS = 80  # a bad value is echoed at most this long
SHOWN_ITEMS = 3  # a list of ids is echoed with at most this many


class IntervalsMirrorError(Exception):
    """Base of every error this tool reports to a user."""


class ConfigError(IntervalsMirrorError):
    """Settings are missing or malformed."""


class ApiError(IntervalsMirrorError):
    """The Intervals.icu API answered with an error, or could not be reached.

    ``detail``: the API's own message (its JSON ``error``), if it sent one; ``maybe_applied``:
    a write that may have reached the API before the answer was lost."""

    detail = ""
    maybe_applied = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(ApiError):
    """The API refused the credentials (401) or access to the athlete (403)."""


class NotFoundError(ApiError):
    """The API has no such object (404)."""


class RateLimitedError(ApiError):
    """The API kept answering 429 after every retry."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class NetworkError(ApiError):
    """The API could not be reached, timed out, or dropped the connection after every retry."""


class StoreError(IntervalsMirrorError):
    """The SQLite store cannot be opened, migrated or written."""


class LockTimeoutError(StoreError):
    """Another sync holds the writer lock and did not release it in time."""


class StoreCorruptError(StoreError):
    """The store file is damaged; the API holds everything, so a fresh sync rebuilds it."""


class DiskFullError(StoreError):
    """A write failed because the disk is full (or failing); the transaction was rolled back."""


class QueryError(IntervalsMirrorError):
    """A read-side query was refused (bad input, not read-only) or failed."""


# -- how an error shows what it was given -------------------------------------------------


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to about ``limit`` characters, saying how long it really was.

    A 200,000-character id must not make a 200 KB error; a huge int has no repr at all
    (Python refuses to print more than 4,300 digits), so its size is told instead.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"(a number of about {int(value.bit_length() * math.log10(2)) + 1:,} digits)"
    try:
        text = repr(value)
    except ValueError:  # e.g. a list holding such a number
        return f"(a {type(value).__name__} too large to show)"
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, str) else len(text)
    return f"{text[:limit - 1]}… ({size:,} characters)"


def cut_list(items: Iterable[Any], keep: int = SHOWN_ITEMS) -> str:
    """``a, b, c and 47 more``: a few of many ids, so an error stays one short line."""
    names = [str(item) for item in items]
    head = ", ".join(names[:keep])
    return head if len(names) <= keep else f"{head} and {len(names) - keep} more"


def mask_url(url: str) -> str:
    """The URL with any ``user:password@`` hidden (``http://***@host/...``).

    Everything up to the last ``@`` goes, even a password holding ``/`` or ``#``: hiding a
    little too much is better than showing a secret.
    """
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    return f"{scheme}{sep}***@{rest.rsplit('@', 1)[1]}"
