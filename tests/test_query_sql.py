"""Ad-hoc SQL is read-only by how its connection is opened, whatever the text says.

Each attempt to change the store, reach another file or escape the one-statement rule is
refused with a clear error, and the store's bytes, schema and rows are unchanged afterwards.
"""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pytest

from intervals_mirror.analytics.sql import SQL_OUTPUT_BYTES, run_sql, stream_sql
from intervals_mirror.errors import QueryError
from intervals_mirror.store import Store, schema_version

from analytics_helpers import ATTEMPTS, snapshot


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_attempts_to_change_the_store_are_refused_and_change_nothing(
        store_path: Path, name: str) -> None:
    before = snapshot(store_path)
    sql = ATTEMPTS[name].replace("{dir}", str(store_path.parent))
    with pytest.raises(QueryError) as caught:
        run_sql(store_path, sql)
    message = str(caught.value)
    assert message.startswith("sql: ")
    assert snapshot(store_path) == before
    assert sorted(p.name for p in store_path.parent.iterdir()
                  if not p.name.startswith("mirror.sqlite")) == []   # no file was created
    if name in ("insert", "update", "delete", "attach", "vacuum into", "pragma query_only",
                "pragma user_version", "load_extension", "begin", "drop"):
        assert "refused, the store is read-only" in message
    if name == "two statements":
        assert message == "sql: one statement per call; remove everything after the first ';'"


def test_refusals_say_what_was_refused(store_path: Path) -> None:
    with pytest.raises(QueryError, match="ATTACH"):
        run_sql(store_path, f"ATTACH '{store_path.parent}/x.sqlite' AS x")
    with pytest.raises(QueryError, match="PRAGMA query_only = 0"):
        run_sql(store_path, "PRAGMA query_only = 0")
    with pytest.raises(QueryError, match="load_extension"):
        run_sql(store_path, "SELECT load_extension('x')")
    with pytest.raises(QueryError, match="changing the schema"):
        run_sql(store_path, "DROP TABLE wellness")


def test_reads_work_on_tables_views_json_and_read_only_pragmas(store_path: Path) -> None:
    result = run_sql(store_path, "SELECT count(*) AS n FROM work_intervals")
    assert result.columns == ("n",) and result.rows[0][0] > 0
    ids = run_sql(store_path, "SELECT json_extract(raw, '$.id') AS id, id AS col FROM "
                              "real_activities LIMIT 3")
    assert all(row[0] == row[1] for row in ids.rows)
    columns = run_sql(store_path, "PRAGMA table_info(wellness)")
    assert "hrv" in [row[1] for row in columns.rows]
    assert run_sql(store_path, "PRAGMA user_version").rows == ((schema_version(),),)
    recursive = run_sql(store_path, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                    "FROM n WHERE x < 5) SELECT sum(x) FROM n")
    assert recursive.rows == ((15,),)


def test_a_long_query_is_cut_off_at_the_time_limit(store_path: Path) -> None:
    before = snapshot(store_path)
    started = time.monotonic()
    with pytest.raises(QueryError, match="cut off after the time limit of 0.3 s"):
        run_sql(store_path, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                            "SELECT count(*) FROM n", timeout_s=0.3)
    assert time.monotonic() - started < 3
    assert snapshot(store_path) == before


def test_results_are_capped_at_the_limit_and_say_so(store_path: Path) -> None:
    result = run_sql(store_path, "SELECT id, date FROM activities ORDER BY date")
    assert len(result.rows) == 200 and result.truncated and result.limit == 200
    assert "cut at the limit of 200" in result.text
    small = run_sql(store_path, "SELECT id FROM activities ORDER BY id", limit=5)
    assert len(small.rows) == 5 and small.data["truncated"] is True
    exact = run_sql(store_path, "SELECT 1 UNION ALL SELECT 2", limit=2)
    assert not exact.truncated and exact.text.endswith("(2 rows)")
    capped = run_sql(store_path, "SELECT id FROM intervals", limit=5000)
    assert capped.limit == 1000 and capped.limit_capped
    assert "the largest allowed" in capped.note


@pytest.mark.parametrize("limit", [0, -1, True, "ten"])
def test_a_bad_limit_names_the_parameter(store_path: Path, limit: object) -> None:
    with pytest.raises(QueryError, match="^limit: expected a whole number from 1 to 1000"):
        run_sql(store_path, "SELECT 1", limit=limit)  # type: ignore[arg-type]


@pytest.mark.parametrize(("flags", "message"), [
    ({"limit": 0}, "--limit: expected a whole number of 1 or more, got 0"),
    ({"timeout_s": 0.0}, "--timeout: expected a number of seconds above 0, got 0"),
    ({"timeout_s": -2.5}, "--timeout: expected a number of seconds above 0, got -2.5"),
])
def test_the_sql_commands_bad_flags_are_named_as_typed(store_path: Path, flags: dict[str, float],
                                                       message: str) -> None:
    with pytest.raises(QueryError, match=f"^{message}$"):
        stream_sql(store_path, "SELECT 1", io.StringIO(), **flags)  # type: ignore[arg-type]


@pytest.mark.parametrize(("sql", "message"), [
    ("", "sql: expected one SELECT statement, got nothing"),
    ("   ", "sql: expected one SELECT statement, got nothing"),
    ("-- only a comment", "sql: the statement returned no rows"),
    ("SELEC 1", 'sql: near "SELEC": syntax error'),
    ("SELECT nope FROM activities", "sql: no such column: nope"),
])
def test_bad_sql_gets_a_clear_error(store_path: Path, sql: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_sql(store_path, sql)
    assert str(caught.value).startswith(message)


def test_long_cells_are_shortened_in_text_and_data(store_path: Path) -> None:
    result = run_sql(store_path, "SELECT raw, zeroblob(4) AS b FROM activities LIMIT 1")
    line = result.text.splitlines()[2]
    assert "…" in line and "<4 bytes>" in line and len(line) < 120
    cell = result.data["rows"][0][0]
    assert len(cell) < 2100 and cell.endswith("chars)")
    json.dumps(result.data)   # JSON-safe, blobs included


def test_one_row_shows_its_long_text_whole_and_says_where_to_read_on_past_the_cap(
        store_path: Path) -> None:
    """A description or a raw JSON is read with query_sql: one row, one column per line."""
    long = "replace(hex(zeroblob({n})), '00', 'ab ')"  # 3 * n characters
    shown = run_sql(store_path, f"SELECT 7 AS id, {long.format(n=5_000)} AS x",
                    max_bytes=SQL_OUTPUT_BYTES).text
    assert shown.splitlines() == ["id: 7", "x: " + "ab " * 5_000, "(1 row)"]
    cut = run_sql(store_path, f"SELECT {long.format(n=60_000)} AS x",
                  max_bytes=SQL_OUTPUT_BYTES).text
    found = re.fullmatch(r"x: ([ab ]+)… \(\+([\d,]+) chars; read on with substr\(x, (\d+)\)\)"
                         r"\n\(1 row\)", cut)
    assert found and len(json.dumps(cut)) < SQL_OUTPUT_BYTES
    assert int(found[3]) == len(found[1]) + 1
    assert len(found[1]) + int(found[2].replace(",", "")) == 180_000


def _streamed(store_path: Path, sql: str, fmt: str, **options: object) -> str:
    out = io.StringIO()
    stream_sql(store_path, sql, out, fmt=fmt, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_formats_table_csv_and_json(store_path: Path) -> None:
    sql = "SELECT 'a,b' AS text, NULL AS missing, 1.5 AS x, zeroblob(3) AS b"
    assert _streamed(store_path, sql, "csv").splitlines() == [
        "text,missing,x,b", '"a,b",,1.5,<3 bytes>']
    data = json.loads(_streamed(store_path, sql, "json"))
    assert data["rows"] == [["a,b", None, 1.5, "<3 bytes>"]] and data["row_count"] == 1
    assert data["truncated"] is False and data["limit"] is None
    table = _streamed(store_path, sql, "table").splitlines()
    assert [c.strip() for c in table[0].split(" | ")] == ["text", "missing", "x", "b"]
    assert [c.strip() for c in table[2].split(" | ")] == ["a,b", "NULL", "1.5", "<3 bytes>"]
    assert table[-1] == "(1 row)"
    with pytest.raises(QueryError, match="format: expected one of table, csv, json"):
        _streamed(store_path, sql, "xml")


def test_the_sql_command_writes_every_row_unless_limited(store_path: Path) -> None:
    """Far more rows than any answer holds, and long text kept whole: the command has no cap
    but --limit (which its note names)."""
    sql = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1301) "
           "SELECT x, printf('%.3000c', 'y') AS long FROM n")
    rows = _streamed(store_path, sql, "csv").splitlines()[1:]
    assert len(rows) == 1301 and rows[-1] == "1301," + "y" * 3000
    assert len(json.loads(_streamed(store_path, sql, "json"))["rows"]) == 1301
    assert _streamed(store_path, sql, "table").splitlines()[-1] == "(1,301 rows)"
    out = io.StringIO()
    cut = stream_sql(store_path, sql, out, fmt="csv", limit=7)
    assert len(out.getvalue().splitlines()) == 8 and cut.truncated and cut.rows == 7
    assert "--limit" in cut.note
    assert "cut at --limit 7" in _streamed(store_path, sql, "table", limit=7)


def test_reads_do_not_wait_for_a_writer(store_path: Path) -> None:
    with Store.open(store_path) as writer:
        writer.db.conn.execute("BEGIN IMMEDIATE")
        writer.db.conn.execute("DELETE FROM wellness_custom")
        started = time.monotonic()
        result = run_sql(store_path, "SELECT count(*) FROM wellness_custom", timeout_s=5)
        assert time.monotonic() - started < 1
        assert result.rows[0][0] > 0      # the last committed state
        writer.db.conn.execute("ROLLBACK")


def test_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="run `intervals-mirror sync` first"):
        run_sql(tmp_path / "none.sqlite", "SELECT 1")
    assert not (tmp_path / "none.sqlite").exists()


def test_table_valued_functions_work(store_path: Path) -> None:
    """json_each, json_tree and pragma_table_info() read; SQLite's schema check on their
    first use is not mistaken for a write."""
    zones = run_sql(store_path, "SELECT a.id, z.key, z.value FROM activities a, "
                                "json_each(a.raw, '$.icu_hr_zone_times') z "
                                "WHERE a.is_stub = 0 LIMIT 5")
    assert len(zones.rows) == 5 and all(isinstance(r[2], int) for r in zones.rows)
    tree = run_sql(store_path, "SELECT count(*) FROM activities, json_tree(activities.raw) "
                               "WHERE activities.date = '2024-02-29'")
    assert tree.rows[0][0] > 10
    columns = run_sql(store_path, "SELECT name, type FROM pragma_table_info('wellness')")
    assert ("hrv", "REAL") in columns.rows


def test_values_cannot_grow_without_bound(store_path: Path) -> None:
    """No string or blob beyond SQL_VALUE_BYTES, whether made or read: memory stays small and
    each call fast whatever the SQL asks."""
    started = time.monotonic()
    for sql in ("SELECT zeroblob(300000)", "SELECT group_concat(raw) FROM activities",
                "SELECT length(replace(printf('%.200000c', 'x'), 'x', 'xx'))",
                "SELECT length(printf('%.*c', 2147483647, 'x'))",
                "SELECT printf('%.*c', 49000000, 'x') AS x FROM activities"):
        with pytest.raises(QueryError, match=r"^sql: (a value|printf\(\)|replace\(\)) would "
                                             r"(be|make a value) too big.*no string or blob "
                                             r"may be longer than 250,000 bytes"):
            run_sql(store_path, sql)
    assert time.monotonic() - started < 10
    assert run_sql(store_path, "SELECT length(printf('%.200000c', 'x'))").rows == ((200_000,),)


def test_rows_stop_at_the_byte_budget_and_say_so(store_path: Path) -> None:
    result = run_sql(store_path, "SELECT raw, raw AS again FROM activities", limit=1000,
                     max_bytes=SQL_OUTPUT_BYTES)
    assert result.truncated and result.size_cut and 10 < len(result.rows) < 1000
    assert len(json.dumps(result.data)) + len(json.dumps(result.text)) < SQL_OUTPUT_BYTES
    assert result.data["truncated_by"] == "size"
    assert result.text.endswith("rows shown: the output stops at about 100 KB; select fewer "
                                "or shorter columns (substr, json_extract), or add WHERE, "
                                "GROUP BY or LIMIT)")
    unbounded = run_sql(store_path, "SELECT raw FROM intervals", limit=1000)
    assert len(unbounded.rows) == 1000 and unbounded.data["truncated_by"] == "limit"


def test_the_text_table_counts_toward_the_byte_budget(store_path: Path) -> None:
    """Short values padded to a wide column: small as data, large as an aligned table."""
    wide = ", ".join(f"CASE WHEN x = 1 THEN printf('%.60c', 'w') ELSE 'a' END AS c{i}"
                     for i in range(30))
    result = run_sql(store_path, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                 f"FROM n WHERE x < 400) SELECT {wide} FROM n", limit=1000,
                     max_bytes=SQL_OUTPUT_BYTES)
    assert 10 < len(result.rows) < 400 and result.size_cut
    sent = len(json.dumps(result.text)) + len(json.dumps(result.data))
    assert SQL_OUTPUT_BYTES - 5_000 < sent < SQL_OUTPUT_BYTES
