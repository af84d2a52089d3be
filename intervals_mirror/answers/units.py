"""Numbers with units, the one place each quantity is formatted: "2:01:33", "62.40 km",
"185 W", "4:52 /km". Nothing is shown for a missing value, never "N/A".

Rounding is done once, half up, as people round (142.5 bpm -> 143), from the shortest decimal
form of the value (2.675 -> 2.68), never from an already rounded figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

RUN_TYPES = frozenset({"Run", "VirtualRun", "TrailRun", "Walk", "Hike"})
SWIM_TYPES = frozenset({"Swim", "OpenWaterSwim"})

Fmt = Callable[[Any], str]


def has(value: Any) -> bool:
    return value is not None and value != ""


def half_up(value: float, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` decimals, half up, from its shortest decimal form."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def number(value: float, digits: int = 0) -> str:
    """1234.5 -> '1,235' (digits=0) or '1,234.5'; whole floats lose their '.0'."""
    if not math.isfinite(value):
        return str(value)
    if digits and float(value).is_integer():
        digits = 0
    return f"{half_up(value, digits):,.{digits}f}"


def number_or_dash(value: float | None, digits: int = 0) -> str:
    """``number``, or '-' for a missing value (a table cell that must not stay empty)."""
    return "-" if value is None else number(value, digits)


def signed(value: float | None, digits: int = 0, unit: str = "") -> str:
    """A change: '+1.5 km', '-3'; '-' when unknown."""
    if value is None:
        return "-"
    return f"{'+' if value >= 0 else '-'}{number(abs(value), digits)}{unit}"


def count(n: int, word: str) -> str:
    """'1 day', '2 days', '1,204 activities'."""
    if n == 1:
        return f"1 {word}"
    consonant_y = word.endswith("y") and word[-2:-1] not in tuple("aeiou")
    return f"{n:,} {word[:-1] + 'ies' if consonant_y else word + 's'}"


def duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss (always with hours, so 0:45:10 is never read as 45 hours)."""
    if seconds is None:
        return ""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def minutes(seconds: float) -> str:
    """Seconds as m:ss (a pace, a short workout step)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def hours(seconds: float, *, grouped: bool = False) -> str:
    """'1.5 h'; ``grouped`` separates thousands ('1,204.5 h', for totals)."""
    return f"{seconds / 3600:,.1f} h" if grouped else f"{seconds / 3600:.1f} h"


def distance(metres: float, sport: str | None = None) -> str:
    if sport in SWIM_TYPES or metres < 1000:
        return f"{number(metres)} m"
    return f"{metres / 1000:,.2f} km"


def speed(metres_per_s: float, sport: str | None = None) -> str:
    """km/h for rides; pace for runs (min/km) and swims (min/100 m)."""
    if metres_per_s <= 0:
        return ""
    if sport in RUN_TYPES:
        return f"{minutes(1000 / metres_per_s)} /km"
    if sport in SWIM_TYPES:
        return f"{minutes(100 / metres_per_s)} /100 m"
    return f"{metres_per_s * 3.6:.1f} km/h"


def cadence(rpm: float, sport: str | None = None) -> str:
    """Run cadence is stored per leg; people think in steps per minute."""
    if sport in RUN_TYPES:
        return f"{number(rpm * 2)} spm"
    return f"{number(rpm)} rpm"


def watts(value: float) -> str:
    return f"{number(value)} W"


def bpm(value: float) -> str:
    return f"{number(value)} bpm"


def percent(value: float) -> str:
    return f"{number(value)}%"


def plain(value: Any) -> str:
    """A value of unknown meaning (a custom field): numbers to one decimal, the rest as is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, 1)
    return str(value)


def local_time(stamp: str | None) -> str:
    """2026-11-24T17:02:11 -> 2026-11-24 17:02."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16]


def utc_time(stamp: str | None) -> str:
    return f"{local_time(stamp.rstrip('Z') if stamp else stamp)} UTC" if stamp else "never"


def yes_no(value: Any) -> str:
    return "yes" if value else "no"


# -- lines -----------------------------------------------------------------------------------


def join(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def fields(row: dict[str, Any], spec: Sequence[tuple[str, str, Fmt]]) -> list[str]:
    """'label value' for each (column, label, format) whose value is known."""
    out = []
    for column, label, fmt in spec:
        value = row.get(column)
        if has(value):
            shown = fmt(value)
            if shown:
                out.append(f"{label} {shown}".strip())
    return out
