"""The shared cache of several servers on a real Redis (tests/redis_server.py): a REDIS_URL that
cannot work stops start-up, a Redis that does not answer makes the app not ready and only the
requests that need it answer 503, and rate limits are exact across servers."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import SimpleRateThrottle

from clinic.redis_config import cache_from_redis_url
from tests.clinic_load import prepare_clinic, serve_environment, sign_in
from tests.live import ROOT, ServeGunicorn, call, free_port
from tests.redis_server import RedisServer

LIMIT = 20


@pytest.fixture
def redis_port():
    return free_port()


@pytest.fixture
def redis_cache(settings, redis_port):
    """The app's cache on a Redis at `redis_port`, which the test starts and stops itself."""
    settings.CACHES = {"default": cache_from_redis_url(f"redis://127.0.0.1:{redis_port}/0")}


@pytest.fixture
def redis_server(tmp_path, redis_port, redis_cache):
    server = RedisServer(tmp_path / "redis", redis_port).start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://cache:6379/0", "must start with redis://, rediss:// or unix://, not http://"),
        ("redis://:6379/0", "names no host"),
        ("redis://cache:port/0", "has a port that is not a number"),
        ("redis://cache:6379/zero", "names the database 'zero'"),
        ("unix://", "names no socket"),
    ],
)
def test_a_redis_url_that_cannot_work_is_refused_naming_what_is_wrong(url, named):
    with pytest.raises(ImproperlyConfigured, match=f"^REDIS_URL {named}"):
        cache_from_redis_url(url)


def test_the_app_does_not_start_with_a_malformed_redis_url():
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **serve_environment("sqlite:///:memory:", ROOT / "var"),
            "REDIS_URL": "redis://cache.internal:63790000/0",
        },
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "REDIS_URL has a port that is not a number from 0 to 65535." in started.stderr


@pytest.mark.django_db
def test_an_unreachable_redis_starts_not_ready_and_becomes_ready_when_it_answers(
    client, tmp_path, redis_port, redis_cache
):
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    assert waiting.json()["cache"] == "unreachable"
    assert client.get("/livez").status_code == 200

    server = RedisServer(tmp_path / "redis", redis_port).start()
    try:
        ready = client.get("/readyz")
    finally:
        server.stop()
    assert ready.status_code == 200
    assert ready.json()["cache"] == "ok"


def test_while_redis_is_down_throttled_requests_answer_503_and_recover_by_themselves(
    as_therapist, monkeypatch, redis_server
):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "100/minute", "anon": None})
    assert as_therapist.get("/api/v1/me/").status_code == 200

    redis_server.stop()
    # A 503 is reported like a server error; the test client would raise it instead.
    as_therapist.raise_request_exception = False
    refused = as_therapist.get("/api/v1/me/")
    redis_server.start()
    recovered = as_therapist.get("/api/v1/me/")

    assert refused.status_code == 503
    [error] = refused.json()["errors"]
    assert error["code"] == "cache_unreachable"
    assert error["detail"] == "The shared cache does not answer. Try again in a moment."
    assert recovered.status_code == 200


def test_two_servers_on_one_redis_allow_exactly_the_limit_between_them(tmp_path):
    redis = RedisServer(tmp_path / "redis", free_port()).start()
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    env.update(
        {"REDIS_URL": redis.url, "THROTTLE_USER_RATE": f"{LIMIT}/hour", "WEB_CONCURRENCY": "2"}
    )
    [username] = prepare_clinic(env, therapists=1)
    try:
        with (
            ServeGunicorn(env, tmp_path / "first.log") as first,
            ServeGunicorn(env, tmp_path / "second.log") as second,
        ):
            token = sign_in(first.port, username)
            ports = [first.port, second.port] * 40
            # Eight at a time over both servers, so all four workers count at once.
            with ThreadPoolExecutor(8) as pool:
                statuses = list(
                    pool.map(lambda port: call(port, "GET", "/api/v1/me/", token)[0], ports)
                )
    finally:
        redis.stop()
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == len(ports) - LIMIT
