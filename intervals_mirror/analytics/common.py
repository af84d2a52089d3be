"""What the analytic read side shares: the answer it gives and how it checks a choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError

DateArg = str | dt.date | None  # a date, its ISO text, or None for the default


@dataclass(frozen=True)
class Answer:
    """What a tool or command shows: compact text with units, and the same data for programs."""

    text: str
    data: dict[str, Any]


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """``value`` as one of ``allowed`` (any case), or an error naming the parameter."""
    key = value.strip().lower() if isinstance(value, str) else ""
    if key not in allowed:
        raise QueryError(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")
    return key


def iso(value: DateArg) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value
