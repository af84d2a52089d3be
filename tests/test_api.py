"""The HTTP client against the fake API: what is retried, what is reported, what is hidden."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from intervals_mirror.api import IntervalsClient
from intervals_mirror.errors import ApiError, NetworkError
from intervals_mirror.sync import run_sync

from conftest import settings_for
from fake_api import TRUNCATIONS, FakeIntervals
from mirror_helpers import assert_store_equals_api


def client_for(fake: FakeIntervals, tmp_path: Path, **overrides: object) -> IntervalsClient:
    return IntervalsClient(settings_for(fake, tmp_path / "m.sqlite", **overrides),
                           backoff_base=0.01)


def served_wellness(fake: FakeIntervals, oldest: str, newest: str) -> list[dict[str, object]]:
    return [r for k, r in sorted(fake.dataset.wellness.items()) if oldest <= k <= newest]


@pytest.mark.parametrize("how", TRUNCATIONS)
def test_a_body_cut_short_is_retried_like_a_dropped_connection(
        fake_api: FakeIntervals, tmp_path: Path, how: str) -> None:
    oldest, newest = str(min(fake_api.dataset.wellness)), str(max(fake_api.dataset.wellness))
    fake_api.inject(path="/wellness", truncate=how, times=2)
    with client_for(fake_api, tmp_path) as client:
        got = client.wellness(fake_api.athlete_id, oldest, newest)
    assert got == served_wellness(fake_api, oldest, newest)
    assert [r.fault for r in fake_api.requests] == [True, True, False]


def test_a_sync_through_cut_bodies_everywhere_mirrors_everything(
        fake_api: FakeIntervals, tmp_path: Path) -> None:
    for path, how in (("/activities?", "short"), ("/wellness", "eof"), ("/events", "cut"),
                      ("intervals=true", "gzip"), ("/custom-item", "cut")):
        fake_api.inject(path=path, truncate=how, times=2)
    settings = settings_for(fake_api, tmp_path / "m.sqlite", max_retries=3)
    with IntervalsClient(settings, backoff_base=0.01) as client:
        assert run_sync(settings, client=client).status == "ok"
    assert_store_equals_api(settings.db_path, fake_api.dataset)
    assert sum(r.fault for r in fake_api.requests) == 10


def test_an_html_page_is_not_retried_and_points_at_base_url(fake_api: FakeIntervals,
                                                            tmp_path: Path) -> None:
    fake_api.inject(path="/athlete/", status=200, body="<!DOCTYPE html><html>Sign in</html>",
                    times=5)
    with client_for(fake_api, tmp_path) as client, pytest.raises(ApiError) as info:
        client.athlete(fake_api.athlete_id)
    assert "not JSON" in str(info.value) and "check base_url" in str(info.value)
    assert fake_api.count() == 1


def test_bodies_cut_every_time_fail_with_one_short_line(fake_api: FakeIntervals,
                                                        tmp_path: Path) -> None:
    ids = sorted(a for a in fake_api.dataset.activities if a.startswith("i"))[:50]
    fake_api.inject(path="intervals=true", truncate="cut", times=100)
    with client_for(fake_api, tmp_path) as client, pytest.raises(NetworkError) as info:
        client.activities_with_intervals(fake_api.athlete_id, ids)
    message = str(info.value)
    assert "incomplete responses" in message and "4 attempts" in message
    assert f"{ids[0]}, {ids[1]}, {ids[2]} and 47 more" in message
    assert ids[3] not in message and "\n" not in message and len(message) < 250
    assert fake_api.count() == 4  # the first try and max_retries = 3


def test_a_server_error_on_many_ids_names_only_a_few(fake_api: FakeIntervals,
                                                     tmp_path: Path) -> None:
    ids = sorted(a for a in fake_api.dataset.activities if a.startswith("i"))[:50]
    fake_api.inject(path="intervals=true", status=502, times=100)
    with client_for(fake_api, tmp_path) as client, pytest.raises(ApiError) as info:
        client.activities_with_intervals(fake_api.athlete_id, ids)
    assert "answered 502" in str(info.value) and "and 47 more" in str(info.value)
    assert ids[-1] not in str(info.value)


def test_a_password_in_base_url_is_never_shown_or_logged(
        fake_api: FakeIntervals, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the CLI quiets it; a test may have run it
    with_secret = fake_api.base_url.replace("http://", "http://me:hunter2-pw@")
    with client_for(fake_api, tmp_path, base_url=with_secret) as client:
        assert client.athlete(fake_api.athlete_id)["id"] == fake_api.athlete_id
    unreachable = "http://me:hunter2-pw@127.0.0.1:9/api/v1"
    with client_for(fake_api, tmp_path, base_url=unreachable, max_retries=1) as client, \
            pytest.raises(NetworkError) as info:
        client.athlete(fake_api.athlete_id)
    assert "http://***@127.0.0.1:9/api/v1" in str(info.value)
    assert "hunter2" not in str(info.value) + caplog.text
    assert "127.0.0.1" in caplog.text  # the requests were logged, without the password
