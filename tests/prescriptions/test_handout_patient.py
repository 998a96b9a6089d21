"""What the patient reads: each thing once, nothing contradicted, only what applies, a log
that matches the dose. Read back from the PDF."""

import datetime
import io
import re

import pypdf
import pytest
from django.core.management import call_command

from exercises.models import Condition, Exercise
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import issue_prescription
from tests import factories
from tests.prescriptions.handout_helpers import flat, pdf_lines, pdf_text

pytestmark = pytest.mark.django_db

NERVE_CAUTION = "Holding a stretch still can upset an irritated nerve, so keep it light."
ACKNOWLEDGED = "Your physiotherapist has checked this is right for you. Stop if it hurts."
DO_NOT = "Do not do this stretch while you have a disc injury."
REASON = "Disc settled; supervised trial of a gentle fold."


@pytest.fixture
def sciatica():
    return factories.ConditionFactory(
        slug="sciatica", name="Sciatica", short_name="sciatica", pain_label="Leg pain"
    )


@pytest.fixture
def notes():
    texts = {
        ("emergency", "all"): "Numbness around your bottom.",
        ("urgent", "all"): "Back pain with a fever.",
        ("contact-clinic", "all"): "New leg pain below the knee.",
        ("precaution", "all"): "Aim for a gentle pull, never sharp pain.",
        ("precaution", "stretch"): "Ease into each stretch and do not bounce.",
        ("precaution", "strengthening"): "Score the muscle ache from 0 to 10.",
    }
    for (tier, applies_to), text in texts.items():
        factories.SafetyNoteFactory(tier=tier, applies_to=applies_to, text=text)
    return texts


def stretch(name, **fields):
    return factories.ExerciseFactory(
        name=name,
        steps=[
            f"Get ready for the {name.lower()} with both legs straight.",
            f"Move into the {name.lower()} slowly.",
        ],
        tags=[factories.TagFactory(slug="static-hold")],
        feel="Your back stays flat.",
        cues="Breathe out slowly.",
        common_mistakes="Pulling too hard.",
        safety_notes=f"Stop if the back of the knee hurts in the {name.lower()}.",
        **fields,
    )


def bridge():
    return factories.ExerciseFactory(
        name="Bottom lift (glute bridge)",
        slug="bottom-lift",
        category="strengthening",
        default_hold_seconds=None,
        default_reps=10,
        default_times_per_day=2,
        default_days_per_week=3,
        default_side=None,
        advised_min_hold_seconds=None,
        advised_max_hold_seconds=None,
    )


def handout_of(prescription) -> Handout:
    return build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))


def text_of(handout: Handout, **options) -> str:
    return flat(pdf_text(render_handout(handout, **options)))


@pytest.fixture
def programme(clinic, sciatica, notes):
    factories.CautionFactory(
        condition=sciatica, tag=factories.TagFactory(slug="static-hold"), text=NERVE_CAUTION
    )
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    return factories.PrescriptionFactory(
        patient=patient,
        items=[stretch("Lying stretch"), stretch("Wall stretch"), bridge()],
        start_date=datetime.date(2027, 1, 4),
        review_date=datetime.date(2027, 1, 28),
    )


def test_a_caution_shared_by_two_exercises_prints_once_before_them(programme):
    text = text_of(handout_of(programme))
    assert text.count(NERVE_CAUTION) == 1
    box = text.index("Because of your sciatica")
    assert box < text.index(NERVE_CAUTION) < text.index("1. Lying stretch")
    # Each card it applies to points to it, in a line of at most 7 words.
    cards = re.split(r"\d\. (?:Lying stretch|Wall stretch|Bottom lift)", text)[1:4]
    marker = "Also read: Because of your sciatica"
    assert len(marker.split()) <= 7
    assert [marker in card for card in cards] == [True, True, False]


def test_a_card_reads_in_the_order_the_body_does_it(programme):
    text = text_of(handout_of(programme))
    card = text[text.index("1. Lying stretch") : text.index("2. Wall stretch")]
    in_order = [
        "Starting position: Get ready for the lying stretch with both legs straight.",
        "1. Move into the lying stretch slowly.",
        "You should feel: Your back stays flat.",
        "Tips: Breathe out slowly.",
        "Avoid: Pulling too hard.",
        "How much: Hold for 30 seconds. Do this 3 times on each leg. Once a day, every day.",
        "Take care",
        "Stop if the back of the knee hurts in the lying stretch.",
        "Also read: Because of your sciatica",
    ]
    positions = [card.find(fragment) for fragment in in_order]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert card.count("Take care") == 1


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s+", text) if len(s.split()) >= 8]


def body_text(pdf: bytes) -> str:
    """Every line but the page footers and the log's grids (its introduction included)."""
    lines = [
        line.text for page in pdf_lines(pdf) for line in page if "Prescription " not in line.text
    ]
    first_week = next(i for i, line in enumerate(lines) if line.startswith("Week 1:"))
    return flat(" ".join(lines[:first_week]))


def assert_no_sentence_twice(pdf: bytes) -> None:
    found = sentences(body_text(pdf))
    assert found
    repeated = {sentence for sentence in found if found.count(sentence) > 1}
    assert not repeated


def test_no_sentence_of_eight_words_or_more_is_printed_twice(programme):
    handout = handout_of(programme)
    assert "Each evening, score your pain from 0 (none) to 10 (the worst)." in body_text(
        render_handout(handout)
    )
    for options in ({}, {"paper": "letter"}, {"large_print": True}):
        assert_no_sentence_twice(render_handout(handout, **options))


def test_no_sentence_twice_with_the_default_catalogue(clinic):
    call_command("load_catalogue", verbosity=0)
    patient = factories.PatientFactory(
        clinic=clinic, conditions=[Condition.objects.get(slug="sciatica")]
    )
    stretches = Exercise.objects.filter(
        status="published", category="stretch", tags__slug="static-hold"
    ).order_by("pk")[:5]
    prescription = factories.PrescriptionFactory(patient=patient, items=list(stretches))
    assert_no_sentence_twice(render_handout(handout_of(prescription)))


@pytest.fixture
def disc_injury():
    return factories.ConditionFactory(slug="disc-injury", name="Disc injury")


def acknowledged(clinic, condition, exercises):
    for exercise in exercises:
        factories.CautionFactory(
            condition=condition,
            exercise=exercise,
            severity="contraindication",
            text=DO_NOT,
            acknowledged_text=ACKNOWLEDGED,
        )
    prescription = factories.PrescriptionFactory(
        patient=factories.PatientFactory(clinic=clinic, conditions=[condition]), items=exercises
    )
    prescription.items.update(acknowledge_contraindication=True, contraindication_reason=REASON)
    return prescription


def test_an_acknowledged_contraindication_prints_its_acknowledged_wording(clinic, disc_injury):
    prescription = acknowledged(clinic, disc_injury, [factories.ExerciseFactory(name="Fold")])
    text = text_of(handout_of(prescription))
    assert ACKNOWLEDGED in text
    assert DO_NOT not in text
    assert REASON not in text
    card = text[text.index("1. Fold") :]
    assert card.index("How much:") < card.index(ACKNOWLEDGED)


def test_the_reason_is_kept_with_the_issued_item_but_never_printed(clinic, disc_injury):
    prescription = acknowledged(clinic, disc_injury, [factories.ExerciseFactory(name="Fold")])
    issued = issue_prescription(prescription=prescription)
    assert issued.items.get().contraindication_reason == REASON
    assert REASON not in str(issued.snapshot)
    for options in ({}, {"paper": "letter"}, {"large_print": True}):
        text = text_of(Handout.from_dict(issued.snapshot), **options)
        assert REASON not in text
        assert ACKNOWLEDGED in text


def test_a_handout_issued_when_snapshots_kept_the_reason_still_prints_without_it(
    clinic, disc_injury
):
    prescription = acknowledged(clinic, disc_injury, [factories.ExerciseFactory(name="Fold")])
    snapshot = issue_prescription(prescription=prescription).snapshot
    older = {
        **snapshot,
        "exercises": [
            {**section, "contraindication_reason": REASON} for section in snapshot["exercises"]
        ],
    }
    text = text_of(Handout.from_dict(older))
    assert REASON not in text
    assert ACKNOWLEDGED in text


def test_two_acknowledged_contraindications_with_one_wording_print_it_once(clinic, disc_injury):
    exercises = [factories.ExerciseFactory(name="Fold"), factories.ExerciseFactory(name="Reach")]
    text = text_of(handout_of(acknowledged(clinic, disc_injury, exercises)))
    assert text.count(ACKNOWLEDGED) == 1
    assert text.index("Because of your Disc injury") < text.index(ACKNOWLEDGED)
    assert text.index(ACKNOWLEDGED) < text.index("1. Fold")


@pytest.mark.parametrize(
    ("kind", "printed", "left_out"),
    [
        ("stretch", "Ease into each stretch and do not bounce.", "Score the muscle ache"),
        ("strengthening", "Score the muscle ache from 0 to 10.", "do not bounce"),
    ],
)
def test_general_notes_print_only_where_they_apply(clinic, notes, kind, printed, left_out):
    exercise = stretch("Lying stretch") if kind == "stretch" else bridge()
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise])
    text = text_of(handout_of(prescription))
    assert printed in text
    assert left_out not in text
    assert "Aim for a gentle pull, never sharp pain." in text
    assert text.index("1. ") < text.index("Contact us") < text.index("New leg pain below")


def test_page_one_carries_the_help_panel_with_out_of_hours_help(programme, clinic):
    clinic.out_of_hours = "Call 111 (evenings and weekends)"
    clinic.save()
    first_page = flat(
        pypdf.PdfReader(io.BytesIO(render_handout(handout_of(programme)))).pages[0].extract_text()
    )
    in_order = [
        "When to get help",
        "Emergency: get help at once",
        "call 999",
        "Numbness around your bottom.",
        "Call us the same day",
        "Call us on 020 7946 0000 today",
        "Back pain with a fever.",
        "When we are closed: Call 111 (evenings and weekends).",
    ]
    positions = [first_page.find(fragment) for fragment in in_order]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_the_emergency_tier_has_a_heavier_frame_than_the_same_day_tier(programme):
    """Greyscale tells them apart: a 3 pt frame against a 0.75 pt one."""
    page = pypdf.PdfReader(io.BytesIO(render_handout(handout_of(programme)))).pages[0]
    drawing = page.get_contents().get_data().decode("latin-1")
    assert re.search(r"(^|\s)3 w\b", drawing)
    assert re.search(r"(^|\s)\.75 w\b", drawing)


def log_rows(pdf: bytes, label: str) -> list[str]:
    return [line.text for page in pdf_lines(pdf) for line in page if line.text.startswith(label)]


def test_the_log_has_a_box_per_session_and_runs_to_the_review(programme):
    handout = handout_of(programme)
    pdf = render_handout(handout)
    text = flat(pdf_text(pdf))
    # 4 to 28 January: 24 days, so 4 weeks, each dated.
    for week, (first, last) in enumerate(
        [("4", "10"), ("11", "17"), ("18", "24"), ("25", "31")], start=1
    ):
        assert f"Week {week}: {first} January to {last} January" in text
    assert "Week 5:" not in text
    assert "Mon Tue Wed Thu Fri Sat Sun" in [line.text for page in pdf_lines(pdf) for line in page]
    # Twice a day: 2 boxes a day, 14 a week; once a day: 7.
    boxes = {}
    for page in pdf_lines(pdf):
        for line in page:
            if "☐" in line.text:
                boxes.setdefault(line.text.count("☐"), 0)
                boxes[line.text.count("☐")] += 1
    assert boxes == {7: 2 * 4, 14: 4}
    assert text.count("Pick 3 days a week") == 4
    assert text.count("Leg pain 0–10") == 4


def test_the_log_says_once_what_every_card_says_about_the_days(programme):
    """The physiotherapist's review: the log does not repeat what the cards say. When every
    exercise is done on the same few days a week, the log's instructions say it once and no
    row repeats it."""
    programme.items.update(days_per_week=3)

    text = flat(pdf_text(render_handout(handout_of(programme))))

    log = text[text.index("Your exercise log") :]
    assert log.count("Pick 3 days a week") == 1
    assert "Pick 3 days a week for your exercises. Tick a box each time" in log


@pytest.mark.parametrize(
    ("review_after_days", "weeks"), [(None, 2), (0, 1), (7, 1), (8, 2), (42, 6), (100, 6)]
)
def test_the_log_has_as_many_weeks_as_reach_the_review(clinic, review_after_days, weeks):
    start = datetime.date(2027, 3, 1)
    review = None if review_after_days is None else start + datetime.timedelta(review_after_days)
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic,
        items=[factories.ExerciseFactory()],
        start_date=start,
        review_date=review,
    )
    handout = handout_of(prescription)
    assert len(handout.log.weeks) == weeks
    text = text_of(handout)
    assert f"Week {weeks}:" in text
    assert f"Week {weeks + 1}:" not in text
    assert "Pain 0–10" in text


def test_a_handout_issued_before_the_help_panel_still_prints(clinic):
    """Snapshots of the first format: cautions in each card, tiers in the panel, before and
    after the exercises."""
    first_format = {
        "language": "en",
        "title": "Your home exercise programme",
        "clinic_name": "Hilltop",
        "clinic_logo": "",
        "clinic_address": "",
        "clinic_contact": "",
        "patient_name": "Ada Lovelace",
        "patient_birth_date": "",
        "date": "1 May 2026",
        "clinician_name": "Dr Who",
        "clinician_profession": "",
        "notes": "",
        "exercises": [
            {
                "number": 1,
                "name": "Fold",
                "image": "",
                "image_alt": "",
                "steps": ["Sit tall.", "Lean forward."],
                "dose": "Hold for 30 seconds.",
                "note": "",
                "cautions": [{"condition": "Disc", "severity": "warning", "text": "Go gently."}],
            }
        ],
        "safety": [
            {"tier": "precaution", "heading": "How it feels", "intro": "", "items": ["Mild."]},
            {"tier": "urgent", "heading": "Same day", "intro": "Call us.", "items": ["Fever."]},
            {"tier": "emergency", "heading": "Emergency", "intro": "Call 999.", "items": ["Numb."]},
        ],
        "review_date": "",
        "prescription_id": 7,
        "version": 1,
        "status": "issued",
        "paper": "a4",
    }
    pdf = render_handout(Handout.from_dict(first_format), large_print=True)
    first_page = flat(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Numb." in first_page
    assert "Fever." in first_page
    text = flat(pdf_text(pdf))
    # How it should feel comes before the exercises it governs.
    assert text.index("Mild.") < text.index("1. Fold") < text.index("Go gently.")
    assert "Mon Tue Wed Thu Fri Sat Sun" in text
