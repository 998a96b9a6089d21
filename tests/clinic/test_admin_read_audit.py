"""Every admin page that shows patient data writes one access entry: who, when, from where and
what was shown (object ids; a search term only as a keyed hash)."""

import json

import pytest
from auditlog.models import LogEntry

from clinic.audit import search_digest
from tests import factories

pytestmark = pytest.mark.django_db

PATIENTS = "/admin/prescriptions/patient/"
PRESCRIPTIONS = "/admin/prescriptions/prescription/"


@pytest.fixture
def signed_in(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def patients(clinic):
    return [
        factories.PatientFactory(clinic=clinic, given_name="Orla", family_name="Secretson"),
        factories.PatientFactory(clinic=clinic, given_name="Piet", family_name="Hollander"),
    ]


def new_entries(before: int) -> list[LogEntry]:
    return list(LogEntry.objects.filter(pk__gt=before).order_by("pk"))


def last_entry_id() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_patient_list_writes_one_entry_naming_the_patients_shown(
    signed_in, therapist, patients
):
    before = last_entry_id()
    assert signed_in.get(PATIENTS, REMOTE_ADDR="192.0.2.7").status_code == 200
    [entry] = new_entries(before)
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == therapist
    assert entry.remote_addr == "192.0.2.7"
    assert entry.additional_data["event"] == "list"
    assert sorted(entry.additional_data["object_ids"]) == sorted(p.pk for p in patients)


def test_a_search_is_audited_by_its_hash_never_its_words(signed_in, clinic, patients):
    before = last_entry_id()
    assert signed_in.get(PATIENTS, {"q": "Secretson"}).status_code == 200
    assert signed_in.get(PATIENTS, {"q": "Nobody-by-this-name"}).status_code == 200
    found, nothing = new_entries(before)
    assert found.additional_data["object_ids"] == [patients[0].pk]
    assert found.additional_data["search_sha256"] == search_digest("secretson")
    assert nothing.additional_data["object_ids"] == []
    assert nothing.additional_data["clinic_id"] == clinic.pk
    stored = json.dumps([found.additional_data, nothing.additional_data, found.object_repr])
    assert "Secretson" not in stored and "Nobody" not in stored


def test_the_history_page_writes_one_entry(signed_in, patients):
    before = last_entry_id()
    assert signed_in.get(f"{PATIENTS}{patients[0].pk}/history/").status_code == 200
    [entry] = new_entries(before)
    assert entry.additional_data["event"] == "history"
    assert entry.object_pk == str(patients[0].pk)


def test_the_prescription_list_writes_one_entry(signed_in, clinic):
    prescription = factories.PrescriptionFactory(patient__clinic=clinic)
    before = last_entry_id()
    assert signed_in.get(PRESCRIPTIONS).status_code == 200
    [entry] = new_entries(before)
    assert entry.additional_data["object_ids"] == [prescription.pk]


def test_an_add_form_opened_for_a_patient_records_that_patient(signed_in, patients):
    before = last_entry_id()
    assert signed_in.get(f"{PRESCRIPTIONS}new/", {"patient": patients[1].pk}).status_code == 200
    [entry] = new_entries(before)
    assert entry.object_pk == str(patients[1].pk)
    assert entry.additional_data["event"] == "view"


def test_an_add_form_for_another_clinics_patient_records_nothing_and_shows_nothing(
    signed_in, other_clinic_user
):
    stranger = factories.PatientFactory(
        clinic=other_clinic_user.clinician.clinic, family_name="Farawayson"
    )
    before = last_entry_id()
    response = signed_in.get(f"{PRESCRIPTIONS}new/", {"patient": stranger.pk}, follow=True)
    # The prescribing page needs one of the clinic's patients: it sends the user back to the list.
    assert response.redirect_chain[0][1] == 302
    assert "Farawayson" not in response.content.decode()
    for entry in new_entries(before):  # the patient list it lands on is audited, the stranger not
        data = entry.additional_data or {}
        assert data.get("patient_id") != stranger.pk
        assert stranger.pk not in data.get("object_ids", [])


def test_the_api_search_is_audited_by_its_hash(as_therapist, patients):
    before = last_entry_id()
    assert as_therapist.get("/api/v1/patients/", {"search": "Secretson"}).status_code == 200
    [entry] = new_entries(before)
    assert entry.additional_data["search_sha256"] == search_digest("Secretson")
    assert entry.additional_data["object_ids"] == [patients[0].pk]


def test_the_patient_picker_answers_by_search_and_is_audited(signed_in, patients):
    before = last_entry_id()
    response = signed_in.get(
        "/admin/autocomplete/",
        {
            "app_label": "prescriptions",
            "model_name": "prescription",
            "field_name": "patient",
            "term": "Secretson",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == [str(patients[0])]
    [entry] = new_entries(before)
    assert entry.additional_data["event"] == "autocomplete"
    assert entry.additional_data["object_ids"] == [patients[0].pk]
    assert entry.additional_data["search_sha256"] == search_digest("Secretson")


def test_the_add_form_lists_no_patient_until_searched(signed_in, patients):
    page = signed_in.get(f"{PRESCRIPTIONS}new/").content.decode()
    assert "Secretson" not in page and "Hollander" not in page
