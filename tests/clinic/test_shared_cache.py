"""Rate limits hold across workers: two gunicorn workers share one cache (files under var/ by
default), so a client gets the documented limit, not once per worker."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.clinic_load import PASSWORD, manage, prepare_clinic, serve_environment, sign_in
from tests.live import ROOT, ServeGunicorn, call

LIMIT = 20


def test_two_workers_answer_the_documented_limit_not_twice_it(tmp_path):
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    env.update({"THROTTLE_USER_RATE": f"{LIMIT}/hour", "WEB_CONCURRENCY": "2"})
    [username] = prepare_clinic(env, therapists=1)
    with ServeGunicorn(env, tmp_path / "gunicorn.log") as server:
        token = sign_in(server.port, username)
        # Eight at a time, so both workers are busy answering.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(lambda _: call(server.port, "GET", "/api/v1/me/", token)[0], range(60))
            )
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 60 - statuses.count(200)
    assert any((tmp_path / "cache").iterdir())


def test_redis_url_selects_djangos_redis_backend():
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **serve_environment("sqlite:///:memory:", ROOT / "var"),
            "REDIS_URL": "redis://cache.internal:6379/2",
        },
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert output == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/2",
    ]


def test_an_editors_change_shows_in_the_next_list_whichever_worker_answers(tmp_path):
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    env["WEB_CONCURRENCY"] = "2"
    [username] = prepare_clinic(env, therapists=1)
    manage(
        env,
        "create_clinician",
        "catalogue-editor",
        "--clinic",
        "Load Test Clinic",
        "--password",
        PASSWORD,
        "--role",
        "editor",
    )
    with ServeGunicorn(env, tmp_path / "gunicorn.log") as server:
        reader, editor = sign_in(server.port, username), sign_in(server.port, "catalogue-editor")
        listing = "/api/v1/exercises/?ordering=name&page_size=100"

        def names_everywhere():
            # Eight at a time, so both workers answer (and fill their view of the cache).
            with ThreadPoolExecutor(8) as pool:
                answers = list(
                    pool.map(lambda _: call(server.port, "GET", listing, reader), range(16))
                )
            assert {status for status, _ in answers} == {200}
            return {tuple(row["name"] for row in body["results"]) for _, body in answers}

        [before] = names_everywhere()
        _, published = call(server.port, "GET", listing, reader)
        exercise_id = published["results"][-1]["id"]
        status, _ = call(
            server.port,
            "PATCH",
            f"/api/v1/exercises/{exercise_id}/",
            editor,
            {"name": "Aaa renamed stretch"},
        )
        assert status == 200
        [after] = names_everywhere()
    assert after[0] == "Aaa renamed stretch"
    assert len(after) == len(before)
