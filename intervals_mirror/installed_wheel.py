"""A wheel of the running installation, for the MCP Bundle to carry.

Built from what is installed (the package's files, the ``sql/`` files wherever they are, the
installed metadata with its dependencies and console script), so `intervals-mirror bundle`
works from any install (pip, pipx, uvx, a checkout) without a build tool, and the bundle runs
exactly the version that made it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ConfigError
from .sqlfiles import sql_dir

DISTRIBUTION = "intervals-mirror"
PACKAGE_DIR = Path(__file__).resolve().parent
# Stable times in the zip, so the same installation makes the same wheel.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip member readable by everyone (rw-r--r--), compressed, with a stable time."""
    entry = zipfile.ZipInfo(name, ZIP_TIME)
    entry.external_attr = 0o644 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def wheel_name() -> str:
    return f"intervals_mirror-{_metadata().version}-py3-none-any.whl"


def write_wheel(folder: Path) -> Path:
    """The wheel of this installation, written into ``folder``; its path."""
    dist = _metadata()
    info = f"intervals_mirror-{dist.version}.dist-info"
    path = folder / wheel_name()
    records: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(name: str, data: bytes) -> None:
            wheel.writestr(zip_entry(name), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{name},sha256={digest.decode('ascii')},{len(data)}")

        for name, file in _package_files():
            add(name, file.read_bytes())
        add(f"{info}/METADATA", (dist.read_text("METADATA") or "").encode("utf-8"))
        add(f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: intervals-mirror bundle\n"
                             b"Root-Is-Purelib: true\nTag: py3-none-any\n")
        add(f"{info}/entry_points.txt",
            (dist.read_text("entry_points.txt") or "").encode("utf-8"))
        records.append(f"{info}/RECORD,,")
        wheel.writestr(zip_entry(f"{info}/RECORD"), "\n".join(records) + "\n")
    return path


def _package_files() -> Iterator[tuple[str, Path]]:
    """(name in the wheel, file) for the package and its sql/ files, caches left out."""
    for file in sorted(PACKAGE_DIR.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
            yield f"intervals_mirror/{file.relative_to(PACKAGE_DIR).as_posix()}", file
    sql = sql_dir()
    if sql != PACKAGE_DIR / "sql":  # a checkout: the top-level sql/ goes inside the package
        for file in sorted(f for f in sql.rglob("*") if f.is_file()):
            yield f"intervals_mirror/sql/{file.relative_to(sql).as_posix()}", file


def _metadata() -> importlib.metadata.Distribution:
    try:
        return importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError("intervals-mirror is not installed as a package (its metadata is "
                          "missing), so it cannot be bundled: `pip install .` first") from None
