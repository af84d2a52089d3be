"""What the CLI shows people: the status text, a one-line progress display, and the hints
that point a newcomer at the command that helps."""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING, Any, TextIO

from .config import Settings
from .errors import StoreError

if TYPE_CHECKING:  # the sync machinery loads with `sync`, not with every command
    from .sync import Progress


def format_status(status: dict[str, Any], freshness: str) -> str:
    athlete = status["athlete"]
    lines = [f"store:    {status['store']}"]
    if athlete:
        lines.append(f"athlete:  {athlete.get('id')} {athlete.get('name') or ''}".rstrip())
    empty = status.get("not_mirrored")
    failed = bool(empty) and empty != freshness  # a failed or killed first sync
    if failed:
        lines.append(f"{empty}. Fix that, then run `intervals-mirror sync`")
    else:
        lines.append(f"freshness: {freshness}")
    for resource, info in status["resources"].items():
        span = f"{info['first_day']} .. {info['last_day']}" if info["rows"] else "nothing yet"
        lines.append(f"{resource + ':':<11} {info['rows']:>6} rows, {span}"
                     f" (listed {info['covered_from'] or '-'} .. {info['covered_to'] or '-'})")
    lines.append(f"{'intervals:':<11} {status['intervals']:>6} rows; "
                 f"{status['strava_stubs']} Strava stubs; "
                 f"{status['custom_fields']} custom field definitions")
    for run in status["recent_runs"]:
        line = (f"run {run['id']}: {run['started_at']} {run['mode']} {run['status']}, "
                f"{run['requests']} requests, {run['duration_s'] or 0:.1f}s")
        if run["error"]:
            line += f": {run['error']}"
        lines.append(line)
    if status["last_error"] and not failed:  # else said above
        lines.append(f"last error: {status['last_error']['error']}")
    return "\n".join(lines)


class TerminalProgress:
    """A one-line progress display for people watching a long first sync."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0

    def update(self, progress: Progress) -> None:
        share = f"{progress.done}/{progress.total}" if progress.total else ""
        text = f"\r[{share}] {progress.message}"[:110]
        self.stream.write(text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()


def explain_missing_store(settings: Settings, command: str) -> None:
    """A missing store, said with the command that makes it; right after `demo`, the plain
    commands find no store, so say where the demo one is."""
    if settings.db_path.exists():
        return
    if settings.demo:
        raise StoreError(f"there is no demo store at {settings.db_path} yet: build it with "
                         "`intervals-mirror demo`")
    from .demo.build import demo_settings  # the demo builder loads only when a store is missing

    demo = demo_settings(settings).db_path
    if demo.exists():
        raise StoreError(f"no store at {settings.db_path} (to mirror your account: "
                         "`intervals-mirror init`, then `intervals-mirror sync`); the demo "
                         f"store is at {demo}: add --demo (`intervals-mirror {command} --demo`)")


def warn_without_demo_store(settings: Settings) -> None:
    if settings.demo and not settings.db_path.exists():
        print(f"intervals-mirror: warning: there is no demo store at {settings.db_path} yet: "
              "build it with `intervals-mirror demo`", file=sys.stderr)


def stdio_by_hand() -> None:
    """`serve` started in a terminal: say what it waits for, and let Ctrl-C end it at once.

    The SDK reads stdin in a worker thread that a KeyboardInterrupt cannot stop, so the
    process would wait for Enter. Nothing is lost by leaving at once: a background sync in
    flight is killed between transactions, as a killed cron sync is, and the next resumes.
    """
    print("intervals-mirror: waiting for an MCP client on stdio: this command is meant to be "
          "started by Claude Desktop; Ctrl-C stops it", file=sys.stderr)

    def leave(signum: int, frame: object) -> None:
        sys.stderr.flush()
        os._exit(130)

    signal.signal(signal.SIGINT, leave)
