"""Keeps the seams: each outside library is imported by the one module whose job it is, and
imports inside the package point one way:

    api client -> sync -> store <- queries <- tools -> server -> remote (the HTTP app)
    (the read side: queries/, analytics/, answers/; answers/ is pure; nothing imports cli)

Every module in every subfolder is checked; rules name modules by their path in the package
("analytics/duck.py", "tools/*"), and a prefix ("sync") also covers a package of that name.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import intervals_mirror

PACKAGE = Path(intervals_mirror.__file__).parent
MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))

# library -> the modules allowed to import it (fnmatch patterns over paths in the package)
OWNERS = {
    "httpx": {"api.py"},
    "duckdb": {"analytics/duck.py"},
    "mcp": {"server.py", "tools/*", "remote/*"},
    "pydantic": {"server.py", "tools/*"},
    "anyio": {"server.py", "tools/*", "remote/*"},
    "uvicorn": {"remote/app.py"},
    "starlette": {"remote/*"},
    "apscheduler": {"schedule.py"},
    "sqlite_utils": {"store.py"},
    "vl_convert": {"charts/render.py"},
}

READ_SIDE = ("queries/*", "analytics/*", "answers/*", "charts/*")
# (modules, package modules they must not import, why): a target also covers its submodules.
FORBIDDEN: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (("*",), ("cli",), "the CLI is the composition root: nothing imports it"),
    (READ_SIDE, ("api", "sync", "on_demand", "schedule", "onboarding"),
     "the read side answers from the store, never from the API"),
    (READ_SIDE, ("tools", "server"), "the read side knows nothing of MCP"),
    (("store.py", "migrations.py", "records.py", "typed_columns.py", "resources.py"),
     ("api", "sync", "queries", "analytics", "answers", "tools", "server"),
     "the store and the resource declarations are below everything that reads or fetches"),
    (("api.py", "api_endpoints.py"), ("store", "records", "sync", "queries", "analytics",
                                      "answers", "tools", "server"),
     "the API client returns dicts and never touches the store"),
    (("tools/*",), ("api", "server"),
     "tools reach the API only through sync or on_demand, and never the server"),
    (("remote/*",), ("server", "tools", "api", "sync", "on_demand"),
     "the HTTP app receives the built MCP server and only reads the store (for /health)"),
]
# package module -> the only modules that may import it
IMPORTED_ONLY_BY = {
    "server": {"cli.py", "cli_install.py"},
    "tools": {"server.py", "tools/*"},
    "remote": {"server.py", "remote/*"},
}


def _tree(module: str) -> ast.Module:
    return ast.parse((PACKAGE / module).read_text(encoding="utf-8"))


def _imports(module: str) -> set[str]:
    """Top-level names of the outside libraries a module imports (at any depth)."""
    names: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _package_imports(module: str) -> set[str]:
    """The package's own modules a module imports, dotted from the package: "queries.status".

    ``from .x import y`` counts as importing ``x`` and ``x.y`` (y may be a submodule).
    """
    here = module.removesuffix(".py").split("/")
    package = here[:-1]  # what "." means, for a module and for a package's __init__
    found: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                parts = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "intervals_mirror":
                parts = node.module.split(".")[1:]
            else:
                continue
            if parts:
                found.add(".".join(parts))
            found.update(".".join([*parts, alias.name]) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name.removeprefix("intervals_mirror.") for alias in node.names
                         if alias.name.startswith("intervals_mirror."))
    return found


def _matches(module: str, patterns: set[str] | tuple[str, ...]) -> bool:
    return any(fnmatch(module, pattern) for pattern in patterns)


def _hits(imported: set[str], target: str) -> bool:
    return any(name == target or name.startswith(target + ".") for name in imported)


def test_the_rules_see_every_module_in_every_subfolder() -> None:
    assert {"analytics/duck.py", "tools/_common.py", "queries/status.py", "answers/units.py",
            "server.py", "cli.py"} <= set(MODULES)
    for owners in OWNERS.values():
        assert all(any(fnmatch(m, pattern) for m in MODULES) for pattern in owners), owners


def test_each_library_is_imported_only_by_its_owner_modules() -> None:
    offenders = [
        f"{module} imports {library}"
        for module in MODULES
        for library, owners in OWNERS.items()
        if library in _imports(module) and not _matches(module, owners)
    ]
    assert offenders == []


def test_imports_inside_the_package_point_one_way() -> None:
    offenders = [
        f"{module} imports {target}: {why}"
        for sources, targets, why in FORBIDDEN
        for module in MODULES
        if _matches(module, sources) and module != "__main__.py"
        for target in targets
        if _hits(_package_imports(module), target)
    ]
    assert offenders == []


def test_server_and_tools_are_imported_only_from_above() -> None:
    offenders = [
        f"{module} imports {target}"
        for target, importers in IMPORTED_ONLY_BY.items()
        for module in MODULES
        if _hits(_package_imports(module), target) and not _matches(module, importers)
    ]
    assert offenders == []


def test_answers_are_pure() -> None:
    """Rendering is plain functions of plain dicts: answers/ imports only answers/."""
    offenders = [f"{module} imports {name}" for module in MODULES if module.startswith("answers/")
                 for name in _package_imports(module) if not name.startswith("answers")]
    assert offenders == []


def test_the_demo_generator_uses_only_the_standard_library() -> None:
    """Only ``demo/build.py`` (which writes a store) reaches outside the demo package."""
    offenders = [
        f"{module} imports {name}"
        for module in MODULES if module.startswith("demo/") and module != "demo/build.py"
        for name in sorted({n for n in _package_imports(module) if not n.startswith("demo")}
                           | {n for n in _imports(module) if n not in sys.stdlib_module_names})
    ]
    assert offenders == []


def _uses_environ(module: str) -> bool:
    return any(isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
               for node in ast.walk(_tree(module)))


def test_only_config_reads_the_environment() -> None:
    assert [m for m in MODULES if _uses_environ(m)] == ["config.py"]


def test_the_cli_starts_without_the_server_or_duckdb() -> None:
    """`intervals-mirror sync` from cron should not pay for mcp, duckdb or the charts' library
    (all heavy)."""
    code = ("import sys, intervals_mirror.cli; print(sorted({'mcp', 'duckdb', 'vl_convert', "
            "'intervals_mirror.server'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_serve_starts_without_duckdb_the_scheduler_or_the_sync_machinery() -> None:
    """`serve` answers a client's initialize before loading anything only some answers need:
    DuckDB (aggregates), APScheduler (background sync), httpx and the sync package (refresh),
    sqlite_utils (writing), the demo generator and the charts' drawing library. (uvicorn
    comes with the mcp SDK itself.)"""
    heavy = ["duckdb", "apscheduler", "httpx", "sqlite_utils", "filelock",
             "intervals_mirror.sync", "intervals_mirror.demo.dataset",
             "intervals_mirror.demo.build", "intervals_mirror.analytics.duck", "vl_convert"]
    code = ("import sys, intervals_mirror.cli, intervals_mirror.server as s\n"
            "from intervals_mirror.config import load_settings\n"
            "s.create_server(load_settings(environ={'API_KEY': 'k', 'ATHLETE_ID': 'i1'}))\n"
            f"print(sorted(set({heavy!r}) & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"
