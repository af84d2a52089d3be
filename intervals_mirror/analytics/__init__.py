"""The analytic read side, one job per module; only ``duck`` imports duckdb.

- ``aggregates``: date-range aggregates (``Analytics``), one ``sql/analytics/*.sql`` query
  each, on an in-memory DuckDB copy of the store (``duck``); ``shaping`` rounds their rows,
  and ``grouping`` picks a coarser grouping when the buckets do not fit in one answer.
- ``sql``, ``sqlguard``, ``sqlbounds``, ``sqlformat``: read-only ad-hoc SQL on SQLite itself;
  the guard that keeps it read-only (an authorizer); the limits that keep it short in time and
  memory whatever it says; how its rows are shown (and sized as sent).
- ``schema``: the store's tables and columns described, for writing that SQL.
- ``export``: every table as Parquet or CSV.

The text of every answer comes from ``answers/`` (``answers.aggregates``, ``answers.schema``).
Import the submodules; this package imports nothing, so using one never loads duckdb.
"""
