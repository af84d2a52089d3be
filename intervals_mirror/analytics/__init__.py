"""The analytic read side, one job per module; only ``duck`` imports duckdb.

- ``aggregates``: date-range aggregates (``Analytics``), one ``sql/analytics/*.sql`` query
  each, on an in-memory DuckDB copy of the store (``duck``); ``shaping`` rounds their rows.
- ``sql`` and ``sqlguard``: read-only ad-hoc SQL on SQLite itself, and the guard that keeps it
  read-only (an authorizer, a time limit, size limits).
- ``schema``: the store's tables and columns described, for writing that SQL.
- ``export``: every table as Parquet or CSV.

The text of every answer comes from ``answers/`` (``answers.aggregates``, ``answers.schema``).
Import the submodules; this package imports nothing, so using one never loads duckdb.
"""
