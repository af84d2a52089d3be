"""Settings come from defaults < TOML file < environment < CLI flags, with clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intervals_mirror.config import load_settings
from intervals_mirror.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_layers_override_in_order(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", """
[intervals]
api_key = "from-file"
athlete_id = "i1"
[sync]
lookback_days = 10
future_days = 5
""")
    env = {"INTERVALS_ATHLETE_ID": "i2", "ATHLETE_ID": "i999", "INTERVALS_MIRROR_DB": "/tmp/x.db"}
    s = load_settings(config_path=config, environ=env, overrides={"athlete_id": None,
                                                                   "lookback_days": 3})
    assert s.api_key == "from-file"          # file beats default
    assert s.athlete_id == "i2"              # prefixed env beats short env and file
    assert s.db_path == Path("/tmp/x.db")
    assert s.lookback_days == 3              # flag beats file
    assert s.future_days == 5
    assert s.full_every_days == 30           # default


def test_short_environment_names_of_live_api_servers_work() -> None:
    s = load_settings(environ={"API_KEY": "k", "ATHLETE_ID": "i42",
                               "INTERVALS_API_BASE_URL": "http://127.0.0.1:9/api/v1/"})
    assert (s.api_key, s.athlete_id, s.base_url) == ("k", "i42", "http://127.0.0.1:9/api/v1")


def test_config_file_found_through_environment_variable(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[sync]\nhistory_start = "2020-02-29"\n')
    s = load_settings(environ={"INTERVALS_MIRROR_CONFIG": str(config)})
    assert s.history_start == dt.date(2020, 2, 29)


def test_api_key_never_in_repr() -> None:
    s = load_settings(environ={"API_KEY": "secret-value-123", "ATHLETE_ID": "i1"})
    assert "secret-value-123" not in repr(s)


@pytest.mark.parametrize("athlete_id", ["12345x", "x12345", "i-1", "athlete"])
def test_malformed_athlete_id_says_what_is_expected(athlete_id: str) -> None:
    with pytest.raises(ConfigError, match="expected i followed by digits"):
        load_settings(environ={"ATHLETE_ID": athlete_id})


def test_missing_key_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match="INTERVALS_API_KEY"):
        load_settings(environ={"ATHLETE_ID": "i1"}).require_credentials()
    with pytest.raises(ConfigError, match="INTERVALS_ATHLETE_ID"):
        load_settings(environ={"API_KEY": "k"}).require_credentials()


@pytest.mark.parametrize(("text", "message"), [
    ("[sync]\nlookback_days = -1\n", "lookback_days: expected a whole number from 0 to"),
    ("[sync]\nlookback_days = 'x'\n", "lookback_days: expected a whole number"),
    ("[sync]\nhistory_start = '2021-13-01'\n", "history_start: expected a date"),
    ("[sync]\nlookbak_days = 3\n", "unknown key 'lookbak_days' in \\[sync\\]"),
    ("[nope]\na = 1\n", "unknown section \\[nope\\]"),
    ("[sync\n", "not valid TOML"),
    ("[http]\nconcurrency = 0\n", "concurrency: expected a whole number from 1 to"),
    # Far too big for any date or timer computed from them (an OverflowError once).
    ("[sync]\nlookback_days = 100000000\n", "lookback_days: expected a whole number from 0 to"),
    ("[sync]\nfuture_days = 99999999999\n", "future_days: expected a whole number from 0 to"),
    ("[sync]\nfull_every_days = 1e300\n", "full_every_days: expected a whole number from"),
    ("[sync]\ninterval_minutes = 2.5\n", "interval_minutes: expected a whole number from"),
    ("[sync]\nstreams_days = -3\n", "streams_days: expected a whole number from 0 to"),
    ("[sync]\nlock_timeout = inf\n", "lock_timeout: expected a number from 0 to"),
    ("[http]\ntimeout = nan\n", "timeout: expected a number from"),
    ("[http]\nrequests_per_second = 1e9\n", "requests_per_second: expected a number from"),
    ("[http]\nmax_retries = 1000000\n", "max_retries: expected a whole number from 0 to"),
    ("[http]\nconcurrency = 100000\n", "concurrency: expected a whole number from 1 to"),
    ("[http]\nconcurrency = true\n", "concurrency: expected a whole number"),
    ("[store]\npath = 5\n", "\\[store\\] path: expected a file path as text, got 5"),
    ("[intervals]\nbase_url = 'http://[::1'\n", "base_url: expected an http\\(s\\) URL"),
    ("[intervals]\nbase_url = 'http://h:99999/api/v1'\n", "base_url: .*Port out of range"),
    ("[intervals]\nbase_url = 'intervals.icu/api/v1'\n", "base_url: expected an http"),
    ('[intervals]\nbase_url = "http://h/api\\tv1"\n', "base_url: .*control character"),
    ("[intervals]\napi_key = 5\n", "api_key: expected text, got 5"),
])
def test_bad_config_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(config_path=write(tmp_path / "c.toml", text), environ={})


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(config_path=tmp_path / "absent.toml", environ={})


def test_example_config_is_valid_and_documents_every_key() -> None:
    from intervals_mirror.config import TOML_KEYS

    example = Path(__file__).parents[1] / "config.example.toml"
    s = load_settings(config_path=example, environ={})
    assert s.lookback_days == 30 and s.history_start is None
    text = example.read_text(encoding="utf-8")
    for section, keys in TOML_KEYS.items():
        assert f"[{section}]" in text
        for key in keys:
            assert f"\n{key} = " in text, key


def test_a_datetime_for_history_start_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "[sync]\nhistory_start = 2020-01-01T00:00:00\n")
    with pytest.raises(ConfigError, match="history_start: expected a date YYYY-MM-DD"):
        load_settings(config_path=config, environ={})


def test_a_key_given_as_the_athlete_id_is_not_echoed() -> None:
    key = "5f3b9c1e7a2d4b6c8e0f1a3b"
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"ATHLETE_ID": key})
    assert key not in str(info.value) and "is it the API key?" in str(info.value)


def test_a_relative_store_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[store]\npath = "data/mirror.sqlite"\n')
    s = load_settings(config_path=config, environ={})
    assert s.db_path == tmp_path / "data" / "mirror.sqlite"


EXAMPLE = Path(__file__).parents[1] / "config.example.toml"


def test_empty_values_mean_the_default_as_the_example_file_says(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", """
[intervals]
base_url = ""
[store]
path = ""
[sync]
lookback_days = ""
history_start = " "
[http]
timeout = ""
""")
    s = load_settings(config_path=config, environ={}, overrides={"db_path": ""})
    assert s.base_url == "https://intervals.icu/api/v1"
    assert s.db_path == tmp_path / "xdg-data" / "intervals-mirror" / "mirror.sqlite"
    assert (s.lookback_days, s.history_start, s.timeout) == (30, None, 30.0)


def test_an_empty_later_layer_keeps_the_earlier_value(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[store]\npath = "/srv/mirror.sqlite"\n')
    s = load_settings(config_path=config, environ={"INTERVALS_MIRROR_DB": ""},
                      overrides={"db_path": ""})
    assert s.db_path == Path("/srv/mirror.sqlite")


def test_the_example_file_as_shipped_keeps_the_default_store() -> None:
    s = load_settings(config_path=EXAMPLE, environ={})
    assert s.db_path.name == "mirror.sqlite" and s.db_path.is_absolute()


def test_the_largest_values_allowed_do_not_overflow_anything() -> None:
    import datetime as dt_

    s = load_settings(environ={}, overrides={"lookback_days": 3660, "future_days": 3660,
                                             "full_every_days": 3660})
    assert dt_.date.max - dt_.timedelta(days=s.lookback_days) > dt_.date.today()


def test_a_password_in_base_url_is_masked_in_the_error() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"INTERVALS_API_BASE_URL": "http://me:hunter2-pw@[::1/api/v1"})
    assert "hunter2" not in str(info.value) and "me:" not in str(info.value)
    assert "http://***@[::1/api/v1" in str(info.value)


def test_a_huge_bad_value_is_echoed_cut_short(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", f'[sync]\nhistory_start = "{"9" * 100_000}"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(config_path=config, environ={})
    assert "history_start: expected a date" in str(info.value)
    assert len(str(info.value)) < 200 and "100,000 characters" in str(info.value)


def test_mcp_api_key_is_another_name_for_the_server_token() -> None:
    assert load_settings(environ={"MCP_API_KEY": "a"}).server_token == "a"
    both = load_settings(environ={"MCP_API_KEY": "a", "INTERVALS_MIRROR_TOKEN": "b"})
    assert both.server_token == "b"  # the prefixed name wins, as for every other key
    assert "token-9c2f" not in repr(load_settings(environ={"MCP_API_KEY": "token-9c2f"}))


def test_remote_switches_from_the_environment_and_the_file(tmp_path: Path) -> None:
    defaults = load_settings(environ={})
    assert (defaults.allowed_origins, defaults.enforce_https) == ((), False)
    assert defaults.trusted_proxies == ("127.0.0.0/8", "::1/128")  # loopback
    env = load_settings(environ={"ALLOWED_ORIGINS": "https://Claude.ai/, http://localhost:5173",
                                 "ENFORCE_HTTPS": "true", "TRUSTED_PROXIES": "10.0.0.2"})
    assert env.allowed_origins == ("https://claude.ai", "http://localhost:5173")
    assert (env.enforce_https, env.trusted_proxies) == (True, ("10.0.0.2/32",))
    config = write(tmp_path / "c.toml", """
[server]
allowed_origins = ["https://a.example"]
enforce_https = true
trusted_proxies = ["172.16.0.0/12", "::1"]
""")
    from_file = load_settings(config_path=config, environ={"ENFORCE_HTTPS": "no"})
    assert from_file.allowed_origins == ("https://a.example",)
    assert from_file.trusted_proxies == ("172.16.0.0/12", "::1/128")
    assert from_file.enforce_https is False  # the environment beats the file


@pytest.mark.parametrize(("env", "message"), [
    ({"ALLOWED_ORIGINS": "*"}, "allowed_origins: expected origins like https://claude.ai .*'\\*'"),
    ({"ALLOWED_ORIGINS": "https://a.example/app"}, "no path"),
    ({"ALLOWED_ORIGINS": "a.example"}, "scheme://host"),
    ({"ENFORCE_HTTPS": "maybe"}, "enforce_https: expected true or false, got 'maybe'"),
    ({"TRUSTED_PROXIES": "proxy.lan"}, "trusted_proxies: expected IP addresses or networks"),
    ({"TRUSTED_PROXIES": "10.0.0.0/33"}, "trusted_proxies: .*got '10.0.0.0/33'"),
])
def test_bad_remote_switches_name_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=env)


def test_a_list_of_numbers_for_allowed_origins_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "[server]\nallowed_origins = [1, 2]\n")
    with pytest.raises(ConfigError, match="allowed_origins: expected a list of text"):
        load_settings(config_path=config, environ={})


def test_tool_groups_come_from_a_list_or_a_comma_list(tmp_path: Path) -> None:
    assert load_settings(environ={}).tool_groups == ("lookups", "analytics", "writes", "sync")
    config = write(tmp_path / "c.toml", '[server]\ntools = ["lookups", "Sync"]\n')
    assert load_settings(config_path=config, environ={}).tool_groups == ("lookups", "sync")
    from_env = load_settings(config_path=config, environ={"INTERVALS_MIRROR_TOOLS": "analytics,"})
    assert from_env.tool_groups == ("analytics",)


@pytest.mark.parametrize(("value", "message"), [
    ('["lookups", "gear"]', "unknown group 'gear'; expected one or more of lookups, analytics, "
                            "writes, sync"),
    ("[]", "no group; expected one or more of lookups"),
    ("5", "expected one or more of lookups, analytics, writes, sync, as a list, got 5"),
])
def test_an_unknown_tool_group_names_the_key_and_the_choices(tmp_path: Path, value: str,
                                                             message: str) -> None:
    config = write(tmp_path / "c.toml", f"[server]\ntools = {value}\n")
    with pytest.raises(ConfigError) as info:
        load_settings(config_path=config, environ={})
    assert str(info.value).startswith(f"[server] tools (or INTERVALS_MIRROR_TOOLS): {message}")
