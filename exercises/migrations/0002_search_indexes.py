"""Trigram indexes for exercise search, on PostgreSQL only (SQLite skips this migration's work).

Exercise search is `icontains` on name, summary and target muscles, which Django writes on
PostgreSQL as `UPPER(column::text) LIKE UPPER('%term%')`. A pg_trgm GIN index on exactly that
expression answers each of the three; the OR of them is a BitmapOr of the three indexes.
See benchmarks/README.md ("Indexes").
"""

from django.db import migrations

INDEXES = {
    f"exercise_{column}_upper_trgm": (
        f"CREATE INDEX IF NOT EXISTS exercise_{column}_upper_trgm "
        f"ON exercises_exercise USING gin ((UPPER({column}::text)) gin_trgm_ops)"
    )
    for column in ("name", "summary", "target_muscles")
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
        ("exercises", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
