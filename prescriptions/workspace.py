"""What the admin's prescribing workspace reads, as plain data for its JSON answers (the
picker's exercises for one patient), and how it reads a programme row's boxes."""

from dataclasses import dataclass

from django import forms

from clinic.api.parsers import out_of_range
from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES, DOSE_LABELS
from exercises.illustrations.frames import FrameError
from exercises.illustrations.svg import svg_data_uri
from exercises.models import Exercise, Severity, Status
from exercises.selectors import (
    cautions_by_exercise,
    contraindicated_for,
    exercises_for_list,
    search_ranked,
)
from prescriptions.dosing import exercise_dose_sentence, parse_dose_entry
from prescriptions.models import Patient
from prescriptions.rules import caution_for_clinician

PICKER_LIMIT = 40


def thumbnail_url(exercise: Exercise) -> str:
    """The picture the picker shows: the uploaded image (it wins, as on the handout), else the
    start frame of the exercise's illustration, inline (no request per picture), else none."""
    if exercise.image:
        return exercise.image.url
    illustration = getattr(exercise, "illustration", None)
    start = illustration.first_frame() if illustration else None
    try:
        return svg_data_uri(start) if start else ""
    except FrameError:
        return ""


@dataclass(frozen=True)
class PickerQuery:
    search: str = ""
    category: str = ""
    position: str = ""
    equipment: str = ""
    body_region: str = ""
    safe_for_patient: bool = True
    exercise_ids: tuple[int, ...] = ()

    @classmethod
    def from_params(cls, params) -> "PickerQuery":
        ids = tuple(
            int(value)
            for value in params.getlist("id")
            if value.isascii() and value.isdigit() and not out_of_range(int(value))
        )
        return cls(
            search=params.get("q", "")[:100],
            category=params.get("category", ""),
            position=params.get("position", ""),
            equipment=params.get("equipment", ""),
            body_region=params.get("body_region", ""),
            safe_for_patient=params.get("safe", "1") == "1",
            exercise_ids=ids,
        )


def _filtered(query: PickerQuery, condition_slugs: list[str]):
    exercises = exercises_for_list().filter(status=Status.PUBLISHED)
    if query.exercise_ids:
        return exercises.filter(pk__in=query.exercise_ids)
    for name in ("category", "position"):
        if value := getattr(query, name):
            exercises = exercises.filter(**{name: value})
    if query.equipment:
        exercises = exercises.filter(equipment__slug=query.equipment)
    if query.body_region:
        exercises = exercises.filter(body_region__slug=query.body_region)
    if query.safe_for_patient and condition_slugs:
        exercises = exercises.exclude(contraindicated_for(condition_slugs))
    return search_ranked(exercises, query.search)


def picker_entries(patient: Patient | None, query: PickerQuery) -> list[dict]:
    conditions = list(patient.conditions.all()) if patient else []
    condition_ids = {condition.pk for condition in conditions}
    exercises = list(_filtered(query, [condition.slug for condition in conditions])[:PICKER_LIMIT])
    cautions_of = cautions_by_exercise([exercise.pk for exercise in exercises], condition_ids)
    entries = []
    for exercise in exercises:
        cautions = cautions_of.get(exercise.pk, [])
        severities = {caution.severity for caution in cautions}
        entries.append(
            {
                "id": exercise.pk,
                "name": exercise.name,
                "category": exercise.get_category_display(),
                "position": exercise.get_position_display(),
                "body_region": exercise.body_region.name,
                "thumbnail": thumbnail_url(exercise),
                "dose": exercise_dose_sentence(exercise, exercise.default_dose()),
                "default_dose": exercise.default_dose(),
                # The exercise's declaration, as the rules read it (prescriptions/rules.py).
                "required_dose_fields": exercise.required_dose_fields,
                "used_dose_fields": sorted(exercise.dose_fields_used()),
                "sides": exercise.sides_allowed(),
                "caution": (
                    Severity.CONTRAINDICATION.value
                    if Severity.CONTRAINDICATION in severities
                    else (Severity.WARNING.value if cautions else "")
                ),
                "caution_text": " ".join(caution_for_clinician(c, exercise) for c in cautions),
            }
        )
    return entries


class DoseEntryField(forms.CharField):
    """A dose box: text with a numeric keypad, not a number input. A number input hands the
    page an empty string for anything it cannot parse ("5e"), which would save as "not used",
    and its value turns with the mouse wheel. What was typed is read by `parse_dose_entry`."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4})

    def __init__(self, dose_field: str, **kwargs):
        kwargs.setdefault("label", DOSE_LABELS[dose_field])
        super().__init__(required=False, **kwargs)
        self.dose_field = dose_field

    def to_python(self, value):
        return parse_dose_entry(self.dose_field, "" if value is None else str(value))


DOSE_NUMBER_NAMES = tuple(bound.name for bound in DOSE_BOUNDS)


def row_formfield(db_field, **kwargs) -> forms.Field:
    """A programme row's form field: the dose numbers read as typed (the admin's rows and the
    live check alike), every other field as its model makes it."""
    if db_field.name in DOSE_NUMBER_NAMES:
        return DoseEntryField(db_field.name, help_text=db_field.help_text)
    return db_field.formfield(**kwargs)


def _given_or_none(value):
    """A blank side arrives as "", a blank number as None; a rest of 0 is a value."""
    return None if value in (None, "") else value


def item_from_row(cleaned: dict) -> dict:
    """A programme row's cleaned data as a service item. The page shows the exercise's defaults
    filled in and sends every dose field, so an emptied field means "not used" (resolve_dose)."""
    item = {"exercise": cleaned["exercise"], "notes": cleaned.get("notes", "")}
    for name in ("acknowledge_contraindication", "contraindication_reason"):
        if name in cleaned:
            item[name] = cleaned[name]
    item.update({name: _given_or_none(cleaned.get(name)) for name in DOSE_FIELD_NAMES})
    return item
