"""Prescribing in the admin: the same services, rules and clinic scoping as the API."""

import pytest

from exercises.translations import translate
from prescriptions import services
from prescriptions.models import Patient, Prescription
from tests import factories
from tests.prescriptions.handout_helpers import pdf_text
from tests.prescriptions.support import new_workspace_data, opened_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinic):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )


@pytest.fixture
def signed_in(client, therapist):
    client.force_login(therapist)
    return client


def admin_url(prescription, action):
    return f"/admin/prescriptions/prescription/{prescription.pk}/{action}/"


def test_issue_refuses_an_empty_draft_with_a_message(signed_in, clinic):
    empty = factories.PrescriptionFactory(patient__clinic=clinic)
    data = {
        "patient": empty.patient_id,
        "opened_version": opened_version(empty),
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "_issue": "1",
    }
    response = signed_in.post(admin_url(empty, "workspace"), data, follow=True)
    assert "Add at least one exercise before issuing." in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_revise_creates_the_next_version(signed_in, draft):
    services.issue_prescription(prescription=draft)
    response = signed_in.post(admin_url(draft, "revise"))
    revision = Prescription.objects.get(supersedes=draft)
    assert response["Location"].endswith(f"/{revision.pk}/workspace/")
    assert revision.version == 2
    assert revision.items.count() == 1


def test_void_needs_a_reason(signed_in, draft):
    services.issue_prescription(prescription=draft)
    response = signed_in.post(admin_url(draft, "void"), {"reason": "  "})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "issued"
    signed_in.post(admin_url(draft, "void"), {"reason": "Given to the wrong patient"})
    draft.refresh_from_db()
    assert draft.status == "voided"
    assert draft.void_reason == "Given to the wrong patient"


def test_issued_prescription_is_read_only_in_the_admin(signed_in, draft):
    services.issue_prescription(prescription=draft)
    page = signed_in.get(admin_url(draft, "workspace")).content.decode()
    assert 'name="_save"' not in page
    response = signed_in.post(admin_url(draft, "workspace"), {"notes": "changed"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.notes != "changed"


def test_handout_link_downloads_the_pdf(signed_in, draft):
    response = signed_in.get(admin_url(draft, "handout"))
    assert response["Content-Type"] == "application/pdf"
    assert "Zoë Łukasiewicz-Núñez" in pdf_text(response.content)


def test_another_clinics_buttons_do_nothing(client, draft, other_clinic_user):
    client.force_login(other_clinic_user)
    assert client.post(admin_url(draft, "revise")).status_code == 404
    assert client.get(admin_url(draft, "handout")).status_code == 404
    assert client.post(admin_url(draft, "save-as-template"), {"name": "Mine"}).status_code == 404
    response = client.post(admin_url(draft, "workspace"), {"_issue": "1"})
    assert response["Location"] == "/admin/"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_admin_item_rules_show_on_the_row(signed_in, clinic):
    patient = factories.PatientFactory(clinic=clinic)
    exercise = factories.ExerciseFactory()
    data = new_workspace_data(
        {"exercise": exercise.pk, "hold_seconds": "30", "reps": "500"}, notes="Goal"
    )
    response = signed_in.post(f"/admin/prescriptions/prescription/new/?patient={patient.pk}", data)
    assert response.status_code == 200
    assert not Prescription.objects.filter(patient=patient).exists()
    errors = response.context["formset"].forms[0].errors
    assert "reps" in errors


def test_an_emptied_dose_field_in_the_admin_means_not_used(signed_in, clinic):
    """The form shows the default dose filled in: what the therapist empties is not used."""
    patient = factories.PatientFactory(clinic=clinic)
    exercise = factories.ExerciseFactory(default_reps=4, default_hold_seconds=25)
    data = new_workspace_data(
        {"exercise": exercise.pk, "reps": "4", "hold_seconds": "", "rest_seconds": "0"},
        notes="Goal",
    )
    response = signed_in.post(f"/admin/prescriptions/prescription/new/?patient={patient.pk}", data)
    assert response.status_code == 302
    item = Prescription.objects.get(patient=patient).items.get()
    assert (item.reps, item.hold_seconds, item.sets, item.rest_seconds) == (4, None, None, 0)


def test_a_row_with_every_dose_field_emptied_is_refused_not_defaulted(signed_in, clinic):
    patient = factories.PatientFactory(clinic=clinic)
    exercise = factories.ExerciseFactory(default_reps=4, default_hold_seconds=25)
    data = new_workspace_data({"exercise": exercise.pk})
    response = signed_in.post(f"/admin/prescriptions/prescription/new/?patient={patient.pk}", data)
    assert response.status_code == 200
    assert not Prescription.objects.filter(patient=patient).exists()
    errors = response.context["formset"].forms[0].errors
    assert errors["reps"] == ["A dose needs repetitions, a hold time or a duration."]


def test_the_handout_preview_prints_in_the_language_asked(signed_in, draft):
    response = signed_in.get(admin_url(draft, "handout"), {"preview": "1", "lang": "es"})

    assert "Tus ejercicios" in pdf_text(response.content)


def test_the_handout_preview_adds_a_second_language_when_asked(signed_in, draft):
    exercise = draft.items.get().exercise
    translate(exercise, "name", "es", "Estiramiento", status="reviewed", reviewer="Ana")

    response = signed_in.get(admin_url(draft, "handout"), {"lang": "es", "also": "en"})

    text = pdf_text(response.content)
    assert text.index("1. Estiramiento") < text.index(exercise.name)


@pytest.mark.parametrize(
    ("query", "patient_language", "said"),
    [
        ({"lang": "fr"}, "en", "lang: fr is not a language offered here."),
        ({"also": "fr"}, "en", "also: fr is not a language offered here."),
        ({}, "fr", "preferred language: The patient's language, fr, is no longer offered"),
    ],
)
def test_a_handout_language_not_offered_is_a_400_that_says_which(
    signed_in, draft, query, patient_language, said
):
    Patient.objects.filter(pk=draft.patient_id).update(preferred_language=patient_language)

    response = signed_in.get(admin_url(draft, "handout"), query)

    assert response.status_code == 400
    assert said in response.content.decode()
