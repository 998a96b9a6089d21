"""Concurrent clinicians against a real server: gunicorn with several workers on PostgreSQL.

SQLite ignores row locks (select_for_update), so these run on PostgreSQL only.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from knox.models import AuthToken

from prescriptions.api.etags import prescription_etag
from prescriptions.models import Patient, Prescription
from prescriptions.selectors import prescriptions_with_details
from tests import factories
from tests.live import call, database_url, gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks need PostgreSQL (SQLite ignores select_for_update); CI runs this there"
        )
    with gunicorn(database_url(connection.settings_dict)) as port:
        yield port


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
    etag = prescription_etag(prescriptions_with_details().get(pk=prescription.pk))
    results = at_once(
        [
            (
                lambda n=n, token=token: call(
                    server,
                    "PATCH",
                    path,
                    token,
                    {"notes": f"note from {n}"},
                    headers={"If-Match": etag},
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


def test_ten_parallel_retries_with_one_idempotency_key_create_one_prescription(
    server, clinic_tokens
):
    """Prescriptions have no unique field that would stop duplicates: only the key does."""
    clinic, tokens = clinic_tokens
    patient = factories.PatientFactory(clinic=clinic)
    body = {"patient": patient.pk, "notes": "Double-clicked"}
    results = at_once(
        [
            (
                lambda: call(
                    server,
                    "POST",
                    "/api/v1/prescriptions/",
                    tokens[0],
                    body,
                    headers={"Idempotency-Key": "double-click-1"},
                )
            )
            for _ in range(10)
        ]
    )
    assert [status for status, _ in results] == [201] * 10
    assert len({payload["id"] for _, payload in results}) == 1
    assert Prescription.objects.filter(patient=patient).count() == 1
