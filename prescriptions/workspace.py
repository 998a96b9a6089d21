"""How the admin's prescribing workspace reads a programme row's boxes. (Its picker reads the
public exercise list: `exercises/api`.)"""

from django import forms

from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES, DOSE_LABELS
from prescriptions.dosing import parse_dose_entry


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
