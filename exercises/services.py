"""Every catalogue write, one transaction each; the API and the admin both call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from clinic.errors import StateConflict
from exercises.illustrations.frames import FrameError
from exercises.illustrations.scene import drawable_frames
from exercises.models import (
    Assessment,
    Caution,
    Condition,
    Exercise,
    ExerciseStep,
    Illustration,
    SafetyNote,
    SafetyNoteVariant,
    Status,
)

NESTED_KEYS = ("steps", "cautions", "equipment", "tags", "illustrations")


def save_illustration(*, owner: Exercise | Assessment, frames: list) -> Illustration:
    """Replaces the pictures of an exercise or self-test. Errors name the frame's field, as
    the API's body has it: `illustrations.1.pose.near_knee`. Call inside the owner's write."""
    try:
        drawable_frames(frames)
    except FrameError as error:
        raise ValidationError(
            {
                f"illustrations.{error.path}".rstrip("."): ValidationError(
                    error.message, code="invalid_pose"
                )
            }
        ) from None
    illustration = getattr(owner, "illustration", None) or Illustration()
    illustration.frames = frames
    # Through the owner, so the owner's cached pictures are the new ones.
    owner.illustration = illustration
    illustration.full_clean()
    illustration.save()
    return illustration


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
    if "illustrations" in nested:
        save_illustration(owner=exercise, frames=nested["illustrations"])


@transaction.atomic
def save_exercise(*, instance: Exercise | None = None, data: dict) -> Exercise:
    """Creates or updates an exercise; nested lists given in `data` replace the stored ones."""
    exercise = instance or Exercise()
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


def _save_record(record, data: dict, children=None):
    """Sets the fields, validates with the model's rules, saves, and replaces the child rows
    given as `children` = (key in data, child model, parent field name)."""
    rows = data.pop(children[0], None) if children else None
    for field, value in data.items():
        setattr(record, field, value)
    record.full_clean()
    record.save()
    if rows is not None:
        key, child_model, parent_field = children
        _replace_children(getattr(record, key), child_model, rows, **{parent_field: record})
    return record


@transaction.atomic
def save_condition(*, instance: Condition | None = None, data: dict) -> Condition:
    return _save_record(instance or Condition(), data, ("cautions", Caution, "condition"))


def _check_one_variant_per_condition(variants: list[dict]) -> None:
    """At most one wording per condition and one per pair of conditions (either order), and a
    pair is two different conditions."""
    keys = [
        frozenset({variant["condition"], variant.get("combined_with")} - {None})
        for variant in variants
    ]
    if any(variant["condition"] == variant.get("combined_with") for variant in variants):
        raise ValidationError(
            {
                "variants": ValidationError(
                    _("A combined wording is for two different conditions."), code="invalid"
                )
            }
        )
    if len(set(keys)) < len(keys):
        raise ValidationError(
            {
                "variants": ValidationError(
                    _("A safety note has at most one variant per condition."), code="unique"
                )
            }
        )


@transaction.atomic
def save_safety_note(*, instance: SafetyNote | None = None, data: dict) -> SafetyNote:
    if data.get("variants") is not None:
        _check_one_variant_per_condition(data["variants"])
    return _save_record(instance or SafetyNote(), data, ("variants", SafetyNoteVariant, "note"))


@transaction.atomic
def save_assessment(*, instance: Assessment | None = None, data: dict) -> Assessment:
    frames = data.pop("illustrations", None)
    assessment = _save_record(instance or Assessment(), data)
    if frames is not None:
        save_illustration(owner=assessment, frames=frames)
    return assessment
