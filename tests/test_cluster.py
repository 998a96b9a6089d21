"""Two app servers, one service, on real distributed parts (tests/cluster.py): PostgreSQL behind
PgBouncer, Redis, SeaweedFS, two gunicorns behind nginx. What a clinic network relies on when
it runs more than one server, and what happens when a part fails.

Run with `python -m pytest -m cluster tests/test_cluster.py` (CI's smoke); CLUSTER_LOAD_SECONDS
lengthens the load under which an app server is stopped (the full run: 60).
"""

import contextlib
import http.client
import os
import re
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import pytest

from clinic.readiness import STORAGE_PROBE_SECONDS
from tests.clinic_load import PASSWORD, sign_in
from tests.cluster import Cluster, cluster, create_editor
from tests.live import ServeGunicorn, call, get

pytestmark = pytest.mark.cluster

HANDOUT_LIMIT = 12
LOGIN_FAILURE_LIMIT = 3
LOAD_SECONDS = float(os.environ.get("CLUSTER_LOAD_SECONDS", "4"))
LOAD_THREADS = 4
EDITOR = "cluster-editor"


@pytest.fixture(scope="module")
def running():
    with cluster(
        therapists=4,
        THROTTLE_HANDOUT_RATE=f"{HANDOUT_LIMIT}/hour",
        LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
    ) as parts:
        create_editor(parts.env, EDITOR, PASSWORD)
        yield parts


def drafted_prescription(port: int, token: str) -> str:
    """A new patient's draft prescription of three exercises; its path."""
    _, exercises = call(port, "GET", "/api/v1/exercises/?page_size=3", token)
    status, patient = call(
        port,
        "POST",
        "/api/v1/patients/",
        token,
        {
            "given_name": "Cluster",
            "family_name": "Patient",
            "date_of_birth": "1970-01-01",
            "identifier": f"CLUSTER-{uuid.uuid4().hex[:12]}",
        },
    )
    assert status == 201, patient
    items = [{"exercise": row["id"]} for row in exercises["results"]]
    status, prescription = call(
        port, "POST", "/api/v1/prescriptions/", token, {"patient": patient["id"], "items": items}
    )
    assert status == 201, prescription
    return f"/api/v1/prescriptions/{prescription['id']}/"


def issue(port: int, token: str, path: str):
    """(status, body) of issuing the prescription at `path` as last read."""
    read: dict = {}
    call(port, "GET", path, token, answer_headers=read)
    return call(port, "POST", f"{path}issue/", token, headers={"If-Match": read["ETag"]})


def issued_prescription(port: int, token: str) -> str:
    """A new patient's prescription of three exercises, issued; its path."""
    path = drafted_prescription(port, token)
    status, body = issue(port, token, path)
    assert status == 200, body
    return path


def test_a_handout_issued_through_one_server_downloads_byte_identical_through_the_other(
    running: Cluster,
):
    first, second = running.app_ports
    token = sign_in(running.balancer, running.usernames[0])
    path = issued_prescription(first, token)

    through_second = call(second, "GET", f"{path}handout/", token)
    through_balancer = call(running.balancer, "GET", f"{path}handout/", token)

    assert through_second[0] == through_balancer[0] == 200
    assert through_second[1].startswith(b"%PDF")
    assert through_second[1] == through_balancer[1]


def test_the_handout_rate_limit_is_exact_across_both_servers(running: Cluster):
    token = sign_in(running.balancer, running.usernames[1])
    path = issued_prescription(running.balancer, token)
    ports = [*running.app_ports, running.balancer] * HANDOUT_LIMIT

    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda port: call(port, "GET", f"{path}handout/", token)[0], ports)
        )

    assert statuses.count(200) == HANDOUT_LIMIT
    assert statuses.count(429) == len(ports) - HANDOUT_LIMIT


def test_a_lockout_earned_on_one_server_holds_on_the_other(running: Cluster):
    username = running.usernames[2]
    wrong = {"username": username, "password": "not-the-password"}
    failures = [
        call(running.app_ports[attempt % 2], "POST", "/api/v1/auth/token/", body=wrong)[0]
        for attempt in range(LOGIN_FAILURE_LIMIT)
    ]
    right = {"username": username, "password": PASSWORD}

    after = [call(port, "POST", "/api/v1/auth/token/", body=right) for port in running.app_ports]

    # The attempt that reaches the limit is already answered with the lockout.
    assert failures == [401] * (LOGIN_FAILURE_LIMIT - 1) + [429]
    assert [status for status, _ in after] == [429, 429]
    assert {body["errors"][0]["code"] for _, body in after} == {"locked_out"}


def admin_page(port: int, path: str, cookies: dict, form: dict | None = None):
    """(status, body text, cookies set) of one admin request with `cookies` sent."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    body = None
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}/admin/login/"
        body = "&".join(f"{k}={v}" for k, v in form.items())
    try:
        conn.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        set_cookies = {
            value.split("=", 1)[0]: value.split("=", 1)[1].split(";", 1)[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        }
        return response.status, text, set_cookies
    finally:
        conn.close()


def test_an_admin_session_started_on_one_server_works_on_the_other(running: Cluster):
    first, second = running.app_ports
    status, page, cookies = admin_page(first, "/admin/login/", {})
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None, (status, page[:500])
    form = {"csrfmiddlewaretoken": csrf.group(1), "username": EDITOR, "password": PASSWORD}
    status, _, signed_in = admin_page(first, "/admin/login/?next=/admin/", cookies, form)
    assert status == 302
    session = {**cookies, **signed_in}

    on_second = admin_page(second, "/admin/", session)
    on_first = admin_page(first, "/admin/", session)

    assert on_second[0] == on_first[0] == 200
    assert EDITOR in on_second[1]


def test_an_editors_change_shows_on_the_next_read_through_either_server(running: Cluster):
    reader = sign_in(running.balancer, running.usernames[3])
    editor = sign_in(running.balancer, EDITOR)
    listing = "/api/v1/exercises/?ordering=name&page_size=100"
    for port in running.app_ports:  # both servers fill the shared cache
        assert call(port, "GET", listing, reader)[0] == 200
    exercise_id = call(running.balancer, "GET", listing, reader)[1]["results"][-1]["id"]
    renamed = f"Aaa cluster stretch {uuid.uuid4().hex[:6]}"

    status, _ = call(
        running.app_ports[0],
        "PATCH",
        f"/api/v1/exercises/{exercise_id}/",
        editor,
        {"name": renamed},
    )

    assert status == 200
    for port in [*running.app_ports, running.balancer]:
        assert call(port, "GET", listing, reader)[1]["results"][0]["name"] == renamed


class Load:
    """Reads through the balancer, and creates with an Idempotency-Key retried until they are
    answered, from LOAD_THREADS threads until stopped."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token
        self.stopping = threading.Event()
        self.read_statuses: list[int | str] = []
        self.created: dict[str, int] = {}  # identifier -> patient id
        self.threads = [threading.Thread(target=self.work) for _ in range(LOAD_THREADS)]

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def work(self) -> None:
        while not self.stopping.is_set():
            for _ in range(4):
                self.read_statuses.append(self.attempt("GET", "/api/v1/patients/")[0])
            self.create()

    def attempt(self, method: str, path: str, body=None, headers=None):
        try:
            return call(self.port, method, path, self.token, body, headers=headers)
        except OSError as lost:
            return type(lost).__name__, None

    def create(self) -> None:
        identifier = f"LOAD-{uuid.uuid4().hex[:12]}"
        patient = {
            "given_name": "Retry",
            "family_name": "Patient",
            "date_of_birth": "1970-01-01",
            "identifier": identifier,
        }
        key = {"Idempotency-Key": str(uuid.uuid4())}
        for _ in range(20):  # a client retries an unanswered create with the same key
            status, body = self.attempt("POST", "/api/v1/patients/", patient, key)
            if status == 201:
                self.created[identifier] = body["id"]
                return
            time.sleep(0.2)
        raise AssertionError(f"create of {identifier} never answered 201: last {status}")


def stop(server: ServeGunicorn, how: signal.Signals) -> None:
    """SIGTERM: gunicorn's graceful stop (in-flight requests finish). SIGKILL: the master and
    its workers at once, as a crashed machine would."""
    assert server.process is not None
    workers = server.worker_pids()
    server.process.send_signal(how)
    if how == signal.SIGKILL:
        for worker in workers:
            os.kill(worker, signal.SIGKILL)
    server.process.wait(timeout=60)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_stopping_one_server_under_load_loses_only_its_requests_in_flight(running: Cluster, how):
    token = sign_in(running.balancer, running.usernames[0])
    victim = running.servers[0]

    with Load(running.balancer, token) as load:
        time.sleep(LOAD_SECONDS / 2)
        stop(victim, how)
        time.sleep(LOAD_SECONDS / 2)
    survivor_reads = [
        call(running.balancer, "GET", "/api/v1/patients/", token)[0] for _ in range(10)
    ]
    stored = {
        identifier: call(
            running.servers[1].port, "GET", f"/api/v1/patients/?search={identifier}", token
        )[1]["count"]
        for identifier in load.created
    }
    victim.__enter__()  # the same server started again on its port for the next test

    failed_reads = [status for status in load.read_statuses if status != 200]
    assert len(load.read_statuses) > 20
    # Only what was in flight on the stopped server; nginx retried the rest on the survivor.
    assert len(failed_reads) <= (0 if how == signal.SIGTERM else LOAD_THREADS), failed_reads
    assert load.created
    assert set(stored.values()) == {1}, "a create was lost or doubled"
    assert survivor_reads == [200] * 10


class Part(Protocol):
    def stop(self) -> None: ...
    def start(self) -> object: ...


@contextlib.contextmanager
def stopped(part: Part):
    part.stop()
    try:
        yield
    finally:
        part.start()


def through_each_server(running: Cluster, token: str, requests: dict) -> dict:
    """Each named request's status through each app server; `requests` maps a name to (method,
    path) or to a function of the port that makes the request and returns its status."""

    def status(port: int, request) -> int:
        if callable(request):
            return request(port)
        method, path = request
        return call(port, method, path, token)[0]

    return {
        name: tuple(status(port, request) for port in running.app_ports)
        for name, request in requests.items()
    }


def readiness_once_probed(running: Cluster) -> list[int]:
    """/readyz on each app server once its cached storage probe has expired."""
    time.sleep(STORAGE_PROBE_SECONDS)
    return [get(port, "/readyz")[0] for port in running.app_ports]


def test_while_redis_is_down_only_what_needs_it_answers_503_and_it_recovers_by_itself(
    running: Cluster,
):
    token = sign_in(running.balancer, running.usernames[1])
    requests = {
        "ready": ("GET", "/readyz"),
        "alive": ("GET", "/livez"),
        "me": ("GET", "/api/v1/me/"),
        "admin login": ("GET", "/admin/login/"),
    }

    with stopped(running.redis):
        down = through_each_server(running, token, requests)
    recovered = through_each_server(running, token, requests)

    assert down == {
        "ready": (503, 503),
        "alive": (200, 200),
        "me": (503, 503),
        "admin login": (200, 200),
    }
    assert recovered == dict.fromkeys(requests, (200, 200))


def test_while_the_storage_server_is_down_only_what_needs_it_answers_503_and_it_recovers(
    running: Cluster,
):
    # Not the therapist locked out above, nor the one who used up the handout rate limit.
    token = sign_in(running.balancer, running.usernames[3])
    issued = issued_prescription(running.balancer, token)
    drafts = {port: drafted_prescription(port, token) for port in running.app_ports}
    bodies: dict[tuple[str, int], Any] = {}

    def issue_draft(port: int) -> int:
        status, bodies["issue", port] = issue(port, token, drafts[port])
        return status

    def download(port: int) -> int:
        status, bodies["download", port] = call(port, "GET", f"{issued}handout/", token)
        return status

    reads = {
        "patients": ("GET", "/api/v1/patients/"),
        "exercises": ("GET", "/api/v1/exercises/"),
        "issued prescription": ("GET", issued),
        "draft": ("GET", drafts[running.app_ports[0]]),
    }
    needs_storage = {"issue": issue_draft, "download": download}

    with stopped(running.seaweed):
        ready_down = readiness_once_probed(running)
        down = through_each_server(running, token, {**reads, **needs_storage})
        refusals = {key: (body["type"], body["errors"][0]["code"]) for key, body in bodies.items()}
    ready_back = readiness_once_probed(running)
    back = through_each_server(running, token, {**reads, **needs_storage})

    assert ready_down == [503, 503]
    assert down == {**dict.fromkeys(reads, (200, 200)), **dict.fromkeys(needs_storage, (503, 503))}
    assert set(refusals.values()) == {
        ("server_error", "media_unwritable"),
        ("server_error", "media_unreadable"),
    }
    assert [code for (name, _), (_, code) in refusals.items() if name == "issue"] == [
        "media_unwritable"
    ] * 2
    assert ready_back == [200, 200]
    assert back == dict.fromkeys([*reads, *needs_storage], (200, 200))
    assert all(bodies["download", port][:4] == b"%PDF" for port in running.app_ports)
