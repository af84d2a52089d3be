"""The CLI's pictures: `intervals-mirror chart KIND --out FILE` and `report --html`.

DuckDB and the drawing library are loaded inside the commands (``charts`` itself is light),
so `sync` from cron never loads them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from . import __version__
from .charts import KINDS, Chart
from .cli_args import demo_flag, out_file_arg
from .config import Settings
from .errors import QueryError

# A tool's parameter as the command's flag, in error messages.
FLAGS = {"start_date": "--from", "end_date": "--to", "activity_type": "--type",
         "fields": "--fields", "kind": "KIND"}


def add_chart_command(commands: Any) -> None:
    chart = commands.add_parser(
        "chart", help="draw a chart of the store to a PNG (or SVG) file",
        description="The charts the get_chart tool draws: fitness (CTL, ATL, form over its "
                    "zones), load (training load and hours per week by sport), power_curve "
                    "(best watts by duration, this season against the last; with --from/--to, "
                    "those days against as many days before), wellness (fields per day). "
                    "Dates default to the last 90 days.")
    chart.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    period_flags(chart)
    chart.add_argument("--type", dest="activity_type", metavar="SPORT",
                       help='load, power_curve (default Ride; "" all sports): only this sport, '
                            "e.g. Run")
    chart.add_argument("--fields", metavar="LIST",
                       help="wellness: 1-4 fields, e.g. hrv,resting_hr,sleep_secs")
    chart.add_argument("--out", required=True, metavar="FILE", type=out_file_arg,
                       help="the image to write: FILE.png, or FILE.svg for SVG")
    demo_flag(chart)
    chart.set_defaults(handler=cmd_chart)


def period_flags(command: argparse.ArgumentParser) -> None:
    command.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                         help="first day (default: 90 days before --to; alone: 90 days from it)")
    command.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                         help="last day, inclusive (default: today, or 90 days after --from)")


def cmd_chart(args: argparse.Namespace, settings: Settings) -> int:
    from .analytics.aggregates import Analytics
    from .charts import chart

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg"):  # before drawing, not a PNG named .jpg
        raise QueryError(f"--out: expected FILE.png (or FILE.svg), got {str(out)[-80:]}")
    with Analytics(settings.db_path, history_start=settings.history_start) as analytics:
        drawn = _flagged(lambda: chart(analytics, args.kind, args.start, args.end,
                                       activity_type=args.activity_type, fields=args.fields))
    if out.suffix.lower() == ".svg":
        out.write_text(drawn.svg(), encoding="utf-8")
    else:
        out.write_bytes(drawn.png())
    print(f"Wrote {out}: {drawn.caption}")
    return 0


def cmd_html_report(args: argparse.Namespace, settings: Settings) -> int:
    """`report --html --out FILE`: the page of ``charts.report`` for --from/--to."""
    from .analytics.aggregates import Analytics
    from .charts import chart
    from .charts.report import report_page
    from .queries.common import athlete
    from .queries.status import freshness
    from .store import Store

    if not args.out:
        raise QueryError("--out: the HTML file to write is required with --html")
    with Store.open(settings.db_path, readonly=True, check=True) as store:
        who, fresh = athlete(store), freshness(store)
    with Analytics(settings.db_path, history_start=settings.history_start) as analytics:
        summary = _flagged(lambda: analytics.training_summary(
            args.start, args.end, group_by="sport", activity_type=args.activity_type))
        span = (summary.data["start_date"], summary.data["end_date"])
        charts: list[tuple[str, Chart | str]] = [
            ("Fitness", chart(analytics, "fitness", *span)),
            ("Training load", chart(analytics, "load", *span,
                                    activity_type=args.activity_type)),
            ("Power curve", _power_curve(chart(analytics, "power_curve", *span,
                                               activity_type=args.activity_type)))]
        page = report_page(
            title=f"Training report{': ' + who['name'] if who and who.get('name') else ''}",
            subtitle=f"{span[0]} to {span[1]}; {fresh}; made by intervals-mirror "
                     f"{__version__} on {dt.date.today().isoformat()}",
            summary=summary.data, charts=charts)
    out = Path(args.out)
    out.write_text(page, encoding="utf-8")
    print(f"Wrote {out} ({len(page.encode('utf-8')) // 1024} KB, opens offline): "
          f"{span[0]} to {span[1]}, {len(charts)} charts")
    return 0


def _power_curve(drawn: Chart) -> Chart | str:
    """The power curve, or its caption alone when no period has one (a runner's page)."""
    return drawn if drawn.spec["data"]["values"] else drawn.caption + "."


def _flagged(make: Any) -> Any:
    """``make()``, with a parameter error naming the command's flag instead."""
    try:
        return make()
    except QueryError as exc:
        message = str(exc)
        for param, flag in FLAGS.items():
            if message.startswith(f"{param}:"):
                raise QueryError(flag + message[len(param):]) from None
        raise
