"""Finds the ``sql/`` files whether installed from a wheel or run from a checkout.

A wheel carries them inside the package (``intervals_mirror/sql``); an editable install or a
checkout only has the repository's top-level ``sql/``, so look beside the package first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import StoreError

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def sql_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "sql", _PACKAGE_DIR.parent / "sql"):
        if (candidate / "schema.sql").is_file():
            return candidate
    raise StoreError(
        "the sql/ files are missing from this installation; reinstall intervals-mirror"
    )


def sql_path(name: str) -> Path:
    return sql_dir() / name


@cache
def sql_text(name: str) -> str:
    path = sql_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None
