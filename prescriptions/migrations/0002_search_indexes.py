"""Trigram index for patient search, on PostgreSQL only (SQLite skips this migration's work).

Patient search filters `search_text LIKE '%term%'` (Django's `__contains`, written on
PostgreSQL as `search_text::text LIKE ...`); a pg_trgm GIN index answers that for terms of three
or more characters without reading every patient of the clinic.
See benchmarks/README.md ("Indexes") for the measurements.
"""

from django.db import migrations

INDEXES = {
    "patient_search_text_trgm": (
        "CREATE INDEX IF NOT EXISTS patient_search_text_trgm "
        "ON prescriptions_patient USING gin (search_text gin_trgm_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in INDEXES.values():
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("prescriptions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
