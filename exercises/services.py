"""Every catalogue write, one transaction each; the API and the admin both call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from clinic.errors import StateConflict
from exercises.models import (
    Assessment,
    Caution,
    Condition,
    Exercise,
    ExerciseStep,
    SafetyNote,
    SafetyNoteVariant,
    Status,
)

NESTED_KEYS = ("steps", "cautions", "equipment", "tags")


def _save_nested(exercise: Exercise, nested: dict) -> None:
    if "equipment" in nested:
        exercise.equipment.set(nested["equipment"])
    if "tags" in nested:
        exercise.tags.set(nested["tags"])
    if "steps" in nested:
        exercise.steps.all().delete()
        ExerciseStep.objects.bulk_create(
            ExerciseStep(exercise=exercise, order=index, text=text)
            for index, text in enumerate(nested["steps"])
        )
    if "cautions" in nested:
        _replace_children(exercise.cautions, Caution, nested["cautions"], exercise=exercise)


@transaction.atomic
def save_exercise(*, exercise: Exercise | None = None, data: dict) -> Exercise:
    """Creates or updates an exercise; nested lists given in `data` replace the stored ones."""
    exercise = exercise or Exercise()
    nested = {key: data.pop(key) for key in NESTED_KEYS if key in data}
    for field, value in data.items():
        setattr(exercise, field, value)
    exercise.full_clean()
    exercise.save()
    _save_nested(exercise, nested)
    return exercise


@transaction.atomic
def publish_exercise(*, exercise: Exercise) -> Exercise:
    if not exercise.steps.exists():
        raise ValidationError(
            {
                "steps": ValidationError(
                    _("An exercise needs at least one step before it is published."),
                    code="required",
                )
            }
        )
    exercise.status = Status.PUBLISHED
    exercise.save(update_fields=["status", "updated_at"])
    return exercise


@transaction.atomic
def archive_exercise(*, exercise: Exercise) -> Exercise:
    exercise.status = Status.ARCHIVED
    exercise.save(update_fields=["status", "updated_at"])
    return exercise


@transaction.atomic
def set_exercise_image(*, exercise: Exercise, image, alt_text: str | None) -> Exercise:
    exercise.image = image
    if alt_text is not None:
        exercise.image_alt_text = alt_text
    exercise.full_clean()
    exercise.save()
    return exercise


@transaction.atomic
def delete_exercise(*, exercise: Exercise) -> None:
    """Deletes an exercise nobody prescribed; one in use can only be archived."""
    try:
        exercise.delete()
    except ProtectedError:
        raise StateConflict(
            _("This exercise is used by prescriptions or templates. Archive it instead."),
            code="exercise_in_use",
        ) from None


def _replace_children(manager, model, rows: list[dict], **parent) -> None:
    manager.all().delete()
    model.objects.bulk_create(model(**parent, **row) for row in rows)


@transaction.atomic
def save_condition(*, condition: Condition | None = None, data: dict) -> Condition:
    condition = condition or Condition()
    cautions = data.pop("cautions", None)
    for field, value in data.items():
        setattr(condition, field, value)
    condition.full_clean()
    condition.save()
    if cautions is not None:
        _replace_children(condition.cautions, Caution, cautions, condition=condition)
    return condition


def _check_one_variant_per_condition(variants: list[dict]) -> None:
    conditions = [variant["condition"] for variant in variants]
    if len(set(conditions)) < len(conditions):
        raise ValidationError(
            {
                "variants": ValidationError(
                    _("A safety note has at most one variant per condition."), code="unique"
                )
            }
        )


@transaction.atomic
def save_safety_note(*, note: SafetyNote | None = None, data: dict) -> SafetyNote:
    note = note or SafetyNote()
    variants = data.pop("variants", None)
    if variants is not None:
        _check_one_variant_per_condition(variants)
    for field, value in data.items():
        setattr(note, field, value)
    note.full_clean()
    note.save()
    if variants is not None:
        _replace_children(note.variants, SafetyNoteVariant, variants, note=note)
    return note


@transaction.atomic
def save_assessment(*, assessment: Assessment | None = None, data: dict) -> Assessment:
    assessment = assessment or Assessment()
    for field, value in data.items():
        setattr(assessment, field, value)
    assessment.full_clean()
    assessment.save()
    return assessment
