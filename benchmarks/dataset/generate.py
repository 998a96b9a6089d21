"""The run: refuse a database with data it did not make, clear the last run's rows, load every
table in one transaction, then ANALYZE. The SQL is built from model metadata, never from input."""

import random
import sys
import time

from django.core.management.base import CommandError
from django.db import connection, transaction

from benchmarks.dataset import postgres
from benchmarks.dataset.clinics import ensure_clinics_and_staff
from benchmarks.dataset.exercises import load_exercises
from benchmarks.dataset.items import load_items
from benchmarks.dataset.patients import load_patients
from benchmarks.dataset.plan import (
    BIG_MODELS,
    CLINIC_PREFIX,
    EXERCISE_MODELS,
    EXERCISE_SLUG_PREFIX,
    Sizes,
)
from benchmarks.dataset.prescriptions import load_prescriptions
from benchmarks.dataset.writers import writer_for
from exercises.catalogue.loader import load_catalogue
from exercises.models import Exercise, ExerciseReference
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)


def generate(*, scale: float, clinics: int, seed: int, maintenance_work_mem: str, log) -> None:
    """Loads the data set into the default database; `log(message)` reports each step."""
    if clinics < 2:
        raise CommandError("--clinics must be at least 2.")
    if connection.vendor not in ("postgresql", "sqlite"):
        raise CommandError("generate_dataset supports PostgreSQL and SQLite.")
    postgres_in_use = connection.vendor == "postgresql"
    rng = random.Random(seed)
    sizes = Sizes.for_scale(scale, clinics)
    log(
        f"generate_dataset: scale {scale}, seed {seed}: {sizes.clinics} clinics, "
        f"{sizes.exercises:,} exercises, {sizes.patients:,} patients, "
        f"{sizes.prescriptions:,} prescriptions, {sizes.items:,} items ({connection.vendor})"
    )
    _refuse_foreign_data()
    load_catalogue()
    writer = writer_for(sys.stderr)
    indexes = postgres.PostgresIndexes(sys.stderr) if postgres_in_use else None
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres_in_use:
            postgres.prepare_session(cursor, maintenance_work_mem)
        clinic_plans = ensure_clinics_and_staff(rng, sizes, log)
        if indexes:
            # Before clearing: TRUNCATE refuses a table another table's foreign key points at.
            indexes.capture(cursor)
            indexes.drop(cursor)
        _clear(cursor)
        log("cleared the previous generated data")
        exercise_doses = load_exercises(rng, sizes.exercises, writer, cursor)
        patients_by_clinic = load_patients(rng, writer, clinic_plans)
        item_plan = load_prescriptions(
            rng, writer, clinic_plans, patients_by_clinic, exercise_doses, sizes.items
        )
        load_items(rng, writer, item_plan, exercise_doses, sizes.items)
        if indexes:
            indexes.recreate(cursor)
            postgres.reset_sequences(cursor)  # SQLite's AUTOINCREMENT follows the largest id
    _analyze(log)
    _report(clinic_plans, log)


def _refuse_foreign_data() -> None:
    foreign = {
        "patients": Patient.objects.exclude(clinic__name__startswith=CLINIC_PREFIX).count(),
        "prescriptions": Prescription.objects.exclude(
            clinic__name__startswith=CLINIC_PREFIX
        ).count(),
        "template items using generated exercises": TemplateItem.objects.filter(
            exercise__slug__startswith=EXERCISE_SLUG_PREFIX
        ).count(),
    }
    found = {name: count for name, count in foreign.items() if count}
    if found:
        listed = ", ".join(f"{count:,} {name}" for name, count in found.items())
        raise CommandError(
            f"Refusing to run: this database has {listed} that generate_dataset did not "
            "make, and a run replaces every patient and prescription. Use an empty database."
        )


def _clear(cursor) -> None:
    """Empties the big tables and deletes the generated exercises with everything of theirs."""
    tables = [model._meta.db_table for model in BIG_MODELS]
    # Templates saved from a replaced patient's prescription no longer have that patient.
    ProgrammeTemplate.objects.exclude(source_patient=None).update(source_patient=None)
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
    else:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        placeholders = ", ".join("?" * len(tables))
        connection.connection.execute(
            f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables
        )
    generated = "SELECT id FROM exercises_exercise WHERE slug LIKE %s"
    pattern = f"{EXERCISE_SLUG_PREFIX}%"
    for model in (*EXERCISE_MODELS, ExerciseReference):
        if model is Exercise:
            continue  # deleted last, once nothing points at it
        table = model._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE exercise_id IN ({generated})", [pattern])
    cursor.execute(f"DELETE FROM {Exercise._meta.db_table} WHERE slug LIKE %s", [pattern])


def _analyze(log) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [model._meta.db_table for model in (*BIG_MODELS, *EXERCISE_MODELS)]
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")
    log(f"ANALYZE took {time.monotonic() - started:.1f}s")


def _report(clinic_plans, log) -> None:
    sizes = sorted(clinic.patients for clinic in clinic_plans)
    median = sizes[len(sizes) // 2]
    largest = clinic_plans[0]
    counts = {
        "exercises": Exercise.objects.count(),
        "patients": Patient.objects.count(),
        "prescriptions": Prescription.objects.count(),
        "items": PrescriptionItem.objects.count(),
    }
    log(
        "done: "
        + ", ".join(f"{count:,} {name}" for name, count in counts.items())
        + f"; largest clinic {CLINIC_PREFIX}01 has {largest.patients:,} patients and "
        f"{largest.prescriptions:,} prescriptions, the median clinic {median:,} patients "
        f"({largest.patients / median:.1f}x)"
    )
