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
    ("[sync]\nlookback_days = -1\n", "lookback_days: expected a positive number"),
    ("[sync]\nlookback_days = 'x'\n", "lookback_days: expected a number"),
    ("[sync]\nhistory_start = '2021-13-01'\n", "history_start: expected a date"),
    ("[sync]\nlookbak_days = 3\n", "unknown key 'lookbak_days' in \\[sync\\]"),
    ("[nope]\na = 1\n", "unknown section \\[nope\\]"),
    ("[sync\n", "not valid TOML"),
    ("[http]\nconcurrency = 0\n", "concurrency: expected a positive number"),
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
