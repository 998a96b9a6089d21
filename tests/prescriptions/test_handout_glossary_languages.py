"""The glossary in the sheet's language (fourth language review, M2): a Spanish or an Arabic
sheet explains a term where its own text first uses it, in its own words, once; a term with no
translation into the sheet's language is not explained there in English. Read back from the
PDF."""

import unicodedata

import pytest

from clinics.models import Clinic
from exercises.models import CatalogueTranslation, GlossaryTerm
from prescriptions.handouts.content import build_handout
from prescriptions.handouts.glossary import FirstUse, GlossaryText
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import flat, pdf_text

pytestmark = pytest.mark.django_db

ENGLISH = "(Your sciatic nerve runs from your lower back, through your buttock and down"
# As the shipped catalogue translations word them (exercises/catalogue/translations/*.po).
SPANISH_TERM = "nervio ciático"
SPANISH = "El nervio ciático va desde la parte baja de la espalda, pasa por la nalga y baja"
ARABIC_TERM = "العصب الوركي"
ARABIC = "العصب الوركي هو عصب عرق النسا: يمتد من أسفل الظهر عبر الردف"


@pytest.fixture
def sciatica(clinic):
    # Each language alone (not with English under it, the default while the shipped
    # translations are unreviewed), unless a test asks for a second one.
    Clinic.objects.filter(pk=clinic.pk).update(unreviewed_translations_alone=True)
    return prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)


def cards_text(prescription, language: str, also: str | None = None) -> str:
    """The sheet's text read back, its card names left out (a term in a name is not where it
    is explained), Arabic letters back from their joined shapes."""
    handout = build_handout(prescription, language, also)
    text = flat(unicodedata.normalize("NFKC", pdf_text(render_handout(handout))))
    for block in (handout, handout.also) if handout.also else (handout,):
        for card in block.exercises:
            text = text.replace(card.name, "")
    return text


@pytest.mark.parametrize(
    ("language", "term", "explanation"),
    [("es", SPANISH_TERM, SPANISH), ("ar", ARABIC_TERM, ARABIC)],
)
def test_the_sciatic_nerve_is_explained_in_the_sheet_s_language_once_at_its_first_use(
    sciatica, language, term, explanation
):
    text = cards_text(sciatica, language)

    assert text.count(explanation) == 1
    first_use = text.index(term)
    explained_at = text.index(explanation)
    # The explanation follows the sentence that first uses the term, or the next.
    assert first_use < explained_at
    assert text[first_use:explained_at].count(". ") <= 2
    assert ENGLISH not in text


def test_a_bilingual_sheet_explains_in_each_block_s_own_language(sciatica):
    text = cards_text(sciatica, "es", also="en")

    assert text.count(SPANISH) == 1
    assert text.count(ENGLISH) == 1


def test_a_term_not_translated_into_the_sheet_s_language_is_not_explained_in_english(sciatica):
    sciatic_nerve = GlossaryTerm.objects.get(slug="sciatic-nerve")
    CatalogueTranslation.objects.filter(
        object_id=sciatic_nerve.pk,
        content_type__model="glossaryterm",
        language="es",
        field="explanation",
    ).delete()

    text = cards_text(sciatica, "es")

    assert SPANISH_TERM in text
    assert SPANISH not in text
    assert ENGLISH not in text


def test_an_arabic_term_is_found_with_or_without_vowel_marks_and_in_each_listed_form():
    explain = FirstUse(
        [
            GlossaryText("الرجل", "(الرِّجل من الورك إلى القدم.)"),
            GlossaryText("عضلة الفخذ الخلفية\nعضلات الفخذ الخلفية", "(عضلات خلف الفخذ.)"),
        ]
    )

    assert explain("ألم الرِّجل") == "ألم الرِّجل (الرِّجل من الورك إلى القدم.)"
    assert explain("شد عضلات الفخذ الخلفية") == "شد عضلات الفخذ الخلفية (عضلات خلف الفخذ.)"
    assert explain("عضلة الفخذ الخلفية والرِّجل") == "عضلة الفخذ الخلفية والرِّجل"


def reviewed_in_spanish(*, glossary: bool) -> None:
    """Every Spanish translation of the catalogue reviewed, the glossary's only if asked."""
    translations = CatalogueTranslation.objects.filter(language="es")
    if not glossary:
        translations = translations.exclude(content_type__model="glossaryterm")
    translations.update(status="reviewed", reviewer="Dra. Ruiz")


@pytest.mark.parametrize(("glossary_reviewed", "alone"), [(True, True), (False, False)])
def test_an_unreviewed_explanation_keeps_english_beside_the_sheet_like_any_unreviewed_text(
    clinic, glossary_reviewed, alone
):
    prescription = prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)
    reviewed_in_spanish(glossary=glossary_reviewed)

    handout = build_handout(prescription, "es")

    assert (handout.also is None) is alone
    assert SPANISH in flat(" ".join(handout.exercises[1].take_care))
