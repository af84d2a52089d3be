"""What the CLI shows people: the status text and a one-line progress display."""

from __future__ import annotations

from typing import Any, TextIO

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
