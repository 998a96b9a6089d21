"""The API's rate limits: a sliding-window count whose stored state stays three numbers."""

import os
import pickle
import time

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from clinic.api.throttling import FileCounts, UserRateThrottle
from tests import factories

WINDOW_START = 1_800_000_000.0  # a multiple of 60: the start of a one-minute window


@pytest.fixture
def clock(monkeypatch):
    now = [WINDOW_START]
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: now[0])
    cache.clear()
    return now


@pytest.fixture
def ten_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "10/minute", "anon": None})


def me(api):
    return api.get("/api/v1/me/")


def test_the_limit_holds_and_retry_after_says_when_the_next_request_is_allowed(
    api, therapist, clock, ten_a_minute
):
    api.force_authenticate(therapist)
    clock[0] = WINDOW_START + 30
    assert [me(api).status_code for _ in range(10)] == [200] * 10
    refused = me(api)
    assert refused.status_code == 429
    # 30 s to the end of this window, then the 10 requests must fade to 9 of the last minute:
    # a tenth of the next window.
    assert refused["Retry-After"] == "36"
    clock[0] = WINDOW_START + 60 + 5
    assert me(api).status_code == 429
    clock[0] = WINDOW_START + 60 + 6
    assert me(api).status_code == 200
    assert me(api).status_code == 429


def test_a_quiet_minute_gives_the_whole_limit_back(api, therapist, clock, ten_a_minute):
    api.force_authenticate(therapist)
    assert [me(api).status_code for _ in range(11)] == [200] * 10 + [429]
    clock[0] = WINDOW_START + 125
    assert [me(api).status_code for _ in range(11)] == [200] * 10 + [429]


def test_the_stored_count_stays_small_however_many_requests(api, therapist, clock, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "2000/hour", "anon": None})
    api.force_authenticate(therapist)
    for _ in range(300):
        assert me(api).status_code == 200
    [key] = [key for key in cache._cache if "throttle" in key]
    assert len(pickle.dumps(cache.get(key.split(":", 2)[-1]))) < 64


@pytest.fixture
def file_cache(tmp_path, settings):
    settings.CACHES = {
        "default": {"BACKEND": "clinic.cache.FileCache", "LOCATION": str(tmp_path / "cache")}
    }
    return tmp_path / "cache"


def test_with_the_file_cache_each_clients_count_is_one_small_file(
    api, therapist, file_cache, clock, ten_a_minute
):
    api.force_authenticate(therapist)
    assert [me(api).status_code for _ in range(11)] == [200] * 10 + [429]
    [count_file] = (file_cache / "throttle").iterdir()
    assert count_file.stat().st_size == 24
    other = factories.clinician(therapist.clinician.clinic)
    api.force_authenticate(other)
    assert me(api).status_code == 200
    assert len(list((file_cache / "throttle").iterdir())) == 2


def test_counts_of_clients_gone_for_two_days_are_swept(file_cache):
    store = FileCounts(file_cache)
    store.update("gone", lambda stored: (1, 0, 1), timeout=60)
    [gone] = store.folder.iterdir()
    store.update("recent", lambda stored: (1, 0, 1), timeout=60)
    three_days_ago = time.time() - 3 * 86400
    os.utime(gone, (three_days_ago, three_days_ago))
    store.sweep()
    assert not gone.exists()
    assert len(list(store.folder.iterdir())) == 1
