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
    │   └── LockTimeoutError another sync holds the writer lock
    └── QueryError           a read-side query was refused or failed
"""

from __future__ import annotations


class IntervalsMirrorError(Exception):
    """Base of every error this tool reports to a user."""


class ConfigError(IntervalsMirrorError):
    """Settings are missing or malformed."""


class ApiError(IntervalsMirrorError):
    """The Intervals.icu API answered with an error, or could not be reached."""

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


class QueryError(IntervalsMirrorError):
    """A read-side query was refused (bad input, not read-only) or failed."""
