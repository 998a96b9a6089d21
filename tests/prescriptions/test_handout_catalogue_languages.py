"""The catalogue's own texts on a handout in the patient's language: translated where a
translation matches the original, else the original marked "(in English)"; bilingual with the
clinic's language while a translation it prints is unreviewed, or when asked with `?also=`."""

import pytest

from clinics.models import Clinic
from exercises.translations import translate
from prescriptions.handouts.content import build_handout
from prescriptions.models import Patient
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.support import committed, errors, issue_via_api, pdf_text

REVIEWED = {"status": "reviewed", "reviewer": "Dra. Ruiz"}
UNREVIEWED = "machine-assisted"


@pytest.fixture
def spanish_programme(clinic):
    """A Spanish-speaking patient with sciatica and one exercise whose card texts, caution,
    red flag and pain label all have Spanish translations, reviewed."""
    sciatica = factories.ConditionFactory(short_name="sciatica", pain_label="Leg pain")
    exercise = factories.ExerciseFactory(
        name="Knee hug",
        cues="Keep your head on the floor.",
        steps=["Lie on your back.", "Pull one knee to your chest.", "Hold, then let go."],
    )
    caution = factories.CautionFactory(condition=sciatica, exercise=exercise)
    red_flag = factories.SafetyNoteFactory(tier="emergency", text="You cannot pass urine.")
    for original, field, spanish in [
        (exercise, "name", "Abrazo de rodilla"),
        (exercise, "cues", "Deja la cabeza en el suelo."),
        (caution, "text", "Para si la pierna hormiguea y avísanos."),
        (red_flag, "text", "No puedes orinar."),
        (sciatica, "short_name", "ciática"),
        (sciatica, "pain_label", "Dolor de pierna"),
    ]:
        translate(original, field, "es", spanish, **REVIEWED)
    for step, spanish in zip(
        exercise.steps.all(),
        ["Túmbate boca arriba.", "Lleva una rodilla al pecho.", "Aguanta y suelta."],
        strict=True,
    ):
        translate(step, "text", "es", spanish, **REVIEWED)
    patient = factories.PatientFactory(
        clinic=clinic, preferred_language="es", conditions=[sciatica]
    )
    return factories.PrescriptionFactory(patient=patient, items=[exercise])


def handout(api, prescription, **query) -> str:
    return pdf_text(api.get(f"/api/v1/prescriptions/{prescription.pk}/handout/", query))


def test_a_spanish_handout_prints_the_card_s_catalogue_texts_in_spanish(
    as_therapist, spanish_programme
):
    text = handout(as_therapist, spanish_programme)

    for spanish in (
        "1. Abrazo de rodilla",
        "Túmbate boca arriba.",
        "1. Lleva una rodilla al pecho.",
        "Deja la cabeza en el suelo.",
        "Para si la pierna hormiguea y avísanos.",
        "No puedes orinar.",
        "Dolor de pierna 0–10",
    ):
        assert spanish in text
    # Every translation is reviewed: the sheet is Spanish alone.
    for english in ("Knee hug", "Pull one knee", "You cannot pass urine", "Leg pain"):
        assert english not in text


def test_a_text_without_a_translation_prints_the_original_marked_in_english(
    as_therapist, spanish_programme
):
    item = spanish_programme.items.get()
    item.exercise.common_mistakes = "Do not lift your head."
    item.exercise.save()

    text = handout(as_therapist, spanish_programme)

    assert "Do not lift your head. (en inglés)" in text
    assert "1. Abrazo de rodilla" in text


def test_an_edited_original_prints_in_english_marked_until_translated_again(
    as_therapist, spanish_programme
):
    exercise = spanish_programme.items.get().exercise
    exercise.name = "Knee to chest"
    exercise.save()

    text = handout(as_therapist, spanish_programme)

    assert "1. Knee to chest (en inglés)" in text
    assert "Abrazo de rodilla" not in text


def test_an_unreviewed_translation_prints_bilingual_with_the_clinic_s_language(
    as_therapist, spanish_programme
):
    exercise = spanish_programme.items.get().exercise
    translate(exercise, "name", "es", "Abrazo de rodilla", status=UNREVIEWED)

    text = handout(as_therapist, spanish_programme)

    # Each card in Spanish, then in English under it; the help panel in both.
    for both in (
        "Abrazo de rodilla",
        "Knee hug",
        "Lleva una rodilla al pecho.",
        "Pull one knee to your chest.",
        "No puedes orinar.",
        "You cannot pass urine.",
    ):
        assert both in text
    assert text.index("Abrazo de rodilla") < text.index("Knee hug")
    assert "Cuándo pedir ayuda" in text and "When to get help" in text


def test_a_clinic_may_print_unreviewed_translations_alone(as_therapist, spanish_programme):
    Clinic.objects.filter(pk=spanish_programme.clinic_id).update(unreviewed_translations_alone=True)
    translate(
        spanish_programme.items.get().exercise, "name", "es", "Abrazo de rodilla", status=UNREVIEWED
    )

    text = handout(as_therapist, spanish_programme)

    assert "Abrazo de rodilla" in text
    assert "Knee hug" not in text


def test_also_prints_each_card_in_a_second_language(as_therapist, spanish_programme):
    text = handout(as_therapist, spanish_programme, also="en")

    assert text.index("Abrazo de rodilla") < text.index("Knee hug")
    assert text.index("Túmbate boca arriba.") < text.index("Lie on your back.")
    assert "Para si la pierna hormiguea" in text and "Stop if your leg tingles" in text


def test_a_second_language_not_offered_is_400_on_also(as_therapist, spanish_programme):
    response = as_therapist.get(
        f"/api/v1/prescriptions/{spanish_programme.pk}/handout/", {"also": "fr"}
    )

    assert errors(response, 400) == [("also", "invalid_choice")]


def test_an_issued_handout_prints_only_its_frozen_second_language(as_therapist, spanish_programme):
    translate(
        spanish_programme.items.get().exercise, "name", "es", "Abrazo de rodilla", status=UNREVIEWED
    )
    with committed():
        issue_via_api(as_therapist, f"/api/v1/prescriptions/{spanish_programme.pk}/")
    url = f"/api/v1/prescriptions/{spanish_programme.pk}/handout/"

    stored = as_therapist.get(url).getvalue()
    as_issued = as_therapist.get(url, {"also": "en"})
    another = as_therapist.get(url, {"also": "ar"})

    assert "Knee hug" in pdf_text(as_issued)
    assert "Abrazo de rodilla" in pdf_text(as_therapist.get(url))
    assert stored == as_therapist.get(url).getvalue()
    assert errors(another, 400) == [("also", "invalid_choice")]


def test_the_shipped_spanish_prints_on_every_card_of_the_sciatica_programme(as_therapist, clinic):
    prescription = sciatica_stretches(clinic)
    Patient.objects.filter(pk=prescription.patient_id).update(preferred_language="es")
    spanish_names = [
        "Tumbado: estirar detrás del muslo (pierna recta)",
        "Estirar detrás del muslo con una correa (empieza con la rodilla doblada)",
        "Estirar detrás del muslo en la pared (hueco de la puerta)",
        "Estirar detrás del muslo, sentado y con una pierna (postura de vallista)",
        "Estirar detrás del muslo sentado, con toalla",
    ]

    text = handout(as_therapist, prescription)

    for number, name in enumerate(spanish_names, start=1):
        assert f"{number}. {name}" in text
    # Shipped machine-assisted: each card says itself in the clinic's English too.
    assert "Lying hamstring stretch (straight leg)" in text
    assert "Dolor de pierna 0–10" in text
    # Only the clinician's goal is in English: every catalogue text has its Spanish.
    assert text.count("(en inglés)") == 1
    assert "Ease your leg pain and loosen your thighs. (en inglés)" in text


def test_the_translations_cost_one_query_read_once_per_catalogue_version(
    spanish_programme, django_assert_num_queries
):
    # As for English (tests/prescriptions/test_handout.py), and the language's translations:
    # 11 the first time, 3 once the catalogue's part is cached.
    with django_assert_num_queries(11):
        handout = build_handout(prescriptions_with_handout_content().get(pk=spanish_programme.pk))
    with django_assert_num_queries(3):
        again = build_handout(prescriptions_with_handout_content().get(pk=spanish_programme.pk))

    assert again == handout
    assert handout.exercises[0].name == "Abrazo de rodilla"
    assert handout.also is None
