"""Settings: defaults < TOML file < environment < CLI flags, validated once, with clear errors.

This is the only module that reads ``os.environ``; everything else receives a ``Settings``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from .config_server import SERVER_SWITCHES, TOOL_GROUPS
from .errors import ConfigError, mask_url, shown

log = logging.getLogger(__name__)

APP_NAME = "intervals-mirror"
DEFAULT_BASE_URL = "https://intervals.icu/api/v1"
ATHLETE_ID_RE = re.compile(r"^(i?\d+)$")

# TOML layout: section -> key -> Settings field. One table so the file, the docs and the
# validation cannot drift apart.
TOML_KEYS: dict[str, dict[str, str]] = {
    "intervals": {"api_key": "api_key", "athlete_id": "athlete_id", "base_url": "base_url"},
    "store": {"path": "db_path"},
    "sync": {
        "history_start": "history_start",
        "lookback_days": "lookback_days",
        "future_days": "future_days",
        "full_every_days": "full_every_days",
        "interval_minutes": "interval_minutes",
        "lock_timeout": "lock_timeout",
        "streams_days": "streams_days",
    },
    "http": {
        "concurrency": "concurrency",
        "requests_per_second": "requests_per_second",
        "timeout": "timeout",
        "max_retries": "max_retries",
    },
    "server": {
        "token": "server_token",
        "allowed_origins": "allowed_origins",
        "enforce_https": "enforce_https",
        "trusted_proxies": "trusted_proxies",
        "tools": "tool_groups",
        "writes": "writes",
    },
}

# Environment variable -> Settings field; the first name found wins, so the prefixed
# names beat the short ones the live-API servers use.
ENV_KEYS: list[tuple[str, str]] = [
    ("INTERVALS_API_KEY", "api_key"),
    ("API_KEY", "api_key"),
    ("INTERVALS_ATHLETE_ID", "athlete_id"),
    ("ATHLETE_ID", "athlete_id"),
    ("INTERVALS_API_BASE_URL", "base_url"),
    ("INTERVALS_MIRROR_DB", "db_path"),
    ("INTERVALS_MIRROR_TOKEN", "server_token"),
    ("MCP_API_KEY", "server_token"),
    ("ALLOWED_ORIGINS", "allowed_origins"),
    ("ENFORCE_HTTPS", "enforce_https"),
    ("TRUSTED_PROXIES", "trusted_proxies"),
    ("INTERVALS_MIRROR_TOOLS", "tool_groups"),
    ("INTERVALS_MIRROR_WRITES", "writes"),
]
# Loopback: a TLS proxy on the same machine (Caddy, nginx) is trusted out of the box.
LOOPBACK_PROXIES = ("127.0.0.0/8", "::1/128")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def claude_desktop_config_path(environ: Mapping[str, str] | None = None,
                               platform: str | None = None) -> Path:
    """Where Claude Desktop reads its config on this platform: macOS ~/Library/Application
    Support/Claude, Windows %APPDATA%\\Claude, elsewhere (unofficial Linux builds)
    $XDG_CONFIG_HOME/Claude or ~/.config/Claude."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform == "darwin":
        folder = home / "Library" / "Application Support" / "Claude"
    elif platform == "win32":
        folder = Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Claude"
    else:
        folder = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "Claude"
    return folder / "claude_desktop_config.json"


@dataclass(frozen=True)
class Settings:
    """Everything the tool needs to run; secrets are kept out of ``repr``."""

    api_key: str = field(default="", repr=False)
    athlete_id: str = ""
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = field(default_factory=lambda: default_data_dir() / "mirror.sqlite")
    history_start: dt.date | None = None
    lookback_days: int = 30
    future_days: int = 90
    full_every_days: int = 30
    interval_minutes: int = 60
    lock_timeout: float = 30.0
    streams_days: int = 0  # sync keeps the streams of the activities of the last N days
    concurrency: int = 4
    requests_per_second: float = 10.0
    timeout: float = 30.0
    max_retries: int = 5
    server_token: str = field(default="", repr=False)
    allowed_origins: tuple[str, ...] = ()  # browser origins that get CORS headers
    enforce_https: bool = False  # refuse requests a trusted proxy did not get over HTTPS
    trusted_proxies: tuple[str, ...] = LOOPBACK_PROXIES  # networks whose X-Forwarded-Proto counts
    tool_groups: tuple[str, ...] = TOOL_GROUPS  # which groups of tools the server lists
    writes: str = "all"  # which write tools exist: all | no-delete | none
    config_file: Path | None = None
    demo: bool = False  # the generated demo store: nothing to fetch from any account

    def require_credentials(self) -> Settings:
        """Fail with one actionable line when the API cannot be called with these settings."""
        if self.demo:
            raise ConfigError(
                "this is the demo store of a generated athlete, so there is nothing to fetch; "
                "to mirror your own account run `intervals-mirror init`, then "
                "`intervals-mirror sync`, and use the tools without --demo")
        if not self.api_key:
            raise ConfigError(
                "No API key: set INTERVALS_API_KEY (or API_KEY), or api_key under [intervals] "
                "in the config file, or run `intervals-mirror init` "
                "(the key is in Intervals.icu Settings > Developer settings)."
            )
        if not self.athlete_id:
            raise ConfigError(
                "No athlete id: set INTERVALS_ATHLETE_ID (or ATHLETE_ID), or athlete_id under "
                "[intervals] in the config file, e.g. i12345 (shown in your Intervals.icu URL)."
            )
        return self



def load_settings(
    *,
    config_path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    new_config_ok: bool = False,
) -> Settings:
    """Build settings from every layer; ``overrides`` are CLI flags (None values are ignored).

    ``new_config_ok``: a named config file that does not exist yet is no error (for `init`).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}

    path = _config_file(config_path, env, new_config_ok)
    if path is not None:
        values.update(_read_toml(path))

    from_env: dict[str, str] = {}
    for name, key in ENV_KEYS:
        if key not in from_env and _given(env.get(name)):
            from_env[key] = env[name]
    values.update(from_env)

    for key, value in (overrides or {}).items():
        if _given(value):
            values[key] = value

    return _validate(values, path)


def open_key_file(settings: Settings) -> str | None:
    """ssh's rule for private keys: a config file holding the API key must be the user's
    alone. Returns the warning to show, or None."""
    path = settings.config_file
    if path is None or os.name != "posix":
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        holds_key = _given(_read_toml(path).get("api_key"))
    except (OSError, ConfigError):
        return None
    if not holds_key or not mode & 0o077:
        return None
    return (f"permissions {mode:04o} on {path} are too open: it holds your API key, so "
            f"make it yours alone with `chmod 600 {path}`")


def warn_open_key_file(settings: Settings) -> None:
    """Logs ``open_key_file``'s warning, if any (the CLI shows warnings on stderr)."""
    warning = open_key_file(settings)
    if warning:
        log.warning("%s", warning)


def _given(value: Any) -> bool:
    """Empty means "not set": ``path = ""`` in the example file keeps the default path."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def config_target(config_path: str | Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Path:
    """The config file in use, or the one `init` should write: --config, then
    $INTERVALS_MIRROR_CONFIG, then the platform config folder."""
    env = os.environ if environ is None else environ
    chosen = config_path or env.get("INTERVALS_MIRROR_CONFIG")
    return Path(chosen).expanduser() if chosen else default_config_path()


def _config_file(config_path: str | Path | None, env: Mapping[str, str],
                 new_ok: bool = False) -> Path | None:
    path = config_target(config_path, env)
    if path.is_file():
        return path
    named = "--config" if config_path else "INTERVALS_MIRROR_CONFIG" \
        if env.get("INTERVALS_MIRROR_CONFIG") else None
    if named and not new_ok:
        raise ConfigError(f"{named}: no such file {path} (`intervals-mirror init` writes one)")
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        known = TOML_KEYS.get(section)
        if known is None or not isinstance(table, dict):
            raise ConfigError(
                f"config file {path}: unknown section [{section}]; "
                f"expected one of {', '.join('[' + s + ']' for s in TOML_KEYS)}"
            )
        for key, value in table.items():
            if key not in known:
                raise ConfigError(
                    f"config file {path}: unknown key {key!r} in [{section}]; "
                    f"expected one of {', '.join(known)}"
                )
            if _given(value):
                values[known[key]] = value
    store = values.get("db_path")
    if isinstance(store, str) and store and not Path(store).expanduser().is_absolute():
        # Relative to the file, so cron and Claude Desktop (other working folders) agree.
        values["db_path"] = str(path.parent / store)
    return values


def malformed_athlete_id(value: str) -> str:
    """The error for a bad athlete id; a long value may be the API key, so it is not shown."""
    shown = repr(value) if len(value) <= 16 else \
        f"(a value of {len(value)} characters: is it the API key?)"
    return (f"athlete id {shown} is malformed: expected i followed by digits (e.g. i12345, as "
            "in your Intervals.icu URL), or 0 for the key's own athlete")


def _validate(values: dict[str, Any], path: Path | None) -> Settings:
    out: dict[str, Any] = {"config_file": path}
    for f in dataclasses.fields(Settings):
        if f.name in values and f.name != "config_file":
            out[f.name] = _coerce(f.name, values[f.name])
    settings = Settings(**out)
    if settings.athlete_id and not ATHLETE_ID_RE.match(settings.athlete_id):
        raise ConfigError(malformed_athlete_id(settings.athlete_id))
    _check_base_url(settings.base_url)
    return settings


def _check_base_url(url: str) -> None:
    """What httpx would refuse later with a bare InvalidURL, refused here naming the key."""
    problem = ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it (ValueError when out of range)
    except ValueError as exc:
        problem = f" ({exc})"
    else:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem = " "
        elif any(ord(c) <= 32 or ord(c) == 127 for c in url):
            problem = " (it holds a space or a control character)"
    if problem:
        raise ConfigError(f"base_url: expected an http(s) URL like {DEFAULT_BASE_URL}, "
                          f"got {shown(mask_url(url))}{problem.rstrip()}")


# Numeric keys: (kind, smallest, largest). Zero is allowed where it means "never" or "none".
# The largest are far beyond any sensible use, and small enough that no date or timer
# computed from them overflows.
_NUMBERS: dict[str, tuple[type, float, float]] = {
    "lookback_days": (int, 0, 3660),
    "future_days": (int, 0, 3660),
    "full_every_days": (int, 0, 3660),
    "streams_days": (int, 0, 3660),
    "interval_minutes": (int, 0, 10080),  # a week
    "concurrency": (int, 1, 32),
    "max_retries": (int, 0, 20),
    "lock_timeout": (float, 0, 86400),  # a day
    "requests_per_second": (float, 0.01, 1000),
    "timeout": (float, 0.1, 600),
}
# Where a key lives in the file, for the few whose field name differs.
_LABELS = {"db_path": "[store] path", "server_token": "[server] token",
           "tool_groups": "[server] tools", "writes": "[server] writes"}


def _coerce(name: str, value: Any) -> Any:
    if name in _NUMBERS:
        return _number(name, value)
    if name == "history_start":
        return _history_start(value)
    if name in SERVER_SWITCHES:
        return SERVER_SWITCHES[name](value)
    label = _LABELS.get(name, name)
    if name == "db_path":
        if not isinstance(value, (str, os.PathLike)):
            raise ConfigError(f"{label}: expected a file path as text, got {shown(value)}")
        return Path(value).expanduser()
    if not isinstance(value, str):
        raise ConfigError(f"{label}: expected text, got {shown(value)}")
    return value.strip().rstrip("/") if name == "base_url" else value.strip()


def _number(name: str, value: Any) -> int | float:
    kind, low, high = _NUMBERS[name]
    whole = kind is int
    expected = (f"{name}: expected {'a whole number' if whole else 'a number'} from "
                f"{low:g} to {high:g}, got {shown(value)}")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ConfigError(expected)
    try:
        number = float(value) if isinstance(value, str) else value
    except ValueError:
        raise ConfigError(expected) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise ConfigError(expected)
    if not low <= number <= high or (whole and number != int(number)):
        raise ConfigError(expected)
    return int(number) if whole else float(number)


def _history_start(value: Any) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise ConfigError(f"history_start: expected a date YYYY-MM-DD, got {shown(value)}")

