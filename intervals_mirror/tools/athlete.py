"""The athlete: profile, and per group of sports the thresholds and zones with their bounds."""

from __future__ import annotations

from dataclasses import asdict

from mcp.server.mcpserver import MCPServer

from ..answers.athlete import profile_text
from ..errors import StoreError
from ..queries import athlete as lookup
from ..queries.status import freshness
from ._common import AppState, AthleteId, Deps, check_athlete, text_tool, today

SPORT_SETTINGS = ("sport_settings",)  # listed with the athlete on every sync

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Athlete profile")
    def get_athlete_profile(athlete_id: AthleteId = None) -> str:
        """The athlete's profile (name, weight, time zone) and per sport the thresholds (FTP,
        eFTP, W', LTHR, max HR, threshold pace) and power, HR and pace zones with their
        bounds in W, bpm and min/km or /100 m."""
        with read(SPORT_SETTINGS) as store:
            check_athlete(store, settings, athlete_id)
            athlete = lookup.profile(store)
            if athlete is None:
                raise StoreError("no athlete is mirrored yet: call refresh (or run "
                                 "`intervals-mirror sync`)")
            sports = lookup.sport_settings(store)
            day = today(store).isoformat()
            eftps = {s.id: found for s in sports if s.ftp is not None
                     and (found := lookup.latest_eftp(store, s.types, day))}
            fresh = freshness(store, SPORT_SETTINGS)
        return profile_text(athlete, [asdict(s) for s in sports], eftps, fresh)
