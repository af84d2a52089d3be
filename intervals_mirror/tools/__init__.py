"""The MCP tools, one module per resource group, each with ``register(server, deps)``.

A tool validates its parameters, calls one query (``queries/``, ``analytics/``) and renders
the answer (``answers/``); shared parameter types, annotations and the per-call store
connection live in ``_common``. Adding a group (gear, say) is one module and one line in
``GROUPS``; its ``register`` may look at ``deps.settings`` to decide which tools exist.
The order of ``GROUPS`` is the order clients list the tools in.
"""

from __future__ import annotations

from typing import Protocol

from mcp.server.mcpserver import MCPServer

from . import (
    activities,
    activity_parts,
    analytics,
    athlete,
    custom_items,
    events,
    gear,
    sync,
    wellness,
)
from ._common import AppState, Deps


class ToolGroup(Protocol):
    def register(self, server: MCPServer[AppState], deps: Deps) -> None: ...


GROUPS: list[ToolGroup] = [activities, activity_parts, wellness, events, athlete, gear,
                           custom_items, sync, analytics]


def register_all(server: MCPServer[AppState], deps: Deps) -> None:
    for group in GROUPS:
        group.register(server, deps)
