"""An Arabic handout reads right to left: letters joined, each line in visual order after the
lines are broken, phone numbers kept left to right.

Read back with pypdf, which reads a run of Arabic drawn on the page from right to left, as a
reader does: a line drawn in visual order reads back as the sentence, one drawn in logical
order would read back reversed. Joined letters are drawn as their presentation forms, which
NFKC turns back into letters."""

import io
import unicodedata

import pypdf
import pytest
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from clinics.models import Clinic
from prescriptions.handouts.content import build_handout
from prescriptions.handouts.direction import printed_line
from prescriptions.handouts.layout import Paragraph
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import MARGIN, handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import (
    pdf_pages,
    plain_handout,
    runs,
)

# Short plain sentences, no digits: each breaks as a whole word, so each printed line is a
# run of the paragraph's words.
GOAL = (
    "امش كل يوم قليلا حتى تعود إلى عملك بدون ألم. "
    "ارفع ابنك الصغير بدون خوف من الألم في ظهرك. "
    "نم طوال الليل بدون أن يوقظك ألم الساق. "
    "اصعد الدرج في بيتك ببطء وبثقة كل صباح."
)


JOINED_FORMS = range(0xFE70, 0xFF00)


def read_lines(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFKC", line).strip()
        for page in pdf_pages(pdf)
        for line in page.splitlines()
    ]


def test_a_paragraph_breaks_into_lines_before_each_is_reordered():
    pdf = render_handout(plain_handout(language="ar", notes=GOAL))

    lines = [line for line in read_lines(pdf) if line and line in GOAL]
    assert len(lines) >= 3
    # Read top to bottom, the lines are the paragraph in order: the first holds its start.
    assert " ".join(lines) == GOAL
    assert GOAL.startswith(lines[0])


def test_an_arabic_paragraph_split_across_pages_under_another_language_keeps_its_order():
    """A bilingual sheet's second-language paragraph is split at a page break while the
    sheet's first language is active: each part still draws right to left, line by line."""
    with translation.override("ar"):
        styles = handout_styles(large_print=True)
        # Long enough to split into parts of two lines or more (no widows, no orphans).
        text = f"{GOAL} {GOAL}"
        paragraph = Paragraph(text, styles.body)
    buffer = io.BytesIO()
    # A frame of two lines and a half (its padding apart): the paragraph splits page by page.
    frame_padding = 12
    page_height = styles.body.leading * 2.5 + frame_padding + 2 * MARGIN
    document = SimpleDocTemplate(
        buffer,
        pagesize=(A4[0], page_height),
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=True,
    )
    with translation.override("en"):
        document.build([paragraph])

    pages = pdf_pages(buffer.getvalue())
    lines = [line for line in read_lines(buffer.getvalue()) if line]
    assert len(pages) >= 2
    assert " ".join(lines) == text


@pytest.fixture
def arabic_draft(clinic, exercise):
    patient = factories.PatientFactory(clinic=clinic, preferred_language="ar")
    return factories.PrescriptionFactory(patient=patient, items=[exercise])


def test_an_arabic_patients_first_page_is_arabic_read_right_to_left(as_therapist, arabic_draft):
    response = as_therapist.get(f"/api/v1/prescriptions/{arabic_draft.pk}/handout/")
    first_page = pdf_pages(response.content)[0]
    lines = read_lines(response.content)

    # The title is the first line after the clinic's: it reads as written, right to left.
    assert lines[1] == "برنامج تمارينك المنزلية"
    for heading in ("متى تطلب المساعدة", "اتصل بنا في اليوم نفسه"):
        assert heading in lines
    assert any(ord(char) in JOINED_FORMS for char in first_page)


def test_phone_numbers_stay_left_to_right_in_arabic_text(as_therapist, arabic_draft):
    pages = pdf_pages(as_therapist.get(f"/api/v1/prescriptions/{arabic_draft.pk}/handout/").content)

    # Drawn left to right as written; unisolated, right-to-left order would print
    # "0000 7946 020".
    assert "020 7946 0000" in pages[0]
    assert "0000 7946 020" not in pages[0]


def test_brackets_in_arabic_text_are_drawn_mirrored():
    """Drawn left to right, "(none)" inside Arabic shows its brackets facing the words."""
    with translation.override("ar"):
        drawn = unicodedata.normalize("NFKC", printed_line("من 0 (بدون ألم) إلى 10"))

    assert drawn == "10 ىلإ (ملأ نودب) 0 نم"


def _left_edges(pdf: bytes) -> dict[str, float]:
    """Where each run of text starts across the page, from the left, on the log's last page."""
    edges = {}
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[-1]
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: (
            edges.setdefault(text.strip(), cm[4] + tm[4]) if text.strip() else None
        )
    )
    return edges


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_log_puts_the_exercise_names_where_a_reader_starts(as_therapist, clinic, language):
    patient = factories.PatientFactory(clinic=clinic, preferred_language=language)
    exercise = factories.ExerciseFactory(name="Bridge")
    prescription = factories.PrescriptionFactory(patient=patient, items=[exercise])
    pdf = as_therapist.get(f"/api/v1/prescriptions/{prescription.pk}/handout/").content

    edges = _left_edges(pdf)
    ticks = [x for text, x in edges.items() if set(text) <= {"☐", " "}]
    # The Arabic sheet marks the untranslated name "(in English)" after it.
    (name,) = [x for text, x in edges.items() if "1. Bridge" in text]

    if language == "ar":
        assert name > max(ticks)
    else:
        assert name < min(ticks)


def test_a_phone_number_in_the_out_of_hours_advice_stays_left_to_right(as_therapist, clinic):
    # New Zealand's default: "call Healthline on 0800 611 116", in Arabic.
    Clinic.objects.filter(pk=clinic.pk).update(country="NZ", out_of_hours="")
    patient = factories.PatientFactory(clinic=clinic, preferred_language="ar")
    draft = factories.PrescriptionFactory(patient=patient, items=[factories.ExerciseFactory()])

    pages = pdf_pages(as_therapist.get(f"/api/v1/prescriptions/{draft.pk}/handout/").content)

    text = " ".join(pages)
    assert "0800 611 116" in text
    assert "116 611 0800" not in text


def test_the_help_panel_boxes_stand_at_the_right_margin(clinic):
    """A4's help-panel boxes are narrower than the frame: in Arabic they hang from the right
    margin, where their headings and the panel's heading start."""
    sciatica = prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)
    handout = build_handout(sciatica, "ar", also="ar")
    first_page = [run for run in runs(render_handout(handout)) if run.page == 0]

    def right_edge(heading: str) -> float:
        heading = unicodedata.normalize("NFKC", heading)
        return next(run.right for run in first_page if run.text == heading)

    panel = right_edge(handout.help.heading)
    for box_heading in (handout.help.emergency_heading, handout.help.same_day_heading):
        # The box's padding and frame apart, its heading ends where the panel's does.
        assert panel - 15 < right_edge(box_heading) <= panel


def test_an_english_paragraph_in_an_arabic_sheet_reads_left_to_right_from_the_left_margin():
    english = "Lying hamstring stretch (straight leg)"
    pdf = render_handout(plain_handout(language="ar", notes=english))

    (line,) = [run for run in runs(pdf) if english in run.text]
    assert line.left == pytest.approx(MARGIN, abs=0.5)
    assert "(Lying" not in " ".join(pdf_pages(pdf))


def test_the_clinicians_name_and_profession_are_joined_by_an_arabic_comma():
    profession = "أخصائي العلاج الطبيعي"
    pdf = render_handout(
        plain_handout(language="ar", clinician_name="Sam Taylor", clinician_profession=profession)
    )

    first_page = unicodedata.normalize("NFKC", pdf_pages(pdf)[0])
    assert f"، {profession}" in first_page
    assert f", {profession}" not in first_page


def test_the_logs_days_are_spelt_as_arabic_writes_them(as_therapist, arabic_draft):
    """Django's own Arabic abbreviates Monday with a hamza under the alef ("إثنين"), which the
    word does not take: the project's catalogue overrides it."""
    lines = read_lines(
        as_therapist.get(f"/api/v1/prescriptions/{arabic_draft.pk}/handout/").content
    )

    week = ("اثنين", "ثلاثاء", "أربعاء", "خميس", "جمعة", "سبت", "أحد")
    headers = [line for line in lines if line in (*week, "إثنين")]
    assert set(headers) == set(week)
    assert len(headers) % len(week) == 0


@pytest.mark.django_db
def test_the_logs_pain_range_reads_from_0_to_10_in_arabic(clinic):
    sciatica = prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)
    lines = read_lines(render_handout(build_handout(sciatica, "ar", also="ar")))

    # Drawn left to right as written; unisolated, right-to-left order would print "10–0".
    assert [line for line in lines if "ألم" in line and "0–10" in line]
    assert not [line for line in lines if "10–0" in line]
