"""Every page number page 1 gives ("Same-day help and our phone number: page 2", "What changed:
page 3", the second language's "Emergency signs: page 2; same-day help: page 3") is the page
that holds the heading it names, in every language and on every paper (fluent review 3, N1:
the numbers were estimates, wrong on three sheets). Read back from the PDF with pypdf, the way
the reviewer's where.py did: a heading's page is the first page after page 1 whose text holds
it; a pointer's numbers are those on its line (and on a line of its own under it, when the
number wrapped). An Arabic line's runs come back in any order, so each pointer's numbers are
compared as a set with the pages of the headings it names."""

import itertools
import re
import unicodedata

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from prescriptions.handouts.content import Handout
from prescriptions.handouts.issue import handout_now, rendered_handout
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import revise_prescription
from tests import factories
from tests.prescriptions.handout_fixtures import revision, sciatica_stretches
from tests.prescriptions.handout_helpers import flat, pdf_pages

pytestmark = pytest.mark.django_db

SHEETS = [("en", None), ("es", None), ("ar", None), ("es", "en"), ("ar", "en"), ("en", "ar")]
PAPERS = [("a4", False), ("letter", False), ("a4", True)]
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def riverside(db):
    # The sheets the reviewer read: Spanish and Arabic print alone though not yet reviewed.
    return factories.ClinicFactory(name="Riverside Physio", unreviewed_translations_alone=True)


def draft_revision(clinic):
    """The reviewer's draft revision (make_rev.py): one dose changed, one exercise stopped."""
    issued = revision(clinic)
    draft = revise_prescription(prescription=issued, clinician=issued.clinician)
    draft.items.filter(order=0).update(hold_seconds=15, reps=4)
    draft.items.filter(order=2).delete()
    return draft


def page_texts(pdf: bytes) -> list[str]:
    return [BIDI_MARKS.sub("", unicodedata.normalize("NFKC", page)) for page in pdf_pages(pdf)]


def first_page_after_1(pages: list[str], heading: str) -> int | None:
    return next((number for number, page in enumerate(pages[1:], 2) if heading in flat(page)), None)


def numbers_on_lines_with(page_one: str, words: str) -> list[set[int]]:
    """For each line of page 1 holding `words`, the numbers on it and on the line under it
    when that holds only a page number, with or without the word "page" (it wrapped)."""
    page_word = words.split()[-1]
    lines = [*page_one.splitlines(), ""]
    found = []
    for line, under in itertools.pairwise(lines):
        if words in line:
            wrapped = not re.sub(rf"[\d\s:;؛.]|{re.escape(page_word)}", "", under)
            found.append({int(number) for number in re.findall(r"\d+", line + under * wrapped)})
    return found


def pointers(handout: Handout) -> list[tuple[str, list[str]]]:
    """Each pointer's words before its first number, in each of the sheet's languages, with
    the headings it names. What a revision changed prints in the sheet's first language."""
    with translation.override(handout.language):
        # Without its colon, which an Arabic line's runs may put apart.
        changes_heading = _("What changed:").rstrip(":")
    said = []
    for sheet in (handout, handout.also) if handout.also else (handout,):
        same_day, emergency = sheet.help.same_day_heading, sheet.help.emergency_heading
        with translation.override(sheet.language):
            said += [
                (_("Same-day help and our phone number: page %(page)d"), [same_day]),
                (
                    _("Emergency signs: page %(emergency)d; same-day help: page %(same_day)d"),
                    [emergency, same_day],
                ),
                (_("What changed: page %(page)d"), [changes_heading]),
            ]
    return [(template.split("%(")[0].strip(), headings) for template, headings in said]


def assert_page_1_points_to_the_right_pages(handout: Handout, pdf: bytes) -> None:
    pages = page_texts(pdf)
    for words, headings in pointers(handout):
        for numbers in numbers_on_lines_with(pages[0], words):
            assert numbers == {first_page_after_1(pages, heading) for heading in headings}, words


@pytest.mark.parametrize(("language", "also"), SHEETS)
@pytest.mark.parametrize("make", [sciatica_stretches, draft_revision], ids=["sciatica", "draft"])
def test_every_page_page_1_gives_holds_what_it_names(riverside, make, language, also):
    prescription = prescriptions_with_handout_content().get(pk=make(riverside).pk)
    handout = handout_now(prescription, language, also)
    for paper, large_print in PAPERS:
        pdf = rendered_handout(
            prescription, paper=paper, large_print=large_print, language=language, also=also
        )
        assert_page_1_points_to_the_right_pages(handout, pdf)


def test_an_issued_revisions_page_1_gives_the_pages_it_names(riverside):
    prescription = prescriptions_with_handout_content().get(pk=revision(riverside).pk)
    handout = handout_now(prescription)
    for paper, large_print in PAPERS:
        pdf = rendered_handout(prescription, paper=paper, large_print=large_print)
        assert_page_1_points_to_the_right_pages(handout, pdf)


def test_a_sheet_laid_out_again_for_its_pointers_prints_the_same_bytes_each_time(riverside):
    """Arabic with English on letter: the estimate sent both readers to page 3 for same-day
    help, which prints on page 2."""
    prescription = prescriptions_with_handout_content().get(pk=sciatica_stretches(riverside).pk)

    def download() -> bytes:
        return rendered_handout(
            prescription, paper="letter", large_print=False, language="ar", also="en"
        )

    pdf = download()
    assert "English: Emergency signs: page 2; same-day help: page 2" in flat(page_texts(pdf)[0])
    assert download() == pdf
