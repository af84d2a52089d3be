"""The CLI's argument parser class and value types: each bad value is one line that says
what was expected, and the exit code is argparse's 2."""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from .config import ATHLETE_ID_RE, malformed_athlete_id
from .resources import RESOURCES


class Parser(argparse.ArgumentParser):
    """Bad flags get one line (cron mails stay short), and exit code 2 as usual."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def demo_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument("--demo", action="store_true",
                         help="use the demo store built by `intervals-mirror demo`")


def _number(value: str, parse: Callable[[str], float], fits: Callable[[float], bool],
            expected: str) -> float:
    """``value`` read by ``parse`` if ``fits`` holds, else the flag error saying what fits."""
    try:
        number: float | None = parse(value)
    except ValueError:
        number = None
    if number is None or not fits(number):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {value!r}")
    return number


def years_arg(value: str) -> float:
    return _number(value, float, lambda n: 0 < n <= 15, "a number of years from 1 to 15")


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


def count_arg(value: str) -> int:
    """A number of rows: 1 or more."""
    return int(_number(value, int, lambda n: n >= 1, "a whole number of 1 or more"))


def seconds_arg(value: str) -> float:
    """A time limit: seconds above 0."""
    return _number(value, float, lambda n: 0 < n < math.inf, "a number of seconds above 0")


def athlete_id_arg(value: str) -> str:
    if not ATHLETE_ID_RE.match(value):
        raise argparse.ArgumentTypeError(malformed_athlete_id(value))
    return value


def port_arg(value: str) -> int:
    return int(_number(value, int, lambda n: 1 <= n <= 65535, "a port number from 1 to 65535"))


def resources_arg(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in RESOURCES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown resource {', '.join(unknown) or '(none)'}; "
            f"expected a comma list of {','.join(RESOURCES)}")
    return names
