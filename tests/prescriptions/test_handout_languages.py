"""A handout in the patient's language: their preferred language decides, `?lang=` overrides
on a draft, and an issued handout prints only in the language frozen at issue."""

import pytest

from prescriptions.models import Patient
from tests import factories
from tests.prescriptions.support import committed, errors, issue_via_api, pdf_text


@pytest.fixture
def spanish_draft(clinic, exercise):
    patient = factories.PatientFactory(clinic=clinic, preferred_language="es")
    return factories.PrescriptionFactory(patient=patient, items=[exercise])


def handout_url(prescription) -> str:
    return f"/api/v1/prescriptions/{prescription.pk}/handout/"


def test_a_spanish_speaking_patients_handout_is_in_spanish(as_therapist, spanish_draft):
    text = pdf_text(as_therapist.get(handout_url(spanish_draft)))

    for words in ("Tu programa de ejercicios en casa", "Cuándo pedir ayuda", "Tus ejercicios"):
        assert words in text
    assert "Tu registro de ejercicios" in text
    assert "BORRADOR" in text
    # The review date and the log's days, in Spanish.
    assert "15 de enero de 2027" in text
    assert "Your exercises" not in text


def test_lang_overrides_the_patients_language_on_a_draft(as_therapist, spanish_draft):
    text = pdf_text(as_therapist.get(handout_url(spanish_draft), {"lang": "en"}))

    assert "Your exercises" in text
    assert "Tus ejercicios" not in text


def test_a_language_not_offered_is_400_on_lang(as_therapist, spanish_draft):
    response = as_therapist.get(handout_url(spanish_draft), {"lang": "fr"})

    assert errors(response, 400) == [("lang", "invalid_choice")]


def test_a_patient_language_no_longer_offered_is_400_on_preferred_language(
    as_therapist, spanish_draft
):
    Patient.objects.filter(pk=spanish_draft.patient_id).update(preferred_language="fr")

    response = as_therapist.get(handout_url(spanish_draft))

    assert errors(response, 400) == [("preferred_language", "invalid_choice")]


def test_an_issued_handout_prints_only_in_its_frozen_language(as_therapist, spanish_draft):
    with committed():
        issue_via_api(as_therapist, f"/api/v1/prescriptions/{spanish_draft.pk}/")
    # The patient now prefers English: the issued sheet still is what was issued.
    Patient.objects.filter(pk=spanish_draft.patient_id).update(preferred_language="en")

    stored = as_therapist.get(handout_url(spanish_draft))
    asked_in_its_language = as_therapist.get(handout_url(spanish_draft), {"lang": "es"})
    asked_in_another = as_therapist.get(handout_url(spanish_draft), {"lang": "en"})

    # A stored handout streams: its bytes can be read once.
    stored_pdf = stored.getvalue()
    assert asked_in_its_language.getvalue() == stored_pdf
    assert "Tus ejercicios" in pdf_text(as_therapist.get(handout_url(spanish_draft)))
    assert errors(asked_in_another, 400) == [("lang", "invalid_choice")]


def test_every_card_of_a_spanish_handout_is_labelled_in_spanish(as_therapist, clinic):
    patient = factories.PatientFactory(clinic=clinic, preferred_language="es")
    exercises = [factories.ExerciseFactory(name=name) for name in ("Bridge", "Clam", "Squat")]
    prescription = factories.PrescriptionFactory(patient=patient, items=exercises)

    text = pdf_text(as_therapist.get(handout_url(prescription)))

    assert text.count("Cuánto:") == len(exercises)
    assert "How much:" not in text
