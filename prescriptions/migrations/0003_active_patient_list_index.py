"""The active-patient list's index, on PostgreSQL only (SQLite skips this migration's work).

The patient list asks for `clinic_id = X AND archived_at IS NULL ORDER BY family_name,
given_name, id LIMIT 20`. The model's index (clinic, archived_at, family_name, ...) cannot give
that order, because PostgreSQL does not treat `IS NULL` as an equality, so a large clinic's
active patients were all read and sorted for every page (21 ms at 17,000 patients). This
partial index holds active patients only, in list order; a page reads 20 entries.
See benchmarks/README.md ("Indexes").
"""

from django.db import migrations

INDEXES = {
    "patient_active_list": (
        "CREATE INDEX IF NOT EXISTS patient_active_list ON prescriptions_patient "
        "(clinic_id, family_name, given_name, id) WHERE archived_at IS NULL"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in INDEXES.values():
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("prescriptions", "0002_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
