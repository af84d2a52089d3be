"""One writer at a time across processes, and the API client a writer uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from ..api import IntervalsClient
from ..config import Settings
from ..errors import LockTimeoutError, StoreError


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time across processes: cron, the server's job and the refresh tool."""
    lock = FileLock(f"{settings.db_path}.lock", mode=0o600)
    try:
        settings.db_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=settings.lock_timeout)
    except Timeout:
        raise LockTimeoutError(
            f"another sync is writing {settings.db_path} and did not finish within "
            f"{settings.lock_timeout:.0f}s; try again later (or raise lock_timeout under [sync])"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot use {settings.db_path} as the store: {exc.strerror or exc}; "
                         "set INTERVALS_MIRROR_DB (or [store] path) to a file in a writable "
                         "folder") from None
    try:
        yield
    finally:
        lock.release()


def sync_running(settings: Settings) -> bool:
    """Whether some process holds the writer lock right now."""
    lock = FileLock(f"{settings.db_path}.lock", mode=0o600)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:
        return False  # no lock file can exist there, so nothing holds it
    lock.release()
    return False


@contextmanager
def api_client(settings: Settings, client: IntervalsClient | None) -> Iterator[IntervalsClient]:
    """The caller's client, or one of our own that is closed afterwards."""
    if client is not None:
        yield client
        return
    with IntervalsClient(settings) as own:
        yield own
