"""What the clinic wrote, on a sheet in another language: the country's out-of-hours advice
translated, the clinic's own texts (out-of-hours help, goal, job title) marked as English, and
dates worded as the language writes them; and the shipped wording the fluent review corrected."""

import unicodedata

import pytest

from clinics.models import ClinicianProfile
from prescriptions.models import Patient
from tests import factories
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import pdf_pages
from tests.prescriptions.support import pdf_text


@pytest.fixture
def draft_in(clinic, exercise):
    clinic.unreviewed_translations_alone = True
    clinic.save()

    def draft(language: str):
        patient = factories.PatientFactory(clinic=clinic, preferred_language=language)
        return factories.PrescriptionFactory(patient=patient, items=[exercise])

    return draft


def handout(client, prescription) -> str:
    return pdf_text(client.get(f"/api/v1/prescriptions/{prescription.pk}/handout/"))


def arabic_first_page(client, prescription) -> str:
    response = client.get(f"/api/v1/prescriptions/{prescription.pk}/handout/")
    # Joined letters are drawn as presentation forms: NFKC reads them back as letters.
    return " ".join(unicodedata.normalize("NFKC", pdf_pages(response.content)[0]).split())


def test_a_spanish_sheet_of_a_british_clinic_says_to_call_nhs_111_in_spanish(
    as_therapist, draft_in
):
    text = handout(as_therapist, draft_in("es"))

    assert "Cuando estemos cerrados: llama al NHS 111." in text
    assert "call NHS 111" not in text


def test_an_arabic_sheet_of_a_british_clinic_says_to_call_nhs_111_in_arabic(as_therapist, draft_in):
    first_page = arabic_first_page(as_therapist, draft_in("ar"))

    assert "عندما نكون مغلقين" in first_page
    assert "اتصل بخدمة" in first_page
    assert "call NHS 111" not in first_page


def test_an_arabic_sheet_keeps_the_out_of_hours_numbers_digit_groups_in_order(
    as_therapist, clinic, draft_in
):
    clinic.country = "AU"
    clinic.save()

    first_page = arabic_first_page(as_therapist, draft_in("ar"))

    assert "healthdirect" in first_page
    assert "1800 022 222" in first_page


def test_the_clinics_own_out_of_hours_text_prints_as_written_marked_english(
    as_therapist, clinic, draft_in
):
    clinic.out_of_hours = "Call 0161 555 0199 (evenings and weekends)"
    clinic.save()

    spanish = handout(as_therapist, draft_in("es"))
    english = handout(as_therapist, draft_in("en"))

    assert "Call 0161 555 0199 (evenings and weekends) (en inglés)." in spanish
    assert "Call 0161 555 0199 (evenings and weekends)." in english
    assert "(in English)" not in english


def test_the_goal_prints_marked_english_and_a_known_job_title_translated(as_therapist, draft_in):
    spanish = handout(as_therapist, draft_in("es"))
    english = handout(as_therapist, draft_in("en"))

    assert "Ease the pull at the back of your thighs. (en inglés)" in spanish
    assert "Fisioterapeuta" in spanish
    assert "Physiotherapist" not in spanish
    assert "Ease the pull at the back of your thighs." in english
    assert "(in English)" not in english


def test_a_job_title_of_the_clinicians_own_prints_marked_english(as_therapist, draft_in):
    prescription = draft_in("es")
    ClinicianProfile.objects.filter(user=prescription.clinician).update(profession="Spinal physio")

    assert "Spinal physio (en inglés)" in handout(as_therapist, prescription)


def test_spanish_dates_say_de(as_therapist, draft_in):
    text = handout(as_therapist, draft_in("es"))

    # The review date (15 January 2027).
    assert "15 de enero de 2027" in text
    assert "15 enero 2027" not in text


@pytest.fixture
def sciatica_alone_in(clinic):
    """The sciatica stretches with the shipped translations, printed in one language alone."""
    clinic.unreviewed_translations_alone = True
    clinic.save()

    def sheet(language: str):
        prescription = sciatica_stretches(clinic)
        Patient.objects.filter(pk=prescription.patient_id).update(preferred_language=language)
        return prescription

    return sheet


def test_the_spanish_sciatica_sheet_says_stop_and_numbness_plainly(as_therapist, sciatica_alone_in):
    text = handout(as_therapist, sciatica_alone_in("es"))

    assert "o la pierna dormida van a peor, para y dínoslo." in text
    assert "Detente si te mareas, sientes que te vas a desmayar" in text
    assert "Si tienes alguno de estos signos, ve a urgencias" in text
    assert "Avísanos antes de una semana" in text
    for misleading in ("para siempre", "falta de tacto", "Para cuando", "Para si", "en una semana"):
        assert misleading not in text


def test_the_arabic_sciatica_sheet_names_the_whole_leg(as_therapist, sciatica_alone_in):
    response = as_therapist.get(f"/api/v1/prescriptions/{sciatica_alone_in('ar').pk}/handout/")
    text = " ".join(unicodedata.normalize("NFKC", " ".join(pdf_pages(response.content))).split())

    # With the marks that tell the leg (الرِّجل) from the man (الرَّجل), on the letter they mark.
    assert "ألم الرِّجل" in text
    assert "الرجل" not in text
    assert "الساق" not in text
