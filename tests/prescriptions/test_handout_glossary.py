"""Jargon explained at first use (issue 25's review): a word a patient may not know is
explained in plain words the first time the sheet uses it, from the catalogue's glossary,
which an editor changes in the admin."""

import re

import pytest

from clinics.roles import ensure_roles
from exercises.models import GlossaryTerm
from prescriptions.handouts.pdf import render_handout
from tests import factories
from tests.prescriptions.handout_fixtures import handout_fixture
from tests.prescriptions.handout_helpers import flat, pdf_text

pytestmark = pytest.mark.django_db

HAMSTRING = "(Your hamstrings are the muscles at the back of your thigh.)"
TRANSLATIONS = "exercises-cataloguetranslation-content_type-object_id"
SCIATIC_NERVE = "(Your sciatic nerve runs from your lower back, through your buttock and down"


@pytest.fixture
def clinic():
    return factories.ClinicFactory(name="Riverside Physio")


def sheet_text(clinic, name="sciatica-stretches") -> tuple[str, object]:
    handout = handout_fixture(name, clinic)
    text = flat(pdf_text(render_handout(handout)))
    # Exercise names keep their words: a term in a card's name is not where it is explained.
    for card in handout.exercises:
        text = text.replace(f"{card.number}. {card.name}", "")
        text = text.replace(card.name, "")
    return text, handout


@pytest.mark.parametrize(
    ("term", "explanation"), [("hamstring", HAMSTRING), ("sciatic nerve", SCIATIC_NERVE)]
)
def test_a_term_is_explained_once_right_after_it_is_first_used(clinic, term, explanation):
    text, _handout = sheet_text(clinic)

    first_use = re.search(rf"\b{term}", text, re.IGNORECASE).start()
    assert text.count(explanation) == 1
    explained_at = text.index(explanation)
    # In the same text: the explanation follows the sentence that uses the term, or the next.
    assert first_use < explained_at
    assert text[first_use:explained_at].count(". ") <= 2


def test_the_glossary_is_catalogue_data_an_editor_changes(clinic):
    handout_fixture("sciatica-stretches", clinic)  # loads the catalogue
    term = GlossaryTerm.objects.get(slug="hamstring")
    term.explanation = "(The hamstrings: three muscles behind your thigh.)"
    term.save()
    GlossaryTerm.objects.filter(slug="sciatic-nerve").update(is_active=False)

    text, _handout = sheet_text(clinic)

    assert "(The hamstrings: three muscles behind your thigh.)" in text
    assert HAMSTRING not in text
    assert SCIATIC_NERVE not in text


def test_a_term_the_sheet_never_uses_is_not_explained(clinic):
    text, _handout = sheet_text(clinic)

    assert "cauda equina" not in text.lower()
    assert GlossaryTerm.objects.filter(slug="cauda-equina", is_active=True).exists()


def test_a_catalogue_editor_adds_a_term_in_the_admin_and_the_next_sheet_explains_it(client, clinic):
    handout_fixture("sciatica-stretches", clinic)  # loads the catalogue
    ensure_roles()
    client.force_login(factories.editor(clinic))

    response = client.post(
        "/admin/exercises/glossaryterm/add/",
        {
            "slug": "towel",
            "term": "towel",
            "explanation": "(Any bath towel will do.)",
            "references": "",
            "is_active": "on",
            # The term's translations, none yet (the inline beside it).
            f"{TRANSLATIONS}-TOTAL_FORMS": "0",
            f"{TRANSLATIONS}-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    text, _handout = sheet_text(clinic)
    assert text.count("(Any bath towel will do.)") == 1
