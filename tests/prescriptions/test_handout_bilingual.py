"""A bilingual sheet (`?also=`) of the sciatica programme: the second language named where it
first appears on each card and in each box of the help panel, lighter but never below the type
minimums, and, with Arabic and English, each block in its own direction: Arabic right-aligned
and joined, English left-aligned. Read back from the PDF with pypdf."""

import re
import unicodedata

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import MARGIN, handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import (
    Run,
    flat,
    pdf_lines,
    pdf_pages,
    pdf_pieces,
    pdf_text,
    runs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sciatica(clinic):
    return prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)


def sheet(prescription, language: str, also: str) -> Handout:
    return build_handout(prescription, language, also)


def test_each_card_and_help_box_names_the_second_language_where_it_starts(sciatica):
    handout = sheet(sciatica, "es", "en")
    text = flat(pdf_text(render_handout(handout)))

    for spanish, english in zip(handout.exercises, handout.also.exercises, strict=True):
        card = text[text.index(f"{spanish.number}. {spanish.name}") :]
        assert card.startswith(f"{spanish.number}. {spanish.name} English: {english.name}")
    help_panel = handout.also.help
    for heading in (
        help_panel.heading,
        help_panel.emergency_heading,
        help_panel.same_day_heading,
    ):
        assert f"English: {heading}" in text
    # The second language's own labels, not the first's.
    assert "Starting position:" in text and "How much:" in text and "Take care" in text


@pytest.mark.parametrize(("large_print", "minimum"), [(False, 12), (True, 16)])
def test_the_second_language_is_smaller_only_in_its_label(sciatica, large_print, minimum):
    handout = sheet(sciatica, "es", "en")
    pieces = pdf_pieces(render_handout(handout, large_print=large_print))
    english = handout.also.exercises[0]

    def size_of(start: str) -> float:
        return next(piece.size for piece in pieces if piece.text.startswith(start))

    for start in (english.steps[0][:20], english.steps[-1][:20], english.name):
        assert size_of(start) >= minimum
    # The card's name in English is secondary to the Spanish one.
    assert size_of(english.name) < size_of(f"1. {handout.exercises[0].name[:10]}")


def is_latin(run: Run) -> bool:
    return any("a" <= char.lower() <= "z" for char in run.text)


def printed_lines(all_runs: list[Run], texts, latin: bool) -> list[tuple[float, float]]:
    """(left, right) of each printed line of the given texts (a step may wrap): the runs in
    the texts' script on one line (a step number is a run of its own)."""
    texts = [unicodedata.normalize("NFKC", text) for text in texts]
    lines = {
        (run.page, run.y)
        for run in all_runs
        if len(run.text) > 8 and any(run.text.strip(". ") in text for text in texts)
    }
    return [
        (min(run.left for run in line), max(run.right for run in line))
        for place in sorted(lines)
        if (
            line := [
                run for run in all_runs if (run.page, run.y) == place and is_latin(run) == latin
            ]
        )
    ]


@pytest.mark.parametrize(("language", "also"), [("ar", "en"), ("en", "ar")])
def test_arabic_and_english_each_align_in_their_own_direction(sciatica, language, also):
    handout = sheet(sciatica, language, also)
    arabic, english = (handout, handout.also) if language == "ar" else (handout.also, handout)
    pdf = render_handout(handout)
    all_runs = runs(pdf)
    arabic_lines = printed_lines(all_runs, arabic.exercises[0].steps, latin=False)
    english_lines = printed_lines(all_runs, english.exercises[0].steps, latin=True)

    assert len(arabic_lines) >= 3 and len(english_lines) >= 3
    # Arabic lines end at one right edge, English lines start at one left edge (within a
    # point), whichever language the sheet leads with; the Arabic lines' starts vary.
    # (A numbered step's later lines hang under its text, a step number's width in from the
    # edge; lines left-aligned would end up to a whole line's width apart.)
    rights = [right for _left, right in arabic_lines]
    assert max(rights) - min(rights) < 16
    assert len({round(left) for left, _right in arabic_lines}) > 1
    lefts = [left for left, _right in english_lines]
    assert max(lefts) - min(lefts) < 1
    # Arabic reads right to left with its letters joined, under English too.
    drawn = pdf_text(pdf)
    page_text = unicodedata.normalize("NFKC", drawn)
    # (The full stop leads the line, beside the step's number, as an Arabic reader sees it.)
    assert arabic.exercises[0].steps[1].rstrip(".") in " ".join(page_text.split())
    assert any(0xFE70 <= ord(char) <= 0xFEFF for char in drawn)  # joined forms


@pytest.mark.parametrize(("language", "also"), [("es", "en"), ("ar", "en")])
def test_a_bilingual_large_print_first_page_keeps_the_large_print(sciatica, language, also):
    """Two languages' emergency signs are taller than page 1 in large print: the second
    language's follow on page 2 rather than shrink the signs a patient acts on, before the
    same-day signs, so its reader meets them first; page 1 says where the same-day signs are."""
    handout = sheet(sciatica, language, also)
    pdf = render_handout(handout, large_print=True)
    pieces = pdf_pieces(pdf)
    footer_size = min(piece.size for piece in pieces)
    first_page = [piece for piece in pieces if piece.page == 0 and piece.size > footer_size]

    assert min(piece.size for piece in first_page) >= 16
    pages = [flat(unicodedata.normalize("NFKC", page)) for page in pdf_pages(pdf)]
    english = handout.also.help
    assert flat(english.emergency_signs[0]) not in pages[0]
    assert flat(english.emergency_signs[0]) in pages[1]
    later = " ".join(pages[1:])
    assert later.index(flat(english.emergency_signs[0])) < later.index(english.same_day_heading)
    # The page page 1 points to holds the same-day signs in both languages.
    same_day_page = next(
        number for number, page in enumerate(pages, start=1) if english.same_day_heading in page
    )
    # The pointer in the sheet's language (in English too when page 1 has room); an Arabic
    # line's number is read out first, as it is drawn at the line's left.
    pointer = {"es": f"página {same_day_page}", "ar": f"{same_day_page} المساعدة في اليوم نفسه"}
    assert pointer[language] in pages[0]
    heading = unicodedata.normalize("NFKC", handout.help.same_day_heading)
    assert flat(heading) in pages[same_day_page - 1]


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_stop_rules_routine_signs_goal_pointer_and_log_print_in_both_languages(
    sciatica, language
):
    handout = sheet(sciatica, language, "en")
    english = handout.also
    pages = [
        flat(unicodedata.normalize("NFKC", page)) for page in pdf_pages(render_handout(handout))
    ]
    text = " ".join(pages)

    assert english.guidance and handout.notes
    for section in english.guidance:
        assert f"English: {section.heading}" in text
        for item in section.items:
            assert flat(item) in text
    assert "English: Your goal" in text
    # Page 1's English pointer names the same-day help (and, when the English emergency signs
    # follow on page 2, those too).
    assert re.search(
        r"English: (Emergency signs: page 2; same-day help|Same-day help.*): page 2", pages[0]
    )
    assert f"English: {english.log.heading}" in text
    log_pages = " ".join(page for page in pages if english.log.rows[0].label in page)
    for label in (*(row.label for row in english.log.rows), *english.log.pain_labels):
        assert label in log_pages


@pytest.mark.parametrize(("language", "also"), [("es", "en"), ("en", "ar")])
def test_a_bilingual_large_print_log_leaves_no_page_empty(sciatica, language, also):
    """A week of the log in two languages fills a large-print page: the gap after it must not
    make a page of its own (footer alone)."""
    pdf = render_handout(sheet(sciatica, language, also), large_print=True)

    draft_mark = handout_styles(large_print=True).draft_size
    for page in pdf_lines(pdf):
        # Above the footer, the DRAFT mark (in the sheet's language) aside.
        assert [line for line in page if line.y > MARGIN and line.size < draft_mark]


@pytest.mark.parametrize(("language", "also"), [("es", "en"), ("ar", "en"), ("en", "ar")])
@pytest.mark.parametrize(("paper", "large_print"), [("a4", False), ("letter", False), ("a4", True)])
def test_page_1_sends_the_second_languages_reader_to_their_emergency_signs(
    sciatica, language, also, paper, large_print
):
    handout = sheet(sciatica, language, also)
    pdf = render_handout(handout, paper=paper, large_print=large_print)
    pages = [flat(unicodedata.normalize("NFKC", page)) for page in pdf_pages(pdf)]
    heading = handout.also.help.emergency_heading
    (emergency_page,) = [number for number, page in enumerate(pages, 1) if heading in page]
    if emergency_page == 1:
        return  # The second language's reader finds their emergency signs on page 1.

    with translation.override(also):
        # The pointer's words before its page numbers: "Emergency signs", "علامات الطوارئ".
        names_them = _("Emergency signs: page %(emergency)d; same-day help: page %(same_day)d")
        names_them = names_them.split(":")[0]
    first_page_lines = unicodedata.normalize("NFKC", pdf_pages(pdf)[0]).splitlines()
    (pointer,) = [line for line in first_page_lines if names_them in line]
    # Read back, an Arabic line's runs come in any order: its page numbers are still its own.
    assert str(emergency_page) in re.findall(r"\d+", pointer)


@pytest.mark.parametrize(
    ("language", "paper", "large_print"),
    [("es", "a4", False), ("es", "letter", False), ("ar", "a4", False), ("ar", "a4", True)],
)
def test_page_1_says_when_to_start_and_how_long_in_both_languages(
    sciatica, language, paper, large_print
):
    handout = sheet(sciatica, language, "en")
    pdf = render_handout(handout, paper=paper, large_print=large_print)
    first_page = flat(unicodedata.normalize("NFKC", pdf_pages(pdf)[0]))

    english = handout.also
    assert english.starts and english.how_long
    said = f"English: Start on: {english.starts} · How long: {english.how_long}"
    assert flat(said) in first_page
