"""An activity's streams and comments: too big (or too many requests) to mirror whole, so each
is fetched from Intervals.icu the first time it is asked for (when the network is up), then
kept and answered from the store, offline too. The tools still only read the user's
Intervals.icu data, so they carry readOnlyHint."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from .. import validate
from ..activity_parts import DEFAULT_STREAM_TYPES, KNOWN_STREAM_TYPES, MESSAGES, STREAMS, Fetch
from ..analytics import stream_stats as stats
from ..answers.messages import messages_text
from ..answers.streams import streams_text
from ..config import Settings
from ..errors import QueryError, shown
from ..queries import activity_parts as lookup
from ..queries.activities import STRAVA_NOTE, resolve_activity_id
from ..store import parse_utc
from ._common import ACTIVITIES, ActivityId, AppState, AthleteId, Deps, check_athlete, text_tool
from .readers import Readers

if TYPE_CHECKING:
    from ..on_demand import Fetched
from .activities import _unknown_activity

# Read-only for the user's Intervals.icu data (what clients ask approval for); it reaches out
# to the API to fill in the mirror.
GROUP = "lookups"  # for [server] tools
READS_AND_KEEPS = ToolAnnotations(read_only_hint=True, open_world_hint=True)
MESSAGES_FRESH_MINUTES = 10  # comments older than this are fetched again when online
MAX_STREAM_TYPES = 40

StreamTypes = Annotated[str | list[str] | None, Field(description=(
    "Comma list, e.g. watts,heartrate (default " + ",".join(DEFAULT_STREAM_TYPES) + ")"))]


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Activity streams", annotations=READS_AND_KEEPS)
    def get_activity_streams(activity_id: ActivityId, stream_types: StreamTypes = None,
                             athlete_id: AthleteId = None) -> str:
        """One activity's per-second data summarised: per stream min/avg/max, power NP and
        time in zones, a series of at most 120 points. Fetched once if not mirrored, then
        kept."""
        head, types, before = _streams_request(settings, read, activity_id,
                                               stream_types, athlete_id)
        if head["is_stub"]:
            return _strava(head)
        outcome = None
        if _streams_missing(before, head, types):
            from ..on_demand import fetch_streams  # the sync machinery, when asked for

            outcome = fetch_streams(settings, head["id"], types)
            if outcome.strava:
                return _strava(head)
        with read(ACTIVITIES) as store:
            kept = lookup.kept_streams(store, head["id"], tuple(dict.fromkeys(("time",
                                                                               *types))))
            after = lookup.last_fetch(store, head["id"], STREAMS)
            zones = lookup.activity_zones(store, head)
        return _streams_answer(head, types, kept, after, outcome, demo=settings.demo,
                               zones=zones)

    @text_tool(server, title="Activity comments", annotations=READS_AND_KEEPS)
    def get_activity_messages(activity_id: ActivityId, athlete_id: AthleteId = None) -> str:
        """The comments (messages) on one activity: author, time and text. Fetched from
        Intervals.icu when not mirrored yet or older than 10 minutes (if the network is
        up), then kept, so they are there offline."""
        head = _activity(settings, read, activity_id, athlete_id)
        if head["is_stub"]:
            return _strava(head)
        with read(ACTIVITIES) as store:
            before = lookup.last_fetch(store, head["id"], MESSAGES)
        outcome = None
        if before is None or _age_minutes(before) >= MESSAGES_FRESH_MINUTES:
            from ..on_demand import fetch_messages  # the sync machinery, when asked for

            outcome = fetch_messages(settings, head["id"])
            if outcome.strava:
                return _strava(head)
        with read(ACTIVITIES) as store:
            after = lookup.last_fetch(store, head["id"], MESSAGES)
            messages = lookup.activity_messages(store, head["id"])
        if after is None:
            why = outcome.why_not if outcome else None
            how = "" if settings.demo else ". Ask again when Intervals.icu is reachable"
            raise QueryError(f"the comments on activity {head['id']} are not mirrored yet, "
                             f"and {why or 'nothing was fetched'}{how}")
        fetched_now = bool(outcome and outcome.fetched)
        return messages_text({
            "activity": head, "messages": messages, "fetched_at": after.fetched_at,
            "fetched_now": fetched_now, "age_minutes": _age_minutes(after),
            "why_not": outcome.why_not if outcome and not fetched_now else None})


# -- streams ---------------------------------------------------------------------------------


def _streams_request(settings: Settings, read: Readers, activity_id: Any, stream_types: Any,
                     athlete_id: Any) -> tuple[dict[str, Any], tuple[str, ...], Fetch | None]:
    """The activity, the checked stream types, and what was fetched of its streams before."""
    head = _activity(settings, read, activity_id, athlete_id)
    with read(ACTIVITIES) as store:
        custom = lookup.custom_stream_codes(store)
        before = lookup.last_fetch(store, head["id"], STREAMS)
    return head, _checked_types(stream_types, head, custom), before


def _checked_types(value: Any, head: dict[str, Any], custom: list[str]) -> tuple[str, ...]:
    """The stream types asked for, as the API names them; each unknown one is an error that
    lists what this activity records and what else there is."""
    if value is None or value == "" or value == []:
        return DEFAULT_STREAM_TYPES
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or len(items) > MAX_STREAM_TYPES:
        raise QueryError(f"stream_types: expected a comma list of at most {MAX_STREAM_TYPES} "
                         f"stream types, e.g. watts,heartrate, got {shown(value)}")
    recorded = [t for t in head.get("stream_types") or [] if isinstance(t, str)]
    known = {t.lower(): t for t in (*KNOWN_STREAM_TYPES, *custom, *recorded)}
    picked = []
    for item in items:
        name = item.strip() if isinstance(item, str) else None
        if not name:
            continue
        if name.lower() not in known:
            has = f"this activity records {', '.join(recorded)}; " if recorded else ""
            raise QueryError(f"stream_types: unknown stream type {shown(name)}; {has}the API "
                             f"knows {', '.join(KNOWN_STREAM_TYPES)} and your custom streams")
        picked.append(known[name.lower()])
    if not picked:
        raise QueryError(f"stream_types: expected stream types such as watts,heartrate, "
                         f"got {shown(value)}")
    return tuple(dict.fromkeys(picked))


def _streams_missing(before: Fetch | None, head: dict[str, Any], types: tuple[str, ...]) -> bool:
    """Nothing kept for these types of this version of the activity yet."""
    if before is None or before.fingerprint != head["fingerprint"]:
        return True
    return any(t not in before.asked for t in types)


def _streams_answer(head: dict[str, Any], types: tuple[str, ...], kept: list[lookup.KeptStream],
                    after: Fetch | None, outcome: Fetched | None, *, demo: bool,
                    zones: dict[str, lookup.Zones]) -> str:
    by_type = {k.type: k for k in kept}
    asked = set(after.asked) if after and after.fingerprint == head["fingerprint"] else set()
    absent = [t for t in types if t not in by_type and t in asked]
    not_kept = [t for t in types if t not in by_type and t not in asked]
    wanted = [by_type[t] for t in types if t in by_type]
    why = outcome.why_not if outcome and not outcome.fetched else None
    if not wanted and not_kept:
        how = "" if demo else (
            ". Ask again when Intervals.icu is reachable; set streams_days under [sync] in "
            "the config file to have sync keep the streams of recent activities")
        raise QueryError(f"the streams of activity {head['id']} are not mirrored yet, and "
                         f"{why or 'they could not be fetched'}{how}")
    notes = []
    if absent:
        notes.append(f"Not recorded in this activity: {', '.join(absent)}.")
    if not_kept:
        notes.append(f"Not mirrored yet: {', '.join(not_kept)}"
                     + (f" ({why})." if why else "."))
    if after and after.fingerprint != head["fingerprint"] and not (outcome and outcome.fetched):
        notes.append("The activity changed on Intervals.icu after these were fetched; they "
                     "are fetched again once Intervals.icu is reachable.")
    return streams_text(_streams_data(head, wanted, by_type.get("time"), notes, outcome,
                                      zones))


def _streams_data(head: dict[str, Any], wanted: list[lookup.KeptStream],
                  time: lookup.KeptStream | None, notes: list[str], outcome: Fetched | None,
                  zones: dict[str, lookup.Zones]) -> dict[str, Any]:
    samples = len(time.data) if time else max((len(k.data) for k in wanted), default=0)
    series = [k for k in wanted if k.type not in ("time", "latlng")]
    when = stats.clock(time.data if time else None, samples,
                       stats.points_per_stream(len(series)))
    summaries = [_summary(k, zones.get(k.type), when) for k in wanted]
    numeric = next((k.type for k in series), None)
    sql = (f"SELECT j.key AS sample, j.value FROM streams s, json_each(stream_json(s.data)) j "
           f"WHERE s.id = '{head['id']}:{numeric}'") if numeric else None
    span = (when.seconds[-1] + when.step) if when.seconds else 0
    return {
        "activity": head, "summaries": summaries, "notes": notes, "sql": sql,
        "clock": {"samples": samples, "step": when.step, "width": when.width, "span": span,
                  "pauses": sum(1 for a, b in zip(when.seconds, when.seconds[1:], strict=False)
                                if b - a > 2 * when.step)},
        "fetched_now": bool(outcome and outcome.fetched),
        "fetched_at": max((k.fetched_at for k in wanted), default=None),
    }


def _summary(kept: lookup.KeptStream, zones: lookup.Zones | None, when: stats.Clock
             ) -> dict[str, Any]:
    summary = stats.summarise(kept.type, kept.data, kept.data2, when)
    if kept.type == "watts" and summary.numeric:
        summary.normalized_power = stats.normalized_power(kept.data)
    if zones and summary.numeric:
        summary.zones = stats.zone_times(kept.data, zones.uppers, when.step,
                                         skip_zeros=kept.type == "heartrate")
    # vars, not dataclasses.asdict: that deep-copies every series (a third of the time)
    return {**vars(summary), "zones": [{**vars(z), "name": zones.names.get(z.zone)}
                                       for z in summary.zones] if zones else [],
            "zones_from": zones.source if zones else None}


# -- shared ----------------------------------------------------------------------------------


def _activity(settings: Settings, read: Readers, activity_id: Any, athlete_id: Any
              ) -> dict[str, Any]:
    """The stored activity an id names (a tool error that says why when there is none)."""
    checked = validate.activity_id(activity_id)
    with read(ACTIVITIES) as store:
        check_athlete(store, settings, athlete_id)
        found = resolve_activity_id(store, checked)
        head = lookup.activity_head(store, found)
        if head is None:
            raise _unknown_activity(store, settings, found)
    return head


def _strava(head: dict[str, Any]) -> str:
    return f"Activity {head['id']} on {head.get('date') or '?'} is a Strava import. {STRAVA_NOTE}"


def _age_minutes(fetch: Fetch) -> float:
    return (dt.datetime.now(dt.UTC) - parse_utc(fetch.fetched_at)).total_seconds() / 60
