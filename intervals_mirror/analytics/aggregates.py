"""Date-range aggregates (``sql/analytics/*.sql``, one query each, bound parameters only) over
an in-memory DuckDB copy of the store (``duck.DuckCopy``): training summary, period
comparison, fitness trend, wellness trends and interval stats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import validate
from ..answers import aggregates as text
from ..answers.budget import TEXT_CHARS
from ..errors import QueryError
from ..queries import sports
from ..queries.common import athlete, custom_field_names, text_custom_fields
from ..queries.status import mirrored_span, outside_mirror
from ..sports import Sport
from ..sqlfiles import sql_text
from . import compliance, grouping, markers, shaping, zones
from .common import Answer, DateArg, choice, iso
from .duck import WELLNESS_NUMERIC, DuckCopy
from .grouping import GRAINS, bucket_counts, choose
from .series import ChartSeries
from .wellness_fields import pick_fields

SUMMARY_GROUPS = ("week", "month", "year", "sport")
FITNESS_GROUPS = ("day", "week")
WELLNESS_GROUPS = ("week", "month")
# What a grouping becomes, in order, when its buckets do not fit in one answer (quarters are
# never asked for, only offered when months do not fit).
SUMMARY_LADDER = ("week", "month", "quarter", "year")
WELLNESS_LADDER = ("week", "month", "quarter", "year")  # then the whole range alone
REPORTS = ("summary", "fitness", "wellness")

DEFAULT_DAYS = 90          # an aggregate without dates covers the last 90 days
AUTO_WEEKLY_AFTER = 92     # get_fitness_trend: daily rows up to this many days, then weekly


class Analytics(ChartSeries):
    """The aggregates over one store, from an in-memory DuckDB copy kept while the store is
    unchanged. Safe to share between threads (one lock; each query takes milliseconds)."""

    def __init__(self, db_path: str | Path, *, history_start: dt.date | None = None) -> None:
        """``history_start``: the configured start of the mirror (days before it may hold
        data that is not mirrored); None: the mirror starts where the history begins."""
        self.db_path = Path(db_path)
        self.history_start = history_start
        self._copy = DuckCopy(self.db_path)

    @property
    def load_ms(self) -> dict[str, float]:
        """Table -> milliseconds of its last refresh (a read, and a copy if it changed)."""
        return self._copy.load_ms

    @property
    def loads(self) -> dict[str, int]:
        """Table -> how many times it was copied whole into DuckDB (unchanged ones are not)."""
        return self._copy.loads

    @property
    def patches(self) -> dict[str, int]:
        """Table -> how many times only its changed rows were replaced in the copy."""
        return self._copy.patches

    def close(self) -> None:
        self._copy.close()

    def __enter__(self) -> Analytics:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def warm(self, *, again: bool = False) -> dict[str, float]:
        """Copy every table now (e.g. when a server starts), so no question waits for it;
        ``again`` copies even if the store did not change. Milliseconds per table."""
        return self._copy.warm(again=again)

    # -- aggregates -------------------------------------------------------------------------

    def training_summary(self, start_date: DateArg = None, end_date: DateArg = None, *,
                         group_by: str = "week", activity_type: str | None = None,
                         exact_type: bool = False) -> Answer:
        """Count, time, distance, climbing, load and intensity per bucket and sport; buckets
        that do not fit in one answer are grouped coarser, with the peak and lowest bucket."""
        span = self._range(start_date, end_date)
        requested = choice("group_by", group_by, SUMMARY_GROUPS)
        sport = self.sport(activity_type, exact_type)
        where = {"start": span.start, "end": span.end, "types": types_of(sport)}
        counts = bucket_counts(self._query("activity_buckets", ["activities"], where))
        sports = counts["sport"]["buckets"]

        def fits(grain: str, cells: int = 0) -> bool:
            return text.summary_size(counts[grain]["buckets"], cells, sports) <= TEXT_CHARS

        group = (requested if requested == "sport"
                 else choose(requested, fits, SUMMARY_LADDER) or SUMMARY_LADDER[-1])
        detail = group != "sport" and fits(group, counts[group]["cells"])
        rows = self._query("training_summary", ["activities"],
                           {**where, "group_by": group, "cells": detail})
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "activity_type": sport.label if sport else None,
                "pace_sport": pace_sport(sport), **shaping.summary_parts(rows, group),
                "regrouped": None, "notes": shaping.notes(self._outside("activities", span))}
        for bucket in data["buckets"]:
            bucket["partial"] = grouping.partial(bucket["bucket"], group, span.start, span.end)
        if group != requested:
            data["regrouped"] = self._summary_regrouped(where, requested, counts, sports, span,
                                                        rows)
        return Answer(text.summary_text(data), data)

    def _summary_regrouped(self, where: dict[str, Any], requested: str,
                           counts: dict[str, dict[str, int]], sports: int,
                           span: validate.DateRange, rows: list[dict[str, Any]]
                           ) -> dict[str, Any]:
        """What a coarser summary says of the grouping asked for: how many buckets it would
        have had, how many fit, the average, peak and lowest one."""
        first, last = self._mirrored("activities", span)
        fine = self._query("training_summary", ["activities"], {
            **where, "start": first, "end": last, "group_by": requested, "cells": False})
        periods = grouping.periods(first, last, requested)
        return {"requested": requested, "buckets": counts[requested]["buckets"],
                "most": text.most_summary_buckets(sports), "periods": periods,
                "average": shaping.per_bucket(rows, periods),
                **shaping.extremes(fine, requested, first, last)}

    def compare_periods(self, a_start: DateArg, a_end: DateArg, b_start: DateArg,
                        b_end: DateArg, *, activity_type: str | None = None,
                        exact_type: bool = False) -> Answer:
        """Two periods' training side by side, with the differences A - B."""
        for name, value in (("a_start", a_start), ("a_end", a_end), ("b_start", b_start),
                            ("b_end", b_end)):
            if value in (None, ""):
                raise QueryError(f"{name}: required, a date YYYY-MM-DD")
        a = self._range(a_start, a_end, "a_start", "a_end")
        b = self._range(b_start, b_end, "b_start", "b_end")
        sport = self.sport(activity_type, exact_type)
        rows = self._query("compare_periods", ["activities"], {
            "a_start": a.start, "a_end": a.end, "b_start": b.start, "b_end": b.end,
            "types": types_of(sport)})
        cells = {(r["period"], "all" if r["all_sports"] else r["sport"]): shaping.measures(r)
                 for r in rows}
        sports = ["all", *sorted({s for _, s in cells if s != "all"})]
        empty = shaping.measures(None)
        compared = []
        for name in sports:
            one, other = cells.get(("a", name), empty), cells.get(("b", name), empty)
            compared.append({"sport": name, "a": one, "b": other,
                             **shaping.differences(one, other)})
        data = {
            "a": {"start_date": a.start.isoformat(), "end_date": a.end.isoformat(),
                  "days": a.days},
            "b": {"start_date": b.start.isoformat(), "end_date": b.end.isoformat(),
                  "days": b.days},
            "activity_type": sport.label if sport else None, "rows": compared,
            "pace_sport": pace_sport(sport),
            "notes": shaping.notes(*(self._outside("activities", p) for p in (a, b))),
        }
        return Answer(text.compare_text(data), data)

    def fitness_trend(self, start_date: DateArg = None, end_date: DateArg = None, *,
                      group_by: str | None = None) -> Answer:
        """CTL, ATL, form and ramp rate per day (or per week for long ranges; coarser when
        the points do not fit in one answer)."""
        span = self._range(start_date, end_date)
        requested = (choice("group_by", group_by, FITNESS_GROUPS) if group_by
                     else "day" if span.days <= AUTO_WEEKLY_AFTER else "week")
        counts = self._day_buckets(span, fitness_only=True)
        group = choose(requested, lambda g: counts[g]["buckets"] <= text.most_fitness_points(g)
                       ) or GRAINS[-1]
        rows = self._query("fitness_trend", ["fitness"], {
            "start": span.start, "end": span.end, "group_by": group})
        today = self._today().isoformat()
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "today": today,
                "summary": shaping.fitness_summary(rows, today),
                "points": [shaping.fitness_point(r, group, today) for r in rows],
                "regrouped": self._regrouped(requested, group, counts,
                                             text.most_fitness_points(requested)),
                "notes": shaping.notes(self._outside("wellness", span))}
        return Answer(text.fitness_text(data), data)

    def wellness_trends(self, start_date: DateArg = None, end_date: DateArg = None, *,
                        fields: str | Sequence[str] | None = None, group_by: str = "week"
                        ) -> Answer:
        """Average, min, max and linear trend of wellness fields, per week or month (coarser
        when the buckets of every field do not fit in one answer)."""
        span = self._range(start_date, end_date)
        requested = choice("group_by", group_by, WELLNESS_GROUPS)
        custom = self._custom_fields()
        picked = pick_fields(fields, custom, self._copy.on_store(text_custom_fields))
        counts = self._day_buckets(span, fitness_only=False)
        group = choose(requested, lambda g: counts[g]["buckets"]
                       <= text.most_wellness_buckets(g, len(picked)), WELLNESS_LADDER)
        rows = self._query("wellness_trends", ["wellness", "wellness_custom"], {
            "start": span.start, "end": span.end, "group_by": group or "whole range",
            "fields": list(picked)})
        out = []
        for name in picked:
            whole = next((r for r in rows if r["field"] == name and r["whole_range"]), None)
            out.append({
                "field": name, "name": custom.get(name) or shaping.label(name),
                "custom": name in custom, **shaping.stats(whole),
                **shaping.slopes(whole),
                "buckets": [{"bucket": r["bucket"], **shaping.stats(r)} for r in rows
                            if group and r["field"] == name and not r["whole_range"]],
            })
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "group_by": group, "fields": out,
                "regrouped": self._regrouped(requested, group, counts,
                                             text.most_wellness_buckets(requested, len(picked))),
                "notes": shaping.notes(self._outside("wellness", span))}
        return Answer(text.wellness_trends_text(data), data)

    def interval_stats(self, start_date: DateArg = None, end_date: DateArg = None, *,
                       activity_type: str | None = None, exact_type: bool = False) -> Answer:
        """Work intervals by duration band: count, time, best and average power and HR
        (and pace, with GAP for runs, when the sport is one of runs or swims)."""
        span = self._range(start_date, end_date)
        sport = self.sport(activity_type, exact_type)
        rows = self._query("interval_stats", ["activities", "intervals"], {
            "start": span.start, "end": span.end, "types": types_of(sport)})
        total = next((r for r in rows if r["all_bands"]), None)
        data = {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(),
                "activity_type": sport.label if sport else None,
                "pace_sport": pace_sport(sport), "totals": shaping.band(total),
                "bands": [{"band": r["band"], **shaping.band(r)} for r in rows
                          if not r["all_bands"]],
                "notes": shaping.notes(self._outside("activities", span))}
        return Answer(text.interval_stats_text(data), data)

    def zone_distribution(self, start_date: DateArg = None, end_date: DateArg = None, *,
                          kind: str = "power", group_by: str = "week",
                          activity_type: str | None = None, exact_type: bool = False) -> Answer:
        """Hours and share per zone (power, HR, pace or GAP) per week or month, with the
        polarization (``zones``)."""
        span = self._range(start_date, end_date)
        picked = choice("kind", kind, zones.KINDS)
        group = choice("group_by", group_by, zones.GROUPS)
        sport = self.sport(activity_type, exact_type)
        return zones.distribution(self._copy, span, sport, picked, group,
                                  shaping.notes(self._outside("activities", span)))

    def plan_compliance(self, start_date: DateArg = None, end_date: DateArg = None
                        ) -> Answer:
        """Each planned workout done, partly done, missed or ahead, and per week the planned
        and the done load and time (``compliance``; default four weeks back, one ahead)."""
        today = self._today()
        span = validate.date_range(iso(start_date), iso(end_date), today=today,
                                   default_days_back=compliance.DAYS_BACK,
                                   default_days_ahead=compliance.DAYS_AHEAD)
        return compliance.plan_compliance(self._copy, span, today, shaping.notes(
            self._outside("events", span)))

    def fitness_markers(self, start_date: DateArg = None, end_date: DateArg = None, *,
                        activity_type: str | None = markers.DEFAULT_SPORT,
                        group_by: str = "month", exact_type: bool = False) -> Answer:
        """eFTP, CP, W', Pmax, W/kg and VO2max over time (``markers``; default the last year
        of rides)."""
        span = validate.date_range(iso(start_date), iso(end_date), today=self._today(),
                                   default_days_back=markers.DEFAULT_DAYS)
        group = choice("group_by", group_by, markers.GROUPS)
        sport = self.sport(activity_type, exact_type)
        return markers.fitness_markers(self._copy, span, sport, group, shaping.notes(
            self._outside("activities", span)))

    def report(self, kind: str, start_date: DateArg = None, end_date: DateArg = None, *,
               by: str | None = None, activity_type: str | None = None,
               fields: str | None = None) -> Answer:
        """The CLI's ``report`` command: one of the aggregates by name (dates as --from/--to)."""
        kind = choice("report", kind, REPORTS)
        for flag, value, taker in (("--type", activity_type, "summary"),
                                   ("--fields", fields, "wellness")):
            if value and kind != taker:
                raise QueryError(f"{flag}: only the {taker} report takes it; the {kind} "
                                 "report would ignore it: leave it out")
        span = self._range(start_date, end_date, "--from", "--to")
        try:
            if kind == "summary":
                return self.training_summary(span.start, span.end, group_by=by or "week",
                                             activity_type=activity_type)
            if kind == "fitness":
                return self.fitness_trend(span.start, span.end, group_by=by)
            return self.wellness_trends(span.start, span.end, fields=fields,
                                        group_by=by or "week")
        except QueryError as exc:   # name the command's flags, not the tools' parameters
            message = str(exc)
            for param, flag in (("group_by", "--by"), ("activity_type", "--type"),
                                ("fields", "--fields")):
                if message.startswith(f"{param}:"):
                    raise QueryError(flag + message[len(param):]) from None
            raise

    # -- parameters and what the mirror covers -----------------------------------------------

    def _query(self, name: str, tables: Sequence[str], params: dict[str, Any]
               ) -> list[dict[str, Any]]:
        return self._copy.query(sql_text(f"analytics/{name}.sql"), tables, params, what=name)

    def _day_buckets(self, span: validate.DateRange, *, fitness_only: bool
                     ) -> dict[str, dict[str, int]]:
        return bucket_counts(self._query("wellness_buckets", ["fitness"], {
            "start": span.start, "end": span.end, "fitness_only": fitness_only}))

    @staticmethod
    def _regrouped(requested: str, group: str | None, counts: dict[str, dict[str, int]],
                   most: int) -> dict[str, Any] | None:
        """How many buckets the grouping asked for would have had, and how many fit."""
        if group == requested:
            return None
        return {"requested": requested, "buckets": counts[requested]["buckets"], "most": most}

    def _today(self) -> dt.date:
        found = self._copy.on_store(athlete)
        return validate.today_in(found["timezone"] if found else None)

    def _range(self, start: DateArg, end: DateArg, start_name: str = "start_date",
               end_name: str = "end_date") -> validate.DateRange:
        return validate.date_range(
            iso(start), iso(end), today=self._today(), default_days_back=DEFAULT_DAYS,
            start_name=start_name, end_name=end_name)

    def sport(self, activity_type: str | None, exact_type: bool = False) -> Sport | None:
        """The sport asked for, with its family (``sports``), or a clear error listing the
        sports the store holds."""
        return self._copy.on_store(lambda store: sports.sport(store, activity_type,
                                                              exact=exact_type))

    def _custom_fields(self) -> dict[str, str]:
        """Numeric custom wellness fields in the store: code -> display name."""
        codes = [r["field"] for r in self._copy.query(
            "SELECT DISTINCT field FROM wellness_custom ORDER BY 1", ["wellness_custom"],
            what="fields")]
        names = self._copy.on_store(lambda store: custom_field_names(store, "INPUT_FIELD"))
        return {code: names.get(code, code) for code in codes if code not in WELLNESS_NUMERIC}

    def _mirrored(self, resource: str, span: validate.DateRange) -> tuple[dt.date, dt.date]:
        """The part of ``span`` sync has mirrored (all of it when nothing says otherwise)."""
        first, last = self._copy.on_store(lambda store: mirrored_span(store, resource))
        return (max(span.start, dt.date.fromisoformat(first[:10])) if first else span.start,
                min(span.end, dt.date.fromisoformat(last[:10])) if last else span.end)

    def _outside(self, resource: str, span: validate.DateRange) -> str | None:
        """A note when ``span`` lies (partly) outside the days sync has mirrored."""
        return self._copy.on_store(lambda store: outside_mirror(
            store, resource, span.start, span.end, history_start=self.history_start))


def types_of(sport: Sport | None) -> list[str] | None:
    """The ``$types`` of an aggregate's SQL: the sport's activity types, None for all."""
    return list(sport.types) if sport else None


def pace_sport(sport: Sport | None) -> str | None:
    """The family whose pace an answer shows (Run, Swim), when the sport is timed by pace."""
    family = sport.family_name if sport else None
    return family if family in PACE_FAMILIES else None


PACE_FAMILIES = ("Run", "Swim")
