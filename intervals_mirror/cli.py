"""The ``intervals-mirror`` command: parses, calls one module function, prints.

The composition root: the only place that configures logging and turns errors into one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .answers.units import http_url
from .cli_args import (
    Parser,
    athlete_id_arg,
    count_arg,
    date_arg,
    demo_flag,
    out_file_arg,
    port_arg,
    resources_arg,
    seconds_arg,
    years_arg,
)
from .cli_charts import add_chart_command, cmd_chart, cmd_html_report, period_flags
from .cli_install import add_claude_config_command, add_install_commands
from .cli_output import (
    TerminalProgress,
    explain_missing_store,
    format_status,
    stdio_by_hand,
    warn_without_demo_store,
)
from .config import Settings, load_settings, warn_open_key_file
from .errors import ConfigError, IntervalsMirrorError
from .resources import RESOURCES

# Each command imports what it needs when it runs: `serve` must answer a client's initialize
# quickly, so it does not load the sync machinery, the demo generator or the store's writer.

log = logging.getLogger("intervals_mirror")

Handler = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        settings = load_settings(config_path=args.config, overrides=_overrides(args),
                                 new_config_ok=args.handler is cmd_init)
        if getattr(args, "demo", False):
            from .demo.build import demo_settings

            settings = demo_settings(settings)
        handler: Handler = args.handler
        if handler in _STORE_READERS:
            explain_missing_store(settings, handler.__name__.removeprefix("cmd_"))
        code = handler(args, settings)
        sys.stdout.flush()  # a reader gone away (`status | head`) is met here, not at exit
        return code
    except BrokenPipeError:  # quiet, as Unix tools are; stdout to devnull for the exit flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except IntervalsMirrorError as exc:
        print(f"intervals-mirror: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(f"intervals-mirror: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line for cron, the traceback with -vv
        if args.verbose >= 2:
            raise
        print(f"intervals-mirror: unexpected {type(exc).__name__}: {exc} "
              "(run with -vv for the details)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("intervals-mirror: interrupted; the next sync resumes where this one stopped",
              file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="intervals-mirror",
        description="A complete local mirror of your Intervals.icu data, and an MCP server "
                    "that answers from it.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--config", metavar="FILE",
                        help="TOML config file (default: $INTERVALS_MIRROR_CONFIG or the "
                             "platform config folder)")
    parser.add_argument("--db", metavar="FILE", help="the SQLite store (default: "
                        "$INTERVALS_MIRROR_DB or the platform data folder)")
    parser.add_argument("--athlete-id", metavar="ID", type=athlete_id_arg,
                        help="athlete id, e.g. i12345")
    parser.add_argument("--base-url", metavar="URL", help="API base URL")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log to stderr (-v info, -vv debug)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    _add_mirror_commands(commands)
    _add_setup_commands(commands)
    _add_server_commands(commands)
    _add_analytics_commands(commands)
    add_install_commands(commands)
    return parser


def _add_mirror_commands(commands: Any) -> None:
    """`sync`, `status` and `db-path`: the mirror itself."""
    sync = commands.add_parser("sync", help="bring the store up to date (first run: everything)",
                               description="Bring the store up to date. Quiet unless on a "
                                           "terminal; exit code 0 on success.")
    sync.add_argument("--full", action="store_true",
                      help="re-list the whole history (finds edits and deletions anywhere)")
    sync.add_argument("--since", type=date_arg, metavar="YYYY-MM-DD",
                      help="also re-list everything from this day on")
    sync.add_argument("--only", type=resources_arg, metavar="LIST", default=RESOURCES,
                      help=f"comma list of resources to sync: {','.join(RESOURCES)}")
    sync.set_defaults(handler=cmd_sync)

    status = commands.add_parser("status", help="what is mirrored, coverage, last runs",
                                 description="What the store holds, how fresh, the last runs.")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    demo_flag(status)
    status.set_defaults(handler=cmd_status)

    db_path = commands.add_parser("db-path", help="print the path of the SQLite store",
                                  description="Where the store is, for sqlite3 or scripts.")
    demo_flag(db_path)
    db_path.set_defaults(handler=cmd_db_path)


def _add_setup_commands(commands: Any) -> None:
    """`init`, `demo` and `doctor`: getting started, with an account or without."""
    init = commands.add_parser(
        "init", help="ask for the API key and athlete id, check them, write the config file",
        description="Checks the key and athlete id with one request, then writes them to the "
                    "config file (permissions 0600). Nothing is written if the check fails.")
    init.add_argument("--api-key", metavar="KEY",
                      help="the API key (default: $INTERVALS_API_KEY, or asked for)")
    init.add_argument("--athlete-id", dest="init_athlete_id", metavar="ID", type=athlete_id_arg,
                      help="the athlete id, e.g. i12345 (default: $INTERVALS_ATHLETE_ID, "
                           "or asked for)")
    init.add_argument("--force", action="store_true", help="replace an existing config file")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser(
        "demo", help="build a demo store for a generated athlete (no account, no network)",
        description="Builds a separate demo store; then use --demo with serve, status, sql, "
                    "report, chart, export, db-path, doctor, claude-config, datasette-metadata.")
    demo.add_argument("--years", type=years_arg, default=3.0, help="years of history (1-15)")
    demo.add_argument("--seed", type=int, default=1, help="another athlete for another seed")
    demo.set_defaults(handler=cmd_demo)

    doctor = commands.add_parser("doctor", help="check config, key, API, store and schedule",
                                 description="One line per check; exit code 1 if one fails.")
    demo_flag(doctor)
    doctor.set_defaults(handler=cmd_doctor)


def _add_server_commands(commands: Any) -> None:
    """`serve` and `claude-config` (in ``cli_install``): the MCP server and how a client
    starts it."""
    serve = commands.add_parser(
        "serve", help="run the MCP server (stdio for Claude Desktop; --http for others)",
        description="Answers MCP tools from the store; syncs in the background every "
                    "[sync] interval_minutes. Logs go to stderr.")
    serve.add_argument("--http", action="store_true",
                       help="serve HTTP instead of stdio: streamable HTTP at http://HOST:PORT/mcp, "
                            "SSE at /sse, health at /health")
    serve.add_argument("--host", default="127.0.0.1",
                       help="HTTP address (default 127.0.0.1; any other needs "
                            "INTERVALS_MIRROR_TOKEN)")
    serve.add_argument("--port", type=port_arg, default=8000, help="HTTP port (default 8000)")
    demo_flag(serve)
    serve.set_defaults(handler=cmd_serve)

    add_claude_config_command(commands)


def _add_analytics_commands(commands: Any) -> None:
    """`sql`, `report` and `export`: the read side of `intervals_mirror.analytics`."""
    sql = commands.add_parser(
        "sql", help="run one read-only SQL statement on the store",
        description="Runs one SELECT (SQLite dialect) on a read-only connection: writes, "
                    "ATTACH and setting PRAGMAs are refused. See the schema with "
                    "`intervals-mirror sql \"SELECT name FROM sqlite_master\"` or the README.")
    sql.add_argument("statement", metavar="SQL", help="one SELECT statement")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--limit", type=count_arg, help="most rows to print (default: every row)")
    sql.add_argument("--timeout", type=seconds_arg, default=10.0,
                     help="seconds before the statement is cut off (default 10)")
    demo_flag(sql)
    sql.set_defaults(handler=cmd_sql)

    report = commands.add_parser(
        "report", help="training summary, fitness trend or wellness trends for a date range",
        description="The same aggregates the MCP tools answer, as text. Dates default to "
                    "the last 90 days.")
    report.add_argument("kind", choices=("summary", "fitness", "wellness"), nargs="?",
                        help="the text report (none with --html)")
    period_flags(report)
    report.add_argument("--by", metavar="BUCKET",
                        help="summary: week|month|year|sport (default week); fitness: "
                             "day|week (default by length); wellness: week|month")
    report.add_argument("--type", dest="activity_type", metavar="SPORT",
                        help="summary (--html: also the load chart and the power curve, "
                             "default Ride): only this sport, e.g. Ride (with VirtualRide, "
                             "GravelRide...) or VirtualRide alone")
    report.add_argument("--fields", metavar="LIST",
                        help="wellness: comma list, e.g. hrv,resting_hr,sleep_secs")
    report.add_argument("--html", action="store_true",
                        help="one self-contained HTML page instead: the training summary by "
                             "sport, the fitness and load charts and the power curve (against "
                             "as many days before; opens offline)")
    report.add_argument("--out", metavar="FILE", type=out_file_arg, help="--html: page to write")
    demo_flag(report)
    report.set_defaults(handler=cmd_report)
    add_chart_command(commands)

    export = commands.add_parser(
        "export", help="write every table as Parquet or CSV (one file per table)",
        description="Every table and view, typed, for pandas, DuckDB or a spreadsheet.")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    demo_flag(export)
    export.set_defaults(handler=cmd_export)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {"db_path": args.db, "athlete_id": args.athlete_id, "base_url": args.base_url}


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 \
        else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if verbosity < 2:
        for noisy in ("httpx", "httpcore", "filelock", "apscheduler", "mcp"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


# -- commands ------------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from .sync import SyncOptions, run_sync

    warn_open_key_file(settings)
    bar = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
    options = SyncOptions(full=args.full, since=args.since, only=tuple(args.only))
    try:
        report = run_sync(settings, options, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    if sys.stdout.isatty():
        print(report.summary())
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from .queries.status import freshness, never_listed, sync_status
    from .store import Store
    from .sync import sync_running

    with Store.open(settings.db_path, readonly=True, check=True) as store:
        status = sync_status(store)
        fresh = freshness(store)
        empty = never_listed(store)
    running = sync_running(settings)
    if not running:  # a "running" run nobody is running was killed
        for run in status["recent_runs"]:
            if run["status"] == "running":
                run["status"] = "interrupted"
    elif empty:
        empty = fresh = "the first sync is running: nothing is completely listed yet"
    status["not_mirrored"] = empty
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        print(format_status(status, fresh))
    return 1 if empty and not running else 0


def cmd_db_path(args: argparse.Namespace, settings: Settings) -> int:
    print(settings.db_path)
    return 0


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from .onboarding import init_config

    path, athlete = init_config(settings, args.config, api_key=args.api_key,
                                athlete_id=args.init_athlete_id, force=args.force,
                                interactive=sys.stdin.isatty())
    print(f"Checked: athlete {athlete.get('id')} {athlete.get('name') or ''}".rstrip())
    print(f"Wrote {path} (permissions 0600). Next: intervals-mirror sync")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from .demo.build import build_demo_store, demo_settings

    path = demo_settings(settings).db_path
    say = (lambda message: print(message, file=sys.stderr)) if sys.stderr.isatty() else None
    counts = build_demo_store(path, years=args.years, seed=args.seed, progress=say)
    print(f"Demo store {path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    print("Try: intervals-mirror status --demo, or intervals-mirror serve --demo")
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from .onboarding import doctor

    checks = doctor(settings)
    for check in checks:
        print(f"{check.mark} {check.name:<10} {check.detail}")
    return 0 if all(c.ok for c in checks) else 1


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from .startup import long_lived_objects

    with long_lived_objects():  # the SDK's protocol types
        from .server import check_http_exposure, check_port_free, serve

    if args.http:
        check_http_exposure(settings, args.host)
        check_port_free(args.host, args.port)
        print(f"intervals-mirror: serving {settings.db_path} at "
              f"{http_url(args.host, args.port)} (SSE clients: /sse)", file=sys.stderr)
    warn_without_demo_store(settings)
    if not args.http and sys.stdin.isatty():
        stdio_by_hand()
    try:
        serve(settings, http=args.http, host=args.host, port=args.port)
    except KeyboardInterrupt:
        return 130
    return 0


def cmd_sql(args: argparse.Namespace, settings: Settings) -> int:
    from .analytics.sql import stream_sql

    result = stream_sql(settings.db_path, args.statement, sys.stdout, fmt=args.format,
                        limit=args.limit, timeout_s=args.timeout)
    if result.truncated and args.format != "table":
        print(f"intervals-mirror: {result.note}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from .analytics.aggregates import Analytics

    if args.html or args.kind is None:
        if not args.html or args.kind:
            raise ConfigError("report: give a kind (summary, fitness or wellness) for text, or "
                              "--html --out FILE for the page, not both")
        unused = [flag for flag, value in (("--by", args.by), ("--fields", args.fields)) if value]
        if unused:
            raise ConfigError(f"{unused[0]}: only the text reports take it; the --html page "
                              "has its own (by sport, with the charts): leave it out")
        return cmd_html_report(args, settings)
    if args.out:
        raise ConfigError("--out: only `report --html` writes a file; a text report is "
                          "printed (redirect it: > FILE)")

    with Analytics(settings.db_path, history_start=settings.history_start) as analytics:
        answer = analytics.report(args.kind, args.start, args.end, by=args.by,
                                  activity_type=args.activity_type, fields=args.fields)
    print(answer.text)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from .analytics.export import export_store

    print(export_store(settings.db_path, args.out, args.format).text)
    return 0


_STORE_READERS: tuple[Handler, ...] = (cmd_status, cmd_sql, cmd_report, cmd_chart, cmd_export)

if __name__ == "__main__":
    sys.exit(main())
