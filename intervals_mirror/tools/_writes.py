"""What the write tools share: their annotations and how they are registered.

Every write changes the user's Intervals.icu data (``readOnlyHint: false``) and reaches
beyond the mirror (``openWorldHint: true``); ``destructiveHint`` where it can overwrite or
delete, ``idempotentHint`` where repeating it changes nothing more. Which writes exist is
decided in each group's ``register`` from ``[server] writes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from ._common import AppState

# add_or_update_*: a new object each time, or an overwrite of the named one.
SAVES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False,
                        open_world_hint=True)
CREATES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                          open_world_hint=True)
UPDATES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True,
                          open_world_hint=True)
DELETES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True,
                          open_world_hint=True)


def write_tool(server: MCPServer[AppState], title: str, annotations: ToolAnnotations
               ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A write tool: text only (no structured content), its docstring on one line."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        description = " ".join((fn.__doc__ or "").split())
        return server.tool(title=title, description=description, annotations=annotations,
                           structured_output=False)(fn)

    return register


def text(answer: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=answer)])
