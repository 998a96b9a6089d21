"""The dose fields every exercise, prescription item and template item share, with their bounds.

Bounds are the hard limits a prescription must respect; each exercise's advised range sits
inside them and only produces a warning.
"""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    help_text: str
    label: str


DOSE_BOUNDS = (
    DoseBound("hold_seconds", 1, 300, _("Seconds to hold each repetition (1–300)."), _("hold (s)")),
    DoseBound("reps", 1, 100, _("Repetitions per set (1–100)."), _("reps")),
    DoseBound("sets", 1, 10, _("Sets per session (1–10)."), _("sets")),
    DoseBound("rest_seconds", 0, 600, _("Rest between sets, in seconds (0–600)."), _("rest (s)")),
    DoseBound("times_per_day", 1, 6, _("Sessions a day (1–6)."), _("times a day")),
    DoseBound("days_per_week", 1, 7, _("Days a week (1–7)."), _("days a week")),
    DoseBound(
        "duration_seconds",
        10,
        3600,
        _("Timed work such as massage, in seconds (10–3600)."),
        _("duration (s)"),
    ),
)
DOSE_BOUND_BY_NAME = {bound.name: bound for bound in DOSE_BOUNDS}
DOSE_FIELD_NAMES = (*tuple(bound.name for bound in DOSE_BOUNDS), "side")
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


def abstract_dose_model(class_name: str, module: str, prefix: str = "", help_prefix: str = ""):
    """An abstract model holding the dose fields, named `<prefix><field>`."""
    attrs = {
        "__module__": module,
        "Meta": type("Meta", (), {"abstract": True}),
        f"{prefix}side": side_field(help_prefix),
    }
    for bound in DOSE_BOUNDS:
        attrs[f"{prefix}{bound.name}"] = dose_number_field(bound, help_prefix)
    return type(class_name, (models.Model,), attrs)


def abstract_advised_range_model(class_name: str, module: str):
    attrs = {"__module__": module, "Meta": type("Meta", (), {"abstract": True})}
    for bound in DOSE_BOUNDS:
        attrs[f"advised_min_{bound.name}"] = dose_number_field(bound, "Advised minimum. ")
        attrs[f"advised_max_{bound.name}"] = dose_number_field(bound, "Advised maximum. ")
    return type(class_name, (models.Model,), attrs)
