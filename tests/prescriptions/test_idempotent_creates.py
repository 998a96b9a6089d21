"""Idempotency-Key on creates: a retry answers the first answer again and creates nothing."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from clinic.models import StoredAnswer
from prescriptions import data_protection
from prescriptions.models import Patient, Prescription, ProgrammeTemplate
from tests import factories
from tests.prescriptions.support import errors

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"
NEW_PATIENT = {
    "given_name": "Zoë",
    "family_name": "Retry",
    "date_of_birth": "1970-03-02",
    "identifier": "MRN-RETRY",
}


def create_patient(client, key, body=None):
    return client.post(PATIENTS, body or NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_answers_the_first_answer_and_creates_nothing(
    as_therapist, clinic
):
    first = create_patient(as_therapist, "key-1")
    retry = create_patient(as_therapist, "key-1")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert (retry["Location"], retry["ETag"]) == (first["Location"], first["ETag"])
    assert Patient.objects.filter(clinic=clinic).count() == 1


def test_the_same_key_with_another_body_is_409_and_creates_nothing(as_therapist, clinic):
    create_patient(as_therapist, "key-1")

    response = create_patient(as_therapist, "key-1", {**NEW_PATIENT, "identifier": "OTHER"})

    assert errors(response, 409) == [(None, "idempotency_key_reused")]
    assert Patient.objects.filter(clinic=clinic).count() == 1


def test_the_same_key_on_another_endpoint_is_409(as_therapist, patient):
    create_patient(as_therapist, "key-1")

    response = as_therapist.post(
        "/api/v1/prescriptions/",
        {"patient": patient.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )

    assert errors(response, 409) == [(None, "idempotency_key_reused")]
    assert not Prescription.objects.exists()


def test_keys_are_per_user(as_therapist, as_colleague, clinic):
    mine = create_patient(as_therapist, "shared-key")
    theirs = create_patient(as_colleague, "shared-key", {**NEW_PATIENT, "identifier": "MRN-2"})

    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]
    assert Patient.objects.filter(clinic=clinic).count() == 2


def test_a_failed_create_is_not_remembered_so_a_corrected_retry_creates(as_therapist):
    refused = create_patient(as_therapist, "key-1", {**NEW_PATIENT, "date_of_birth": "soon"})
    assert errors(refused, 400) == [("date_of_birth", "invalid")]

    corrected = create_patient(as_therapist, "key-1")

    assert corrected.status_code == 201
    assert StoredAnswer.objects.count() == 1


def test_an_expired_key_creates_again(as_therapist, clinic):
    create_patient(as_therapist, "key-1")
    StoredAnswer.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    again = create_patient(as_therapist, "key-1", {**NEW_PATIENT, "identifier": "MRN-NEW"})

    assert again.status_code == 201
    assert Patient.objects.filter(clinic=clinic).count() == 2


def test_a_key_is_kept_for_24_hours(as_therapist):
    before = timezone.now()
    create_patient(as_therapist, "key-1")
    stored = StoredAnswer.objects.get()
    assert stored.expires_at - before >= datetime.timedelta(hours=24)
    assert stored.expires_at - before < datetime.timedelta(hours=24, minutes=1)


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_an_unusable_key_is_400_naming_the_header(as_therapist, key):
    response = as_therapist.post(
        PATIENTS, NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
    )
    assert errors(response, 400) == [("Idempotency-Key", "invalid_idempotency_key")]
    assert not Patient.objects.exists()


def test_a_key_of_255_characters_is_accepted(as_therapist):
    assert create_patient(as_therapist, "k" * 255).status_code == 201


def test_creating_actions_replay_too(as_therapist, patient, exercise, clinic):
    template = factories.TemplateItemFactory(template__clinic=clinic, exercise=exercise).template
    url = f"/api/v1/templates/{template.pk}/prescribe/"
    body = {"patient": patient.pk}
    first = as_therapist.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="rx-1")
    retry = as_therapist.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="rx-1")

    assert retry.content == first.content and retry["Location"] == first["Location"]
    assert Prescription.objects.count() == 1

    draft = Prescription.objects.get()
    save = f"/api/v1/prescriptions/{draft.pk}/save-as-template/"
    for _ in range(2):
        saved = as_therapist.post(save, {"name": "Copy"}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
        assert saved.status_code == 201
    assert ProgrammeTemplate.objects.filter(name="Copy").count() == 1


def test_expired_keys_are_removed_by_the_cleanup_command(as_therapist):
    create_patient(as_therapist, "old")
    create_patient(as_therapist, "new", {**NEW_PATIENT, "identifier": "MRN-NEW"})
    StoredAnswer.objects.filter(key="old").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()

    call_command("clear_idempotency_keys", stdout=out)

    assert list(StoredAnswer.objects.values_list("key", flat=True)) == ["new"]
    assert "1" in out.getvalue()


def test_export_holds_and_erasure_masks_the_stored_answers_about_a_patient(as_therapist, tmp_path):
    patient_id = create_patient(as_therapist, "key-1").json()["id"]
    patient = Patient.objects.get(pk=patient_id)
    factories.PatientFactory(clinic=patient.clinic, identifier="MRN-OTHER")

    archive = tmp_path / "export.zip"
    data_protection.export_patient(patient, archive)
    record = json.loads(zipfile.ZipFile(archive).read("record.json"))
    (stored,) = record["stored_api_answers"]
    assert stored["body"]["family_name"] == "Retry"

    data_protection.erase_patient(patient=patient, reason="Asked", erased_by=factories.superuser())

    # A retry after the erasure replays the masked answer: it neither shows the name nor
    # creates the patient again.
    retry = create_patient(as_therapist, "key-1")
    assert retry.status_code == 201
    assert retry.json()["id"] == patient_id
    assert not [
        word
        for word in ("Zoë", "Retry", "MRN-RETRY", "1970-03-02")
        if word in retry.content.decode()
    ]
    assert Patient.objects.filter(family_name="Retry").count() == 0
