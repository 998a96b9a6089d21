"""Stop rules for patients with several conditions, and the words beside them (third
physiotherapist review, R1, R2, R8), read back from the PDF of the reviewed handouts."""

import itertools

import pytest

from exercises.catalogue.loader import load_catalogue
from exercises.models import Condition, Exercise, SafetyNote
from prescriptions.handouts.pdf import render_handout
from tests import factories
from tests.prescriptions.handout_fixtures import TEN_MIXED, handout_fixture, read_handout
from tests.prescriptions.handout_helpers import flat, pdf_text

pytestmark = pytest.mark.django_db

# What a stop rule can name, each with the words that name it on the sheet.
SYMPTOMS = {
    "back pain": ("back pain",),
    "leg pain": ("leg pain", "down your leg"),
    "numbness": ("numbness",),
    "tingling": ("tingling", "pins and needles"),
    "sharp or shooting pain": ("sharp", "shooting"),
}
MUSCLE_ACHE_OR_NERVE_PAIN = (
    "A muscle ache is dull and tired and eases with rest, but nerve pain is sharp, shooting, "
    "burning or tingling and often runs down your leg."
)
FORMATS = [{"paper": "a4"}, {"paper": "letter"}, {"paper": "a4", "large_print": True}]


def symptoms_named(text: str) -> set[str]:
    return {name for name, words in SYMPTOMS.items() if any(word in text for word in words)}


def sheet_text(handout, **options) -> str:
    return flat(pdf_text(render_handout(handout, **options)))


def test_every_stop_condition_of_each_of_two_conditions_prints(clinic):
    """For every pair of the catalogue's conditions, each note with condition wordings prints
    one wording (never the general one beside a condition's), and it names every symptom that
    either condition's own wording names."""
    load_catalogue()
    notes = SafetyNote.objects.filter(is_active=True, variants__isnull=False).distinct()
    exercises = list(Exercise.objects.filter(slug__in=TEN_MIXED))
    for pair in itertools.combinations(Condition.objects.order_by("slug"), 2):
        patient = factories.PatientFactory(clinic=clinic, conditions=list(pair))
        prescription = factories.PrescriptionFactory(patient=patient, items=exercises)
        text = sheet_text(read_handout(prescription))
        for note in notes:
            wordings = [note.text, *note.variants.values_list("text", flat=True)]
            [printed] = {wording for wording in wordings if wording in text}
            own = note.variants.filter(condition__in=pair, combined_with__isnull=True)
            for condition_wording in own.values_list("text", flat=True):
                lost = symptoms_named(condition_wording) - symptoms_named(printed)
                assert not lost, (note.slug, [c.slug for c in pair], lost)


@pytest.mark.parametrize("options", FORMATS, ids=["a4", "letter", "large-print"])
def test_sciatica_with_a_disc_injury_stops_on_back_pain_that_is_new_or_worse(clinic, options):
    text = sheet_text(handout_fixture("ten-mixed-with-notes", clinic), **options)

    assert (
        "Some back pain, leg pain, numbness or tingling may be usual for you. Stop if any of "
        "them is new or worse than usual."
    ) in text
    assert "Some numbness, tingling or leg pain may be usual for you." not in text


@pytest.mark.parametrize("name", ["left-only-three-days", "ten-mixed-with-notes", "issued"])
def test_beside_the_ache_score_a_nerve_patient_reads_how_nerve_pain_differs(clinic, name):
    """Sciatica (and a disc injury) with strengthening: an ache in the back of the thigh must
    not read as both "OK" and "leg pain that means stop"."""
    text = sheet_text(handout_fixture(name, clinic))

    guidance = text.index("How it should feel, and when to stop")
    ache_score = text.index("Score the ache from 0 to 10")
    assert guidance < ache_score < text.index(MUSCLE_ACHE_OR_NERVE_PAIN)
    assert (
        "Nerve pain, numbness or tingling that is new or worse than usual always means stop."
    ) in text


def test_without_a_nerve_condition_the_ache_score_keeps_its_general_rule(clinic):
    text = sheet_text(handout_fixture("strengthening-twice-a-day", clinic))

    assert "Score the ache from 0 to 10" in text
    assert MUSCLE_ACHE_OR_NERVE_PAIN not in text


def test_keeping_active_speaks_of_the_leg_on_a_sciatica_sheet(clinic):
    text = sheet_text(handout_fixture("sciatica-stretches", clinic))

    assert "Keep active." in text
    assert "They help your back and leg get better." in text
