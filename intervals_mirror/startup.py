"""Building a long-running server quickly: the MCP SDK's protocol types and our tools'
argument models are some 600 pydantic classes, made once and kept for the life of the process.

While they are made, the cyclic garbage collector runs again and again over everything made so
far, and finds nothing to free: about 50 ms of CPU before ``initialize`` can be answered (the
benchmark's "CPU time up to its initialize answer"). Paused while they are made, the objects
are then frozen out of the collector's later full passes too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_objects() -> Iterator[None]:
    """For the server's imports and construction only: never around work that makes garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
