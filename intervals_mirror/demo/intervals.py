"""An activity's intervals DTO: its segments become intervals that tile it, a repeated set one
group.

The intervals cover the activity back to back (warm-up and cool-down are RECOVERY), so their
moving and elapsed times, load, work, distance and climbing add up to the activity's, and their
time-weighted power and heart rate are its averages. Each interval's ``intensity`` is its
normalized power over FTP (without power: the same fraction of threshold). Draws from the
activity's random stream right after its fields, in a fixed order.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any, NamedTuple

from .pauses import paused_before, paused_within, stops
from .physiology import (
    MAX_HR,
    RUN_TYPES,
    W_PRIME,
    hr_zones_for,
    power_zone_tops,
    speed_for,
    swolf,
    zone_of,
)
from .plans import Segment
from .shapes import GROUP_KEYS, INTERVAL_KEYS, Obj

if TYPE_CHECKING:
    from .activities import BuildContext, Session

MAX_LAPS = 12
LAP_HR_DRIFT = 0.6  # bpm from one lap to the next, around the segment's mean


class _Piece(NamedTuple):
    """One interval to be: its segment, mean fraction of threshold, first sample, samples,
    label and mean heart rate."""

    seg: Segment
    pct: float
    t: int
    secs: int
    label: str | None
    hr: float


class _Share(NamedTuple):
    """What an interval takes of the activity's totals: seconds from the start, seconds stood
    still, load and speed (m/s)."""

    clock: int
    paused: int
    load: float
    speed: float


def build_intervals(s: Session, a: Obj, ctx: BuildContext, rng: random.Random) -> Obj:
    """Every segment an interval (a lap session's WORK split at each km); none for a session
    without any typed segment (a gym session Intervals.icu found nothing in)."""
    if all(seg.kind is None for seg in s.plan.segments):
        return {"icu_intervals": [], "icu_groups": []}
    pieces = list(_pieces(s, rng))
    ivs = [_interval(s, a, piece, share, ctx, rng)
           for piece, share in zip(pieces, _shares(s, a, pieces, rng), strict=True)]
    # A repeated set shares one group; a lone steady WORK interval is a group of one.
    grouped = [iv for iv, piece in zip(ivs, pieces, strict=True) if piece.seg.group]
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


def _pieces(s: Session, rng: random.Random) -> list[_Piece]:
    """Segments in order; on lap sessions WORK splits at every km (12 at most), the laps'
    intensities varying around the segment's (their time-weighted mean is the segment's)."""
    t, out = 0, []
    for seg, hr in zip(s.plan.segments, s.segment_hr, strict=True):
        lengths = [seg.secs]
        if s.plan.kind == "laps" and seg.kind == "WORK":
            per_km = int(1000 / max(0.5, speed_for(s.sport, seg.pct, s.base_speed)))
            n = max(1, min(MAX_LAPS, seg.secs // per_km))
            lengths = [seg.secs // n] * n
            lengths[-1] += seg.secs - sum(lengths)
        n = len(lengths)
        spread = [rng.uniform(0.97, 1.03) if n > 1 else 1.0 for _ in lengths]
        norm = seg.secs / sum(f * secs for f, secs in zip(spread, lengths, strict=True))
        middle = sum(j * secs for j, secs in enumerate(lengths)) / seg.secs
        for j, secs in enumerate(lengths):
            label = f"Lap {j + 1}" if n > 1 else seg.label
            drift = LAP_HR_DRIFT * (j - middle)
            out.append(_Piece(seg, seg.pct * spread[j] * norm, t, secs, label, hr + drift))
            t += secs
    return out


def _shares(s: Session, a: Obj, pieces: list[_Piece], rng: random.Random) -> list[_Share]:
    """Load in proportion to seconds x intensity squared; distance in proportion to each
    piece's speed; the stops where they fall."""
    weights = [p.secs * p.pct**2 for p in pieces]
    total = sum(weights)
    speeds = [speed_for(s.sport, p.pct, s.base_speed) * rng.uniform(0.98, 1.02) for p in pieces]
    metres = sum(v * p.secs for v, p in zip(speeds, pieces, strict=True))
    scale = (a["distance"] or 0) / metres if metres else 0.0
    marks = stops(a)
    return [_Share(p.t + paused_before(marks, p.t), paused_within(marks, p.t, p.t + p.secs),
                   s.load * w / total, v * scale)
            for p, w, v in zip(pieces, weights, speeds, strict=True)]


def _interval(s: Session, a: Obj, piece: _Piece, share: _Share, ctx: BuildContext,
              rng: random.Random) -> Obj:
    iv: Obj = dict.fromkeys(INTERVAL_KEYS)
    t, secs = piece.t, piece.secs
    iv["start_index"] = t
    iv["distance"] = round(share.speed * secs, 1) if a["distance"] is not None else None
    iv["moving_time"] = secs
    iv["elapsed_time"] = secs + share.paused
    iv["intensity"] = round(piece.pct * math.sqrt(s.variability) * 100)
    if s.has_power:
        _power(iv, s, a, piece, rng)
    iv["training_load"] = round(share.load, 1)
    _motion(iv, s, a, share.speed, rng)
    _heart_rate(iv, s, a, piece.hr, rng)
    _terrain(iv, a, secs, rng)
    iv["id"] = ctx.next_interval_id
    ctx.next_interval_id += 1
    iv["type"] = piece.seg.kind or "RECOVERY"  # warm-up and cool-down
    iv["end_index"] = t + secs
    iv["start_time"] = share.clock
    iv["end_time"] = share.clock + iv["elapsed_time"]
    iv["label"] = piece.label
    if s.sport == "Swim":  # the activity's custom fields appear on each interval too
        iv["SWOLF"] = ("Infinity" if piece.seg.kind == "RECOVERY" or not iv["distance"]
                       else swolf(iv["distance"] / secs, iv["average_cadence"]))
    return iv


def _power(iv: Obj, s: Session, a: Obj, piece: _Piece, rng: random.Random) -> None:
    """Average watts at the piece's fraction of FTP; normalized power above it by the
    session's variability, and the intensity from it."""
    ftp, secs, kg = s.ftp, piece.secs, a["icu_weight"] or 72.0
    w = round(piece.pct * ftp)
    np_w = round(piece.pct * math.sqrt(s.variability) * ftp)
    mx = int(w * rng.uniform(1.2, 1.5))
    iv.update(
        average_watts=w,
        min_watts=int(w * rng.uniform(0.3, 0.75)),
        max_watts=mx,
        average_watts_kg=round(w / kg, 2),
        max_watts_kg=round(mx / kg, 2),
        intensity=round(np_w / ftp * 100),
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
    tops = power_zone_tops(ftp)
    zone = zone_of(w, tops)
    iv["zone"] = zone
    iv["zone_min_watts"] = 0 if zone == 1 else int(tops[zone - 2]) + 1
    iv["zone_max_watts"] = int(tops[zone - 1]) if tops[zone - 1] < math.inf else None
    if a["avg_lr_balance"] is not None:
        iv["avg_lr_balance"] = round(rng.uniform(48, 52), 1)
    if piece.seg.kind == "WORK" and secs >= 600:
        iv["decoupling"] = round(rng.uniform(-1, 5), 1)


def _motion(iv: Obj, s: Session, a: Obj, speed: float, rng: random.Random) -> None:
    """Speeds (never above the activity's fastest) and the running dynamics."""
    if s.sport != "WeightTraining":
        # a swim's intervals, like the swim itself, have no average_speed
        iv["average_speed"] = round(speed, 3) if s.sport != "Swim" else None
        iv["min_speed"] = round(speed * rng.uniform(0.4, 0.8), 2)
        fastest = speed * rng.uniform(1.2, 1.7)
        iv["max_speed"] = round(min(fastest, a["max_speed"] or fastest), 2)
    if s.sport in RUN_TYPES:
        iv["gap"] = round(speed * rng.uniform(1.0, 1.04), 3)
        for key in ("average_stance_time", "average_vertical_oscillation",
                    "average_vertical_ratio", "average_step_length", "average_stride"):
            iv[key] = a[key]


def _heart_rate(iv: Obj, s: Session, a: Obj, hr: float, rng: random.Random) -> None:
    """The piece's mean heart rate; its peak never above the activity's."""
    if s.has_hr:
        mean = round(hr)
        iv.update(
            average_heartrate=mean,
            min_heartrate=mean - rng.randint(6, 16),
            max_heartrate=min(a["max_heartrate"] or MAX_HR, mean + rng.randint(4, 12)),
        )
        if not s.has_power:
            iv["zone"] = zone_of(mean, hr_zones_for(s.lthr))


def _terrain(iv: Obj, a: Obj, secs: int, rng: random.Random) -> None:
    """Cadence, climbing (within the activity's altitudes), temperature and weather, from the
    activity's own values."""
    cad = a["average_cadence"]
    if cad:
        c = round(cad * rng.uniform(0.96, 1.05), 1)
        iv.update(average_cadence=c, min_cadence=0, max_cadence=int(c * 1.2))
    if a["total_elevation_gain"]:
        iv["total_elevation_gain"] = round(a["total_elevation_gain"] * secs / a["moving_time"], 1)
        low, high = a["min_altitude"] or 40.0, a["max_altitude"] or 60.0
        iv["min_altitude"] = round(low + rng.uniform(0, 0.5) * (high - low), 1)
        iv["max_altitude"] = round(rng.uniform(iv["min_altitude"], high), 1)
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
