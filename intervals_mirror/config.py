"""Settings: defaults < TOML file < environment < CLI flags, validated once, with clear errors.

This is the only module that reads ``os.environ``; everything else receives a ``Settings``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError

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
    },
    "http": {
        "concurrency": "concurrency",
        "requests_per_second": "requests_per_second",
        "timeout": "timeout",
        "max_retries": "max_retries",
    },
    "server": {"token": "server_token"},
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
]


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


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
    concurrency: int = 4
    requests_per_second: float = 10.0
    timeout: float = 30.0
    max_retries: int = 5
    server_token: str = field(default="", repr=False)
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
        if key not in from_env and env.get(name):
            from_env[key] = env[name]
    values.update(from_env)

    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value

    return _validate(values, path)


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
    if not settings.base_url.startswith(("http://", "https://")):
        raise ConfigError(f"base_url {settings.base_url!r}: expected an http(s) URL")
    return settings


_INT_FIELDS = {"lookback_days", "future_days", "full_every_days", "interval_minutes",
               "concurrency", "max_retries"}
_FLOAT_FIELDS = {"lock_timeout", "requests_per_second", "timeout"}
_POSITIVE = {"concurrency", "requests_per_second", "timeout"}


def _coerce(name: str, value: Any) -> Any:
    if name in _INT_FIELDS or name in _FLOAT_FIELDS:
        kind = int if name in _INT_FIELDS else float
        try:
            if isinstance(value, bool):
                raise ValueError
            number = kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: expected a number, got {value!r}") from None
        if number < 0 or (name in _POSITIVE and number == 0):
            raise ConfigError(f"{name}: expected a positive number, got {value!r}")
        return number
    if name == "history_start":
        if value in ("", None):
            return None
        if isinstance(value, dt.datetime):
            raise ConfigError(f"history_start: expected a date YYYY-MM-DD, got {value!r}")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(
                f"history_start: expected a date YYYY-MM-DD, got {value!r}"
            ) from None
    if name == "db_path":
        return Path(str(value)).expanduser()
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected text, got {value!r}")
    return value.strip().rstrip("/") if name == "base_url" else value.strip()
