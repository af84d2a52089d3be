"""First-run help: check credentials once, write the config file safely, and diagnose a setup."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .api import IntervalsClient
from .config import (
    ATHLETE_ID_RE,
    DEFAULT_BASE_URL,
    Settings,
    config_target,
    malformed_athlete_id,
    open_key_file,
)
from .errors import ApiError, AuthError, ConfigError, StoreCorruptError, StoreError, mask_url
from .queries.status import freshness, sync_status
from .store import Store, schema_version


def check_credentials(settings: Settings) -> dict[str, Any]:
    """One request that proves the key and athlete id work together; returns the athlete."""
    if not ATHLETE_ID_RE.match(settings.athlete_id or ""):
        raise ConfigError(malformed_athlete_id(settings.athlete_id or ""))
    quick = dataclasses.replace(settings, max_retries=1)
    with IntervalsClient(quick) as client:
        return client.athlete(settings.athlete_id)


def write_config(path: Path, *, api_key: str, athlete_id: str, overwrite: bool = False,
                 base_url: str | None = None) -> None:
    """Write the credentials with permissions 0600, atomically: a crash leaves no half file."""
    if path.exists() and not overwrite:
        raise ConfigError(f"{path} already exists: pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# intervals-mirror configuration, written by `intervals-mirror init`.\n"
        "# Every other key and its default: see config.example.toml.\n\n"
        "[intervals]\n"
        f"api_key = {json.dumps(api_key)}\n"
        f"athlete_id = {json.dumps(athlete_id)}\n"
        + (f"base_url = {json.dumps(base_url)}\n" if base_url else "")
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    path.chmod(0o600)


def init_config(settings: Settings, config_path: str | None, *, api_key: str | None,
                athlete_id: str | None, force: bool, interactive: bool
                ) -> tuple[Path, dict[str, Any]]:
    """`init`: ask for what is missing (on a terminal), check it with one request, then
    write the config file; nothing is written if the check fails. Returns the file and the
    athlete."""
    from getpass import getpass

    path = config_target(config_path)
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists: pass --force to replace it")
    api_key = api_key or settings.api_key or (
        getpass("Intervals.icu API key (Settings > Developer settings): ") if interactive else "")
    athlete_id = athlete_id or settings.athlete_id or (
        input("Athlete id (the i12345 in your Intervals.icu URL): ").strip()
        if interactive else "")
    if not api_key.strip() or not athlete_id:
        raise ConfigError(
            f"init: no {'API key' if not api_key.strip() else 'athlete id'} given: pass "
            "--api-key KEY and --athlete-id ID (or set INTERVALS_API_KEY and "
            "INTERVALS_ATHLETE_ID), or run init on a terminal to be asked")
    checked = dataclasses.replace(settings, api_key=api_key.strip(), athlete_id=athlete_id)
    try:
        athlete = check_credentials(checked)
    except AuthError as exc:  # the API's own hint points at settings init was about to write
        raise AuthError(_init_refused(exc, athlete_id), status=exc.status) from None
    write_config(path, api_key=checked.api_key, athlete_id=athlete_id, overwrite=force,
                 base_url=None if checked.base_url == DEFAULT_BASE_URL else checked.base_url)
    return path, athlete


def _init_refused(exc: AuthError, athlete_id: str) -> str:
    again = "then run `intervals-mirror init` again; nothing was written"
    if exc.status == 401:
        return ("Intervals.icu refused the API key (401 Unauthorized): copy the key again "
                f"from Intervals.icu Settings > Developer settings, {again}")
    return (f"Intervals.icu denied access to athlete {athlete_id} (403): check the athlete "
            "id (the i12345 in your Intervals.icu URL) and that the API key belongs to that "
            f"account, {again}")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warn: bool = False  # works, but should be fixed (doctor still exits 0)

    @property
    def mark(self) -> str:
        return "FAIL" if not self.ok else "WARN" if self.warn else "ok  "


def doctor(settings: Settings) -> list[Check]:
    """Every check on its own line; none prints the key."""
    if settings.demo:  # a store like any other, of a generated athlete: no account to check
        account = Check("account", True, "not needed: the demo store holds a generated athlete")
        checks = [_config_check(settings), account, *_store_checks(settings)]
        checks.append(Check("scheduler", True, "no background sync for the demo store"))
    else:
        checks = [_config_check(settings), *_api_checks(settings), *_store_checks(settings)]
        interval = settings.interval_minutes
        checks.append(Check("scheduler", True, f"serve syncs every {interval} minutes"
                            if interval else "background sync disabled (interval_minutes = 0)"))
    return [dataclasses.replace(c, detail=" ".join(c.detail.split())) for c in checks]


def _config_check(settings: Settings) -> Check:
    if settings.config_file is None:
        return Check("config", True, "no config file (settings from environment and defaults)")
    warning = open_key_file(settings)
    return Check("config", True, warning or str(settings.config_file), warn=bool(warning))


def _api_checks(settings: Settings) -> list[Check]:
    checks: list[Check] = []
    has_key = bool(settings.api_key)
    checks.append(Check("api key", has_key, "set (not shown)" if has_key else
                        "missing: set INTERVALS_API_KEY or run `intervals-mirror init`"))
    checks.append(Check("athlete id", bool(settings.athlete_id),
                        settings.athlete_id or "missing: set INTERVALS_ATHLETE_ID or run "
                        "`intervals-mirror init`"))
    if has_key and settings.athlete_id:
        try:
            athlete = check_credentials(settings)
            checks.append(Check("api", True, f"reachable at {mask_url(settings.base_url)}; athlete "
                                f"{athlete.get('id')} {athlete.get('name') or ''}".rstrip()))
        except (ApiError, ConfigError) as exc:
            checks.append(Check("api", False, str(exc)))
    else:
        checks.append(Check("api", False, "not checked: credentials missing"))
    return checks


def _store_checks(settings: Settings) -> list[Check]:
    path = settings.db_path
    if not path.exists():
        build = "intervals-mirror demo" if settings.demo else "intervals-mirror sync"
        return [Check("store", False, f"{path} does not exist yet: run `{build}`")]
    try:
        with Store.open(path, readonly=True) as store:
            store.check_health(thorough=True)
            version = store.db.conn.execute("PRAGMA user_version").fetchone()[0]
            status = sync_status(store)
            fresh = freshness(store)
    except StoreCorruptError as exc:
        return [Check("store", False, str(exc))]
    except (StoreError, sqlite3.Error) as exc:
        return [Check("store", False, f"{path}: {exc}")]
    last_error = status["last_error"]
    return [
        Check("store", True, f"{path}: integrity ok"),
        Check("schema", version == schema_version(), f"version {version}"
              + ("" if version == schema_version() else f" (this release: {schema_version()})")),
        Check("last sync", status["last_ok_sync"] is not None, fresh
              + (f"; last error: {last_error['error']}" if last_error else "")),
    ]
