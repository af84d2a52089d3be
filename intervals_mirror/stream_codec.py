"""An activity stream's samples as one small blob, and back, exactly as the API sent them.

A stream is thousands of numbers (one per second), which as JSON text would take about as much
room as the rest of the store. Numbers with a few decimals (altitude 52.4, speed 8.341,
latitude 52.520113) are kept as whole numbers scaled by 10^digits, as the differences between
neighbours (small at 1 Hz), in the smallest integer type that holds them, zlib-compressed:
about 10-30 KB per hour for eight streams. Decoding gives the same values back (integers as
integers, decimals to the last digit, nulls where they were). Anything else (booleans, nested
arrays, numbers that do not fit) is kept as compressed JSON text.

Blob layout, for readers outside Python: 4 header bytes (version 1, kind ``i`` scaled integers
/ ``f`` float64 / ``j`` JSON, decimal digits, the array typecode of the differences ``b``, ``h``,
``i`` or ``q``), then a zlib stream of: uint32 samples, uint32 null runs, (uint32 start,
uint32 length) per run, then the values (differences for ``i``), all little-endian. In SQL the
store registers ``stream_json(blob [, first, count])``, which gives the samples as a JSON array.
"""

from __future__ import annotations

import itertools
import json
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from typing import Any

VERSION = 1
MAX_DIGITS = 9
_INT64 = 2**63
_TYPECODES = (("b", 2**7), ("h", 2**15), ("i", 2**31), ("q", 2**63))
_BIG_ENDIAN = sys.byteorder == "big"


def encode(values: Sequence[Any] | None) -> bytes | None:
    """The samples as a blob (None stays None: the API sent no data)."""
    if values is None:
        return None
    values = list(values)
    numbers = [v for v in values if v is not None]
    if not _all_numbers(numbers):
        return _as_json(values)
    runs, filled = _null_runs(values), _filled(values)
    scaled = _scaled(numbers, filled)
    if scaled is None:
        return _header("f", 0, "d") + zlib.compress(_counts(len(values), runs)
                                                    + _packed(array("d", filled)))
    digits, whole = scaled
    deltas = [whole[0], *(b - a for a, b in itertools.pairwise(whole))] if whole else []
    code = _typecode(deltas)
    if code is None:  # differences beyond 64 bits
        return _as_json(values)
    return _header("i", digits, code) + zlib.compress(_counts(len(values), runs)
                                                      + _packed(array(code, deltas)))


def decode(blob: bytes | None) -> list[Any] | None:
    """The samples a blob holds, exactly as encoded."""
    if blob is None:
        return None
    version, kind, digits, code = blob[0], chr(blob[1]), blob[2], chr(blob[3])
    if version != VERSION:
        raise ValueError(f"stream blob version {version}; this release reads {VERSION}")
    body = zlib.decompress(blob[4:])
    if kind == "j":
        return list(json.loads(body.decode("utf-8")))
    samples, nruns = struct.unpack_from("<II", body)
    runs = struct.unpack_from(f"<{2 * nruns}I", body, 8)
    packed = array(code)
    packed.frombytes(body[8 + 8 * nruns:])
    if _BIG_ENDIAN:
        packed.byteswap()
    values: list[Any]
    if kind == "f":
        values = packed.tolist()
    else:
        values = list(itertools.accumulate(packed))
        if digits:
            scale = 10**digits
            values = [k / scale for k in values]
    for start, length in zip(runs[::2], runs[1::2], strict=True):
        values[start:start + length] = [None] * length
    if len(values) != samples:
        raise ValueError("stream blob is damaged (sample count does not match)")
    return values


def to_json(blob: bytes | None, first: int | None = None, count: int | None = None
            ) -> str | None:
    """``stream_json(blob [, first, count])`` in SQL: the samples (or a slice) as JSON."""
    values = decode(blob)
    if values is None:
        return None
    if first is not None:
        start = max(int(first), 0)
        values = values[start:] if count is None else values[start:start + max(int(count), 0)]
    return _json(values)


def sql_function(*args: Any) -> str | None:
    """``stream_json(data [, first, count])`` as SQLite calls it (the store registers it)."""
    if not 1 <= len(args) <= 3 or not (args[0] is None or isinstance(args[0], bytes)) \
            or not all(a is None or isinstance(a, int) for a in args[1:]):
        raise ValueError("stream_json(data [, first, count]) takes a streams.data or "
                         "streams.data2 blob and two whole numbers")
    return to_json(*args)


def _all_numbers(numbers: list[Any]) -> bool:
    """Ints within 64 bits, or floats, not both (decoding would turn 0 into 0.0)."""
    kinds = {type(v) for v in numbers}
    if kinds == {int}:
        return min(numbers) >= -_INT64 and max(numbers) < _INT64
    return kinds <= {float}


def _as_json(values: list[Any]) -> bytes:
    return _header("j", 0, "b") + zlib.compress(_json(values).encode("utf-8"))


def _scaled(numbers: list[Any], filled: list[Any]) -> tuple[int, list[int]] | None:
    """(decimal digits, the values as whole numbers scaled by 10^digits) when that gives the
    values back exactly; None for doubles that need all their bits."""
    if not numbers or type(numbers[0]) is int:
        return 0, filled
    guess = 1
    for v in numbers[:200]:  # the decimals of a few samples, checked on all of them below
        text = repr(v)
        if "e" in text or "n" in text:  # 1e-07, nan, inf
            return None
        guess = max(guess, len(text) - text.index(".") - 1)
    for digits in range(guess, MAX_DIGITS + 1):
        scale = 10**digits
        try:
            whole = [round(v * scale) for v in filled]
        except (ValueError, OverflowError):  # nan or inf further on
            return None
        if all(k / scale == v for k, v in zip(whole, filled, strict=True)):
            return digits, whole
    return None


def _null_runs(values: list[Any]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    if None not in values:
        return runs
    for index, value in enumerate(values):
        if value is None:
            if runs and runs[-1][0] + runs[-1][1] == index:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((index, 1))
    return runs


def _filled(values: list[Any]) -> list[Any]:
    """Nulls replaced by the value before them (so their differences are 0)."""
    if None not in values:
        return values
    out, last = [], 0
    for value in values:
        last = last if value is None else value
        out.append(last)
    return out


def _typecode(deltas: list[int]) -> str | None:
    low, high = (min(deltas), max(deltas)) if deltas else (0, 0)
    for code, bound in _TYPECODES:
        if -bound <= low and high < bound:
            return code
    return None


def _header(kind: str, digits: int, code: str) -> bytes:
    return bytes((VERSION, ord(kind), digits, ord(code)))


def _counts(samples: int, runs: list[tuple[int, int]]) -> bytes:
    flat = [n for run in runs for n in run]
    return struct.pack(f"<II{len(flat)}I", samples, len(runs), *flat)


def _packed(values: array[Any]) -> bytes:
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def _json(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))
