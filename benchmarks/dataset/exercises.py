"""Generated exercises (slug `gen-…`) on top of the default catalogue: names combined from a
modifier, a base movement and a suffix; a default dose by the movement's kind; 3-6 steps, tags,
equipment and a few cautions."""

from dataclasses import dataclass
from datetime import date

from benchmarks.dataset.plan import CATALOGUE_TIME, EXERCISE_MODELS, EXERCISE_SLUG_PREFIX
from benchmarks.dataset.words import MODIFIERS, MOVEMENTS, STEP_TEXTS, SUFFIXES, SUMMARIES, Movement
from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES
from exercises.models import (
    BodyRegion,
    Caution,
    Condition,
    Equipment,
    Exercise,
    ExerciseStep,
    Status,
    Tag,
)

CAUTION_COLUMNS = (
    "id",
    "condition_id",
    "exercise_id",
    "tag_id",
    "severity",
    "text",
    "acknowledged_text",
    "clinician_text",
)
# The related tables, in the order they are written, with the columns of their rows.
RELATED_TABLES = (
    (ExerciseStep, ("id", "exercise_id", "order", "text"), "steps"),
    (Exercise.tags.through, ("id", "exercise_id", "tag_id"), "exercise tags"),
    (Exercise.equipment.through, ("id", "exercise_id", "equipment_id"), "exercise equipment"),
    (Caution, CAUTION_COLUMNS, "cautions"),
)
CAUTION_TEXT = "Go gently and stop if your usual symptoms get worse, and tell us."
CAUTION_NOTE = "Dataset caution: a generic warning for load testing."


@dataclass(frozen=True)
class Catalogue:
    """What generated exercises point at, from the default catalogue."""

    regions: dict[str, int]
    tags: dict[str, int]
    equipment: list[int]
    conditions: list[int]

    @classmethod
    def read(cls) -> "Catalogue":
        return cls(
            regions=dict(BodyRegion.objects.values_list("slug", "pk")),
            tags=dict(Tag.objects.values_list("slug", "pk")),
            equipment=list(Equipment.objects.values_list("pk", flat=True)),
            conditions=list(Condition.objects.values_list("pk", flat=True)),
        )

    def region(self, slug: str) -> int:
        return self.regions.get(slug, next(iter(self.regions.values())))


class ExerciseRows:
    """The new rows of every exercise table; a row's id is the next free one of its table."""

    def __init__(self, cursor):
        self.first_id = {}
        for model in EXERCISE_MODELS:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            self.first_id[model] = cursor.fetchone()[0] + 1
        self.rows = {model: [] for model in EXERCISE_MODELS}

    def next_id(self, model) -> int:
        return self.first_id[model] + len(self.rows[model])

    def add(self, model, *values) -> None:
        self.rows[model].append((self.next_id(model), *values))


def load_exercises(rng, count: int, writer, cursor) -> dict[int, tuple]:
    """Generated exercises with steps, tags, equipment and a few cautions. Answers every
    published exercise (catalogue included) -> its default dose (in DOSE_FIELD_NAMES order)."""
    catalogue = Catalogue.read()
    rows = ExerciseRows(cursor)
    combos = [(m, b, s) for b in MOVEMENTS for m in MODIFIERS for s in SUFFIXES]
    rng.shuffle(combos)
    for index in range(count):
        modifier, movement, suffix = combos[index % len(combos)]
        name = " ".join(part for part in (modifier, movement.name, suffix) if part)
        if index >= len(combos):
            name += f" ({index // len(combos) + 1})"
        exercise = _exercise_row(rng, rows.next_id(Exercise), index, name, movement)
        exercise["body_region_id"] = catalogue.region(movement.region)
        rows.rows[Exercise].append(exercise)
        _add_related_rows(rng, rows, exercise["id"], movement.kind, catalogue)
    exercises = rows.rows[Exercise]
    writer.write_records(Exercise, exercises, len(exercises), label="exercises")
    for model, columns, label in RELATED_TABLES:
        writer.write(model, columns, rows.rows[model], len(rows.rows[model]), label=label)
    published = Exercise.objects.filter(status=Status.PUBLISHED).order_by("pk")
    defaults = (f"default_{name}" for name in DOSE_FIELD_NAMES)
    return {row[0]: tuple(row[1:]) for row in published.values_list("pk", *defaults)}


def _exercise_row(rng, exercise_id: int, index: int, name: str, movement: Movement) -> dict:
    dose, advised = default_dose(rng, movement.kind)
    roll = rng.random()
    status = Status.PUBLISHED if roll < 0.92 else Status.DRAFT if roll < 0.96 else Status.ARCHIVED
    return {
        "id": exercise_id,
        "name": name[:200],
        "slug": f"{EXERCISE_SLUG_PREFIX}{index + 1:05d}",
        "summary": f"{name}. {rng.choice(SUMMARIES)}"[:300],
        "category": movement.category,
        "position": movement.position,
        "target_muscles": movement.muscles,
        "difficulty": rng.randint(1, 3),
        "cues": "Move slowly.\nKeep breathing.",
        "common_mistakes": "Rushing the movement.\nHolding your breath.",
        "safety_notes": "Stop if the pain is sharp or spreads.",
        "reviewed_by": "Generated data set",
        "reviewed_on": date(2026, 1, 15),
        "status": status,
        "created_at": CATALOGUE_TIME,
        "updated_at": CATALOGUE_TIME,
        **{f"default_{key}": value for key, value in dose.items()},
        **advised,
    }


def default_dose(rng, kind: str) -> tuple[dict, dict]:
    """The default dose and advised ranges of a movement held, repeated or timed."""
    dose = dict.fromkeys(DOSE_FIELD_NAMES)
    advised = {
        f"advised_{end}_{bound.name}": None for bound in DOSE_BOUNDS for end in ("min", "max")
    }
    if kind == "hold":
        dose |= {"hold_seconds": rng.choice((20, 30, 45)), "reps": 3, "sets": 1}
        dose |= {"times_per_day": 1, "days_per_week": 7, "side": "both"}
        advised |= {"advised_min_hold_seconds": 15, "advised_max_hold_seconds": 60}
    elif kind == "reps":
        dose |= {"reps": rng.choice((8, 10, 12)), "sets": rng.choice((2, 3)), "rest_seconds": 60}
        dose |= {"times_per_day": 1, "days_per_week": 5, "side": rng.choice(("both", None))}
        advised |= {"advised_min_reps": 5, "advised_max_reps": 15}
    else:
        dose |= {"duration_seconds": rng.choice((60, 90, 120)), "times_per_day": 1}
        dose |= {"days_per_week": 7, "side": "both"}
        advised |= {"advised_min_duration_seconds": 30, "advised_max_duration_seconds": 300}
    return dose, advised


def _add_related_rows(rng, rows: ExerciseRows, exercise_id: int, kind: str, catalogue) -> None:
    for order, text in enumerate(rng.sample(STEP_TEXTS, rng.randint(3, 6))):
        rows.add(ExerciseStep, exercise_id, order, text)
    static_hold = catalogue.tags.get("static-hold")
    if kind == "hold" and static_hold is not None and rng.random() < 0.8:
        rows.add(Exercise.tags.through, exercise_id, static_hold)
    equipment = catalogue.equipment
    for equipment_id in rng.sample(equipment, min(len(equipment), rng.randint(0, 2))):
        rows.add(Exercise.equipment.through, exercise_id, equipment_id)
    if catalogue.conditions and rng.random() < 0.04:
        condition = rng.choice(catalogue.conditions)
        rows.add(Caution, condition, exercise_id, None, "warning", CAUTION_TEXT, "", CAUTION_NOTE)
