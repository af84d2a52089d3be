"""Stream samples packed for the store come back exactly as the API sent them, take little
room, and can be read in SQL with stream_json()."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror import records, stream_codec
from intervals_mirror.store import Store

RNG = random.Random(5)
CASES: list[list[Any]] = [
    [],
    [None, None],
    [0, 1, 2, None, None, 5],
    [52.4, 52.5, None, 53.0, -0.1],
    [52.520113, 13.404954, 52.52],
    [0.30000000000000004, 0.3],           # needs every bit of a double
    [1e-07, 2.5],                          # exponent notation
    [1.5, 2],                              # ints and floats mixed
    [True, False, True],                   # booleans are not numbers here
    [[1, 2], [3, 4]],                      # nested arrays (valueTypeIsArray)
    ["a", None],
    [2**70, 1],                            # beyond 64 bits
    [-(2**63), 2**63 - 1],                 # differences beyond 64 bits
    [1.0] * 250 + [float("inf")],          # inf after the sampled head
    [round(RNG.uniform(-50, 50), 3) for _ in range(3000)],
]


def _same(a: list[Any], b: list[Any]) -> bool:
    """Equal values and equal JSON types (an int stays an int, a float a float)."""
    return json.dumps(a) == json.dumps(b) and [type(x) for x in a] == [type(x) for x in b]


@pytest.mark.parametrize("values", CASES, ids=range(len(CASES)))
def test_samples_come_back_exactly(values: list[Any]) -> None:
    assert _same(stream_codec.decode(stream_codec.encode(values)) or [], values)


def test_no_data_stays_none() -> None:
    assert stream_codec.encode(None) is None and stream_codec.decode(None) is None


def test_an_hour_of_one_hertz_channels_is_small() -> None:
    hour = range(3600)
    channels = {
        "time": list(hour),
        "heartrate": [140 + round(10 * ((t // 60) % 3) + RNG.uniform(-2, 2)) for t in hour],
        "altitude": [round(50 + 0.01 * t + RNG.uniform(-0.2, 0.2), 1) for t in hour],
        "velocity_smooth": [round(8 + RNG.uniform(-0.3, 0.3), 3) for _ in hour],
    }
    packed = sum(len(stream_codec.encode(v) or b"") for v in channels.values())
    as_json = sum(len(json.dumps(v)) for v in channels.values())
    assert packed < as_json / 4


def test_stream_json_reads_a_stored_stream_in_sql(tmp_path: Path) -> None:
    watts = [0, 150, None, 210, 230]
    streams = [{"type": "watts", "name": None, "data": watts, "data2": None,
                "valueTypeIsArray": False, "anomalies": None, "custom": False,
                "allNull": False},
               {"type": "latlng", "name": None, "data": [52.5, 52.51], "data2": [13.4, 13.41],
                "valueTypeIsArray": False, "anomalies": None, "custom": False,
                "allNull": False}]
    path = tmp_path / "m.sqlite"
    with Store.open(path) as store, store.transaction():
        store.upsert("activities", [records.activity_row(
            {"id": "i7", "start_date_local": "2026-06-01T08:00:00", "type": "Ride"}, "i1", "t")])
        store.upsert("streams", records.stream_rows("i7", "i1", streams, "t"))
    with Store.open(path, readonly=True) as store:
        conn = store.db.conn
        assert json.loads(conn.execute(
            "SELECT stream_json(data) FROM streams WHERE id = 'i7:watts'").fetchone()[0]) == watts
        assert conn.execute("SELECT stream_json(data, 1, 2) FROM streams "
                            "WHERE id = 'i7:watts'").fetchone()[0] == "[150,null]"
        assert conn.execute(
            "SELECT avg(j.value), count(j.value) FROM streams s, json_each(stream_json(s.data)) j "
            "WHERE s.id = 'i7:watts'").fetchone() == (147.5, 4)
        assert conn.execute("SELECT stream_json(data2) FROM streams WHERE type = 'latlng'"
                            ).fetchone()[0] == "[13.4,13.41]"
        raw = json.loads(conn.execute("SELECT raw FROM streams WHERE id = 'i7:watts'"
                                      ).fetchone()[0])
        assert raw == {k: v for k, v in streams[0].items() if k not in ("data", "data2")}
        with pytest.raises(sqlite3.OperationalError, match="user-defined function"):
            conn.execute("SELECT stream_json('not a blob')").fetchone()
