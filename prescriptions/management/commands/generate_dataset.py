"""A clinic-network-sized data set for benchmarks: generated clinics, staff, exercises, patients,
prescriptions and items, loaded in bulk.

At --scale 1: 50 clinics (one about twelve times the median), 5,000 generated exercises (on top of
the default catalogue), 100,000 patients, 500,000 prescriptions, 3,000,000 items.

How it loads: on PostgreSQL, COPY through psycopg 3 into the big tables after dropping their
non-primary-key indexes, unique constraints and foreign keys, which are recreated from their
exact definitions afterwards (then ANALYZE). On SQLite (small scales only), executemany. No
model is saved through the ORM for the bulk rows, so no signal, audit entry or save() logic runs;
Patient.search_text is computed with the same function Patient.save() uses.

Re-running: the data is deterministic for a given --seed and --scale. A re-run truncates the
patient, prescription and item tables, deletes the generated exercises, and loads everything
again; generated clinics and users are kept and reused. It refuses to run (and changes nothing)
when the database holds patients or prescriptions of any clinic it did not generate.
"""

# SQL here is built from model metadata (table and column names), never from input.
# ruff: noqa: S608

import math
import random
import sys
import time
from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from clinics.models import Clinic, ClinicianProfile
from clinics.roles import CLINICIAN
from exercises.catalogue.loader import load_catalogue
from exercises.dose import DOSE_BOUNDS
from exercises.models import (
    BodyRegion,
    Caution,
    Condition,
    Equipment,
    Exercise,
    ExerciseReference,
    ExerciseStep,
    Status,
    Tag,
)
from prescriptions.models import Patient, Prescription, PrescriptionItem, TemplateItem
from prescriptions.text import search_key

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

GIVEN_NAMES = (  # noqa: SIM905
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily "
    "Ella Poppy Evie Elsie Charlotte Zoë Chloé Renée Agnieszka Małgorzata Siobhán Aoife Niamh "
    "Ingrid Björk Søren Jürgen Ana José María Lucía Noah Oliver George Arthur Muhammad Leo Harry "
    "Oscar Archie Henry Theodore Freddie Jack Charlie Thomas Jacob Alfie Finley Isaac William "
    "Joshua Lucas Samuel Daniel Adebayo Chidi Kwame Amara Priya Anjali Rahul Arjun Mei Wei "
    "Hiroshi Yuki Dmitri Olga Ayşe Mehmet François Hélène Łucja Grzegorz Tomás Íñigo Zoltán Dóra"
).split()
FAMILY_NAMES = (  # noqa: SIM905
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin "
    "Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott "
    "Watson Davis Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook "
    "Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price "
    "Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb "
    "Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes Knight Matthews Barker Powell "
    "Stevens Kaur Dixon Kennedy Fisher Núñez Łukasiewicz-Núñez Müller Schröder Øvergaard Sørensen "
    "Ó'Briain O'Connor García Fernández López Martínez González Rodríguez Pérez Sánchez Gómez "
    "Díaz Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
    "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
    "Nowakowski Pawłowski Michalski Adebayo Okafor Mensah Nguyen Tran Le Pham Hoang Kim Park Choi "
    "Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Tanaka Suzuki Takahashi Watanabe Ivanov "
    "Petrov Sidorov Yılmaz Kaya Demir Şahin Çelik Öztürk Dubois Lefèvre Moreau Girard Bonnet "
    "Dupont Lambert Fontaine Rousseau Vincent Rossi Russo Ferrari Esposito Bianchi Romano Colombo "
    "Ricci Marino Greco"
).split()
PRESCRIPTION_NOTES = (
    "",
    "",
    "Ease the pull at the back of your thighs.",
    "Build strength so stairs feel easier.",
    "Keep your back moving while it settles.",
    "Get back to running 5 km without pain.",
    "Sit at your desk for an hour without stiffness.",
    "Walk the dog twice a day comfortably.",
)
ITEM_NOTES = (
    "Go gently on the left side.",
    "Stop if the pain goes above 4 out of 10.",
    "Do these after your walk, when you are warm.",
    "Use the kitchen counter for balance.",
)
MODIFIERS = (  # noqa: SIM905
    "Seated Standing Lying Kneeling Side-lying Wall Banded Towel Assisted Single-leg Slow "
    "Supported Bent-knee Straight-leg Half Deep Gentle Dynamic Isometric Eccentric"
).split()
# name, category, position, body region slug, target muscles, dose kind
BASES = (
    ("hamstring stretch", "stretch", "lying-on-back", "hamstrings", "Hamstrings", "hold"),
    ("calf raise", "strengthening", "standing", "calves", "Gastrocnemius, soleus", "reps"),
    ("glute bridge", "strengthening", "lying-on-back", "glutes", "Gluteus maximus", "reps"),
    ("hip hinge", "mobility", "standing", "hips", "Hamstrings, glutes, erector spinae", "reps"),
    ("knee extension", "strengthening", "seated", "full-body", "Quadriceps", "reps"),
    ("heel slide", "mobility", "lying-on-back", "hips", "Hip flexors, hamstrings", "reps"),
    ("clam", "strengthening", "side-lying", "glutes", "Gluteus medius", "reps"),
    ("bird dog", "strengthening", "hands-and-knees", "core", "Multifidus, glutes", "reps"),
    ("cat-camel", "mobility", "hands-and-knees", "lower-back", "Spinal extensors", "reps"),
    ("dead bug", "strengthening", "lying-on-back", "core", "Transversus abdominis", "reps"),
    ("plank", "strengthening", "lying-on-front", "core", "Abdominals, shoulders", "hold"),
    ("side plank", "strengthening", "side-lying", "core", "Obliques, gluteus medius", "hold"),
    ("squat", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
    ("lunge", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
    ("step-up", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
    ("hip flexor stretch", "stretch", "kneeling", "hips", "Iliopsoas, rectus femoris", "hold"),
    ("piriformis stretch", "stretch", "lying-on-back", "glutes", "Piriformis", "hold"),
    ("quad stretch", "stretch", "standing", "full-body", "Quadriceps", "hold"),
    ("calf stretch", "stretch", "standing", "calves", "Gastrocnemius, soleus", "hold"),
    (
        "pelvic tilt",
        "mobility",
        "lying-on-back",
        "lower-back",
        "Abdominals, lumbar extensors",
        "reps",
    ),
    ("nerve glide", "mobility", "seated", "hamstrings", "Sciatic nerve mobility", "reps"),
    ("wall sit", "strengthening", "standing", "full-body", "Quadriceps", "hold"),
    ("leg swing", "mobility", "standing", "hips", "Hip flexors, hamstrings", "reps"),
    ("foam roll", "soft-tissue", "seated", "hamstrings", "Hamstrings", "time"),
    ("hamstring curl", "strengthening", "lying-on-front", "hamstrings", "Hamstrings", "reps"),
)
SUFFIXES = (
    "",
    "with band",
    "with towel",
    "on a step",
    "on a ball",
    "with pause",
    "level 2",
    "level 3",
    "with support",
    "pulses",
)
SUMMARIES = (
    "A gentle start for stiff mornings.",
    "Builds strength without loading the back.",
    "Keeps the movement small and controlled.",
    "Good when sitting all day has made you stiff.",
    "A progression once the easier version feels comfortable.",
    "Helps balance and control on one leg.",
)
STEP_TEXTS = (
    "Get into the start position and breathe out slowly.",
    "Keep your back flat and your tummy muscles gently tight.",
    "Move slowly, taking about three seconds each way.",
    "Stop at a mild stretch or effort; it should never be sharp.",
    "Hold the position still and keep breathing normally.",
    "Return slowly to where you started and relax for a moment.",
    "Keep your knee in line with your second toe.",
    "Use a chair or the wall for balance if you need to.",
    "Change sides and do the same on the other side.",
    "Rest between sets for as long as you need.",
)
DOSE_COLUMNS = (
    "hold_seconds",
    "reps",
    "sets",
    "rest_seconds",
    "times_per_day",
    "days_per_week",
    "duration_seconds",
    "side",
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


class Progress:
    """A progress bar on stderr; on a non-terminal, a line at each quarter."""

    def __init__(self, stream, label: str, total: int):
        self.stream = stream
        self.label = label
        self.total = max(total, 1)
        self.done_count = 0
        self.started = time.monotonic()
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.last_draw = 0.0
        self.last_quarter = -1

    def update(self, count: int) -> None:
        self.done_count = count
        now = time.monotonic()
        if self.tty:
            if now - self.last_draw >= 0.2:
                self.last_draw = now
                self._draw("\r", "")
        else:
            quarter = 4 * count // self.total
            if quarter > self.last_quarter and quarter < 4:
                self.last_quarter = quarter
                self._draw("", "\n")

    def finish(self) -> float:
        self.done_count = self.total
        self._draw("\r" if self.tty else "", "\n")
        return time.monotonic() - self.started

    def _draw(self, start: str, end: str) -> None:
        fraction = min(self.done_count / self.total, 1.0)
        bar = "#" * int(fraction * 30)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"{start}  {self.label:<24} [{bar:<30}] {self.done_count:>11,}/{self.total:,} "
            f"{fraction:4.0%} {elapsed:6.1f}s{end}"
        )
        self.stream.flush()


def table_layout(model, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """All of the table's columns: ours first, then every other column with its default.

    A column someone adds later with a default is filled; one without a default stops the run
    with a clear message instead of a NOT NULL violation halfway through the load."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise CommandError(
            f"{model._meta.db_table} has no column(s) {sorted(unknown)}: update generate_dataset."
        )
    extra_columns, extra_values = [], []
    for column, field in fields.items():
        if column in columns:
            continue
        value = field.get_default()
        if value is None and not field.null:
            raise CommandError(
                f"{model._meta.db_table}.{column} is NOT NULL without a default: "
                "teach generate_dataset what to put there."
            )
        extra_columns.append(column)
        extra_values.append(field.get_db_prep_save(value, connection))
    return (*columns, *extra_columns), tuple(extra_values)


class PostgresWriter:
    """COPY ... FROM STDIN through the psycopg 3 connection under Django's transaction."""

    batch = 20_000

    def __init__(self, stream):
        self.stream = stream

    def write(self, model, columns, rows, total: int, *, label: str, freeze: bool = False) -> None:
        all_columns, extra = table_layout(model, columns)
        column_list = ", ".join(f'"{column}"' for column in all_columns)
        options = " WITH (FREEZE)" if freeze else ""
        progress = Progress(self.stream, label, total)
        pg = connection.connection
        count = 0
        with (
            pg.cursor() as cursor,
            cursor.copy(f"COPY {model._meta.db_table} ({column_list}) FROM STDIN{options}") as copy,
        ):
            write_row = copy.write_row
            for row in rows:
                write_row(row + extra if extra else row)
                count += 1
                if count % self.batch == 0:
                    progress.update(count)
        progress.total = count or 1
        progress.finish()


class SqliteWriter:
    """executemany with the backend's own conversions (naive UTC datetimes, ISO dates)."""

    batch = 5_000

    def __init__(self, stream):
        self.stream = stream

    def _adapt(self, value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def write(self, model, columns, rows, total: int, *, label: str, freeze: bool = False) -> None:
        all_columns, extra = table_layout(model, columns)
        column_list = ", ".join(f'"{column}"' for column in all_columns)
        statement = (
            f"INSERT INTO {model._meta.db_table} ({column_list}) "
            f"VALUES ({', '.join('?' * len(all_columns))})"
        )
        progress = Progress(self.stream, label, total)
        raw = connection.connection
        chunk, count = [], 0
        for row in rows:
            chunk.append(tuple(self._adapt(value) for value in row + extra))
            if len(chunk) >= self.batch:
                raw.executemany(statement, chunk)
                count += len(chunk)
                chunk.clear()
                progress.update(count)
        if chunk:
            raw.executemany(statement, chunk)
            count += len(chunk)
        progress.total = count or 1
        progress.finish()


BIG_MODELS = (PrescriptionItem, Prescription, Patient.conditions.through, Patient)


class PostgresIndexes:
    """Drops the big tables' foreign keys, unique constraints and non-PK indexes; recreates them
    later from the definitions PostgreSQL itself reported, so nothing is lost or changed."""

    def __init__(self, stream):
        self.stream = stream
        self.tables = [model._meta.db_table for model in BIG_MODELS]
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.constraints: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str, str]] = []

    def capture(self, cursor) -> None:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u', 'x')
            ORDER BY c.conrelid::regclass::text, c.conname
            """,
            [self.tables],
        )
        for table, name, definition, kind in cursor.fetchall():
            target = self.foreign_keys if kind == "f" else self.constraints
            target.append((table, name, definition))
        cursor.execute(
            """
            SELECT t.relname, i.relname, pg_get_indexdef(ix.indexrelid)
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            WHERE ix.indrelid = ANY(%s::regclass[]) AND NOT ix.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [self.tables],
        )
        self.indexes = list(cursor.fetchall())

    def drop(self, cursor) -> None:
        for table, name, _definition in self.foreign_keys + self.constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for _table, name, _definition in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def recreate(self, cursor) -> None:
        steps = [(name, definition) for _table, name, definition in self.indexes]
        steps += [
            (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for table, name, definition in self.constraints + self.foreign_keys
        ]
        progress = Progress(self.stream, "indexes and keys", len(steps))
        for done, (_name, statement) in enumerate(steps, start=1):
            cursor.execute(statement)
            progress.update(done)
        progress.finish()


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _allocate(total: int, weights: list[float]) -> list[int]:
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


class Command(BaseCommand):
    help = (
        "Load a generated clinic-network data set in bulk (COPY on PostgreSQL) for benchmarks. "
        "Deterministic; re-running truncates and reloads the generated data; refuses a database "
        "with data of clinics it did not generate. Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 = 100,000 patients, 500,000 prescriptions, 3,000,000 items (default).",
        )
        parser.add_argument("--clinics", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--maintenance-work-mem",
            default="1GB",
            help="PostgreSQL memory for each index build during the load (default 1GB).",
        )

    # The run ----------------------------------------------------------------------------------

    def handle(self, *args, scale, clinics, seed, maintenance_work_mem, **options):
        if clinics < 2:
            raise CommandError("--clinics must be at least 2.")
        self.started = time.monotonic()
        self.postgres = connection.vendor == "postgresql"
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("generate_dataset supports PostgreSQL and SQLite.")
        stream = sys.stderr
        self.rng = random.Random(seed)
        self.sizes = Sizes.for_scale(scale, clinics)
        self.log(
            f"generate_dataset: scale {scale}, seed {seed}: {self.sizes.clinics} clinics, "
            f"{self.sizes.exercises:,} exercises, {self.sizes.patients:,} patients, "
            f"{self.sizes.prescriptions:,} prescriptions, {self.sizes.items:,} items "
            f"({connection.vendor})"
        )
        self._refuse_foreign_data()
        load_catalogue()
        writer = PostgresWriter(stream) if self.postgres else SqliteWriter(stream)
        indexes = PostgresIndexes(stream) if self.postgres else None
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{maintenance_work_mem}'")
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Foreign keys are deferred; checked at once, no trigger event waits for the
                # ALTER TABLEs below (the big tables' keys are dropped and re-validated anyway).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            clinic_rows = self._ensure_clinics_and_staff()
            self._clear(cursor)
            if indexes:
                indexes.capture(cursor)
                indexes.drop(cursor)
            exercise_ids = self._load_exercises(writer, cursor)
            patients_by_clinic = self._load_patients(writer, clinic_rows)
            item_counts, pools = self._load_prescriptions(
                writer, clinic_rows, patients_by_clinic, exercise_ids
            )
            self._load_items(writer, item_counts, pools, exercise_ids)
            if indexes:
                indexes.recreate(cursor)
            self._reset_sequences(cursor)
        self._analyze()
        self._report(clinic_rows)

    def log(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stderr.write(f"[{elapsed:7.1f}s] {message}")

    # Safety and clearing ----------------------------------------------------------------------

    def _refuse_foreign_data(self) -> None:
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

    def _clear(self, cursor) -> None:
        tables = [model._meta.db_table for model in BIG_MODELS]
        if self.postgres:
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
        for model, column in (
            (ExerciseStep, "exercise_id"),
            (Caution, "exercise_id"),
            (Exercise.tags.through, "exercise_id"),
            (Exercise.equipment.through, "exercise_id"),
            (ExerciseReference, "exercise_id"),
        ):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({generated})", [pattern]
            )
        cursor.execute("DELETE FROM exercises_exercise WHERE slug LIKE %s", [pattern])
        self.log("cleared the previous generated data")

    # Clinics and staff (few rows: the ORM's bulk_create, which sends no signals) --------------

    def _ensure_clinics_and_staff(self) -> list[dict]:
        sizes, rng = self.sizes, self.rng
        others = [rng.lognormvariate(0, 0.5) for _ in range(sizes.clinics - 1)]
        median = sorted(others)[len(others) // 2]
        weights = [LARGE_CLINIC_FACTOR * median, *others]
        patients = _allocate(sizes.patients, weights)
        prescriptions = _allocate(sizes.prescriptions, patients)
        timezones = ("Europe/London", "Europe/Dublin", "Europe/Berlin", "America/Toronto")
        wanted = [f"{CLINIC_PREFIX}{number:02d}" for number in range(1, sizes.clinics + 1)]
        existing = {clinic.name: clinic for clinic in Clinic.objects.filter(name__in=wanted)}
        Clinic.objects.bulk_create(
            Clinic(
                name=name,
                address=f"{number} Generated Road, Testville",
                phone=f"0161 496 {number:04d}",
                email=f"clinic{number:02d}@example.org",
                emergency_number="999",
                timezone=timezones[number % len(timezones)],
                paper_size="a4" if number % 5 else "letter",
            )
            for number, name in enumerate(wanted, start=1)
            if name not in existing
        )
        clinics = {clinic.name: clinic for clinic in Clinic.objects.filter(name__in=wanted)}
        user_model = get_user_model()
        wanted_users = {}
        for number, name in enumerate(wanted, start=1):
            staff = max(2, round(patients[number - 1] / 300))
            for index in range(1, staff + 1):
                wanted_users[f"{USER_PREFIX}c{number:02d}-{index:03d}"] = clinics[name]
        known = set(
            user_model.objects.filter(username__in=wanted_users).values_list("username", flat=True)
        )
        missing = [username for username in wanted_users if username not in known]
        unusable = make_password(None)
        user_model.objects.bulk_create(
            user_model(username=username, password=unusable, is_staff=True, first_name="Gen")
            for username in missing
        )
        users = dict(
            user_model.objects.filter(username__in=wanted_users).values_list("username", "pk")
        )
        ClinicianProfile.objects.bulk_create(
            ClinicianProfile(
                user_id=users[username],
                clinic=wanted_users[username],
                display_name=f"Clinician {username[len(USER_PREFIX) :]}",
                profession="Physiotherapist",
            )
            for username in missing
        )
        group = Group.objects.get(name=CLINICIAN)
        group.user_set.add(*[users[username] for username in missing])
        rows = []
        for number, name in enumerate(wanted, start=1):
            staff_ids = sorted(
                users[username] for username, clinic in wanted_users.items() if clinic.name == name
            )
            rows.append(
                {
                    "id": clinics[name].pk,
                    "number": number,
                    "patients": patients[number - 1],
                    "prescriptions": prescriptions[number - 1],
                    "staff": staff_ids,
                }
            )
        self.log(f"{len(clinics)} clinics, {len(users)} clinicians ({len(missing)} new)")
        return rows

    # Exercises --------------------------------------------------------------------------------

    def _load_exercises(self, writer, cursor) -> dict[int, tuple]:
        """Generated exercises with steps, tags, equipment and a few cautions. Answers every
        published exercise (catalogue included) -> its default dose, for the items."""
        rng, count = self.rng, self.sizes.exercises
        regions = dict(BodyRegion.objects.values_list("slug", "pk"))
        fallback_region = next(iter(regions.values()))
        tags = dict(Tag.objects.values_list("slug", "pk"))
        equipment = list(Equipment.objects.values_list("pk", flat=True))
        conditions = list(Condition.objects.values_list("pk", flat=True))
        next_id = {}
        for model in (
            Exercise,
            ExerciseStep,
            Caution,
            Exercise.tags.through,
            Exercise.equipment.through,
        ):
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            next_id[model] = cursor.fetchone()[0] + 1
        combos = [(m, b, s) for b in BASES for m in MODIFIERS for s in SUFFIXES]
        rng.shuffle(combos)
        exercises, steps, tag_rows, equipment_rows, cautions = [], [], [], [], []
        for index in range(count):
            modifier, base, suffix = combos[index % len(combos)]
            base_name, category, position, region, muscles, kind = base
            name = " ".join(part for part in (modifier, base_name, suffix) if part)
            if index >= len(combos):
                name += f" ({index // len(combos) + 1})"
            exercise_id = next_id[Exercise] + index
            dose, advised = self._default_dose(kind)
            roll = rng.random()
            status = (
                Status.PUBLISHED
                if roll < 0.92
                else Status.DRAFT
                if roll < 0.96
                else Status.ARCHIVED
            )
            exercises.append(
                {
                    "id": exercise_id,
                    "name": name[:200],
                    "slug": f"{EXERCISE_SLUG_PREFIX}{index + 1:05d}",
                    "summary": f"{name}. {rng.choice(SUMMARIES)}"[:300],
                    "category": category,
                    "position": position,
                    "body_region_id": regions.get(region, fallback_region),
                    "target_muscles": muscles,
                    "difficulty": rng.randint(1, 3),
                    "cues": "Move slowly.\nKeep breathing.",
                    "common_mistakes": "Rushing the movement.\nHolding your breath.",
                    "safety_notes": "Stop if the pain is sharp or spreads.",
                    "reviewed_by": "Generated data set",
                    "reviewed_on": date(2026, 1, 15),
                    "status": status,
                    "created_at": CATALOGUE_TIME,
                    "updated_at": CATALOGUE_TIME,
                    **{f"default_{key}": value for key, value in dose.items()},
                    **advised,
                }
            )
            for order, text in enumerate(rng.sample(STEP_TEXTS, rng.randint(3, 6))):
                steps.append((next_id[ExerciseStep] + len(steps), exercise_id, order, text))
            if kind == "hold" and "static-hold" in tags and rng.random() < 0.8:
                tag_rows.append(
                    (
                        next_id[Exercise.tags.through] + len(tag_rows),
                        exercise_id,
                        tags["static-hold"],
                    )
                )
            for equipment_id in rng.sample(equipment, min(len(equipment), rng.randint(0, 2))):
                equipment_rows.append(
                    (
                        next_id[Exercise.equipment.through] + len(equipment_rows),
                        exercise_id,
                        equipment_id,
                    )
                )
            if conditions and rng.random() < 0.04:
                cautions.append(
                    (
                        next_id[Caution] + len(cautions),
                        rng.choice(conditions),
                        exercise_id,
                        None,
                        "warning",
                        "Go gently and stop if your usual symptoms get worse, and tell us.",
                        "",
                        "Dataset caution: a generic warning for load testing.",
                    )
                )
        exercise_columns = tuple(exercises[0])
        writer.write(
            Exercise,
            exercise_columns,
            (tuple(row[column] for column in exercise_columns) for row in exercises),
            len(exercises),
            label="exercises",
        )
        writer.write(
            ExerciseStep, ("id", "exercise_id", "order", "text"), steps, len(steps), label="steps"
        )
        writer.write(
            Exercise.tags.through,
            ("id", "exercise_id", "tag_id"),
            tag_rows,
            len(tag_rows),
            label="exercise tags",
        )
        writer.write(
            Exercise.equipment.through,
            ("id", "exercise_id", "equipment_id"),
            equipment_rows,
            len(equipment_rows),
            label="exercise equipment",
        )
        writer.write(
            Caution,
            (
                "id",
                "condition_id",
                "exercise_id",
                "tag_id",
                "severity",
                "text",
                "acknowledged_text",
                "clinician_text",
            ),
            cautions,
            len(cautions),
            label="cautions",
        )
        published = Exercise.objects.filter(status=Status.PUBLISHED).order_by("pk")
        return {
            row[0]: tuple(row[1:])
            for row in published.values_list("pk", *(f"default_{c}" for c in DOSE_COLUMNS))
        }

    def _default_dose(self, kind: str) -> tuple[dict, dict]:
        rng = self.rng
        dose = dict.fromkeys(DOSE_COLUMNS)
        advised = {
            f"advised_{end}_{bound.name}": None for bound in DOSE_BOUNDS for end in ("min", "max")
        }
        if kind == "hold":
            dose |= {"hold_seconds": rng.choice((20, 30, 45)), "reps": 3, "sets": 1}
            dose |= {"times_per_day": 1, "days_per_week": 7, "side": "both"}
            advised |= {"advised_min_hold_seconds": 15, "advised_max_hold_seconds": 60}
        elif kind == "reps":
            dose |= {
                "reps": rng.choice((8, 10, 12)),
                "sets": rng.choice((2, 3)),
                "rest_seconds": 60,
            }
            dose |= {"times_per_day": 1, "days_per_week": 5, "side": rng.choice(("both", None))}
            advised |= {"advised_min_reps": 5, "advised_max_reps": 15}
        else:
            dose |= {"duration_seconds": rng.choice((60, 90, 120)), "times_per_day": 1}
            dose |= {"days_per_week": 7, "side": "both"}
            advised |= {"advised_min_duration_seconds": 30, "advised_max_duration_seconds": 300}
        return dose, advised

    # Patients ---------------------------------------------------------------------------------

    def _load_patients(self, writer, clinic_rows) -> list[tuple[array, array]]:
        """Patients of all clinics, in the order they registered (ids interleave clinics as in
        life). Answers, per clinic, (patient ids, their registration second)."""
        rng = self.rng
        records = []
        for clinic in clinic_rows:
            for number in range(1, clinic["patients"] + 1):
                records.append((rng.randrange(SPAN * 3 // 4), clinic["number"] - 1, number))
        records.sort()
        by_clinic = [(array("q"), array("q")) for _ in clinic_rows]
        conditions = list(Condition.objects.order_by("pk").values_list("pk", flat=True))
        links = []
        phones = ("07700 900", "0161 496 0", "020 7946 0")

        def rows():
            for patient_id, (registered, clinic_index, number) in enumerate(records, start=1):
                clinic = clinic_rows[clinic_index]
                by_clinic[clinic_index][0].append(patient_id)
                by_clinic[clinic_index][1].append(registered)
                given = rng.choice(GIVEN_NAMES)
                family = rng.choice(FAMILY_NAMES)
                identifier = f"G{clinic['number']:02d}-{number:06d}"
                created = _at(registered)
                archived = (
                    created + timedelta(days=rng.randint(30, 900)) if rng.random() < 0.03 else None
                )
                born = date(1930, 1, 1) + timedelta(days=rng.randrange(31_000))
                if conditions and rng.random() < 0.25:
                    for condition in rng.sample(
                        conditions, min(len(conditions), rng.choice((1, 1, 1, 2)))
                    ):
                        links.append((len(links) + 1, patient_id, condition))
                yield (
                    patient_id,
                    clinic["id"],
                    given,
                    family,
                    born,
                    identifier,
                    "en",
                    f"patient{patient_id}@example.org" if rng.random() < 0.6 else "",
                    f"{rng.choice(phones)}{rng.randrange(1000):03d}" if rng.random() < 0.7 else "",
                    "",
                    "",
                    archived,
                    search_key(f"{given} {family} {identifier}"),
                    created,
                    archived or created,
                )

        writer.write(
            Patient,
            (
                "id",
                "clinic_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "identifier",
                "preferred_language",
                "email",
                "phone",
                "address",
                "notes",
                "archived_at",
                "search_text",
                "created_at",
                "updated_at",
            ),
            rows(),
            len(records),
            label="patients",
            freeze=True,
        )
        writer.write(
            Patient.conditions.through,
            ("id", "patient_id", "condition_id"),
            links,
            len(links),
            label="patient conditions",
            freeze=True,
        )
        return by_clinic

    # Prescriptions ----------------------------------------------------------------------------

    def _load_prescriptions(self, writer, clinic_rows, patients_by_clinic, exercise_ids):
        """Each patient's prescriptions in time order; some revise the one before (which becomes
        superseded). Ids follow creation time across all clinics. Answers the item count and
        the clinic's favourite-exercise pool of each prescription, by id."""
        rng = self.rng
        published = list(exercise_ids)
        pools = [
            rng.sample(published, min(len(published), rng.randint(40, 80))) for _ in clinic_rows
        ]
        records = []  # (created second, clinic index, patient id, clinician, status, version, prev)
        for clinic_index, clinic in enumerate(clinic_rows):
            patient_ids, registered = patients_by_clinic[clinic_index]
            per_patient: dict[int, int] = {}
            for _ in range(clinic["prescriptions"]):
                slot = rng.randrange(len(patient_ids))
                per_patient[slot] = per_patient.get(slot, 0) + 1
            for slot in sorted(per_patient):
                start = registered[slot]
                times = sorted(rng.randrange(start, SPAN) for _ in range(per_patient[slot]))
                previous = None
                for position, created in enumerate(times):
                    last = position == len(times) - 1
                    revises = previous is not None and rng.random() < 0.4
                    roll = rng.random()
                    if last:
                        status = "draft" if roll < 0.1 else "voided" if roll < 0.14 else "issued"
                    else:
                        status = "issued" if roll < 0.9 else "voided" if roll < 0.97 else "draft"
                    record = [
                        created,
                        clinic_index,
                        patient_ids[slot],
                        rng.choice(clinic["staff"]),
                        status,
                        1,
                        None,
                    ]
                    if revises and records[previous][4] == "issued":
                        # A revision supersedes its predecessor once it is issued.
                        if status != "draft":
                            records[previous][4] = "superseded"
                        record[5] = records[previous][5] + 1
                        record[6] = previous
                    previous = len(records)
                    records.append(record)
        order = sorted(range(len(records)), key=lambda i: (records[i][0], i))
        new_id = array("q", bytes(8 * len(records)))
        for position, index in enumerate(order, start=1):
            new_id[index] = position
        counts = self._item_counts(len(records))
        clinic_of = array("h", (records[index][1] for index in order))

        def rows():
            for position, index in enumerate(order, start=1):
                created_second, _clinic, patient_id, clinician_id, status, version, prev = records[
                    index
                ]
                created = _at(created_second)
                start = created.date()
                issued = (
                    created + timedelta(minutes=rng.randint(5, 600)) if status != "draft" else None
                )
                voided = issued + timedelta(days=rng.randint(1, 60)) if status == "voided" else None
                row_version = {"draft": 1, "issued": 2}.get(status, 3)
                yield (
                    position,
                    clinic_rows[clinic_of[position - 1]]["id"],
                    patient_id,
                    clinician_id,
                    rng.choice(PRESCRIPTION_NOTES),
                    start,
                    start + timedelta(days=rng.choice((28, 42, 56, 84))),
                    status,
                    version,
                    new_id[prev] if prev is not None else None,
                    row_version,
                    issued,
                    voided,
                    "Entered for the wrong patient." if voided else "",
                    None,
                    "",
                    "",
                    "",
                    created,
                    voided or issued or created,
                )

        writer.write(
            Prescription,
            (
                "id",
                "clinic_id",
                "patient_id",
                "clinician_id",
                "notes",
                "start_date",
                "review_date",
                "status",
                "version",
                "supersedes_id",
                "row_version",
                "issued_at",
                "voided_at",
                "void_reason",
                "snapshot",
                "fingerprint",
                "handout_pdf",
                "handout_sha256",
                "created_at",
                "updated_at",
            ),
            rows(),
            len(records),
            label="prescriptions",
            freeze=True,
        )
        return counts, (pools, clinic_of)

    def _item_counts(self, prescriptions: int) -> array:
        """Items per prescription: 1 to 20, mostly 3 to 9, summing exactly to the target."""
        rng, target = self.rng, self.sizes.items
        choices = range(1, 21)
        weights = [1, 3, 6, 9, 11, 12, 11, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1]
        counts = array("b", rng.choices(choices, weights, k=prescriptions))
        difference = target - sum(counts)
        step = 1 if difference > 0 else -1
        while difference:
            index = rng.randrange(prescriptions)
            if 1 <= counts[index] + step <= 30:
                counts[index] += step
                difference -= step
        return counts

    def _load_items(self, writer, counts, pools_and_clinics, exercise_ids) -> None:
        rng = self.rng
        pools, clinic_of = pools_and_clinics
        published = list(exercise_ids)

        def rows():
            item_id = 0
            for index, count in enumerate(counts):
                pool = pools[clinic_of[index]]
                chosen = rng.sample(pool, min(count, len(pool)))
                while len(chosen) < count:
                    chosen.append(rng.choice(published))
                for order, exercise_id in enumerate(chosen):
                    if rng.random() < 0.15:
                        exercise_id = rng.choice(published)
                    hold, reps, sets, rest, per_day, per_week, duration, side = exercise_ids[
                        exercise_id
                    ]
                    if reps and rng.random() < 0.3:
                        reps = max(1, min(100, reps + rng.choice((-2, -1, 1, 2))))
                    item_id += 1
                    yield (
                        item_id,
                        hold,
                        reps,
                        sets,
                        rest,
                        per_day,
                        per_week,
                        duration,
                        side,
                        index + 1,
                        order,
                        exercise_id,
                        rng.choice(ITEM_NOTES) if rng.random() < 0.1 else "",
                        False,
                        "",
                    )

        writer.write(
            PrescriptionItem,
            (
                "id",
                "hold_seconds",
                "reps",
                "sets",
                "rest_seconds",
                "times_per_day",
                "days_per_week",
                "duration_seconds",
                "side",
                "prescription_id",
                "order",
                "exercise_id",
                "notes",
                "acknowledge_contraindication",
                "contraindication_reason",
            ),
            rows(),
            self.sizes.items,
            label="prescription items",
            freeze=True,
        )

    # Finishing --------------------------------------------------------------------------------

    def _reset_sequences(self, cursor) -> None:
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows the largest id inserted
        models = (
            *BIG_MODELS,
            Exercise,
            ExerciseStep,
            Caution,
            Exercise.tags.through,
            Exercise.equipment.through,
        )
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1), "
                f"(SELECT MAX(id) IS NOT NULL FROM {table}))"
            )

    def _analyze(self) -> None:
        started = time.monotonic()
        with connection.cursor() as cursor:
            if self.postgres:
                tables = [model._meta.db_table for model in BIG_MODELS]
                tables += ["exercises_exercise", "exercises_exercisestep", "exercises_caution"]
                tables += ["exercises_exercise_tags", "exercises_exercise_equipment"]
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            else:
                cursor.execute("ANALYZE")
        self.log(f"ANALYZE took {time.monotonic() - started:.1f}s")

    def _report(self, clinic_rows) -> None:
        sizes = sorted(clinic["patients"] for clinic in clinic_rows)
        median = sizes[len(sizes) // 2]
        largest = clinic_rows[0]
        counts = {
            "exercises": Exercise.objects.count(),
            "patients": Patient.objects.count(),
            "prescriptions": Prescription.objects.count(),
            "items": PrescriptionItem.objects.count(),
        }
        self.log(
            "done: "
            + ", ".join(f"{count:,} {name}" for name, count in counts.items())
            + f"; largest clinic {CLINIC_PREFIX}01 has {largest['patients']:,} patients and "
            f"{largest['prescriptions']:,} prescriptions, the median clinic {median:,} patients "
            f"({largest['patients'] / median:.1f}x)"
        )
        self.stdout.write(f"generate_dataset finished in {time.monotonic() - self.started:.1f}s")
