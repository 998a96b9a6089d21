"""Dose rules, shared by the API, the admin and the handout. (The dose in plain words is the
catalogue's: `exercises.wording`.)"""

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES, DOSE_LABELS, Side
from exercises.models import Exercise


def resolve_dose(exercise: Exercise, given: dict) -> dict:
    """The one meaning of a default dose, for the API and the admin alike.

    A field left out of `given` takes the exercise's default; an explicit None means "not
    used". The admin's form always sends every field: it shows the defaults filled in, so a
    field the therapist empties arrives as None and is not used.
    """
    default = exercise.default_dose()
    return {name: given[name] if name in given else default[name] for name in DOSE_FIELD_NAMES}


_BOUNDS_BY_NAME = {bound.name: bound for bound in DOSE_BOUNDS}
# Past this many digits no box can be in range: refused before int() reads a huge number.
_MAX_DIGITS = 6


def parse_dose_entry(name: str, text: str) -> int | None:
    """What a therapist typed in a dose box, by one rule for the admin's form and its live
    check: an empty box is "not used" (None); a whole number within the field's bounds is that
    number; anything else ("5e", "8-12", "1,5", "2.5", letters) is an error naming the field.
    Never a blank in place of what was typed: a blank would print as "not used".
    """
    bound = _BOUNDS_BY_NAME[name]
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        value = int(text)
        if bound.minimum <= value <= bound.maximum:
            return value
    raise ValidationError(dose_entry_error(name), code="invalid")


def dose_entry_error(name: str) -> str:
    """What a dose field says of anything that is not a whole number in its range, in the
    clinician's words and naming the field: the admin's boxes and the API alike."""
    bound = _BOUNDS_BY_NAME[name]
    return _("%(field)s: enter a whole number from %(minimum)d to %(maximum)d.") % {
        "field": capfirst(DOSE_LABELS[name]),
        "minimum": bound.minimum,
        "maximum": bound.maximum,
    }


def dose_bound_errors(dose: dict) -> dict[str, str]:
    """Field name -> message for every value outside the hard bounds."""
    errors = {}
    for bound in DOSE_BOUNDS:
        value = dose.get(bound.name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[bound.name] = _("Enter a whole number.")
        elif not bound.minimum <= value <= bound.maximum:
            errors[bound.name] = _("Must be between %(minimum)d and %(maximum)d.") % {
                "minimum": bound.minimum,
                "maximum": bound.maximum,
            }
    if dose.get("side") not in (None, *Side.values):
        errors["side"] = _("Choose left, right, both or alternate.")
    if not errors and not any(
        dose.get(name) for name in ("reps", "hold_seconds", "duration_seconds")
    ):
        errors["reps"] = _("A dose needs repetitions, a hold time or a duration.")
    return errors


def outside_advised_range(
    exercise: Exercise, dose: dict
) -> list[tuple[str, int, int | None, int | None]]:
    """(field, value, advised min, advised max) for each value outside the exercise's advice."""
    outside = []
    for name, (minimum, maximum) in exercise.advised_range().items():
        value = dose.get(name)
        if value is None:
            continue
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            outside.append((name, value, minimum, maximum))
    return outside
