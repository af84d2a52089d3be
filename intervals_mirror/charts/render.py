"""Vega-Lite specs drawn to PNG or SVG by vl-convert, the only module that imports it.

vl-convert (one self-contained wheel: Vega, Vega-Lite, a JavaScript engine and the Liberation
fonts) is imported here, on the first chart drawn, never at start-up: the server answers
``initialize`` without it. No spec may fetch anything (``allowed_base_urls=[]``): every chart
carries its data, and drawing works offline.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()  # one drawing at a time: the JavaScript engine is one worker anyway


def png(spec: dict[str, Any]) -> bytes:
    """The chart as a PNG image (pixels as the spec's sizes say)."""
    with _LOCK:
        return bytes(_converter().vegalite_to_png(spec, scale=1.0, allowed_base_urls=[]))


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document (for the HTML report: sharp at any zoom, small)."""
    with _LOCK:
        return str(_converter().vegalite_to_svg(spec, allowed_base_urls=[]))


def _converter() -> Any:
    import vl_convert

    return vl_convert
