"""The benchmark data set generator: the same rows for the same seed and scale, on whatever
database the suite runs on, and never over data it did not make."""

import pytest
from django.core.management import get_commands
from django.core.management.base import CommandError

from benchmarks.dataset.generate import generate
from benchmarks.dataset.plan import CLINIC_PREFIX, Sizes
from clinics.models import Clinic
from exercises.models import Exercise
from prescriptions.models import Patient, Prescription, PrescriptionItem
from tests import factories

SCALE = 0.0002  # 20 patients, 100 prescriptions, 600 items, the 150 exercises a page needs
CLINICS = 3


def run() -> list[str]:
    messages: list[str] = []
    generate(
        scale=SCALE,
        clinics=CLINICS,
        seed=7,
        maintenance_work_mem="64MB",
        log=messages.append,
    )
    return messages


def generated_rows() -> dict[str, list[tuple]]:
    """Every row the generator makes, as the database holds it."""
    tables = {
        "exercises": Exercise.objects.filter(slug__startswith="gen-"),
        "patients": Patient.objects.all(),
        "patient conditions": Patient.conditions.through.objects.all(),
        "prescriptions": Prescription.objects.all(),
        "items": PrescriptionItem.objects.all(),
    }
    return {name: list(queryset.order_by("pk").values_list()) for name, queryset in tables.items()}


def test_the_same_seed_and_scale_generate_the_same_rows_again(db):
    run()
    first = generated_rows()
    messages = run()
    sizes = Sizes.for_scale(SCALE, CLINICS)

    assert generated_rows() == first
    assert [len(first[name]) for name in ("patients", "prescriptions", "items")] == [
        sizes.patients,
        sizes.prescriptions,
        sizes.items,
    ]
    assert len(first["exercises"]) == sizes.exercises
    assert Clinic.objects.filter(name__startswith=CLINIC_PREFIX).count() == CLINICS
    assert messages[-1].startswith(f"done: {Exercise.objects.count():,} exercises")


def test_a_database_with_patients_it_did_not_make_is_refused_and_left_unchanged(db):
    patient = factories.PatientFactory()
    exercises = Exercise.objects.count()

    with pytest.raises(CommandError, match=r"Refusing to run: .*1 patients"):
        run()

    assert list(Patient.objects.all()) == [patient]
    assert not Clinic.objects.filter(name__startswith=CLINIC_PREFIX).exists()
    assert Exercise.objects.count() == exercises


def test_only_the_benchmark_settings_have_the_generate_dataset_command():
    assert "generate_dataset" not in get_commands()
