"""The MCP tools, one module per resource group, each with ``register(server, deps)``.

A tool validates its parameters, calls one query (``queries/``, ``analytics/``) and renders
the answer (``answers/``); shared parameter types, annotations and the per-call store
connection live in ``_common``. Adding a group (gear, say) is one module and one line in
``GROUPS``; its ``register`` may look at ``deps.settings`` to decide which tools exist.
The order of ``GROUPS`` is the order clients list the tools in. Each module's ``GROUP`` is
the name `[server] tools` lists it under (config_server.TOOL_GROUPS: lookups, analytics, writes,
sync), so a user can keep tools/list, which every conversation carries, to what they use.
"""

from __future__ import annotations

from typing import Protocol

from mcp.server.mcpserver import MCPServer

from . import (
    activities,
    activity_parts,
    analytics,
    athlete,
    charts,
    curves,
    custom_item_writes,
    custom_items,
    event_writes,
    events,
    gear,
    message_writes,
    sync,
    training,
    wellness,
)
from ._common import AppState, Deps


class ToolGroup(Protocol):
    GROUP: str

    def register(self, server: MCPServer[AppState], deps: Deps) -> None: ...


GROUPS: list[ToolGroup] = [activities, activity_parts, wellness, events, curves, athlete, gear,
                           custom_items, sync, analytics, training, charts, event_writes,
                           message_writes, custom_item_writes]


def register_all(server: MCPServer[AppState], deps: Deps) -> None:
    for group in GROUPS:
        if group.GROUP in deps.settings.tool_groups:
            group.register(server, deps)
