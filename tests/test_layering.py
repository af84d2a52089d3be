"""Keeps the seams: each outside library is imported by the one module whose job it is."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import intervals_mirror

PACKAGE = Path(intervals_mirror.__file__).parent

# library -> the modules allowed to import it
OWNERS = {
    "httpx": {"api.py"},
    "duckdb": {"analytics.py"},
    "mcp": {"server.py"},
    "uvicorn": {"server.py"},
    "starlette": {"server.py"},
    "apscheduler": {"schedule.py"},
    "sqlite_utils": {"store.py"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _uses_environ(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
               for node in ast.walk(tree))


def test_each_library_is_imported_only_by_its_owner_module() -> None:
    offenders = [
        f"{path.name} imports {library}"
        for path in sorted(PACKAGE.glob("*.py"))
        for library, owners in OWNERS.items()
        if library in _imports(path) and path.name not in owners
    ]
    assert offenders == []


def test_only_config_reads_the_environment() -> None:
    readers = [p.name for p in sorted(PACKAGE.glob("*.py")) if _uses_environ(p)]
    assert readers == ["config.py"]


def test_the_demo_generator_uses_only_the_standard_library() -> None:
    """Only ``demo/build.py`` (which writes a store) reaches outside the demo package."""
    offenders = []
    for path in sorted((PACKAGE / "demo").glob("*.py")):
        if path.name == "build.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        outside = {f"{'.' * node.level}{node.module or ''}" for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.level > 1}
        outside |= {name for name in _imports(path) if name not in sys.stdlib_module_names}
        offenders += [f"demo/{path.name} imports {name}" for name in sorted(outside)]
    assert offenders == []
