"""The values of the server's keys under ``[server]`` (the remote-mode allowed_origins,
enforce_https, trusted_proxies, and which tools to list), checked once with an error that
names the key.

Beside ``config.py``, which stays the one reader of the environment and calls these.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from .errors import ConfigError, shown

_ORIGIN_RE = re.compile(r"^https?://[^/\s?#*@]+$")
# The groups of MCP tools `[server] tools` may name (each tools/ module says which is its).
TOOL_GROUPS = ("lookups", "analytics", "writes", "sync")


def text_list(name: str, value: Any) -> tuple[str, ...]:
    """A TOML list of text, or one comma-separated text (as environment variables give it)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{name}: expected a list of text, or one text with commas between "
                          f"the items, got {shown(value)}")
    return tuple(item.strip() for item in items if item.strip())


def _origins(value: Any) -> tuple[str, ...]:
    origins = tuple(o.rstrip("/").lower() for o in text_list("allowed_origins", value))
    for origin in origins:
        if not _ORIGIN_RE.match(origin):
            raise ConfigError(
                "allowed_origins: expected origins like https://claude.ai or "
                f"http://localhost:5173 (scheme://host[:port], no path, no *), got {shown(origin)}")
    return tuple(dict.fromkeys(origins))


def _networks(value: Any) -> tuple[str, ...]:
    networks = []
    for item in text_list("trusted_proxies", value):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigError(
                "trusted_proxies: expected IP addresses or networks like 127.0.0.1 or "
                f"172.16.0.0/12, got {shown(item)}") from None
    return tuple(dict.fromkeys(networks))


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else None
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"enforce_https: expected true or false, got {shown(value)}")


def _tool_groups(value: Any) -> tuple[str, ...]:
    """A TOML list, or a comma list (INTERVALS_MIRROR_TOOLS), of known groups."""
    where, expected = "[server] tools (or INTERVALS_MIRROR_TOOLS)", \
        f"expected one or more of {', '.join(TOOL_GROUPS)}"
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{where}: {expected}, as a list, got {shown(value)}")
    groups = [item.strip().lower() for item in items if item.strip()]
    unknown = [g for g in groups if g not in TOOL_GROUPS]
    if unknown or not groups:
        got = f"unknown group {shown(unknown[0])}" if unknown else "no group"
        raise ConfigError(f"{where}: {got}; {expected}")
    return tuple(dict.fromkeys(groups))


WRITES = ("all", "no-delete", "none")


def _writes(value: Any) -> str:
    """Which write tools the server lists: all, all but the deletes, or none."""
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in WRITES:
        raise ConfigError(f"[server] writes (or INTERVALS_MIRROR_WRITES): expected one of "
                          f"{', '.join(WRITES)}, got {shown(value)}")
    return str(text)


SERVER_SWITCHES = {"allowed_origins": _origins, "trusted_proxies": _networks,
                   "enforce_https": _switch, "tool_groups": _tool_groups, "writes": _writes}
