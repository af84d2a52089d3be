"""The write tools' annotations, in one place.

Every write changes the user's Intervals.icu data (``readOnlyHint: false``) and reaches
beyond the mirror (``openWorldHint: true``); ``destructiveHint`` where it can overwrite or
delete, ``idempotentHint`` where repeating it changes nothing more. Which writes exist is
decided in each group's ``register`` from ``[server] writes``; they register with
``_common.text_tool``, so they answer text only, like every tool.
"""

from __future__ import annotations

from mcp.types import ToolAnnotations

# add_or_update_*: a new object each time, or an overwrite of the named one.
SAVES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False,
                        open_world_hint=True)
CREATES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                          open_world_hint=True)
UPDATES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True,
                          open_world_hint=True)
DELETES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True,
                          open_world_hint=True)
