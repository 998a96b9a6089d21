"""Everything on a Spanish or an Arabic sheet is in that language: fixed strings, catalogue
texts, picture captions, dates and day names, the out-of-hours advice. Only names and what the
clinic and the clinician wrote themselves may stay as written. Read back from the PDF."""

import re

import pytest

from clinics.models import Clinic
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import pdf_text

pytestmark = pytest.mark.django_db

# Proper names the translations keep: the services the out-of-hours advice names.
PROPER_NAMES = {"NHS"}
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]{2,}")


def words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(text))


def written_by_the_clinic(handout: Handout) -> set[str]:
    """Names and what the clinic and clinician wrote: printed as they wrote it."""
    return words(
        " ".join(
            [
                handout.clinic_name,
                handout.clinic_contact,
                handout.clinic_address,
                handout.patient_name,
                handout.clinician_name,
                handout.clinician_profession,
                handout.notes,
                *(section.note for section in handout.exercises),
            ]
        )
    )


@pytest.fixture
def sciatica(clinic):
    # The sheet alone in its language (not with English under it, the default while the
    # shipped translations are unreviewed).
    Clinic.objects.filter(pk=clinic.pk).update(unreviewed_translations_alone=True)
    return prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)


@pytest.mark.parametrize("large_print", [False, True])
def test_no_english_word_is_left_on_the_spanish_sciatica_sheet(sciatica, large_print):
    english = build_handout(sciatica, "en")
    english_words = words(pdf_text(render_handout(english, large_print=large_print)))
    spanish = pdf_text(render_handout(build_handout(sciatica, "es"), large_print=large_print))

    left_in_english = words(spanish) & english_words
    assert left_in_english - written_by_the_clinic(english) - PROPER_NAMES == set()


@pytest.mark.parametrize("large_print", [False, True])
def test_no_english_word_is_left_on_the_arabic_sciatica_sheet(sciatica, large_print):
    arabic = build_handout(sciatica, "ar")
    text = pdf_text(render_handout(arabic, large_print=large_print))

    assert words(text) - written_by_the_clinic(arabic) - PROPER_NAMES == set()
