"""A comment on an activity (add_activity_message, the live-API server's tool): posted to
Intervals.icu, then the activity's comments listed again into the mirror, so
get_activity_messages shows it, offline too. Listed unless ``[server] writes = "none"``."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..activity_parts import MESSAGES
from ..answers.messages import messages_text
from ..answers.writes import DEMO, where
from ..errors import QueryError
from ..queries import activity_parts as lookup
from ._common import ACTIVITIES, ActivityId, AppState, Deps, text_tool
from ._writes import CREATES
from .activity_parts import _activity

GROUP = "writes"  # for [server] tools
MAX_CONTENT = 10_000


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read
    if settings.writes == "none":
        return

    @text_tool(server, title="Comment on an activity", annotations=CREATES)
    def add_activity_message(
        activity_id: ActivityId,
        content: Annotated[str, Field(description="The comment's text")],
    ) -> str:
        """Post a comment (message) on one activity on Intervals.icu, then in the mirror;
        answers the activity's comments with it."""
        head = _activity(settings, read, activity_id, None)
        words = validate.text("content", content, MAX_CONTENT)
        if words is None:
            raise QueryError("content: expected the comment's text, got an empty one")
        from ..write_through import add_activity_message as post

        saved = post(settings, head["id"], words)
        with read(ACTIVITIES) as store:
            fetch = lookup.last_fetch(store, head["id"], MESSAGES)
            messages = lookup.activity_messages(store, head["id"])
        thread = messages_text({"activity": head, "messages": messages, "fetched_now": True,
                                "fetched_at": fetch.fetched_at if fetch else None,
                                "demo": saved.demo})
        lines = [f"Added message {saved.row['id']} {where(saved.demo)}.", thread]
        return "\n".join([*lines, DEMO] if saved.demo else lines)
