"""Downloading an issued handout streams its stored bytes: a few queries, whatever its size."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from tests import factories
from tests.prescriptions.support import committed, issue_via_api, item

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/api/v1/prescriptions/"


@pytest.fixture(autouse=True)
def cold_content_types(db):
    """The audit log looks content types up once per process: every case pays that lookup."""
    ContentType.objects.clear_cache()


def issued_with(as_therapist, therapist, patient, size):
    prescription = factories.PrescriptionFactory(patient=patient, clinician=therapist)
    exercises = [factories.ExerciseFactory(name=f"Stretch {n:02}") for n in range(size)]
    url = f"{PRESCRIPTIONS}{prescription.pk}/"
    items = [item(exercise, reps=5) for exercise in exercises]
    assert as_therapist.patch(url, {"items": items}, format="json").status_code == 200
    with committed():  # the stored PDF is moved into place when the issue commits
        assert issue_via_api(as_therapist, url).status_code == 200
    prescription.refresh_from_db()
    return prescription


@pytest.mark.parametrize("size", [3, 30])
def test_an_issued_handout_answers_its_stored_bytes_in_few_queries(
    as_therapist, therapist, patient, django_assert_num_queries, size
):
    prescription = issued_with(as_therapist, therapist, patient, size)
    with prescription.handout_pdf.open("rb") as stored:
        stored_bytes = stored.read()
    entries = LogEntry.objects.count()

    with django_assert_num_queries(2):
        response = as_therapist.get(f"{PRESCRIPTIONS}{prescription.pk}/handout/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes
    assert LogEntry.objects.count() == entries + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.additional_data == {
        "event": "download",
        "patient_id": patient.pk,
        "clinic_id": patient.clinic_id,
    }
    assert entry.object_repr == f"#{prescription.pk} v1 {patient.full_name} (Issued)"
    assert response["Content-Disposition"].startswith('attachment; filename="handout-')


def test_another_clinics_issued_handout_is_404(as_therapist, therapist, patient, as_other_clinic):
    prescription = issued_with(as_therapist, therapist, patient, 3)

    response = as_other_clinic.get(f"{PRESCRIPTIONS}{prescription.pk}/handout/")

    assert response.status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_a_draft_handout_is_built_in_the_same_queries_for_3_and_30_items(
    as_therapist, therapist, patient, django_assert_num_queries, size
):
    prescription = factories.PrescriptionFactory(patient=patient, clinician=therapist)
    exercises = [factories.ExerciseFactory(name=f"Stretch {n:02}") for n in range(size)]
    items = [item(exercise, reps=5) for exercise in exercises]
    url = f"{PRESCRIPTIONS}{prescription.pk}/"
    assert as_therapist.patch(url, {"items": items}, format="json").status_code == 200

    # The catalogue's part cold, the glossary included (see test_handout.py).
    with django_assert_num_queries(9):
        response = as_therapist.get(f"{url}handout/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("size", [3, 30])
def test_a_revisions_draft_handout_reads_the_version_before_in_the_same_queries_for_3_and_30(
    as_therapist, therapist, patient, django_assert_num_queries, size
):
    """What changed is read from the version before's items: one query however many (the
    catalogue's reads are warm from the issue)."""
    issued = issued_with(as_therapist, therapist, patient, size)
    url = f"{PRESCRIPTIONS}{issued.pk}/"
    etag = as_therapist.get(url)["ETag"]
    revised = as_therapist.post(f"{url}revise/", HTTP_IF_MATCH=etag)
    assert revised.status_code == 201, revised.json()

    with django_assert_num_queries(6):
        response = as_therapist.get(f"{PRESCRIPTIONS}{revised.json()['id']}/handout/")

    assert response.status_code == 200
