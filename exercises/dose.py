"""The dose vocabulary: the fields every exercise, prescription item and template item share,
their bounds, and what an absent value means. Everything else takes them from here.

Bounds are the hard limits a prescription must respect; each exercise's advised range sits
inside them and only produces a warning.

One meaning of "default dose" everywhere: an item's dose field that is left out of a request
takes the exercise's default; a field given as null (None) means "not used" for this item
(`prescriptions.dosing.resolve_dose`). Forms show the defaults filled in, so a field the
therapist empties means "not used" too.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the stubs' helper types are a development dependency
    from django_stubs_ext import StrOrPromise


class Side(models.TextChoices):
    LEFT = "left", _("Left only")
    RIGHT = "right", _("Right only")
    BOTH = "both", _("Each side")
    ALTERNATE = "alternate", _("Alternating")


@dataclass(frozen=True)
class DoseBound:
    name: str
    minimum: int
    maximum: int
    help_text: "StrOrPromise"
    label: "StrOrPromise"


HOLD_SECONDS = DoseBound(
    "hold_seconds", 1, 300, _("Seconds to hold each repetition (1–300)."), _("hold (s)")
)
REPS = DoseBound("reps", 1, 100, _("Repetitions per set (1–100)."), _("reps"))
SETS = DoseBound("sets", 1, 10, _("Sets per session (1–10)."), _("sets"))
REST_SECONDS = DoseBound(
    "rest_seconds", 0, 600, _("Rest between sets, in seconds (0–600)."), _("rest (s)")
)
TIMES_PER_DAY = DoseBound("times_per_day", 1, 6, _("Sessions a day (1–6)."), _("times a day"))
DAYS_PER_WEEK = DoseBound("days_per_week", 1, 7, _("Days a week (1–7)."), _("days a week"))
DURATION_SECONDS = DoseBound(
    "duration_seconds",
    10,
    3600,
    _("Timed work such as massage, in seconds (10–3600)."),
    _("duration (s)"),
)
DOSE_BOUNDS = (
    HOLD_SECONDS,
    REPS,
    SETS,
    REST_SECONDS,
    TIMES_PER_DAY,
    DAYS_PER_WEEK,
    DURATION_SECONDS,
)
DOSE_FIELD_NAMES = (*tuple(bound.name for bound in DOSE_BOUNDS), "side")
# How often: every exercise uses these, so no exercise needs to declare them.
FREQUENCY_FIELD_NAMES = ("times_per_day", "days_per_week")
DOSE_FIELD_MEANING = _("Left out: the exercise's default. Null: not used.")
SIDE_LABEL = _("side")
DOSE_LABELS = {**{bound.name: bound.label for bound in DOSE_BOUNDS}, "side": SIDE_LABEL}
SIDE_HELP = _("Which side: left, right, each side, alternating; empty when it does not apply.")


def dose_number_field(bound: DoseBound, help_prefix: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(bound.minimum), MaxValueValidator(bound.maximum)],
        help_text=f"{help_prefix}{bound.help_text}",
    )


def side_field(help_prefix: str = "") -> models.CharField:
    return models.CharField(
        max_length=10,
        choices=Side.choices,
        null=True,
        blank=True,
        help_text=f"{help_prefix}{SIDE_HELP}",
    )


class Dose(models.Model):
    """A prescribed dose: prescription items and template items."""

    hold_seconds = dose_number_field(HOLD_SECONDS)
    reps = dose_number_field(REPS)
    sets = dose_number_field(SETS)
    rest_seconds = dose_number_field(REST_SECONDS)
    times_per_day = dose_number_field(TIMES_PER_DAY)
    days_per_week = dose_number_field(DAYS_PER_WEEK)
    duration_seconds = dose_number_field(DURATION_SECONDS)
    side = side_field()

    class Meta:
        abstract = True


DEFAULT = "Default. "


class DefaultDose(models.Model):
    """An exercise's default dose, which a prescription item starts from."""

    default_hold_seconds = dose_number_field(HOLD_SECONDS, DEFAULT)
    default_reps = dose_number_field(REPS, DEFAULT)
    default_sets = dose_number_field(SETS, DEFAULT)
    default_rest_seconds = dose_number_field(REST_SECONDS, DEFAULT)
    default_times_per_day = dose_number_field(TIMES_PER_DAY, DEFAULT)
    default_days_per_week = dose_number_field(DAYS_PER_WEEK, DEFAULT)
    default_duration_seconds = dose_number_field(DURATION_SECONDS, DEFAULT)
    default_side = side_field(DEFAULT)

    class Meta:
        abstract = True


MINIMUM = "Advised minimum. "
MAXIMUM = "Advised maximum. "


class AdvisedRange(models.Model):
    """An exercise's advised range per dose field: a value outside it warns, never blocks."""

    advised_min_hold_seconds = dose_number_field(HOLD_SECONDS, MINIMUM)
    advised_max_hold_seconds = dose_number_field(HOLD_SECONDS, MAXIMUM)
    advised_min_reps = dose_number_field(REPS, MINIMUM)
    advised_max_reps = dose_number_field(REPS, MAXIMUM)
    advised_min_sets = dose_number_field(SETS, MINIMUM)
    advised_max_sets = dose_number_field(SETS, MAXIMUM)
    advised_min_rest_seconds = dose_number_field(REST_SECONDS, MINIMUM)
    advised_max_rest_seconds = dose_number_field(REST_SECONDS, MAXIMUM)
    advised_min_times_per_day = dose_number_field(TIMES_PER_DAY, MINIMUM)
    advised_max_times_per_day = dose_number_field(TIMES_PER_DAY, MAXIMUM)
    advised_min_days_per_week = dose_number_field(DAYS_PER_WEEK, MINIMUM)
    advised_max_days_per_week = dose_number_field(DAYS_PER_WEEK, MAXIMUM)
    advised_min_duration_seconds = dose_number_field(DURATION_SECONDS, MINIMUM)
    advised_max_duration_seconds = dose_number_field(DURATION_SECONDS, MAXIMUM)

    class Meta:
        abstract = True
