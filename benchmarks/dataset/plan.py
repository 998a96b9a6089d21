"""How big the data set is, what its generated rows are called, and when things happen in it."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.management.base import CommandError

from exercises.models import Caution, Exercise, ExerciseStep
from prescriptions.models import Patient, Prescription, PrescriptionItem

CLINIC_PREFIX = "Generated clinic "
USER_PREFIX = "gen-"
EXERCISE_SLUG_PREFIX = "gen-"
FULL = {"exercises": 5_000, "patients": 100_000, "prescriptions": 500_000, "items": 3_000_000}
MIN_EXERCISES = 150  # a page of 100 is always full
LARGE_CLINIC_FACTOR = 12  # the first clinic's weight, in medians of the others'
T0 = datetime(2019, 1, 1, tzinfo=UTC)
T_END = datetime(2026, 10, 31, tzinfo=UTC)
SPAN = int((T_END - T0).total_seconds())
CATALOGUE_TIME = datetime(2018, 12, 1, tzinfo=UTC)
# The tables a run empties and reloads whole (the generated exercises are deleted row by row).
BIG_MODELS = (PrescriptionItem, Prescription, Patient.conditions.through, Patient)
# The generated exercises' tables, loaded with explicit ids after the catalogue's rows.
EXERCISE_MODELS = (
    Exercise,
    ExerciseStep,
    Caution,
    Exercise.tags.through,
    Exercise.equipment.through,
)


@dataclass(frozen=True)
class Sizes:
    clinics: int
    exercises: int
    patients: int
    prescriptions: int
    items: int

    @classmethod
    def for_scale(cls, scale: float, clinics: int) -> "Sizes":
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        patients = max(clinics * 2, round(FULL["patients"] * scale))
        prescriptions = max(patients, round(FULL["prescriptions"] * scale))
        items = max(prescriptions, round(FULL["items"] * scale))
        return cls(
            clinics=clinics,
            exercises=max(MIN_EXERCISES, round(FULL["exercises"] * scale)),
            patients=patients,
            prescriptions=prescriptions,
            items=items,
        )


def at(seconds: int) -> datetime:
    """The moment `seconds` after the data set's start."""
    return T0 + timedelta(seconds=seconds)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` by `weights`; every share at least 1."""
    scale = total / sum(weights)
    raw = [weight * scale for weight in weights]
    shares = [max(1, math.floor(value)) for value in raw]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - math.floor(raw[i]), reverse=True)
    i = 0
    while sum(shares) < total:
        shares[order[i % len(order)]] += 1
        i += 1
    while sum(shares) > total:
        largest = max(range(len(shares)), key=shares.__getitem__)
        shares[largest] -= 1
    return shares
