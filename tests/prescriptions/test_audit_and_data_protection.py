"""The audit trail and a patient's export and erasure, checked as an auditor would."""

import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from prescriptions.services import issue_prescription
from tests import factories
from tests.prescriptions.support import issue_and_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(clinic):
    patient = factories.PatientFactory(clinic=clinic)
    return factories.PrescriptionFactory(patient=patient, items=[factories.ExerciseFactory()])


def entries(**filters):
    return LogEntry.objects.filter(**filters).order_by("pk")


def test_detail_read_writes_one_entry_with_actor_address_and_object(api, therapist, prescription):
    token = api.post(
        "/api/v1/auth/token/",
        {"username": therapist.username, "password": factories.PASSWORD},
        format="json",
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before = LogEntry.objects.count()
    assert (
        api.get(f"/api/v1/patients/{prescription.patient.pk}/", REMOTE_ADDR="192.0.2.5").status_code
        == 200
    )
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == therapist
    assert entry.remote_addr == "192.0.2.5"
    assert entry.object_pk == str(prescription.patient.pk)
    assert entry.additional_data["event"] == "view"


def test_handout_download_writes_one_download_entry(as_therapist, therapist, prescription):
    before = LogEntry.objects.count()
    assert as_therapist.get(f"/api/v1/prescriptions/{prescription.pk}/handout/").status_code == 200
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.additional_data["event"] == "download"
    assert entry.additional_data["patient_id"] == prescription.patient.pk
    assert entry.actor == therapist


def test_list_read_writes_one_entry_naming_every_object(as_therapist, clinic):
    patients = factories.PatientFactory.create_batch(3, clinic=clinic)
    before = LogEntry.objects.count()
    assert as_therapist.get("/api/v1/patients/").status_code == 200
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.additional_data["event"] == "list"
    assert sorted(entry.additional_data["object_ids"]) == sorted(p.pk for p in patients)


def test_changes_keep_before_and_after(as_therapist, prescription):
    patient = prescription.patient
    as_therapist.patch(f"/api/v1/patients/{patient.pk}/", {"phone": "07700 900123"}, format="json")
    entry = entries(action=LogEntry.Action.UPDATE, object_pk=str(patient.pk)).last()
    assert entry.changes["phone"] == ["", "07700 900123"]


@pytest.mark.parametrize("with_if_match", [False, True])
def test_item_changes_are_recorded_with_before_and_after(as_therapist, prescription, with_if_match):
    item = prescription.items.get()
    url = f"/api/v1/prescriptions/{prescription.pk}/"
    headers = {"HTTP_IF_MATCH": as_therapist.get(url)["ETag"]} if with_if_match else {}
    changed = as_therapist.patch(
        url, {"items": [{"exercise": item.exercise_id, "reps": 5}]}, format="json", **headers
    )
    assert changed.status_code == 200, changed.content
    entry = entries(
        action=LogEntry.Action.UPDATE, additional_data__patient_id=prescription.patient.pk
    ).last()
    before, after = entry.changes["items"]
    assert before != after
    assert f"{item.exercise_id}:30,5," in after[0]


def test_admin_change_page_writes_one_access_entry(client, therapist, prescription):
    client.force_login(therapist)
    before = LogEntry.objects.count()
    assert (
        client.get(f"/admin/prescriptions/patient/{prescription.patient.pk}/change/").status_code
        == 200
    )
    assert LogEntry.objects.count() == before + 1
    assert LogEntry.objects.latest("pk").actor == therapist


def test_audit_trail_is_read_only_in_the_admin_and_filters_by_patient(client, clinic, prescription):
    admin_user = factories.clinic_admin(clinic)
    client.force_login(admin_user)
    client.get(f"/admin/prescriptions/patient/{prescription.patient.pk}/change/")
    listing = client.get(f"/admin/auditlog/logentry/?patient={prescription.patient.pk}")
    assert listing.status_code == 200
    entry = LogEntry.objects.latest("pk")
    assert client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {}).status_code == 403
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403


def test_export_patient_holds_record_prescriptions_audit_and_handouts(
    tmp_path, as_therapist, prescription
):
    as_therapist.get(f"/api/v1/patients/{prescription.patient.pk}/")
    issue_and_commit(prescription)
    output = tmp_path / "export.zip"
    call_command("export_patient", prescription.patient.pk, "-o", str(output))
    with zipfile.ZipFile(output) as archive:
        record = json.loads(archive.read("record.json"))
        pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
        assert archive.read(pdfs[0]).startswith(b"%PDF")
    assert record["patient"]["given_name"] == "Zoë"
    assert record["prescriptions"][0]["status"] == "issued"
    assert any(e["details"].get("event") == "view" for e in record["audit_trail"])
    assert len(pdfs) == 1


def test_erase_patient_anonymises_and_records_who_and_why(prescription):
    issued = issue_prescription(prescription=prescription)
    stored = issued.handout_pdf.name
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    before = LogEntry.objects.count()
    call_command(
        "erase_patient",
        prescription.patient.pk,
        "--reason",
        "Patient request 2026-11",
        "--by",
        "root",
    )
    patient = prescription.patient
    patient.refresh_from_db()
    assert patient.given_name == "Erased"
    assert patient.identifier == f"erased-{patient.pk}"
    assert not patient.email and not patient.notes
    issued.refresh_from_db()
    assert issued.items.count() == 1
    assert not issued.handout_pdf
    assert not issued.handout_pdf.storage.exists(stored)
    assert "Zoë" not in json.dumps(issued.snapshot, ensure_ascii=False)
    assert LogEntry.objects.count() == before + 1
    erasure = LogEntry.objects.latest("pk")
    assert erasure.actor == root
    assert erasure.additional_data["reason"] == "Patient request 2026-11"
    assert not LogEntry.objects.filter(object_repr__contains="Zoë").exists()


def test_erase_patient_refuses_non_superusers(prescription, therapist):
    with pytest.raises(CommandError, match="superuser"):
        call_command(
            "erase_patient", prescription.patient.pk, "--reason", "x", "--by", therapist.username
        )


def test_a_patient_is_erased_once(prescription):
    root = factories.superuser()
    erase = ["erase_patient", prescription.patient.pk, "--reason", "Asked", "--by", root.username]
    call_command(*erase)
    notes = list(LogEntry.objects.order_by("pk").values_list("changes", "object_repr"))

    with pytest.raises(CommandError, match="already erased"):
        call_command(*erase)
    assert list(LogEntry.objects.order_by("pk").values_list("changes", "object_repr")) == notes
