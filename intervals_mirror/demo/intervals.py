"""An activity's intervals DTO: typed segments become intervals, a repeated set one group.

Draws from the activity's random stream right after its fields, in a fixed order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .physiology import (
    MAX_HR,
    POWER_ZONES,
    RUN_TYPES,
    W_PRIME,
    hr_for,
    hr_zones_for,
    speed_for,
    swolf,
    zone_of,
)
from .plans import Segment
from .shapes import GROUP_KEYS, INTERVAL_KEYS, Obj

if TYPE_CHECKING:
    from .activities import BuildContext, Session

MAX_LAPS = 12


class _Piece(NamedTuple):
    """One interval to be: its segment, intensity, start (s from the start) and length."""

    seg: Segment
    pct: float
    t: int
    secs: int
    label: str | None


def build_intervals(s: Session, a: Obj, ctx: BuildContext, rng: random.Random) -> Obj:
    ivs: list[Obj] = []
    grouped: list[Obj] = []
    for piece in _pieces(s, rng):
        iv = _interval(s, a, piece, ctx, rng)
        ivs.append(iv)
        if piece.seg.group:
            grouped.append(iv)
    if not ivs:
        return {"icu_intervals": [], "icu_groups": []}
    # A repeated set shares one group; a lone steady WORK interval is a group of one.
    works = [iv for iv in ivs if iv["type"] == "WORK"]
    if not grouped and len(works) == 1:
        grouped = works
    groups: list[Obj] = []
    if grouped:
        g = _group(grouped, s.has_power)
        for iv in grouped:
            iv["group_id"] = g["id"]
        groups.append(g)
    return {"icu_intervals": ivs, "icu_groups": groups}


def _pieces(s: Session, rng: random.Random) -> Iterator[_Piece]:
    """Typed segments in order; on lap sessions WORK splits at every km (12 at most).

    A generator on purpose: each piece's draw comes right before its interval's draws."""
    t = 0
    for seg in s.plan.segments:
        if seg.kind is None:
            t += seg.secs
            continue
        lengths = [seg.secs]
        if s.plan.kind == "laps" and seg.kind == "WORK":
            per_km = int(1000 / max(0.5, speed_for(s.sport, seg.pct, s.base_speed)))
            n = max(1, min(MAX_LAPS, seg.secs // per_km))
            lengths = [seg.secs // n] * n
            lengths[-1] += seg.secs - sum(lengths)
        for j, secs in enumerate(lengths):
            pct = seg.pct * (rng.uniform(0.97, 1.03) if len(lengths) > 1 else 1.0)
            label = f"Lap {j + 1}" if len(lengths) > 1 else seg.label
            yield _Piece(seg, pct, t, secs, label)
            t += secs


def _interval(s: Session, a: Obj, piece: _Piece, ctx: BuildContext, rng: random.Random) -> Obj:
    iv: Obj = dict.fromkeys(INTERVAL_KEYS)
    t, secs = piece.t, piece.secs
    speed = speed_for(s.sport, piece.pct, s.base_speed) * rng.uniform(0.98, 1.02)
    iv["start_index"] = t
    iv["distance"] = round(speed * secs, 1) if s.sport != "WeightTraining" else None
    iv["moving_time"] = secs
    iv["elapsed_time"] = secs
    if s.has_power:
        _power(iv, s, a, piece, rng)
    iv["intensity"] = round(piece.pct * 100)
    iv["training_load"] = round(secs / 3600 * piece.pct**2 * 100, 1)
    _motion(iv, s, a, speed, rng)
    _heart_rate(iv, s, piece.pct, rng)
    _terrain(iv, a, secs, rng)
    iv["id"] = ctx.next_interval_id
    ctx.next_interval_id += 1
    iv["type"] = piece.seg.kind
    iv["end_index"] = t + secs
    iv["start_time"] = t
    iv["end_time"] = t + secs
    iv["label"] = piece.label
    if s.sport == "Swim":  # the activity's custom fields appear on each interval too
        iv["SWOLF"] = ("Infinity" if piece.seg.kind == "RECOVERY"
                       else swolf(iv["distance"] / secs, iv["average_cadence"]))
    return iv


def _power(iv: Obj, s: Session, a: Obj, piece: _Piece, rng: random.Random) -> None:
    ftp, secs, kg = s.ftp, piece.secs, a["icu_weight"] or 72.0
    w = round(piece.pct * ftp * (0.85 if s.sport == "Rowing" else 1.0))
    np_w = round(w * rng.uniform(1.0, 1.03))
    mx = int(w * rng.uniform(1.2, 1.5))
    iv.update(
        average_watts=w,
        min_watts=int(w * rng.uniform(0.3, 0.75)),
        max_watts=mx,
        average_watts_kg=round(w / kg, 2),
        max_watts_kg=round(mx / kg, 2),
        w5s_variability=round(rng.uniform(0.03, 0.12), 2),
        weighted_average_watts=np_w,
        joules=w * secs,
        joules_above_ftp=max(0, (w - ftp) * secs),
        wbal_start=W_PRIME,
        wbal_end=int(
            W_PRIME - max(0, (w - ftp)) * secs * 0.5
            if w > ftp
            else W_PRIME - rng.randint(0, 2000)
        ),
        average_torque=round(w / ((a["average_cadence"] or 88) * 2 * math.pi / 60), 1),
        min_torque=0.0,
        max_torque=round(mx / 10, 1),
    )
    iv["wbal_end"] = max(iv["wbal_end"], 0)
    zone = zone_of(piece.pct * 100, POWER_ZONES)
    iv["zone"] = zone
    lo = [0] + POWER_ZONES[:-1]
    iv["zone_min_watts"] = int(lo[zone - 1] / 100 * ftp)
    iv["zone_max_watts"] = int(POWER_ZONES[zone - 1] / 100 * ftp) if zone < 7 else None
    if a["avg_lr_balance"] is not None:
        iv["avg_lr_balance"] = round(rng.uniform(48, 52), 1)
    if piece.seg.kind == "WORK" and secs >= 600:
        iv["decoupling"] = round(rng.uniform(-1, 5), 1)


def _motion(iv: Obj, s: Session, a: Obj, speed: float, rng: random.Random) -> None:
    if s.sport != "WeightTraining":
        # a swim's intervals, like the swim itself, have no average_speed
        iv["average_speed"] = round(speed, 3) if s.sport != "Swim" else None
        iv["min_speed"] = round(speed * rng.uniform(0.4, 0.8), 2)
        iv["max_speed"] = round(speed * rng.uniform(1.2, 1.7), 2)
    if s.sport in RUN_TYPES:
        iv["gap"] = round(speed * rng.uniform(1.0, 1.04), 3)
        for key in ("average_stance_time", "average_vertical_oscillation",
                    "average_vertical_ratio", "average_step_length", "average_stride"):
            iv[key] = a[key]


def _heart_rate(iv: Obj, s: Session, pct: float, rng: random.Random) -> None:
    if s.has_hr:
        hr = round(hr_for(pct, s.lthr) + rng.uniform(-3, 3))
        iv.update(
            average_heartrate=hr,
            min_heartrate=hr - rng.randint(6, 16),
            max_heartrate=min(MAX_HR, hr + rng.randint(4, 12)),
        )
        if not s.has_power:
            iv["zone"] = zone_of(hr, hr_zones_for(s.lthr))


def _terrain(iv: Obj, a: Obj, secs: int, rng: random.Random) -> None:
    """Cadence, climbing, temperature and weather, from the activity's own values."""
    cad = a["average_cadence"]
    if cad:
        c = round(cad * rng.uniform(0.96, 1.05), 1)
        iv.update(average_cadence=c, min_cadence=0, max_cadence=int(c * 1.2))
    if a["total_elevation_gain"]:
        iv["total_elevation_gain"] = round(a["total_elevation_gain"] * secs / a["moving_time"], 1)
        base = a["min_altitude"] or 40.0
        iv["min_altitude"] = round(base + rng.uniform(0, 20), 1)
        iv["max_altitude"] = round(iv["min_altitude"] + iv["total_elevation_gain"], 1)
        iv["average_gradient"] = round(rng.uniform(-0.01, 0.02), 3)
    if a["average_temp"] is not None:
        iv["average_temp"] = a["average_temp"]
    if a["has_weather"]:
        iv.update(
            average_weather_temp=a["average_weather_temp"],
            average_feels_like=a["average_feels_like"],
            average_wind_speed=a["average_wind_speed"],
            average_wind_gust=a["average_wind_gust"],
            prevailing_wind_deg=a["prevailing_wind_deg"],
            headwind_percent=round(rng.uniform(10, 50), 1),
            tailwind_percent=round(rng.uniform(10, 50), 1),
        )


def _group(members: list[Obj], has_power: bool) -> Obj:
    g: Obj = dict.fromkeys(GROUP_KEYS)
    first = members[0]
    n = len(members)

    def mean(key: str, digits: int | None = None) -> Any:
        vals = [m[key] for m in members if m[key] is not None]
        if not vals:
            return None
        v = sum(vals) / len(vals)
        return round(v) if digits is None else round(v, digits)

    for k in GROUP_KEYS:
        if k in first and k not in ("id", "count"):
            g[k] = first[k]
    g["start_index"] = first["start_index"]
    g["distance"] = round(sum(m["distance"] or 0 for m in members), 1) or None
    g["moving_time"] = sum(m["moving_time"] for m in members)
    g["elapsed_time"] = round(sum(m["elapsed_time"] for m in members) / n)
    g["training_load"] = round(sum(m["training_load"] or 0 for m in members), 1)
    for k in ("average_watts", "weighted_average_watts", "average_heartrate", "intensity",
              "joules"):
        g[k] = mean(k)
    for k in ("max_watts", "max_heartrate"):
        vals = [m[k] for m in members if m[k] is not None]
        g[k] = max(vals) if vals else None
    g["average_speed"] = mean("average_speed", 3)
    g["average_cadence"] = mean("average_cadence", 1)
    g["id"] = _group_id(g, has_power)
    g["count"] = n
    return g


def _group_id(g: Obj, has_power: bool) -> str:
    """As the server names a set: its duration, then power or heart rate, then cadence."""
    cad = round(g["average_cadence"] or 0)
    if has_power and g["average_watts"] is not None:
        return f"{g['elapsed_time']}s@{g['average_watts']}w{cad}rpm"
    if g["average_heartrate"] is not None:
        return f"{g['elapsed_time']}s@{g['average_heartrate']}bpm{cad}rpm"
    return f"{g['elapsed_time']}s@{cad}rpm"


def lap_summary(ivs: Obj, sport: str) -> list[str]:
    """The activity's ``interval_summary``: one line per group, else one for all WORK laps."""
    sets = [
        (g["count"], g["elapsed_time"], g["average_watts"], g["average_heartrate"],
         g["average_speed"] or _speed(g))
        for g in ivs["icu_groups"]
    ]
    if not sets:
        works = [iv for iv in ivs["icu_intervals"] if iv["type"] == "WORK"]
        n = len(works)

        def avg(key: str) -> Any:
            vals = [w[key] for w in works if w[key] is not None]
            return round(sum(vals) / len(vals)) if vals else None

        sets = [(n, sum(w["elapsed_time"] for w in works) // n, avg("average_watts"),
                 avg("average_heartrate"), works[0]["average_speed"] or _speed(works[0]))]
    return [_summary(*s, sport=sport) for s in sets]


def _speed(part: Obj) -> float | None:
    """Distance over moving time (m/s): a swim's intervals have no average_speed."""
    return part["distance"] / part["moving_time"] if part["distance"] and part["moving_time"] \
        else None


def _summary(
    count: int, secs: int, watts: int | None, hr: int | None, speed: float | None, *, sport: str
) -> str:
    """Like the web UI's ``"3x 12m2s 229w"``: power, else heart rate, else pace."""
    out = f"{count}x {_dur_text(secs)}"
    if watts:
        return f"{out} {watts}w"
    if hr:
        return f"{out} {hr}bpm"
    if speed and sport == "Swim":
        m, s = divmod(round(100 / speed), 60)
        return f"{out} {m}:{s:02d}/100m"
    if speed:
        m, s = divmod(round(1000 / speed), 60)
        return f"{out} {m}:{s:02d}/km"
    return out


def _dur_text(secs: int) -> str:
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out or "0s"
