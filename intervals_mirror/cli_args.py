"""The CLI's argument parser class and value types: each bad value is one line that says
what was expected, and the exit code is argparse's 2."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import NoReturn

from .resources import RESOURCES


class Parser(argparse.ArgumentParser):
    """Bad flags get one line (cron mails stay short), and exit code 2 as usual."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def demo_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument("--demo", action="store_true",
                         help="use the demo store built by `intervals-mirror demo`")


def years_arg(value: str) -> float:
    try:
        years = float(value)
    except ValueError:
        years = -1.0
    if not 0 < years <= 15:
        raise argparse.ArgumentTypeError(f"expected a number of years from 1 to 15, got {value!r}")
    return years


def date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def out_file_arg(value: str) -> str:
    """A file to write, checked before any work is done: its folder must exist."""
    folder = Path(value).expanduser().parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f"expected a file in an existing folder, got {value[-80:]!r} (no folder {folder})")
    return value


def port_arg(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {value!r}")
    return port


def resources_arg(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in RESOURCES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown resource {', '.join(unknown) or '(none)'}; "
            f"expected a comma list of {','.join(RESOURCES)}")
    return names
