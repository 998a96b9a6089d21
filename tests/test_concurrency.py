"""Concurrent clinicians against a real server: gunicorn with several workers on PostgreSQL.

SQLite ignores row locks (select_for_update), so these run on PostgreSQL only.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from knox.models import AuthToken

from prescriptions.models import Patient
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks need PostgreSQL (SQLite ignores select_for_update); CI runs this there"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield port
    process.terminate()
    process.wait(timeout=10)


def call(port, method, path, token, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    response = conn.getresponse()
    status, payload = response.status, response.read()
    conn.close()
    return status, json.loads(payload) if payload else None


def at_once(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda c: c(), calls))


@pytest.fixture
def clinic_tokens(db):
    clinic = factories.ClinicFactory(name="Busy Clinic")
    tokens = [AuthToken.objects.create(factories.clinician(clinic))[1] for _ in range(8)]
    return clinic, tokens


def test_eight_clinicians_same_if_match_exactly_one_wins(server, clinic_tokens):
    clinic, tokens = clinic_tokens
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    path = f"/api/v1/prescriptions/{prescription.pk}/"
    etag = prescription.etag
    results = at_once(
        [
            (
                lambda n=n, token=token: call(
                    server, "PATCH", path, token, {"notes": f"note from {n}"}, {"If-Match": etag}
                )
            )
            for n, token in enumerate(tokens)
        ]
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [412] * 7
    winner = next(body for status, body in results if status == 200)
    prescription.refresh_from_db()
    assert prescription.notes == winner["notes"]


def test_forty_patients_created_at_once_are_all_kept(server, clinic_tokens):
    clinic, tokens = clinic_tokens
    body = {"given_name": "Ada", "family_name": "King", "date_of_birth": "1980-01-01"}
    results = at_once(
        [
            (
                lambda n=n: call(
                    server,
                    "POST",
                    "/api/v1/patients/",
                    tokens[n % 8],
                    {**body, "identifier": f"R-{n}"},
                )
            )
            for n in range(40)
        ]
    )
    assert [status for status, _ in results] == [201] * 40
    assert Patient.objects.filter(clinic=clinic).count() == 40


def test_ten_racing_creates_of_one_identifier_leave_one_patient(server, clinic_tokens):
    clinic, tokens = clinic_tokens
    body = {
        "given_name": "Ada",
        "family_name": "King",
        "date_of_birth": "1980-01-01",
        "identifier": "SAME-1",
    }
    results = at_once(
        [
            (lambda n=n: call(server, "POST", "/api/v1/patients/", tokens[n % 8], body))
            for n in range(10)
        ]
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * 9
    for status, payload in results:
        if status == 400:
            assert payload["errors"][0]["attr"] == "identifier"
    assert Patient.objects.filter(clinic=clinic, identifier="SAME-1").count() == 1
