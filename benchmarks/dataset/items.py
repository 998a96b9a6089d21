"""Prescription items: mostly exercises from the clinic's favourites, some from anywhere in the
catalogue, each with the exercise's default dose (repetitions sometimes adjusted)."""

from benchmarks.dataset.words import ITEM_NOTES
from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES
from prescriptions.models import PrescriptionItem

ITEM_COLUMNS = (
    "id",
    *DOSE_FIELD_NAMES,
    "prescription_id",
    "order",
    "exercise_id",
    "notes",
    "acknowledge_contraindication",
    "contraindication_reason",
)
REPS = next(bound for bound in DOSE_BOUNDS if bound.name == "reps")
REPS_INDEX = DOSE_FIELD_NAMES.index("reps")


def load_items(rng, writer, plan, exercise_doses: dict[int, tuple], total: int) -> None:
    """`plan`: the prescriptions' ItemPlan; `exercise_doses`: every published exercise's
    default dose, in DOSE_FIELD_NAMES order."""
    published = list(exercise_doses)

    def rows():
        item_id = 0
        for index, count in enumerate(plan.counts):
            pool = plan.pools[plan.clinic_of[index]]
            chosen = rng.sample(pool, min(count, len(pool)))
            while len(chosen) < count:
                chosen.append(rng.choice(published))
            for order, exercise_id in enumerate(chosen):
                if rng.random() < 0.15:
                    exercise_id = rng.choice(published)
                item_id += 1
                dose = _adjusted(rng, exercise_doses[exercise_id])
                notes = rng.choice(ITEM_NOTES) if rng.random() < 0.1 else ""
                yield (item_id, *dose, index + 1, order, exercise_id, notes, False, "")

    writer.write(
        PrescriptionItem, ITEM_COLUMNS, rows(), total, label="prescription items", freeze=True
    )


def _adjusted(rng, dose: tuple) -> tuple:
    """The default dose, with the repetitions moved by up to two in 30 % of the items."""
    reps = dose[REPS_INDEX]
    if not (reps and rng.random() < 0.3):
        return dose
    reps = max(REPS.minimum, min(REPS.maximum, reps + rng.choice((-2, -1, 1, 2))))
    return (*dose[:REPS_INDEX], reps, *dose[REPS_INDEX + 1 :])
