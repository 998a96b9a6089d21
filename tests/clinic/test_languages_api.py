"""The API answers in the reader's language: `Accept-Language`, or `?lang=` over it, with
`Content-Language` and `Vary: Accept-Language`; an explicit language not offered is a 400."""

import pytest
from django.test import Client
from django.utils import translation

from exercises.cached_lists import list_key, read_once_per_version
from tests import factories
from tests.prescriptions.support import errors


@pytest.fixture
def draft(clinic):
    return factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )


def handout(prescription) -> str:
    return f"/api/v1/prescriptions/{prescription.pk}/handout/"


def test_an_error_answers_in_the_accept_language(as_therapist, draft):
    response = as_therapist.get(handout(draft), {"paper": "a5"}, HTTP_ACCEPT_LANGUAGE="es")

    assert errors(response, 400) == [("paper", "invalid_choice")]
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    assert "no es una elección válida" in response.json()["errors"][0]["detail"]


def test_lang_chooses_the_language_over_accept_language(as_therapist, draft):
    response = as_therapist.get("/api/v1/patients/", {"lang": "ar"}, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert response["Content-Language"] == "ar"


def test_an_unsupported_accept_language_falls_back_to_the_default(as_therapist):
    response = as_therapist.get("/api/v1/patients/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("code", ["fr", "", "es-xx-zz"])
def test_an_explicit_lang_not_offered_is_400_naming_lang(as_therapist, code):
    response = as_therapist.get("/api/v1/patients/", {"lang": code})

    assert errors(response, 400) == [("lang", "invalid_choice")]


def test_cached_catalogue_answers_are_kept_per_language(db):
    with translation.override("es"):
        spanish_key = list_key("https://clinic.example.org/api/v1/exercises/", "clinician")
        spanish = read_once_per_version("probe", (), lambda: translation.gettext("Pain"))
    with translation.override("en"):
        english_key = list_key("https://clinic.example.org/api/v1/exercises/", "clinician")
        english = read_once_per_version("probe", (), lambda: translation.gettext("Pain"))

    assert spanish_key != english_key
    assert (spanish, english) == ("Dolor", "Pain")


def test_a_prescriptions_warnings_answer_in_the_readers_language(as_therapist, clinic):
    sciatica = factories.ConditionFactory(slug="sciatica", name="Sciatica")
    exercise = factories.ExerciseFactory(name="Seated fold")
    factories.CautionFactory(condition=sciatica, exercise=exercise, severity="contraindication")
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    prescription = factories.PrescriptionFactory(patient=patient, items=[exercise])

    response = as_therapist.get(
        f"/api/v1/prescriptions/{prescription.pk}/", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response["Content-Language"] == "es"
    [warning] = response.json()["warnings"]
    assert warning["message"] == "«Seated fold» está contraindicado en Sciatica."


def test_an_unsupported_accept_language_answers_in_the_clinic_s_language(clinic, therapist):
    clinic.language = "es"
    clinic.save()
    browser = Client()
    browser.force_login(therapist)

    unsupported = browser.get("/api/v1/patients/", HTTP_ACCEPT_LANGUAGE="fr")
    supported = browser.get("/api/v1/patients/", HTTP_ACCEPT_LANGUAGE="ar")
    refused = browser.get(
        "/api/v1/prescriptions/0/handout/", {"paper": "a5"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert unsupported.status_code == 200
    assert unsupported["Content-Language"] == "es"
    assert supported["Content-Language"] == "ar"
    assert refused["Content-Language"] == "es"
