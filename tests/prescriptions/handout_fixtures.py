"""The ten handouts a physiotherapist reviewed (issue 25), built from the default catalogue.

Each builder takes a clinic and returns the prescription (a draft, or an issued version).
`handout_fixture(name, clinic)` gives the Handout a download would print, read the way the API
reads it (a draft from today's records, an issued version from its snapshot);
`prescription_fixture(name, clinic)` the prescription itself (e.g. to download it through the
API). Parametrize a test over the names of `HANDOUT_FIXTURES`. The builders load the default
catalogue (the loader is idempotent).

Each fixture prints the same whatever day the tests run (third review, R9): one clinician name,
a fixed start date and review dates counted from it, so the log's weeks and the lines that wrap
do not move, nor the page counts docs/handout.md gives. Only the sheet's own date (the day it is
printed or issued) follows the clock.
"""

import datetime

from django.core.management import call_command

from exercises.models import Condition, Exercise
from prescriptions.handouts.content import Handout
from prescriptions.handouts.issue import handout_now
from prescriptions.models import Prescription
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import issue_prescription, revise_prescription
from tests import factories

SCIATICA = "sciatica"
DISC_INJURY = "disc-injury"
TENDINOPATHY = "high-hamstring-tendinopathy"
CLINICIAN_NAME = "Sam Taylor"
# A Monday: the log's first week is a whole one.
FIRST_DAY = datetime.date(2027, 1, 4)


def _catalogue(*slugs: str) -> list[Exercise]:
    call_command("load_catalogue", verbosity=0)
    by_slug = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs]


def _patient(clinic, *conditions: str):
    return factories.PatientFactory(
        clinic=clinic, conditions=list(Condition.objects.filter(slug__in=conditions))
    )


def _prescribe(clinic, conditions, exercises, *, changes=(), **fields):
    """A draft with each exercise at its default dose, starting on `FIRST_DAY` and reviewed 6
    weeks later unless `fields` say otherwise; `changes[n]` updates item n (dose fields, notes,
    an acknowledged contraindication)."""
    prescription = factories.PrescriptionFactory(
        patient=_patient(clinic, *conditions),
        items=exercises,
        clinician=factories.ClinicianFactory(clinic=clinic, display_name=CLINICIAN_NAME).user,
        start_date=FIRST_DAY,
        **{"review_date": _in_weeks(6), **fields},
    )
    for order, item_changes in enumerate(changes):
        if item_changes:
            prescription.items.filter(order=order).update(**item_changes)
    return prescription


def read_handout(prescription) -> Handout:
    """The handout a download gives: built from the records while a draft, otherwise from the
    snapshot, with the status it has now and, once replaced, the notice saying so."""
    return handout_now(prescriptions_with_handout_content().get(pk=prescription.pk))


def _in_weeks(weeks: int) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(weeks=weeks)


FIVE_STATIC_STRETCHES = (
    "supine-hamstring-stretch",
    "lying-hamstring-stretch-strap",
    "wall-hamstring-stretch",
    "modified-hurdler-stretch",
    "seated-towel-stretch",
)


def sciatica_stretches(clinic) -> Prescription:
    """The page budget's fixture: 5 static-hold stretches for sciatica, no review date."""
    return _prescribe(
        clinic,
        [SCIATICA],
        _catalogue(*FIVE_STATIC_STRETCHES),
        review_date=None,
        notes="Ease your leg pain and loosen your thighs.",
    )


def disc_injury_acknowledged(clinic) -> Prescription:
    """The two-leg seated stretch, contraindicated with a disc injury, acknowledged."""
    exercises = _catalogue("seated-two-leg-hamstring-stretch", "supine-hamstring-stretch")
    acknowledged = {
        "acknowledge_contraindication": True,
        "contraindication_reason": "Symptoms settled; neutral-spine hinge shown in clinic.",
    }
    return _prescribe(
        clinic,
        [DISC_INJURY],
        exercises,
        changes=[acknowledged],
        notes="Loosen your thighs and keep your back safe.",
    )


def strengthening_twice_a_day(clinic) -> Prescription:
    """Strengthening only, twice a day, reviewed in 6 weeks (6 weeks of log)."""
    exercises = _catalogue("glute-bridge", "plank", "bird-dog", "single-leg-romanian-deadlift")
    twice = {"times_per_day": 2}
    return _prescribe(
        clinic,
        [],
        exercises,
        changes=[twice] * len(exercises),
        review_date=_in_weeks(6),
        notes="Make your hips, thighs and trunk strong.",
    )


TEN_MIXED = (
    "supine-hamstring-stretch",
    "wall-hamstring-stretch",
    "standing-hamstring-stretch-step",
    "childs-pose-to-downward-dog",
    "glute-bridge",
    "plank",
    "bird-dog",
    "self-hamstring-massage",
    "hamstring-in-and-out-of-tension",
    "glute-massage-foam-rolling",
)


def ten_mixed_with_notes(clinic) -> Prescription:
    """Ten exercises of every kind, each with a clinician's note, for sciatica and a disc."""
    notes = [
        {"notes": f"Note for exercise {n}: go gently on a bad day and tell us how it went."}
        for n in range(1, len(TEN_MIXED) + 1)
    ]
    return _prescribe(
        clinic,
        [SCIATICA, DISC_INJURY],
        _catalogue(*TEN_MIXED),
        changes=notes,
        notes="Ease your back and leg pain and get stronger.",
    )


def hamstring_tendinopathy(clinic) -> Prescription:
    exercises = _catalogue(
        "glute-bridge", "single-leg-romanian-deadlift", "glute-massage-foam-rolling"
    )
    return _prescribe(
        clinic,
        [TENDINOPATHY],
        exercises,
        review_date=_in_weeks(4),
        notes="Load your sore tendon a bit more each week.",
    )


def soft_tissue_durations(clinic) -> Prescription:
    """Self-massage and rolling, dosed by time."""
    exercises = _catalogue(
        "self-hamstring-massage", "glute-massage-foam-rolling", "hamstring-in-and-out-of-tension"
    )
    changes = [{"duration_seconds": 90}, {"duration_seconds": 150}, {}]
    return _prescribe(
        clinic,
        [SCIATICA],
        exercises,
        changes=changes,
        notes="Calm your leg pain with massage and movement.",
    )


def no_condition(clinic) -> Prescription:
    exercises = _catalogue("supine-hamstring-stretch", "glute-bridge", "plank")
    return _prescribe(clinic, [], exercises, notes="")


def left_only_three_days(clinic) -> Prescription:
    """Every exercise on the left only, 3 days a week."""
    exercises = _catalogue(
        "standing-hamstring-stretch-step", "single-leg-romanian-deadlift", "seated-towel-stretch"
    )
    left = {"side": "left", "days_per_week": 3}
    return _prescribe(
        clinic,
        [SCIATICA],
        exercises,
        changes=[left] * len(exercises),
        notes="Loosen and strengthen your left leg.",
    )


def issued(clinic) -> Prescription:
    """Version 1 as issued."""
    exercises = _catalogue("supine-hamstring-stretch", "glute-bridge", "self-hamstring-massage")
    prescription = _prescribe(
        clinic,
        [SCIATICA],
        exercises,
        review_date=_in_weeks(3),
        notes="Ease your leg pain and get stronger.",
    )
    return issue_prescription(prescription=prescription)


def revision(clinic) -> Prescription:
    """Version 2 of the issued programme with one dose changed, issued in its turn."""
    first = issued(clinic)
    second = revise_prescription(prescription=first, clinician=first.clinician)
    second.items.filter(order=0).update(hold_seconds=20, reps=2)
    return issue_prescription(prescription=second)


HANDOUT_FIXTURES = {
    "sciatica-stretches": sciatica_stretches,
    "disc-injury-acknowledged": disc_injury_acknowledged,
    "strengthening-twice-a-day": strengthening_twice_a_day,
    "ten-mixed-with-notes": ten_mixed_with_notes,
    "hamstring-tendinopathy": hamstring_tendinopathy,
    "soft-tissue-durations": soft_tissue_durations,
    "no-condition": no_condition,
    "left-only-three-days": left_only_three_days,
    "issued": issued,
    "revision": revision,
}


def prescription_fixture(name: str, clinic) -> Prescription:
    return HANDOUT_FIXTURES[name](clinic)


def handout_fixture(name: str, clinic) -> Handout:
    return read_handout(prescription_fixture(name, clinic))
