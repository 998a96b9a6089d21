"""How the handout falls on its pages, in A4, letter and large print, read back from the PDF."""

import datetime
import io
import itertools
import re

import pypdf
import pytest
from django.core.management import call_command

from exercises.models import Condition, Exercise, Illustration
from prescriptions.handouts.content import build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import MARGIN, PAPER_SIZES
from prescriptions.selectors import prescriptions_with_handout_content
from tests import factories
from tests.prescriptions.handout_helpers import flat, pdf_lines

pytestmark = pytest.mark.django_db

FORMATS = [
    pytest.param({"paper": "a4"}, 11, id="a4"),
    pytest.param({"paper": "letter"}, 11, id="letter"),
    pytest.param({"paper": "a4", "large_print": True}, 16, id="large-print"),
]
FOOTER = "Prescription "


def catalogue_handout(clinic, *, review_date=None, pictures=True):
    """The budget's fixture: 5 static-hold hamstring stretches of the default catalogue, as
    loaded (with their start and end pictures), for a patient with sciatica."""
    call_command("load_catalogue", verbosity=0)
    stretches = list(
        Exercise.objects.filter(
            status="published",
            category="stretch",
            body_region__slug="hamstrings",
            tags__slug="static-hold",
        ).order_by("pk")[:5]
    )
    if not pictures:
        Illustration.objects.filter(exercise__in=stretches).delete()
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="sciatica")]
    )
    prescription = factories.PrescriptionFactory(
        patient=patient, items=stretches, review_date=review_date
    )
    return build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def body_lines(page):
    return [line for line in page if FOOTER not in line.text]


@pytest.fixture
def many_signs_handout(clinic):
    """A programme whose safety notes are long and many: the panel still fits page 1."""
    for number in range(12):
        factories.SafetyNoteFactory(
            tier="emergency", text=f"Emergency sign {number} that goes on for quite a long while."
        )
        factories.SafetyNoteFactory(
            tier="urgent", text=f"Same-day sign {number} that also goes on for quite a while."
        )
    for number in range(8):
        factories.SafetyNoteFactory(tier="precaution", text=f"Precaution {number}.")
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic,
        items=[factories.ExerciseFactory(name=f"Stretch {n}") for n in range(7)],
    )
    return build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))


@pytest.mark.parametrize(("options", "body_size"), FORMATS)
def test_page_one_holds_every_sign_and_the_clinic_phone(many_signs_handout, options, body_size):
    first_page = flat(
        " ".join(line.text for line in pdf_lines(render_handout(many_signs_handout, **options))[0])
    )
    for number in range(12):
        assert f"Emergency sign {number} " in first_page
        assert f"Same-day sign {number} " in first_page
    assert "Call us on 020 7946 0000 today" in first_page
    assert "When we are closed: call NHS 111." in first_page


@pytest.mark.parametrize(("options", "body_size"), FORMATS)
def test_no_heading_ends_a_page(many_signs_handout, clinic, options, body_size):
    for handout in (many_signs_handout, catalogue_handout(clinic)):
        pages = pdf_lines(render_handout(handout, **options))
        for number, page in enumerate(pages[:-1], start=1):
            last = body_lines(page)[-1]
            heading = last.bold and last.size >= body_size
            assert not heading, f"page {number} ends with the heading {last.text!r}"


@pytest.mark.parametrize(("options", "body_size"), FORMATS)
def test_no_page_but_the_last_is_a_third_empty_unless_what_follows_cannot_fit(
    many_signs_handout, clinic, options, body_size
):
    frame = PAPER_SIZES[options["paper"]][1] - 2 * MARGIN
    for handout in (many_signs_handout, catalogue_handout(clinic)):
        pages = [body_lines(page) for page in pdf_lines(render_handout(handout, **options))]
        for number, (page, following) in enumerate(itertools.pairwise(pages), start=1):
            empty = page[-1].y - MARGIN
            if empty <= frame / 3:
                continue
            # What opens the next page, up to the heading after its first card, was too tall
            # for the gap (a section's heading moves on with its first card).
            block, in_card = [], False
            for line in following:
                heading = line.bold and line.size > body_size
                if heading and in_card and not block[-1].bold:
                    break
                in_card = in_card or (heading and re.match(r"\d+\. ", line.text) is not None)
                block.append(line)
            # Baselines: the first line's height, spacing and a box's padding come on top.
            assert block[0].y - block[-1].y > empty - 3 * body_size, f"page {number}"


def test_a_box_never_splits(clinic):
    """Each card's "Take care" box and the shared box start and end on one page."""
    handout = catalogue_handout(clinic)
    for options, _size in (p.values for p in FORMATS):
        for page in pdf_lines(render_handout(handout, **options)):
            texts = [line.text for line in body_lines(page)]
            if "Take care" in texts:
                after = texts[texts.index("Take care") :]
                assert any(text.startswith("Also read") for text in after), texts


@pytest.mark.parametrize(
    ("options", "shortest", "longest"),
    [({"paper": "a4"}, 50, 75), ({"paper": "letter"}, 50, 75), ({"large_print": True}, 30, 75)],
)
@pytest.mark.parametrize("with_picture", [True, False])
def test_text_lines_keep_to_the_measure(clinic, options, shortest, longest, with_picture):
    note = " ".join(["Keep your back flat on the floor and breathe out slowly as you move."] * 8)
    exercise = factories.ExerciseFactory(name="Bridge")
    if with_picture:
        exercise.image = factories.picture(size=(420, 850))
        exercise.save()
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    prescription.items.update(notes=note)
    handout = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    lines = [
        line.text
        for page in pdf_lines(render_handout(handout, **options))
        for line in page
        if line.text in f"Note from your clinician: {note}"
    ]
    assert len(lines) > 4
    for line in lines[:-1]:
        assert shortest <= len(line) <= longest, line


def test_page_budgets_for_five_stretches_and_sciatica(clinic):
    handout = catalogue_handout(clinic)
    a4 = page_count(render_handout(handout, paper="a4"))
    large = page_count(render_handout(handout, paper="a4", large_print=True))
    # Issue 25's budget: the help tiers, "keep active" and "How long" take room on A4.
    assert a4 <= 7
    assert large <= 2 * a4


def test_each_further_two_weeks_of_log_take_a_page_at_most(clinic):
    two_weeks = page_count(render_handout(catalogue_handout(clinic), paper="a4"))
    # The issue date is today; a review 6 weeks on gives 6 weeks of log.
    six_weeks = catalogue_handout(
        clinic, review_date=datetime.date.today() + datetime.timedelta(days=42)
    )
    assert len(six_weeks.log.weeks) == 6
    assert page_count(render_handout(six_weeks, paper="a4")) <= two_weeks + 2


def test_day_names_never_break_inside_a_box(clinic):
    handout = catalogue_handout(clinic, pictures=False)
    for options, _size in (p.values for p in FORMATS):
        texts = [
            line.text for page in pdf_lines(render_handout(handout, **options)) for line in page
        ]
        day_rows = [
            text
            for text in texts
            if text.startswith(("Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "))
        ]
        assert day_rows
        for row in day_rows:
            assert set(row.split()) <= {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, row
