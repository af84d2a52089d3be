"""Numbers with units, the one place each quantity is formatted: "2:01:33", "62.40 km",
"185 W", "4:52 /km". Nothing is shown for a missing value, never "N/A".

Rounding is done once, here, half up, as people round (142.5 bpm -> 143), from the shortest
decimal form of the stored value (2.675 -> 2.68), never from an already rounded figure: the
same stored value reads the same in every answer. Each quantity has a fixed number of decimals
(``QUANTITIES``: CTL 30.4, form -13.0, HRV 69 ms), and no figure reads "-0.0".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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


def finite(value: Any) -> bool:
    """A number that can be shown: not a bool, not infinite, not NaN."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def number(value: float, digits: int = 0) -> str:
    """Exactly ``digits`` decimals: 1234.5 -> '1,235' (digits=0), 13.0 -> '13.0' (digits=1);
    never '-0.0' (-0.04 -> '0.0'); '' for a value that is not finite."""
    if not math.isfinite(value):
        return ""
    shown = f"{half_up(value, digits):,.{digits}f}"
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.,") else shown


def number_or_dash(value: float | None, digits: int = 0) -> str:
    """``number``, or '-' for a missing value (a table cell that must not stay empty)."""
    return (number(value, digits) if value is not None else "") or "-"


def signed(value: float | None, digits: int = 0, unit: str = "") -> str:
    """A change: '+1.5 km', '-3', '+0.0' (never '-0.0'); '-' when unknown."""
    shown = number(value, digits) if value is not None else ""
    if not shown:
        return "-"
    return f"{shown if shown.startswith('-') else '+' + shown}{unit}"


@dataclass(frozen=True)
class Quantity:
    """How one quantity reads in every answer: its decimals, unit and display scale."""

    digits: int
    unit: str = ""  # as appended, with its space: " ms", "%", "/100"
    scale: float = 1.0  # shown = stored * scale (sleep: seconds -> hours)

    def __call__(self, value: float, *, with_unit: bool = True) -> str:
        shown = number(value * self.scale, self.digits)
        return f"{shown}{self.unit}" if shown and with_unit else shown

    def or_dash(self, value: float | None) -> str:
        """Without its unit, '-' when missing (a table cell)."""
        return (self(value, with_unit=False) if value is not None else "") or "-"


SCORE = Quantity(1)  # subjective 1-4 / 1-5 scales, averaged
# One formatter per quantity, by its store column; wellness days, trends and fitness all use it.
QUANTITIES: dict[str, Quantity] = {
    "ctl": Quantity(1), "atl": Quantity(1), "form": Quantity(1), "ramp_rate": Quantity(1),
    "ctl_load": Quantity(1), "atl_load": Quantity(1),
    "hrv": Quantity(0, " ms"), "hrv_sdnn": Quantity(0, " ms"),
    "resting_hr": Quantity(0, " bpm"), "avg_sleeping_hr": Quantity(0, " bpm"),
    "sleep_secs": Quantity(1, " h", 1 / 3600), "sleep_score": Quantity(0, "/100"),
    "readiness": Quantity(0), "weight": Quantity(1, " kg"), "body_fat": Quantity(1, "%"),
    "spo2": Quantity(0, "%"), "respiration": Quantity(1, "/min"),
    "vo2max": Quantity(1, " ml/kg/min"), "kcal_consumed": Quantity(0, " kcal"),
    "steps": Quantity(0), "sleep_quality": SCORE, "soreness": SCORE, "fatigue": SCORE,
    "stress": SCORE, "mood": SCORE, "motivation": SCORE, "injury": SCORE,
}
CUSTOM = Quantity(1)  # a custom field's average: its meaning is the athlete's own


def quantity(name: str, value: float | None, *, with_unit: bool = True) -> str:
    """``value`` of the quantity stored in column ``name`` ("ctl", "hrv"), '-' if missing."""
    if value is None:
        return "-"
    return QUANTITIES.get(name, CUSTOM)(value, with_unit=with_unit) or "-"


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


def short_duration(seconds: float) -> str:
    """An effort's length as athletes label it: '5s', '1m', '2m30s', '1h', '1h5m'."""
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{h}h" if h else "", f"{m}m" if m else "", f"{s}s" if s else ""]
    return "".join(parts) or "0s"


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


NON_FINITE = frozenset({"infinity", "+infinity", "-infinity", "inf", "+inf", "-inf", "nan"})


def plain(value: Any) -> str:
    """A value of unknown meaning (a custom field): whole numbers as they are, others to one
    decimal, text as is; '' for what is not a value ("Infinity" or "NaN", as the API writes a
    custom field it could not compute, e.g. SWOLF)."""
    if isinstance(value, str):
        return "" if value.strip().lower() in NON_FINITE else value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return number(value, 0 if float(value).is_integer() else 1)


def http_url(host: str, port: int, path: str = "/mcp") -> str:
    """http://127.0.0.1:8000/mcp; an IPv6 host in brackets: http://[::1]:8000/mcp."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}{path}"


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


# -- paces in the athlete's own units (sport settings' pace_units) ----------------------------

PACE_UNITS: dict[str, tuple[float, str]] = {
    "MINS_KM": (1000.0, "/km"), "MINS_MILE": (1609.344, "/mi"),
    "SECS_100M": (100.0, "/100 m"), "SECS_100Y": (91.44, "/100 yd"),
    "SECS_500M": (500.0, "/500 m"), "SECS_400M": (400.0, "/400 m"),
    "SECS_250M": (250.0, "/250 m"),
}


def pace_unit(units: str | None, sport: str | None = None) -> tuple[float, str]:
    """(metres, label) a pace is given per: the athlete's choice, else /100 m for swims and
    /km for the rest."""
    if units in PACE_UNITS:
        return PACE_UNITS[units]  # type: ignore[index]
    return PACE_UNITS["SECS_100M" if sport in SWIM_TYPES else "MINS_KM"]


def pace(metres_per_s: float, units: str | None = None, sport: str | None = None, *,
         with_unit: bool = True) -> str:
    """A speed as time per distance: 3.95 m/s in MINS_KM -> '4:13 /km'."""
    if metres_per_s <= 0:
        return ""
    metres, label = pace_unit(units, sport)
    shown = minutes(metres / metres_per_s)
    return f"{shown} {label}" if with_unit else shown
