"""Prometheus metrics and JSON logs: a request shows up in both, a patient's name in neither,
and the metrics answer only the operator's network or token."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from prometheus_client import REGISTRY

from tests import factories
from tests.object_storage import free_ports
from tests.prescriptions.support import issue_via_api

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-test-token-0123456789"
PATIENT_NAME = "Zoë Hartley-Quennell"


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_metrics_answer_the_operators_network_and_count_requests_without_names(client):
    client.get("/api/v1/patients/", {"search": PATIENT_NAME})
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        'django_http_responses_total_by_status_view_method_total{method="GET",status="401",view="patient-list"}'
        in body
    )
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body
    assert "Hartley" not in body and "search" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 404),
        ({"HTTP_AUTHORIZATION": "Bearer wrong-token"}, 404),
        ({"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}, 200),
    ],
)
def test_metrics_from_elsewhere_need_the_token(client, settings, headers, status):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", **headers).status_code == status


def database_errors() -> float:
    """Every database error counted for the default connection, whatever the driver's type."""
    return sum(
        found.value
        for metric in REGISTRY.collect()
        for found in metric.samples
        if found.name == "django_db_errors_total" and found.labels["alias"] == "default"
    )


@pytest.mark.django_db
def test_a_database_error_is_counted():
    before = database_errors()
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert database_errors() == before + 1


def test_a_storage_failure_is_counted_by_its_code(as_therapist, unwritable_media, clinic):
    draft = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    before = sample("clinic_storage_errors_total", code="media_unwritable")
    as_therapist.raise_request_exception = False
    assert issue_via_api(as_therapist, f"/api/v1/prescriptions/{draft.pk}/").status_code == 503
    assert sample("clinic_storage_errors_total", code="media_unwritable") == before + 1


def test_under_gunicorn_a_request_shows_up_in_the_json_log_and_in_every_workers_metrics(
    tmp_path,
):
    (port,) = free_ports(1)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.base",
        "SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "FORCE_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "LOG_FORMAT": "json",
        "METRICS_TOKEN": TOKEN,
        "METRICS_ALLOWED_NETWORKS": "192.0.2.0/24",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=stdout.open("wb"),
        stderr=stderr.open("wb"),
    )
    try:
        wait_until_live(port)
        for number in range(6):
            get(
                port,
                f"/api/v1/patients/?search={PATIENT_NAME}",
                {"X-Request-ID": f"trace-{number}"},
            )
        scrapes = [get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"}) for _ in range(4)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for status, body in scrapes:
        assert status == 200
        assert (
            'django_http_responses_total_by_status_view_method_total{method="GET",status="401",view="patient-list"} 6.0'
            in body
        )
        assert "Hartley" not in body
    # Every line of both streams is one JSON record: gunicorn's own too.
    services = [json.loads(line) for line in stdout.read_text().splitlines()]
    gunicorns = [json.loads(line) for line in stderr.read_text().splitlines()]
    access = [entry for entry in services if entry["logger"] == "clinic.access"]
    assert {entry["request_id"] for entry in access} >= {f"trace-{number}" for number in range(6)}
    assert any(entry["message"] == "GET /api/v1/patients/ 401" for entry in access)
    assert {entry["logger"] for entry in gunicorns} == {"gunicorn.error"}
    messages = [entry["message"] for entry in gunicorns]
    assert messages[0].startswith("Starting gunicorn")
    assert sum(message.startswith("Booting worker") for message in messages) == 2
    assert messages[-1] == "Shutting down: Master"
    assert "Hartley" not in stdout.read_text() + stderr.read_text()


def get(port: int, path: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=&')}", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def wait_until_live(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/livez", {})[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /livez")
